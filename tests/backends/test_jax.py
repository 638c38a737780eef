"""JAX: polygrad's engine traced by ``jax.jit`` and ``jax.vmap`` (checked against ``jax.grad``),
invisible immutability, and the 32-bit default mode (``jax_enable_x64`` off)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import polygrad as pg
from polygrad import array_api

jax = pytest.importorskip("jax")
jnp = jax.numpy

X = np.random.default_rng(0).standard_normal((3, 4))
W = np.random.default_rng(1).standard_normal((4, 2))


def f_pg(x: Any) -> Any:
    """The tour's function and friends: broadcasting, matmul, repeated-index gather, where."""
    w = pg.as_tensor(jnp.asarray(W, dtype=x._data.dtype))
    h = pg.tanh((x**2 * pg.exp(x)) @ w) + x[pg.tensor([0, 0, 2], backend="jax")].sum(0)[:2]
    h = array_api.where(h > 0, h, 0.1 * h)
    return (pg.sigmoid(h) * h).mean() + array_api.softmax(x, axis=1).max()


def f_jax(x: Any) -> Any:
    w = jnp.asarray(W, dtype=x.dtype)
    h = jnp.tanh((x**2 * jnp.exp(x)) @ w) + x[jnp.asarray([0, 0, 2])].sum(0)[:2]
    h = jnp.where(h > 0, h, 0.1 * h)
    return (jax.nn.sigmoid(h) * h).mean() + jax.nn.softmax(x, axis=1).max()


def grad_pg(x_raw: Any) -> Any:
    """Raw array in, raw gradient out: what ``pg.grad(f)`` does, spelled with autograd.grad."""
    x = pg.as_tensor(x_raw).requires_grad_()
    (g,) = pg.autograd.grad(f_pg(x), x)
    return g._data


def second_pg(x_raw: Any) -> Any:
    """Gradient of the gradient's sum (create_graph through the engine, under the tracer)."""
    x = pg.as_tensor(x_raw).requires_grad_()
    (g,) = pg.autograd.grad(f_pg(x), x, create_graph=True)
    (gg,) = pg.autograd.grad(g.sum(), x)
    return gg._data


def test_eager_matches_jax_grad() -> None:
    x = jnp.asarray(X)
    np.testing.assert_allclose(grad_pg(x), jax.grad(f_jax)(x), rtol=1e-10, atol=1e-12)


def test_jit_of_polygrad_grad() -> None:
    x = jnp.asarray(X)
    compiled = jax.jit(grad_pg)
    np.testing.assert_allclose(compiled(x), jax.grad(f_jax)(x), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(compiled(x + 1), jax.grad(f_jax)(x + 1), rtol=1e-10, atol=1e-12)


def test_vmap_and_jit_vmap_of_polygrad_grad() -> None:
    xs = jnp.asarray(np.random.default_rng(2).standard_normal((5, 3, 4)))
    expected = jax.vmap(jax.grad(f_jax))(xs)
    np.testing.assert_allclose(jax.vmap(grad_pg)(xs), expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(jax.jit(jax.vmap(grad_pg))(xs), expected, rtol=1e-10, atol=1e-12)


def test_jit_second_order() -> None:
    x = jnp.asarray(X)
    expected = jax.grad(lambda v: jax.grad(f_jax)(v).sum())(x)
    np.testing.assert_allclose(jax.jit(second_pg)(x), expected, rtol=1e-9, atol=1e-12)


def test_functional_grad_under_jit() -> None:
    if not hasattr(pg, "grad"):
        pytest.skip("pg.grad (functional API) is not written yet")
    x = jnp.asarray(X)
    np.testing.assert_allclose(jax.jit(pg.grad(f_pg))(x), jax.grad(f_jax)(x), rtol=1e-10)
    np.testing.assert_allclose(
        jax.vmap(pg.grad(f_pg))(jnp.stack([x, x * 2])),
        jax.vmap(jax.grad(f_jax))(jnp.stack([x, x * 2])),
        rtol=1e-10,
    )


def test_random_numbers_under_jit_do_not_leak_tracers() -> None:
    def noisy(x_raw: Any) -> Any:
        return (pg.as_tensor(x_raw) + pg.rand(3, backend="jax", dtype=pg.float64))._data

    out = jax.jit(noisy)(jnp.zeros(3))
    assert ((np.asarray(out) >= 0) & (np.asarray(out) < 1)).all()
    assert pg.rand(2, backend="jax").shape == (2,)  # the stored key is still concrete


def test_inplace_ops_under_jit() -> None:
    def program(x_raw: Any, v_raw: Any) -> Any:
        x = pg.as_tensor(x_raw).requires_grad_()
        y = pg.zeros(3, 4, backend="jax", dtype=x.dtype)
        y.fill_(pg.as_tensor(v_raw))  # a tensor fill value must not be read with .item()
        y[1] = x[0] * 2
        y.mul_(x)
        (g,) = pg.autograd.grad(y.sum(), x)
        return g._data

    x, v = jnp.asarray(X), jnp.asarray(3.0)
    expected = np.full((3, 4), 3.0)
    expected[1] = 0.0
    expected[0] += 2 * X[1]
    expected[1] += 2 * X[0]
    np.testing.assert_allclose(jax.jit(program)(x, v), expected, rtol=1e-12)
    np.testing.assert_allclose(program(x, v), expected, rtol=1e-12)


def test_inplace_and_setitem_rebind_and_aliases_follow() -> None:
    x = pg.tensor(jnp.asarray(X), requires_grad=True)
    y = x * 1
    alias, data = y.detach(), y.data
    y.mul_(2)
    y[0, 1] = 10.0
    y[pg.tensor([2, 2], backend="jax"), pg.tensor([0, 3], backend="jax")] = pg.tensor(
        jnp.asarray([-1.0, -2.0])
    )
    expected = 2 * X
    expected[0, 1], expected[2, 0], expected[2, 3] = 10.0, -1.0, -2.0
    for t in (y, alias, data):
        np.testing.assert_allclose(np.asarray(t._data), expected)
    assert alias._version == y._version == 3 and data._version == 0
    y.sum().backward()
    grad = np.full((3, 4), 2.0)
    grad[0, 1] = grad[2, 0] = grad[2, 3] = 0.0
    np.testing.assert_allclose(np.asarray(x.grad._data), grad)


@pytest.fixture
def x32() -> Any:
    """JAX's default mode: 64-bit types off (the test suite turns them on in conftest)."""
    with jax.enable_x64(False):
        yield


def test_32_bit_mode(x32: Any) -> None:
    with pg.backend("jax"):
        x = pg.randn(3, 4, requires_grad=True)
        assert x.dtype == pg.float32 and x._data.dtype == jnp.float32
        assert pg.arange(3).dtype == pg.int32  # int64 requests narrow, like JAX itself
        with pytest.raises(TypeError, match="float64 needs 64-bit JAX.*jax_enable_x64"):
            pg.zeros(2, dtype=pg.float64)
        with pytest.raises(TypeError, match="64-bit JAX"):
            x.double()
        x32_np = np.asarray(x._data)
        (g,) = pg.autograd.grad((x**2 * pg.exp(x)).sum(), x)
    np.testing.assert_allclose(
        np.asarray(g._data), (2 * x32_np + x32_np**2) * np.exp(x32_np), rtol=1e-5
    )
    assert g._data.dtype == jnp.float32
    compiled = jax.jit(grad_pg)(jnp.asarray(X, dtype=jnp.float32))
    np.testing.assert_allclose(
        compiled, jax.grad(f_jax)(jnp.asarray(X, dtype=jnp.float32)), rtol=1e-5, atol=1e-6
    )


def test_device_spellings() -> None:
    cpu = jax.devices("cpu")[0]
    assert pg.zeros(2, backend="jax", device="cpu").device == cpu
    assert pg.zeros(2, backend="jax", device=cpu).device == cpu
    if not any(d.platform == "gpu" for d in jax.devices()):
        with pytest.raises(RuntimeError, match="JAX has no device 'cuda:1'"):
            pg.zeros(2, backend="jax", device="cuda:1")
