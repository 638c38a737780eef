"""torch's counting (``bincount``, ``histc``, ``histogram``), integer arithmetic (``gcd``,
``lcm``) and strided windows (``unfold``, ``as_strided``, ``view_as_real`` /
``view_as_complex``) against torch: values, dtypes and gradients (overlapping windows
add up), on every backend."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS
from oracle import on_backend
from oracle import values_and_grads_as_torch as both

import polygrad as pg

DATA = np.array([0.5, -1.0, 2.0, 2.0, 3.5, 7.0, -4.0, 0.0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_counts(backend: str) -> None:
    ints = np.array([1, 4, 1, 0, 4, 4])
    both(lambda lib, x: x.bincount(), ints, backend)
    both(lambda lib, x: lib.bincount(x, lib.tensor(DATA[:6]), minlength=8), ints, backend)
    both(lambda lib, x: lib.histc(x, 5), DATA, backend)
    both(lambda lib, x: x.histc(bins=4, min=-1, max=3), DATA, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_histogram(backend: str) -> None:
    weights = np.abs(DATA) + 1
    for call in (
        lambda lib, x: x.histogram(4),
        lambda lib, x: lib.histogram(x, 3, range=(-1.0, 2.0), density=True),
        lambda lib, x: x.histogram(lib.tensor([-2.0, 0.0, 0.5, 4.0], dtype=lib.float64)),
        lambda lib, x: x.histogram(5, weight=lib.tensor(weights)),
    ):
        want = call(torch, torch.tensor(DATA))
        with on_backend(backend):
            got = call(pg, pg.tensor(DATA))
        assert type(got).__name__ == "histogram" and got.hist is got[0]
        for g, w in zip(got, want):
            np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-12)
            assert g.dtype.name == "float64"


@pytest.mark.parametrize("backend", BACKENDS)
def test_gcd_lcm(backend: str) -> None:
    a, b = np.array([12, -18, 0, 7, 0, 35]), np.array([[8], [-27]]) * np.array([1, 1, 5, 1, 0, 1])
    both(lambda lib, x, y: lib.gcd(x, y), (a, b), backend)
    both(lambda lib, x, y: x.lcm(y), (a, b), backend)
    both(lambda lib, x, y: x.clone().gcd_(y[0]), (a, b), backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_windows(backend: str) -> None:
    grid = np.arange(24.0).reshape(2, 3, 4) ** 1.5
    both(lambda lib, x: x.unfold(2, 2, 1), grid, backend)
    both(lambda lib, x: x.unfold(-2, 2, 2), grid, backend)
    both(lambda lib, x: lib.as_strided(x, (3, 3), (2, 1), 1), grid, backend)  # overlapping
    both(lambda lib, x: x.as_strided((2, 2), (1, 4)), grid, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_real_complex_views(backend: str) -> None:
    pairs = np.arange(12.0).reshape(3, 2, 2) - 4
    both(lambda lib, x: lib.view_as_real(lib.view_as_complex(x) ** 2), pairs, backend)
    both(lambda lib, x: lib.view_as_complex(x).abs(), pairs, backend)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda lib: lib.tensor([1, -1]).bincount(), "non-negative integral"),
        (lambda lib: lib.tensor([1.0]).histc(bins=0), "bins must be > 0"),
        (lambda lib: lib.ones(3).unfold(0, 4, 1), "maximum size for tensor at dimension 0"),
        (lambda lib: lib.view_as_complex(lib.ones(3)), "last dimension of size 2"),
        (lambda lib: lib.view_as_real(lib.ones(3)), "only supported for complex tensors"),
        (lambda lib: lib.ones(3).as_strided((2,), (3,)), "out of bounds for storage"),
    ],
)
def test_errors_as_torch(call, message) -> None:
    for lib in (torch, pg):
        with pytest.raises(RuntimeError, match=message):
            call(lib)
