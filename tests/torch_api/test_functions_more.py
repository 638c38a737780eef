"""torch functions spelled over polygrad's ops (``pg.cov``...) against torch on every
backend: values, gradients and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS
from oracle import pg_from
from oracle import values_and_grads_as_torch as _both

import polygrad as pg

ROWS = np.array([[1.0, 2.0, 4.0, -1.5], [3.0, 1.0, 0.0, 2.5]])
FWEIGHTS = np.array([7, 4, 1, 2], dtype=np.int32)
AWEIGHTS = np.array([0.25, 0.5, 1.0, 2.0])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("correction", [0, 1])
def test_cov_with_integer_frequency_weights(correction, backend):
    """Integer ``fweights`` meet the floating input (and ``aweights``) as torch promotes
    them, also on array-api-strict, which promotes no integers with floats."""
    _both(
        lambda lib, x, f: lib.cov(x, correction=correction, fweights=f), (ROWS, FWEIGHTS), backend
    )
    _both(
        lambda lib, x, f, a: lib.cov(x, correction=correction, fweights=f, aweights=a),
        (ROWS, FWEIGHTS, AWEIGHTS),
        backend,
    )
    _both(lambda lib, x, f: x.cov(fweights=f), (ROWS[0], FWEIGHTS), backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_cov_weights_of_the_wrong_kind_get_torch_errors(backend):
    x = pg_from(ROWS, backend)
    for kwargs, message in [
        (
            {"fweights": pg_from(AWEIGHTS, backend)},
            "fweights to have integral dtype but got fweights with Double dtype",
        ),
        (
            {"aweights": pg_from(FWEIGHTS, backend)},
            "aweights to have floating point dtype but got aweights with Int dtype",
        ),
        (
            {"fweights": pg_from(FWEIGHTS[None], backend)},
            "fweights to have one or fewer dimensions but got fweights with 2 dimensions",
        ),
    ]:
        with pytest.raises(RuntimeError, match=message):
            pg.cov(x, **kwargs)
        with pytest.raises(RuntimeError, match=message):
            torch.cov(torch.tensor(ROWS), **{k: torch.tensor(v.numpy()) for k, v in kwargs.items()})


@pytest.mark.parametrize("backend", BACKENDS)
def test_tensordot_broadcasts_contracted_size_one(backend):
    """torch sums the other side's axis where one contracted axis has size 1."""
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal((1, 1, 3)), rng.standard_normal((2, 1, 2))
    _both(lambda lib, x, y: lib.tensordot(x, y, dims=([0, 1], [2, 0])), (a, b), backend)
    _both(lambda lib, x, y: lib.tensordot(x, y, dims=([2, 1], [0, 1])), (a, b[:1, :, :]), backend)
    _both(lambda lib, x, y: lib.tensordot(x, y, dims=1), (b, rng.standard_normal((1, 4))), backend)
    _both(lambda lib, x, y: lib.tensordot(x, y, dims=2), (a, b), backend)
    with pytest.raises(RuntimeError, match="contracted dimensions need to match"):
        pg.tensordot(pg_from(a, backend), pg_from(b, backend), dims=([2], [0]))
