"""The regularized incomplete gamma functions (torch's ``igamma``/``igammac``,
``pg.special.gammainc``/``gammaincc``) and ``polygamma``/``digamma`` at negative and
pole arguments, against torch (float64) on every backend."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import to_np

import polygrad as pg
import polygrad.special as ps

torch = pytest.importorskip("torch")

A = np.array([[0.5], [1.0], [2.5], [7.0]])
X = np.array([[0.1, 0.9, 2.0, 6.5, 30.0]])


def _close(got: pg.Tensor, want: torch.Tensor) -> None:
    np.testing.assert_allclose(to_np(got), want.detach().numpy(), rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["igamma", "igammac"])
def test_incomplete_gamma_differentiates_in_x_only(backend: str, name: str) -> None:
    ta, tx = torch.tensor(A), torch.tensor(X, requires_grad=True)
    a, x = pg.tensor(A, backend=backend), pg.tensor(X, backend=backend, requires_grad=True)
    want = getattr(torch, name)(ta, tx)
    got = getattr(pg, name)(a, x)
    _close(got, want)
    assert type(got.grad_fn).__name__ == type(want.grad_fn).__name__
    _close(getattr(a, name)(x), want)
    special = ps.gammainc if name == "igamma" else ps.gammaincc
    _close(special(a, x), want)
    cotangent = np.random.default_rng(0).standard_normal(want.shape)
    (g,) = pg.autograd.grad(got, x, pg.tensor(cotangent, backend=backend))
    (w,) = torch.autograd.grad(want, tx, torch.from_numpy(cotangent))
    _close(g, w)
    copy = pg.tensor(np.broadcast_to(A, want.shape).copy(), backend=backend)
    assert getattr(copy, name + "_")(x) is copy
    _close(copy, want)
    a.requires_grad_()
    with pytest.raises(NotImplementedError, match=f"the derivative for '{name}: input'"):
        getattr(pg, name)(a, x).sum().backward()


@pytest.mark.parametrize("name", ["igamma", "igammac"])
def test_incomplete_gamma_refuses_what_torch_refuses(name: str) -> None:
    a = pg.tensor([1.0, 2.0], dtype=pg.float64)
    with pytest.raises(TypeError, match=f"{name}\\(\\): argument 'other' .* must be Tensor"):
        getattr(a, name)(2.0)
    ints = pg.tensor([1, 2])
    with pytest.raises(NotImplementedError, match=f"\"{name}_cpu\" not implemented for 'Long'"):
        getattr(pg, name)(ints, ints)


NEGATIVE = np.array([-8.3157, -0.6047, -4.827, -100.3, -1e-3, -20.5, 0.3, 7.4, -3.0, 0.0, -0.0])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 4, 6])
def test_polygamma_at_negative_arguments_and_poles(backend: str, n: int) -> None:
    """JAX's own polygamma is 0.16 off at x = -8.3 (its zeta series starts at x + 9);
    polygrad reflects there. Poles give torch's values (+-inf, trigamma's huge finite).
    ``atol``: at x = -20.5, n = 6 torch's (and SciPy's) series loses digits to
    cancellation (-1.3936369e-06; the value is -1.3936279e-06, which the reflection gives)."""
    tx = torch.tensor(NEGATIVE)
    want = torch.polygamma(n, tx)
    x = pg.tensor(NEGATIVE, backend=backend)
    for got in (pg.polygamma(n, x), x.polygamma(n), ps.polygamma(n, x)):
        np.testing.assert_allclose(to_np(got)[:-3], want.numpy()[:-3], rtol=1e-9, atol=1e-10)
        if backend in ("jax", "torch"):  # SciPy's poles are inf where torch's trigamma is finite
            np.testing.assert_allclose(to_np(got)[-3:], want.numpy()[-3:], rtol=1e-6)


@pytest.mark.parametrize("backend", BACKENDS)
def test_digamma_gradient_at_negative_arguments(backend: str) -> None:
    values = NEGATIVE[:6]
    tx = torch.tensor(values, requires_grad=True)
    x = pg.tensor(values, backend=backend, requires_grad=True)
    (g,) = pg.autograd.grad(x.digamma().sum(), x)
    (w,) = torch.autograd.grad(tx.digamma().sum(), tx)
    np.testing.assert_allclose(to_np(g), w.numpy(), rtol=1e-9)
