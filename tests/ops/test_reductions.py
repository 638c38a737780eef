"""Reductions against torch.autograd (float64): values, node names, first- and
second-order gradients, on NumPy and array-api-strict."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from conftest import STANDARD_BACKENDS

import polygrad as pg
from polygrad import array_api

torch = pytest.importorskip("torch")


def make(data: np.ndarray, backend: str, requires_grad: bool = True) -> pg.Tensor:
    data = np.asarray(data, dtype=np.float64)
    if backend == "array_api_strict":
        import array_api_strict as strict

        data = strict.asarray(data)
    return pg.tensor(data, requires_grad=requires_grad)


def to_numpy(t: pg.Tensor | None) -> np.ndarray | None:
    return None if t is None else t._backend.to_numpy(t._data)


def tt(data: np.ndarray) -> torch.Tensor:
    return torch.tensor(np.asarray(data, dtype=np.float64), requires_grad=True)


def close(actual: np.ndarray | None, expected: torch.Tensor | None, shape: tuple) -> None:
    """Compare, reading a missing gradient (None) as zeros of ``shape``."""
    a = np.zeros(shape) if actual is None else np.asarray(actual)
    e = np.zeros(shape) if expected is None else expected.detach().numpy()
    assert a.shape == e.shape, (a.shape, e.shape)
    np.testing.assert_allclose(a, e, rtol=1e-10, atol=1e-12, equal_nan=True)


def check(
    pg_fn,
    torch_fn,
    data,
    backend: str,
    name: str | None = None,
    seed: int = 0,
) -> None:
    """Values, node name, grad for a random cotangent, and second order (w.r.t. x and g),
    torch's NaNs included (std at 0)."""
    data = np.asarray(data, dtype=np.float64)
    rng = np.random.default_rng(seed)
    tx = tt(data)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ty = torch_fn(tx)
        x = make(data, backend)
        y = pg_fn(x)
    close(to_numpy(y), ty, tuple(ty.shape))
    assert y.grad_fn.name() == (name or ty.grad_fn.name())

    g_np = rng.standard_normal(tuple(ty.shape))
    v_np = rng.standard_normal(data.shape)
    tg, tv = tt(g_np), torch.tensor(v_np)
    g, v = make(g_np, backend), make(v_np, backend, requires_grad=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (tgx,) = torch.autograd.grad(ty, tx, tg, create_graph=True)
        (gx,) = pg.autograd.grad(y, x, g, create_graph=True)
    close(to_numpy(gx), tgx, data.shape)
    assert tuple(gx.shape) == data.shape

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t2 = torch.autograd.grad((tgx * tv).sum(), (tx, tg), allow_unused=True)
        p2 = pg.autograd.grad(array_api.sum(gx * v), (x, g), allow_unused=True)
    close(to_numpy(p2[0]), t2[0], data.shape)
    close(to_numpy(p2[1]), t2[1], tuple(ty.shape))


# -- sum, mean, var, std ------------------------------------------------------------------

SHAPES_AND_AXES = [
    ((), None),
    ((), 0),
    ((), -1),
    ((5,), None),
    ((5,), 0),
    ((5,), -1),
    ((3, 4), None),
    ((3, 4), 0),
    ((3, 4), -1),
    ((3, 4), (0, 1)),
    ((2, 3, 4), 1),
    ((2, 3, 4), (0, 2)),
    ((2, 3, 4), (-1, 0)),
    ((0,), None),
    ((0, 3), 0),
    ((0, 3), 1),
]


def _data(shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape)


def _torch_reduce(method, axis, keepdims, **kw):
    if axis is None:
        if keepdims:
            return lambda t: getattr(t, method)(dim=tuple(range(t.ndim)), keepdim=True, **kw)
        return lambda t: getattr(t, method)(**kw)
    return lambda t: getattr(t, method)(dim=axis, keepdim=keepdims, **kw)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("shape, axis", SHAPES_AND_AXES)
@pytest.mark.parametrize("op", ["sum", "mean"])
def test_sum_mean(op, shape, axis, keepdims, backend):
    pg_fn = getattr(array_api, op)
    name = None
    if axis is None and keepdims:  # torch needs dim= for keepdim; polygrad keeps node 0
        name = {"sum": "SumBackward0", "mean": "MeanBackward0"}[op]
    check(
        lambda x: pg_fn(x, axis=axis, keepdims=keepdims),
        _torch_reduce(op, axis, keepdims),
        _data(shape),
        backend,
        name,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("correction", [0, 1])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("shape, axis", [sa for sa in SHAPES_AND_AXES if 0 not in sa[0]])
@pytest.mark.parametrize("op", ["var", "std"])
def test_var_std(op, shape, axis, keepdims, correction, backend):
    pg_fn = getattr(array_api, op)
    check(
        lambda x: pg_fn(x, axis=axis, correction=correction, keepdims=keepdims),
        _torch_reduce(op, axis, keepdims, correction=correction),
        _data(shape),
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("op", ["var", "std"])
@pytest.mark.parametrize(
    "data, correction",
    [
        ([1.0], 1),  # torch: nan gradient ("degrees of freedom is <= 0")
        ([1.0, 3.0], 2),  # N == correction: inf
        ([1.0, 3.0], 3),  # correction > N
        ([2.0, 2.0, 2.0], 1),  # std 0: torch sends gradient 0 (var: 0)
    ],
)
def test_var_std_degenerate(op, data, correction, backend):
    pg_fn = getattr(array_api, op)
    check(
        lambda x: pg_fn(x, correction=correction),
        lambda t: getattr(t, op)(correction=correction),
        data,
        backend,
    )


def test_sum_dtype_casts_gradient_back():
    x = pg.tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    y = array_api.sum(x, dtype=pg.float64)
    assert y.dtype == pg.float64 and y.grad_fn.name() == "SumBackward0"
    (gx,) = pg.autograd.grad(y, x)
    assert gx.dtype == pg.float32
    np.testing.assert_array_equal(to_numpy(gx), [1.0, 1.0])


# -- prod -------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "data",
    [
        [0.0, 2.0, 3.0],
        [0.0, 0.0, 3.0],
        [0.0, 0.0, 0.0],
        [2.0, -1.5, 3.0],
        [4.0],
        2.5,
        0.0,
        [],
    ],
)
def test_prod_full(data, backend):
    check(lambda x: array_api.prod(x), lambda t: t.prod(), data, backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_prod_axis_with_zeros(axis, keepdims, backend):
    data = np.array([[0.0, 2.0, 3.0, 1.5], [0.0, 0.0, 3.0, 2.0], [1.0, -2.0, 0.5, 3.0]])
    check(
        lambda x: array_api.prod(x, axis=axis, keepdims=keepdims),
        lambda t: t.prod(dim=axis, keepdim=keepdims),
        data,
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_prod_tuple_axes(backend):
    data = _data((2, 3, 4))
    data[0, 1, 2] = 0.0
    check(
        lambda x: array_api.prod(x, axis=(0, 2)),
        lambda t: t.prod(dim=2).prod(dim=0),
        data,
        backend,
        name="ProdBackward1",
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "data, expected", [([0.0, 2.0, 3.0], [6, 0, 0]), ([0.0, 0.0, 3.0], [0, 0, 0])]
)
def test_prod_zero_convention(data, expected, backend):
    x = make(data, backend)
    (gx,) = pg.autograd.grad(array_api.prod(x), x)
    np.testing.assert_array_equal(to_numpy(gx), expected)


# -- max and min ------------------------------------------------------------------------

TIES = np.array([[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 5.0, -1.0], [0.5, -2.0, 0.0, 0.5]])


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("op", ["max", "min"])
@pytest.mark.parametrize(
    "data", [[1.0, 3.0, 3.0, 2.0], [1.0, 1.0, 3.0], TIES, 4.0, [1.0, float("nan"), 3.0]]
)
def test_max_min_full(op, data, backend):
    check(lambda x: getattr(array_api, op)(x), lambda t: getattr(t, op)(), data, backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("op", ["max", "min"])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1, (0, 1)])
def test_amax_amin(op, axis, keepdims, backend):
    torch_op = {"max": "amax", "min": "amin"}[op]
    check(
        lambda x: getattr(array_api, op)(x, axis=axis, keepdims=keepdims),
        lambda t: getattr(t, torch_op)(dim=axis, keepdim=keepdims),
        TIES,
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "op, data, expected",
    [
        ("max", [1.0, 3.0, 3.0, 2.0], [0, 0.5, 0.5, 0]),
        ("min", [1.0, 1.0, 3.0], [0.5, 0.5, 0]),
    ],
)
def test_ties_split_evenly(op, data, expected, backend):
    for axis in (None, 0):
        x = make(data, backend)
        (gx,) = pg.autograd.grad(getattr(array_api, op)(x, axis=axis), x)
        np.testing.assert_array_equal(to_numpy(gx), expected)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("op", ["max", "min"])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize(
    "data, dim", [([1.0, 3.0, 3.0, 2.0], 0), (TIES, 1), (TIES, -2), (TIES, 0), (2.0, 0)]
)
def test_max_min_with_indices(op, data, dim, keepdim, backend):
    fn = getattr(pg.ops, f"{op}_with_indices")
    check(
        lambda x: fn(x, dim, keepdim)[0], lambda t: getattr(t, op)(dim, keepdim)[0], data, backend
    )
    values, indices = fn(make(data, backend), dim, keepdim)
    expected = getattr(torch.tensor(np.asarray(data)), op)(dim, keepdim)
    np.testing.assert_array_equal(to_numpy(indices), expected.indices.numpy())
    assert not indices.requires_grad and indices.grad_fn is None


def test_max_with_indices_first_index_only():
    x = make([1.0, 3.0, 3.0, 2.0], "numpy")
    (gx,) = pg.autograd.grad(pg.ops.max_with_indices(x, 0)[0], x)
    np.testing.assert_array_equal(to_numpy(gx), [0, 1, 0, 0])


# -- logsumexp, softmax, log_softmax ------------------------------------------------------


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("shape, axis", [sa for sa in SHAPES_AND_AXES if sa[0] != (0, 3)])
def test_logsumexp(shape, axis, keepdims, backend):
    dims = tuple(range(len(shape))) if axis is None else axis
    check(
        lambda x: array_api.logsumexp(x, axis=axis, keepdims=keepdims),
        lambda t: torch.logsumexp(t, dim=dims, keepdim=keepdims),
        _data(shape),
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_logsumexp_is_stable(backend):
    data = [[1000.0, 1000.0, -5.0], [-1000.0, -1001.0, -1002.0]]
    check(
        lambda x: array_api.logsumexp(x, axis=1), lambda t: torch.logsumexp(t, dim=1), data, backend
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # numpy warns about log(0)
        y = array_api.logsumexp(make([-math.inf, -math.inf], backend))
    assert to_numpy(y) == -math.inf


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
@pytest.mark.parametrize(
    "shape, axis",
    [
        ((), 0),
        ((5,), 0),
        ((5,), -1),
        ((3, 4), 0),
        ((3, 4), 1),
        ((2, 3, 4), -2),
        ((0,), 0),
        ((0, 3), 1),
    ],
)
def test_softmax(op, shape, axis, backend):
    check(
        lambda x: getattr(array_api, op)(x, axis=axis),
        lambda t: getattr(t, op)(axis),
        _data(shape),
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_is_stable(op, backend):
    data = [[1000.0, 999.0, -1000.0], [-800.0, -801.0, -802.0]]
    check(lambda x: getattr(array_api, op)(x, axis=-1), lambda t: getattr(t, op)(-1), data, backend)


# -- cumulative_sum -----------------------------------------------------------------------


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, axis",
    [
        ((), None),
        ((5,), None),
        ((5,), -1),
        ((3, 4), 0),
        ((3, 4), 1),
        ((2, 3, 4), -2),
        ((0,), 0),
        ((0, 3), 1),
    ],
)
def test_cumulative_sum(shape, axis, backend):
    dim = 0 if axis is None else axis
    check(lambda x: pg.cumulative_sum(x, axis=axis), lambda t: t.cumsum(dim), _data(shape), backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shape, axis", [((5,), 0), ((3, 4), 1), ((3, 4), -2)])
def test_cumulative_sum_include_initial(shape, axis, backend):
    def torch_fn(t):
        zeros_shape = list(t.shape)
        zeros_shape[axis] = 1
        return torch.cat([torch.zeros(zeros_shape, dtype=t.dtype), t.cumsum(axis)], axis)

    check(
        lambda x: pg.cumulative_sum(x, axis=axis, include_initial=True),
        torch_fn,
        _data(shape),
        backend,
        name="CumsumBackward0",
    )


# -- errors -------------------------------------------------------------------------------


def test_axis_errors():
    x = make(np.ones((2, 3)), "numpy")
    with pytest.raises(IndexError, match="Dimension out of range"):
        array_api.sum(x, axis=2)
    with pytest.raises(RuntimeError, match=r"^dim 1 appears multiple times in the list of dims$"):
        array_api.sum(x, axis=(1, -1))
    with pytest.raises(RuntimeError) as expected:
        torch.ones(2, 3).sum((1, -1))
    with pytest.raises(RuntimeError) as raised:
        x.sum((1, -1))
    assert str(raised.value) == str(expected.value)
    with pytest.raises(ValueError, match="axis must be given"):
        pg.cumulative_sum(x)
