"""torch's in-place shape changes (``t_``, ``transpose_``, ``squeeze_``, ``unsqueeze_``,
``as_strided_``, ``resize_``, ``resize_as_``) and the strided factories and copies
(``as_strided_copy``, ``as_strided_scatter``, ``empty_strided``, ``empty_permuted``,
``new_empty_strided``, ``randint_like``, ``chalf``) against torch on every backend:
shapes, values, versions, views made before, gradients and refusals."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import on_backend, raised, same_as_torch

import polygrad as pg


def _plain(t: Any) -> Any:
    return (tuple(t.shape), np.asarray(t.detach().tolist()).tolist())


def _chain(lib: Any) -> Any:
    """In-place shape changes on a non-leaf, a view of it made before, and the gradient."""
    a = lib.tensor([[[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0]]], dtype=lib.float64, requires_grad=True)
    x = a * 1
    v = x[0]
    seen = [x.squeeze_() is x, _plain(x), x._version, _plain(v)]
    x.t_()
    x.unsqueeze_(0)
    x.transpose_(0, 2)
    seen += [_plain(x), x._version, x.is_leaf]
    weights = lib.arange(6.0, dtype=lib.float64).reshape(tuple(x.shape))
    (x * weights).sum().backward()
    return [*seen, _plain(a.grad)]


def _view_written_after(lib: Any) -> Any:
    """A view taken before ``x.t_()`` keeps its shape; writing into it reaches ``x``."""
    a = lib.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], dtype=lib.float64, requires_grad=True)
    x = a * 1
    v = x[0]
    x.t_()
    v.mul_(10)
    seen = [_plain(x), _plain(v), x._version]
    weights = lib.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=lib.float64)
    (x * weights).sum().backward()
    return [*seen, _plain(a.grad)]


def _view_restrided(lib: Any) -> Any:
    """A view's in-place shape change leaves its base's shape, and writes still reach it."""
    b = lib.arange(6.0, dtype=lib.float64)
    w = b[0:3]
    w.unsqueeze_(0)
    w.mul_(0)
    u = b.reshape(2, 3)[1]
    u.t_()
    return [_plain(b), _plain(w), w._base is b, _plain(u)]


def _refusals(lib: Any) -> Any:
    leaf = lib.zeros(2, 1, dtype=lib.float64, requires_grad=True)
    view = lib.zeros(2, 3, dtype=lib.float64, requires_grad=True)[0:1]
    return [
        raised(lambda: leaf.squeeze_()),
        raised(lambda: view.t_()),
        raised(lambda: (leaf * 1).resize_(2)),
        raised(lambda: lib.zeros(2, 3).t_().t_().transpose_(0, 3)),
    ]


def _resize(lib: Any) -> Any:
    x = lib.arange(6.0, dtype=lib.float64)
    v = x[1:3]
    seen = [_plain(x.resize_(2, 2)), x._version, _plain(v)]
    x.resize_(3, 3)
    seen.append(_plain(x.reshape(-1)[:6]))
    seen.append(_plain(x.resize_(2, 2)))
    y = lib.arange(6.0, dtype=lib.float64)
    seen.append(_plain(y.resize_as_(lib.zeros(3, 2))))
    seen.append(_plain(lib.resize_as_(lib.arange(3.0), lib.zeros(1))))
    z = lib.arange(6.0).reshape(2, 3)
    seen.append(_plain(z[1].resize_(2)))
    return seen


def _as_strided_(lib: Any) -> Any:
    z = lib.arange(9.0, dtype=lib.float64).reshape(3, 3)
    v0 = z[0]
    seen = [_plain(z.as_strided_((2, 2), (1, 2), 1)), _plain(v0), z._version]
    b = lib.arange(10.0, dtype=lib.float64)
    seen.append(_plain(b[5:].as_strided_((2, 2), (1, 2))))
    w = b[5:].as_strided_((2, 2), (1, 2), 0)
    w.add_(100)
    seen.append(_plain(b))
    q = lib.arange(9.0, dtype=lib.float64).requires_grad_()
    q2 = q * 1
    q2.as_strided_((2, 2), (1, 2), 1)
    (q2 * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum().backward()
    seen.append(_plain(q.grad))
    return seen


def _strided_copies(lib: Any) -> Any:
    x = lib.arange(9.0, dtype=lib.float64).reshape(3, 3).requires_grad_()
    copy = lib.as_strided_copy(x, (2, 2), (1, 2), 1)
    src = lib.ones(2, 2, dtype=lib.float64, requires_grad=True)
    scattered = x.as_strided_scatter(src, (2, 2), (1, 2), 2)
    (copy * lib.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=lib.float64)).sum().backward()
    grads = [_plain(x.grad)]
    (g,) = lib.autograd.grad(scattered, [src], lib.arange(9.0, dtype=lib.float64).reshape(3, 3))
    return [_plain(copy), _plain(scattered), *grads, _plain(g)]


def _as_strided_of_a_view(lib: Any) -> Any:
    """``as_strided`` of a view reads the data the view shares, around it too (from the
    view's own offset by default); gradients reach only the view's elements."""
    base = lib.arange(20.0, dtype=lib.float64)
    view = base[5:15].requires_grad_()
    around = view.as_strided((3, 3), (1, 2), 0)
    own = lib.as_strided(view, (2, 2), (3, 1))
    (around * lib.arange(9.0, dtype=lib.float64).reshape(3, 3)).sum().backward()
    grads = [_plain(view.grad)]
    view.grad = None
    own.sum().backward()
    return [_plain(around), _plain(own), *grads, _plain(view.grad)]


SCENARIOS = [_chain, _view_written_after, _view_restrided, _refusals, _resize, _as_strided_]


def _addbmm_grows(lib: Any) -> Any:
    """``x.addbmm_()`` lets an ``x`` of shape (1,) or () take its result's shape (torch's
    quirk; the other in-place ops refuse), recorded with ``x``'s history."""
    b1 = lib.arange(24.0, dtype=lib.float64).reshape(2, 3, 4) / 10
    b2 = lib.arange(16.0, dtype=lib.float64).reshape(2, 4, 2) / 7
    seen = []
    for shape in ((1,), ()):
        a = lib.full(shape, 0.5, dtype=lib.float64, requires_grad=True)
        x = a * 1
        seen += [x.addbmm_(b1, b2, beta=3, alpha=2) is x, _plain(x), x._version]
        (x * lib.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], dtype=lib.float64)).sum().backward()
        seen.append(_plain(a.grad))
    return seen


SCENARIOS += [_as_strided_of_a_view, _addbmm_grows]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("scenario", SCENARIOS + [_strided_copies], ids=lambda f: f.__name__)
def test_as_torch(scenario: Any, backend: str) -> None:
    same_as_torch(scenario, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_as_strided_scatter_grad_of_input_is_zero_where_src_was_written(backend: str) -> None:
    """torch's own gradient for ``input`` fails its gradcheck (op_db expects the failure):
    polygrad's is the finite-difference one."""
    with on_backend(backend):
        x = pg.arange(9.0, dtype=pg.float64).reshape(3, 3).requires_grad_()
        out = pg.as_strided_scatter(x, pg.ones(2, 2, dtype=pg.float64), (2, 2), (1, 2), 1)
        (g,) = pg.autograd.grad(out, [x], pg.arange(9.0, dtype=pg.float64).reshape(3, 3))
    expected = np.arange(9.0)
    expected[[1, 2, 3, 4]] = 0
    np.testing.assert_allclose(np.asarray(g.tolist()), expected.reshape(3, 3))


def _factories(lib: Any) -> Any:
    x = lib.zeros(2, 3, dtype=lib.float64)
    made = [
        lib.empty_strided((2, 3), (1, 2), dtype=lib.float64),
        lib.empty_permuted((2, 3, 4), (2, 0, 1)),
        x.new_empty_strided((4, 1), (1, 1)),
        lib.randint_like(x, 5),
        lib.randint_like(x, 3, 5, dtype=lib.int64),
    ]
    shapes = [(tuple(t.shape), str(t.dtype).split(".")[-1]) for t in made]
    return [
        shapes,
        bool(((made[3] >= 0) & (made[3] < 5)).all()),
        bool(((made[4] >= 3) & (made[4] < 5)).all()),
        raised(lambda: lib.empty_strided((2, 3), (1,))),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_factories(backend: str) -> None:
    same_as_torch(_factories, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_chalf(backend: str) -> None:
    with on_backend(backend):
        x = pg.tensor([1.0, 2.0])
        if backend == "torch":
            assert x.chalf().dtype == pg.complex32
            assert x.chalf().cfloat().tolist() == [1 + 0j, 2 + 0j]
        else:
            with pytest.raises(TypeError, match="complex32"):
                x.chalf()
