"""The functional APIs on every backend, against torch.func, torch.autograd.functional and JAX.

``pg.grad``/``value_and_grad``/``vjp``/``jvp``/``jacrev``/``jacfwd``/``hessian``/``hvp``
(JAX-style, pytrees) and ``pg.autograd.functional`` (torch's signatures): values,
raw-in/raw-out array types, nesting, ``jax.jit``/``jax.vmap`` tracing, and errors.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import assert_close, to_np, torch, torch_from

import polygrad as pg
from polygrad.autograd import functional as AF

TF = torch.autograd.functional
rng = np.random.default_rng(0)
X = rng.uniform(-1, 1, (3,))
W = rng.uniform(-1, 1, (3, 2))
V = rng.uniform(-1, 1, (3,))


def raw(values: np.ndarray, backend: str) -> Any:
    """The backend's own float64 array holding ``values``."""
    return pg.tensor(values, dtype=pg.float64, backend=backend)._data


def f(x: Any, w: Any) -> Any:
    """Scalar function of both arguments: matmul, indexing, elementwise, reductions."""
    if not hasattr(w, "mean"):  # a closed-over array-api-strict array: no torch-style methods
        w = pg.as_tensor(w)
    return ((x @ w).sin() * x[0]).sum() + (w**2).mean() / 3 + (x.exp() * x).sum()


def g(x: Any) -> Any:
    """Vector function: (3,) -> (2, 3)."""
    return (x.reshape(3, 1) * x.tanh()).sin()[:2]


def t(values: np.ndarray) -> Any:
    return torch_from(values)


def check_kind(result: Any, backend: str) -> None:
    """Raw in, raw out: results are the backend's own arrays."""
    assert not isinstance(result, pg.Tensor)
    assert pg.tensor(result).backend == backend


# -- JAX-style API ---------------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_grad_and_value_and_grad(backend: str) -> None:
    x, w = raw(X, backend), raw(W, backend)
    gx = pg.grad(f)(x, w)
    check_kind(gx, backend)
    expected = torch.func.grad(f, argnums=(0, 1))(t(X), t(W))
    assert_close(gx, expected[0])
    (value, aux), (gx, gw) = pg.value_and_grad(
        lambda x, w: (f(x, w), x * 2), argnums=(0, 1), has_aux=True
    )(x, w)
    check_kind(gw, backend)
    check_kind(aux, backend)
    assert_close(value, f(t(X), t(W)))
    assert_close(gw, expected[1])
    assert_close(aux, 2 * X)
    found, aux = pg.grad(lambda x: (f(x, w), 7), has_aux=True)(x)
    assert aux == 7
    assert_close(found, expected[0])


@pytest.mark.parametrize("backend", BACKENDS)
def test_vjp_and_jvp(backend: str) -> None:
    x, v = raw(X, backend), raw(V, backend)
    out, f_vjp = pg.vjp(g, x)
    cot = rng.uniform(-1, 1, (2, 3))
    (ct,) = f_vjp(raw(cot, backend))
    check_kind(ct, backend)
    t_out, t_vjp = torch.func.vjp(g, t(X))
    assert_close(out, t_out)
    assert_close(ct, t_vjp(t(cot))[0])
    out, tangent = pg.jvp(g, (x,), (v,))
    check_kind(tangent, backend)
    expected = torch.func.jvp(g, (t(X),), (t(V),))
    assert_close(out, expected[0])
    assert_close(tangent, expected[1])


@pytest.mark.parametrize("backend", BACKENDS)
def test_jacobians_and_hessians(backend: str) -> None:
    x, w, v = raw(X, backend), raw(W, backend), raw(V, backend)
    expected = torch.func.jacrev(g)(t(X))
    for jac in (pg.jacrev(g)(x), pg.jacfwd(g)(x), pg.jacobian(g)(x)):
        check_kind(jac, backend)
        assert_close(jac, expected)
    both = pg.jacrev(lambda x, w: (x @ w).tanh(), argnums=(0, 1))(x, w)
    t_both = torch.func.jacrev(lambda x, w: (x @ w).tanh(), argnums=(0, 1))(t(X), t(W))
    assert_close(both[0], t_both[0])
    assert_close(both[1], t_both[1])
    hess = pg.hessian(f)(x, w)
    check_kind(hess, backend)
    assert_close(hess, torch.func.hessian(f)(t(X), t(W)))
    (hvp,) = pg.hvp(lambda x: f(x, w), (x,), (v,))
    assert_close(hvp, TF.hvp(lambda x: f(x, t(W)), t(X), t(V))[1])


def test_pytrees_match_jax() -> None:
    jax = pytest.importorskip("jax")
    jnp = jax.numpy

    def loss(params: Any, data: Any) -> Any:
        h = (
            (data["x"] @ params["w"] + params["b"][0]).tanh()
            if hasattr(data["x"], "tanh")
            else jnp.tanh(data["x"] @ params["w"] + params["b"][0])
        )
        return (h * h).sum() * params["b"][1]

    params = {"w": W, "b": [np.array(0.3), np.array(1.5)]}
    data = {"x": rng.uniform(-1, 1, (4, 3))}
    found = pg.grad(loss)(params, data)
    to_jax = lambda tree: jax.tree_util.tree_map(jnp.asarray, tree)  # noqa: E731
    expected = jax.grad(loss)(to_jax(params), to_jax(data))
    assert isinstance(found["w"], np.ndarray) and isinstance(found["b"], list)
    assert_close(found["w"], np.asarray(expected["w"]))
    for a, e in zip(found["b"], expected["b"]):
        assert_close(a, np.asarray(e))
    jac = pg.jacrev(lambda d: {"o": d["x"].sin(), "s": d["x"].sum()})(data)
    jac_j = jax.jacrev(lambda d: {"o": jnp.sin(d["x"]), "s": d["x"].sum()})(to_jax(data))
    assert_close(jac["o"]["x"], np.asarray(jac_j["o"]["x"]))
    assert_close(jac["s"]["x"], np.asarray(jac_j["s"]["x"]))


def test_tensors_in_tensors_out_and_differentiable() -> None:
    x = pg.tensor(X, dtype=pg.float64, requires_grad=True)
    gx = pg.grad(lambda x: (x**3).sum())(x)
    assert isinstance(gx, pg.Tensor) and gx.requires_grad
    (second,) = pg.autograd.grad(gx.sum(), x)
    assert_close(second, 6 * X)


def test_nesting_and_no_perturbation_confusion() -> None:
    assert_close(pg.grad(pg.grad(pg.grad(lambda x: x**4)))(2.0), np.array(48.0))
    # d/dx [x * d/dy (x * y)] = d/dx x**2 = 2x, as in JAX (not 4x)
    found = pg.grad(lambda x: x * pg.grad(lambda y: x * y)(x))(3.0)
    assert_close(found, np.array(6.0))
    assert_close(pg.jacfwd(pg.jacfwd(g))(X), torch.func.jacfwd(torch.func.jacfwd(g))(t(X)))
    assert_close(pg.jacrev(pg.jacfwd(g))(X), torch.func.jacrev(torch.func.jacfwd(g))(t(X)))
    # reverse over forward
    found = pg.grad(lambda x: pg.jvp(g, (x,), (V,))[1].sum())(X)
    tv = t(V)
    assert_close(found, torch.func.grad(lambda x: torch.func.jvp(g, (x,), (tv,))[1].sum())(t(X)))


def test_jax_jit_and_vmap_trace_polygrad_transforms() -> None:
    jax = pytest.importorskip("jax")
    jnp = jax.numpy
    w = pg.tensor(W, backend="jax", dtype=pg.float64)

    def loss(x: Any) -> Any:
        return f(x, w)

    def loss_jax(x: Any) -> Any:
        wj = jnp.asarray(W)
        return (jnp.sin(x @ wj) * x[0]).sum() + (wj**2).mean() / 3 + (jnp.exp(x) * x).sum()

    x = jnp.asarray(X)
    assert_close(np.asarray(jax.jit(pg.grad(loss))(x)), np.asarray(jax.grad(loss_jax)(x)))
    batch = jnp.asarray(rng.uniform(-1, 1, (5, 3)))
    assert_close(
        np.asarray(jax.vmap(pg.grad(loss))(batch)), np.asarray(jax.vmap(jax.grad(loss_jax))(batch))
    )
    assert_close(np.asarray(jax.jit(pg.hessian(loss))(x)), np.asarray(jax.hessian(loss_jax)(x)))
    assert_close(np.asarray(jax.jit(pg.jacfwd(g))(x)), to_np(torch.func.jacfwd(g)(t(X))))


def test_jax_style_errors() -> None:
    with pytest.raises(
        TypeError,
        match=r"Gradient only defined for scalar-output functions\. Output had shape: \(3,\)\.",
    ):
        pg.grad(lambda x: x * 2)(X)
    with pytest.raises(
        TypeError,
        match="requires at least 3 positional arguments to be passed by the caller, but got only 1",
    ):
        pg.grad(lambda x: x.sum(), argnums=2)(X)
    with pytest.raises(TypeError, match="floating point or complex inputs"):
        pg.grad(lambda x: x.sum())(np.arange(3))
    with pytest.raises(
        TypeError, match="expected function with aux output to return a two-element tuple"
    ):
        pg.grad(lambda x: x.sum(), has_aux=True)(X)
    with pytest.raises(TypeError, match="must be tuples or lists; found ndarray and ndarray"):
        pg.jvp(g, X, V)
    with pytest.raises(
        ValueError,
        match=r"jvp called with different primal and tangent shapes;Got primal shape \(3,\) and tangent shape as \(2,\)",
    ):
        pg.jvp(g, (X,), (V[:2],))


# -- torch.autograd.functional ----------------------------------------------------------------


def _torch_like(values: Any) -> Any:
    if isinstance(values, tuple):
        return tuple(_torch_like(v) for v in values)
    return t(values)


def _same(found: Any, expected: Any) -> None:
    if isinstance(expected, (tuple, list)):
        assert type(found) is type(expected) and len(found) == len(expected)
        for a, e in zip(found, expected):
            _same(a, e)
    else:
        assert_close(found, expected)


def fn1(x: Any) -> Any:
    return x**2 + x.sum()


def fn2(x: Any, y: Any) -> tuple[Any, Any]:
    return x * y.exp(), (x + y).sum()


def scalar2(x: Any, y: Any) -> Any:
    return (x * y.sin() + x**3).sum()


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "name,func,inputs,kwargs",
    [
        ("jacobian", fn1, (X,), {}),
        ("jacobian", fn2, (X, V), {}),
        ("jacobian", fn1, (X,), {"strategy": "forward-mode", "vectorize": True}),
        ("jacobian", fn2, (X, V), {"strategy": "forward-mode", "vectorize": True}),
        ("hessian", lambda x: (x**3).sum() * x[0], (X,), {}),
        ("hessian", scalar2, (X, V), {}),
        (
            "hessian",
            scalar2,
            (X, V),
            {"outer_jacobian_strategy": "forward-mode", "vectorize": True},
        ),
        ("vjp", fn1, (X,), {"v": V}),
        ("vjp", fn2, (X, V), {"v": (W[:, 0], np.array(2.0))}),
        ("jvp", fn1, (X,), {"v": V}),
        ("jvp", fn2, (X, V), {"v": (V, X)}),
        ("hvp", scalar2, (X, V), {"v": (V, X)}),
        ("vhp", scalar2, (X, V), {"v": (V, X)}),
    ],
)
def test_autograd_functional_matches_torch(
    backend: str, name: str, func: Any, inputs: Any, kwargs: dict[str, Any]
) -> None:
    single = len(inputs) == 1
    pg_inputs = raw(inputs[0], backend) if single else tuple(raw(i, backend) for i in inputs)
    t_inputs = t(inputs[0]) if single else tuple(t(i) for i in inputs)
    pg_kwargs, t_kwargs = dict(kwargs), dict(kwargs)
    if "v" in kwargs:
        v = kwargs["v"]
        pg_kwargs["v"] = (
            tuple(raw(e, backend) for e in v) if isinstance(v, tuple) else raw(v, backend)
        )
        t_kwargs["v"] = _torch_like(v)
    found = getattr(AF, name)(func, pg_inputs, **pg_kwargs)
    expected = getattr(TF, name)(func, t_inputs, **t_kwargs)
    _same(found, expected)
    first = found
    while isinstance(first, (tuple, list)):
        first = first[0]
    check_kind(first, backend)


def test_autograd_functional_create_graph_and_tensors() -> None:
    x = pg.tensor(X, dtype=pg.float64, requires_grad=True)
    jac = AF.jacobian(fn1, x)
    assert isinstance(jac, pg.Tensor) and not jac.requires_grad
    jac = AF.jacobian(fn1, x, create_graph=True)
    assert jac.requires_grad
    (g_pg,) = pg.autograd.grad(jac.sum(), x)
    xt = t(X).requires_grad_()
    (g_t,) = torch.autograd.grad(TF.jacobian(fn1, xt, create_graph=True).sum(), xt)
    assert_close(g_pg, g_t)
    _, hv = AF.hvp(lambda x: (x**3).sum(), x, pg.tensor(V), create_graph=True)
    assert hv.requires_grad
    assert x.grad is None  # the transforms never accumulate into .grad


@pytest.mark.parametrize(
    "call",
    [
        lambda F, x: F.jacobian(
            lambda x: (
                pg.ones(3, dtype=pg.float64) if F is AF else torch.ones(3, dtype=torch.float64)
            ),
            x,
            strict=True,
        ),
        lambda F, x: F.jacobian(lambda x, y: x * 2, (x, x), strict=True),
        lambda F, x: F.jacobian(lambda x: x**2, x, strategy="forward-mode"),
        lambda F, x: F.jacobian(lambda x: x**2, x, strategy="foo"),
        lambda F, x: F.jacobian(
            lambda x: x**2, x, strategy="forward-mode", vectorize=True, create_graph=True
        ),
        lambda F, x: F.jacobian(lambda x: x**2, x, strict=True, vectorize=True),
        lambda F, x: F.jacobian(lambda x: x**2, [1.0, 2.0]),
        lambda F, x: F.jacobian(lambda x: 3.0, x),
        lambda F, x: F.jacobian(lambda x: (x, 3), x),
        lambda F, x: F.hessian(lambda x: x**3, x),
        lambda F, x: F.hessian(lambda x: x.sum(), x, strict=True),
        lambda F, x: F.vjp(lambda x: x**2, x),
        lambda F, x: F.vjp(lambda x: x**2, x, x[:2]),
        lambda F, x: F.vjp(lambda x: x**2, x, (x, x)),
        lambda F, x: F.jvp(lambda x: x**2, x),
        lambda F, x: F.hvp(lambda x: x**3, x, x),
        lambda F, x: F.hvp(lambda x: (x**3).sum(), x),
        lambda F, x: F.hvp(lambda x: x.sum(), x, x, strict=True),
        lambda F, x: F.vhp(lambda x: x.sum(), x, x, strict=True),
        lambda F, x: F.jvp(lambda x: x.detach() * 2, x, x, strict=True),
        lambda F, x: F.vjp(lambda x: x.detach() * 2, x, x, strict=True),
    ],
)
def test_autograd_functional_errors_match_torch(call: Any) -> None:
    with pytest.raises(Exception) as expected:
        call(TF, t(X))
    with pytest.raises(type(expected.value)) as found:
        call(AF, pg.tensor(X, dtype=pg.float64))
    assert str(found.value).replace("polygrad", "torch") == str(expected.value)
