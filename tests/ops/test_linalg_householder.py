"""``geqrf``, ``linalg.householder_product`` and ``ormqr`` against torch on every backend:
LAPACK's packed ``(a, tau)``, the products' values and first- and second-order gradients
(real and complex, tall, square and batched), and torch's shape errors."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, torch
from conftest import BACKENDS

import polygrad as pg

rng = np.random.default_rng(5)


def data(*shape: int, complex_: bool = False) -> np.ndarray:
    values = rng.standard_normal(shape)
    return values + 1j * rng.standard_normal(shape) if complex_ else values


SHAPES = [(5, 5), (5, 2), (2, 5), (2, 4, 3), (3, 0)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("complex_", [False, True])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_geqrf_is_lapacks(shape, complex_, backend):
    a = data(*shape, complex_=complex_)
    if shape == (5, 5):
        a[..., 1:, 0] = 0  # a column needing no reflection
    want = torch.geqrf(torch.tensor(a))
    got = pg.geqrf(pg_tensor(a, backend))
    assert type(got).__name__ == "geqrf" and got.a.requires_grad is False
    for g, w in zip(got, want):
        assert g.dtype == getattr(pg, str(w.dtype).removeprefix("torch."))
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(pg_tensor(a, backend).geqrf().tau.numpy(), want.tau.numpy())


def packed(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    result = torch.geqrf(torch.tensor(a))
    return result.a.numpy(), result.tau.numpy()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("shape", [(4, 4), (5, 3), (2, 4, 2)], ids=str)
@pytest.mark.parametrize("complex_", [False, True])
def test_householder_product(shape, complex_, backend):
    a, tau = packed(data(*shape, complex_=complex_))
    got = pg.linalg.householder_product(pg_tensor(a, backend, True), pg_tensor(tau, backend))
    check(
        pg.linalg.householder_product,
        torch.linalg.householder_product,
        [a, tau],
        backend,
        names=[got.grad_fn.name()],
        rtol=1e-8,
        atol=1e-9,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("left", "transpose"), [(True, False), (True, True), (False, False), (False, True)]
)
@pytest.mark.parametrize("complex_", [False, True])
def test_ormqr(left, transpose, complex_, backend):
    a, tau = packed(data(4, 3, complex_=complex_))
    other = data(4, 2, complex_=complex_) if left else data(2, 4, complex_=complex_)
    got = pg.ormqr(
        pg_tensor(a, backend, True),
        pg_tensor(tau, backend),
        pg_tensor(other, backend),
        left,
        transpose,
    )
    check(
        lambda x, t, c: x.ormqr(t, c, left, transpose),
        lambda x, t, c: torch.ormqr(x, t, c, left, transpose),
        [a, tau, other],
        backend,
        names=[got.grad_fn.name()],
        rtol=1e-8,
        atol=1e-9,
        second_order=False,
    )


ERRORS = [
    (lambda: pg.geqrf(pg.ones(3)), "torch.geqrf: input must have at least 2 dimensions."),
    (
        lambda: pg.linalg.householder_product(pg.ones(3, 4), pg.ones(2)),
        r"input.shape\[-2\] must be greater than or equal to input.shape\[-1\]",
    ),
    (
        lambda: pg.linalg.householder_product(pg.ones(4, 3), pg.ones(4)),
        r"input.shape\[-1\] must be greater than or equal to tau.shape\[-1\]",
    ),
    (
        lambda: pg.linalg.householder_product(pg.ones(2, 4, 3), pg.ones(3, 3)),
        r"Expected batch dimensions of tau to be equal to input.shape\[:-2\], but got \[3\]",
    ),
    (
        lambda: pg.ormqr(pg.ones(4, 3), pg.ones(4), pg.ones(4, 3)),
        r"tau.shape\[-1\] must be equal to min\(other.shape\[-2\], input.shape\[-1\]\)",
    ),
    (
        lambda: pg.ormqr(pg.ones(4, 3), pg.ones(3), pg.ones(5, 3)),
        r"other.shape\[-2\] must be equal to input.shape\[-2\]",
    ),
    (lambda: pg.ormqr(pg.ones(4, 3), pg.ones(3), pg.ones(4)), "other must have at least 2"),
]


@pytest.mark.parametrize(("call", "message"), ERRORS)
def test_errors_are_torchs(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()
