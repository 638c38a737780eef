"""torch's tensor methods composed in ``_methods_more`` (``diag_embed``, ``diagflat``,
``diag``...) against torch on every backend: values, gradients and errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS
from oracle import pg_from
from oracle import values_and_grads_as_torch as _both

import polygrad as pg

rng = np.random.default_rng(5)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("offset", [0, 2, -1])
def test_diagonal_builders_with_gradients(offset, backend):
    """Built from a ``where`` over the diagonal's mask, so Dask and array-api-strict (no
    nd fancy indexing) give them and their gradients too."""
    batch = rng.standard_normal((3, 4))
    _both(lambda lib, x: lib.diag_embed(x, offset), batch, backend)
    _both(lambda lib, x: x.diag_embed(offset, 0, 2), batch, backend)
    _both(lambda lib, x: lib.diag_embed(x, offset, -1, 0), batch, backend)
    _both(lambda lib, x: lib.diagflat(x, offset), batch, backend)
    _both(lambda lib, x: lib.diagflat(x, offset), np.array(1.5), backend)
    _both(lambda lib, x: lib.diag(x, offset), batch[0], backend)
    _both(lambda lib, x: x.diag(offset), batch, backend)
    _both(lambda lib, x: lib.diag(x, offset), np.zeros(0), backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_diag_embed_of_booleans_and_bad_dims(backend):
    flags = np.array([True, False, True])
    got = pg.diag_embed(pg_from(flags, backend), 1)
    np.testing.assert_array_equal(got.numpy(), torch.diag_embed(torch.tensor(flags), 1))
    x = pg_from(flags, backend)
    with pytest.raises(RuntimeError, match="diagonal dimensions cannot be identical 1, -1"):
        pg.diag_embed(x, 0, 1, -1)
    with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range"):
        pg.diag_embed(x, 0, 0, 2)


@pytest.mark.parametrize("backend", BACKENDS)
def test_fill_casts_the_value_and_keeps_both_gradients(backend):
    values = np.array([[1.0, np.nan], [np.inf, -2.0]])  # NaN and inf do not leak into the fill
    for value in (True, 2.5, -3):
        _both(lambda lib, x, v=value: lib.fill(x, v), values, backend)
    _both(lambda lib, x, v: lib.fill(x, v), (values, np.array(0.75)), backend)
    for raw, value in [(np.array([1, 2]), 2.7), (np.array([True, False]), 0.5)]:
        got = pg.fill(pg_from(raw, backend), value)
        expected = torch.fill(torch.tensor(raw), value)
        np.testing.assert_array_equal(got.numpy(), expected)
        assert str(got.dtype).split(".")[-1] == str(expected.dtype).split(".")[-1]
    x = pg_from(values, backend, requires_grad=True)
    with pytest.raises(RuntimeError, match="fill_ only supports 0-dimension value tensor"):
        pg.fill(x, pg_from(np.ones(2), backend))
