"""torch.special's Bessel, Airy and orthogonal-polynomial functions, ``zeta`` and
``multigammaln`` (``mvlgamma``) against torch (float64) on every backend: values over
grids that cross each algorithm's branch points, and gradients where torch has them
(none for the Bessel and polynomial functions: their results never require grad)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import to_np

import polygrad as pg
import polygrad.special as ps

torch = pytest.importorskip("torch")

POLYNOMIALS = """chebyshev_polynomial_t chebyshev_polynomial_u chebyshev_polynomial_v
chebyshev_polynomial_w shifted_chebyshev_polynomial_t shifted_chebyshev_polynomial_u
shifted_chebyshev_polynomial_v shifted_chebyshev_polynomial_w hermite_polynomial_h
hermite_polynomial_he laguerre_polynomial_l legendre_polynomial_p""".split()
UNARY = """bessel_j0 bessel_j1 bessel_y0 bessel_y1 modified_bessel_i0 modified_bessel_i1
modified_bessel_k0 modified_bessel_k1 scaled_modified_bessel_k0 scaled_modified_bessel_k1
spherical_bessel_j0 airy_ai""".split()
#: The interval ends, 0, the middle of [0, 1], points near J0's and J1's zeros, both sides
#: of the Bessel functions' switch at 5 and 8, far points, and negatives
POINTS = np.array(
    [-1.0, 0.0, 1.0, 0.5, 0.25, -0.3, 0.999, 1e-6, 2.404825, 3.831706, 4.99, 5.0, 5.01]
    + [5.42152807, 5.57605945, 7.9, 8.1, 12.5, 30.0, -2.0, -5.5, -9.0, 1.7]
)


def _close(got: pg.Tensor, want: torch.Tensor) -> None:
    np.testing.assert_allclose(to_np(got), want.numpy(), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", POLYNOMIALS)
def test_polynomials_match_torch(backend: str, name: str) -> None:
    x = np.concatenate([POINTS[:10], -POINTS[:10]])[:, None]
    n = np.array([-2.0, 0.0, 1.0, 2.0, 3.6, 7.0, 9.0, 12.0])[None, :]
    want = getattr(torch.special, name)(torch.from_numpy(x), torch.from_numpy(n))
    got = getattr(ps, name)(pg.tensor(x, backend=backend), pg.tensor(n, backend=backend))
    assert got.dtype == pg.float64
    _close(got, want)


@pytest.mark.parametrize("backend", BACKENDS)
def test_polynomials_take_a_number_and_give_no_gradient(backend: str) -> None:
    x = pg.tensor([0.2, 0.7], dtype=pg.float64, backend=backend, requires_grad=True)
    got = ps.legendre_polynomial_p(x, 4)
    want = torch.special.legendre_polynomial_p(torch.tensor([0.2, 0.7], dtype=torch.float64), 4)
    _close(got, want)
    assert not got.requires_grad and got.grad_fn is None
    ints = ps.chebyshev_polynomial_t(pg.tensor([1, 2], backend=backend), 3)
    assert ints.dtype == pg.float32  # integers compute in the default float, as torch's


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", UNARY)
def test_bessel_and_airy_match_torch(backend: str, name: str) -> None:
    x = pg.tensor(POINTS, backend=backend, requires_grad=True)
    got = getattr(ps, name)(x)
    _close(got, getattr(torch.special, name)(torch.from_numpy(POINTS)))
    assert not got.requires_grad  # torch defines no derivative for these


@pytest.mark.parametrize("backend", BACKENDS)
def test_zeta_differentiates_in_q_only(backend: str) -> None:
    xs, qs = np.array([2.0, 3.5, 1.5]), np.array([1.0, 0.5, 4.0])
    tx, tq = torch.tensor(xs), torch.tensor(qs, requires_grad=True)
    x, q = pg.tensor(xs, backend=backend), pg.tensor(qs, backend=backend, requires_grad=True)
    got, want = ps.zeta(x, q), torch.special.zeta(tx, tq)
    _close(got, want.detach())
    assert type(got.grad_fn).__name__ == "SpecialZetaBackward0"
    _close(pg.autograd.grad(got.sum(), q)[0], torch.autograd.grad(want.sum(), tq)[0])
    assert type(ps.zeta(2.0, q).grad_fn).__name__ == "SpecialZetaBackward1"
    x.requires_grad_()
    with pytest.raises(NotImplementedError, match="the derivative for 'zeta' is not implemented"):
        ps.zeta(x, 2.0).sum().backward()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("p", [1, 3])
def test_mvlgamma_matches_torch(backend: str, p: int) -> None:
    values = np.array([[1.7, 2.5], [4.0, 3.1]])
    tx = torch.tensor(values, requires_grad=True)
    x = pg.tensor(values, backend=backend, requires_grad=True)
    got, want = pg.mvlgamma(x, p), torch.mvlgamma(tx, p)
    _close(got, want.detach())
    _close(pg.autograd.grad(got.sum(), x)[0], torch.autograd.grad(want.sum(), tx)[0])
    _close(ps.multigammaln(x, p), want.detach())
    with pytest.raises(RuntimeError, match="p has to be greater than or equal to 1"):
        x.mvlgamma(0)
