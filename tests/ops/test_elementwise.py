"""Every elementwise function of the standard against torch.autograd (float64 and
complex128): values, node names, first- and second-order gradients, on NumPy and
array-api-strict; values also against the backend's own function; domain edge cases
(kinks, zeros, infinities) and the functions torch cannot differentiate."""

from __future__ import annotations

import types

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import BACKENDS, STANDARD_BACKENDS

import polygrad as pg
from polygrad import array_api

rng = np.random.default_rng(11)


def normal(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


def uniform(low: float, high: float, *shape: int) -> np.ndarray:
    return rng.uniform(low, high, shape)


def cplx(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


SHAPES = [(3, 4), (), (0, 3)]

#: (standard name, torch function, input sampler) for one-argument functions.
UNARY = [
    ("abs", torch.abs, normal),
    ("acos", torch.acos, lambda *s: uniform(-0.9, 0.9, *s)),
    ("acosh", torch.acosh, lambda *s: uniform(1.2, 3.0, *s)),
    ("asin", torch.asin, lambda *s: uniform(-0.9, 0.9, *s)),
    ("asinh", torch.asinh, normal),
    ("atan", torch.atan, normal),
    ("atanh", torch.atanh, lambda *s: uniform(-0.9, 0.9, *s)),
    ("ceil", torch.ceil, normal),
    ("conj", torch.conj, normal),
    ("cos", torch.cos, normal),
    ("cosh", torch.cosh, normal),
    ("exp", torch.exp, normal),
    ("expm1", torch.expm1, normal),
    ("floor", torch.floor, normal),
    ("log", torch.log, lambda *s: uniform(0.2, 3.0, *s)),
    ("log1p", torch.log1p, lambda *s: uniform(-0.5, 3.0, *s)),
    ("log2", torch.log2, lambda *s: uniform(0.2, 3.0, *s)),
    ("log10", torch.log10, lambda *s: uniform(0.2, 3.0, *s)),
    ("negative", torch.negative, normal),
    ("positive", torch.positive, normal),
    ("real", torch.real, normal),
    ("reciprocal", torch.reciprocal, lambda *s: uniform(0.5, 2.0, *s) * rng.choice([-1, 1], s)),
    ("round", torch.round, normal),
    ("sign", torch.sign, normal),
    ("sin", torch.sin, normal),
    ("sinh", torch.sinh, normal),
    ("sqrt", torch.sqrt, lambda *s: uniform(0.2, 3.0, *s)),
    ("square", torch.square, normal),
    ("tan", torch.tan, lambda *s: uniform(-1.2, 1.2, *s)),
    ("tanh", torch.tanh, normal),
    ("trunc", torch.trunc, normal),
]

#: (standard name, torch function, sampler of the first input, sampler of the second).
BINARY = [
    ("add", torch.add, normal, normal),
    ("subtract", torch.subtract, normal, normal),
    ("multiply", torch.multiply, normal, normal),
    ("divide", torch.divide, normal, lambda *s: uniform(0.5, 2.0, *s)),
    ("pow", torch.pow, lambda *s: uniform(0.3, 2.0, *s), normal),
    ("atan2", torch.atan2, normal, normal),
    ("hypot", torch.hypot, normal, normal),
    ("logaddexp", torch.logaddexp, normal, normal),
    ("maximum", torch.maximum, normal, normal),
    ("minimum", torch.minimum, normal, normal),
    ("copysign", torch.copysign, normal, normal),
    ("nextafter", torch.nextafter, normal, normal),
    ("remainder", torch.remainder, normal, lambda *s: uniform(0.5, 2.0, *s)),
]

BROADCASTS = [((3, 4), (3, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((), (3,)), ((0, 2), (2,))]


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name, torch_fn, sample", UNARY, ids=[u[0] for u in UNARY])
def test_unary_matches_torch(name, torch_fn, sample, shape, backend):
    check(getattr(array_api, name), torch_fn, [sample(*shape)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shapes", BROADCASTS, ids=str)
@pytest.mark.parametrize("name, torch_fn, first, second", BINARY, ids=[b[0] for b in BINARY])
def test_binary_matches_torch(name, torch_fn, first, second, shapes, backend):
    check(getattr(array_api, name), torch_fn, [first(*shapes[0]), second(*shapes[1])], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("name, torch_fn, first, second", BINARY, ids=[b[0] for b in BINARY])
def test_binary_with_a_constant_operand(name, torch_fn, first, second, backend):
    """Only one input requires grad: the other edge is empty, its gradient never computed."""
    x, y = first(3, 4), second(4)
    t_y = torch.tensor(y)
    check(
        lambda a: getattr(array_api, name)(a, pg_tensor(y, backend)),
        lambda a: torch_fn(a, t_y),
        [x],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "name, torch_fn, number",
    [
        ("add", torch.add, 2.5),
        ("subtract", torch.subtract, 2.5),
        ("multiply", torch.multiply, -1.5),
        ("divide", torch.divide, 4.0),
        ("pow", torch.pow, 3),
        ("pow", torch.pow, 0.5),
        ("atan2", torch.atan2, 0.7),
        ("hypot", torch.hypot, 1.5),
        ("logaddexp", torch.logaddexp, 0.3),
        ("maximum", torch.maximum, 0.2),
        ("minimum", torch.minimum, 0.2),
        ("copysign", torch.copysign, -1.0),
        ("remainder", torch.remainder, 0.75),
        ("nextafter", torch.nextafter, 10.0),
    ],
)
def test_python_number_second(name, torch_fn, number, backend):
    x = uniform(0.2, 2.0, 3, 4)
    as_tensor = {"atan2", "hypot", "logaddexp", "maximum", "minimum", "nextafter"}

    def reference(a):
        other = torch.tensor(number, dtype=torch.float64) if name in as_tensor else number
        return torch_fn(a, other)

    check(lambda a: getattr(array_api, name)(a, number), reference, [x], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "name, torch_fn, number",
    [
        ("add", torch.add, 2.5),
        ("subtract", torch.subtract, 2.5),
        ("multiply", torch.multiply, 3.0),
        ("divide", torch.divide, 4.0),
        ("pow", torch.pow, 2.0),
        ("atan2", torch.atan2, 0.7),
        ("hypot", torch.hypot, 1.5),
        ("logaddexp", torch.logaddexp, 0.3),
    ],
)
def test_python_number_first(name, torch_fn, number, backend):
    x = uniform(0.2, 2.0, 3, 4)

    def reference(a):
        if name in ("atan2", "hypot", "logaddexp"):
            return torch_fn(torch.tensor(number, dtype=torch.float64), a)
        return {
            "add": lambda: number + a,
            "subtract": lambda: number - a,
            "multiply": lambda: number * a,
            "divide": lambda: number / a,
            "pow": lambda: number**a,
        }[name]()

    check(lambda a: getattr(array_api, name)(number, a), reference, [x], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("bounds", [(-0.5, 0.5), (None, 0.3), (-0.3, None)], ids=str)
def test_clip_number_bounds(bounds, backend):
    check(
        lambda x: array_api.clip(x, *bounds),
        lambda x: torch.clamp(x, *bounds),
        [normal(3, 4)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_clip_tensor_bounds(backend):
    check(
        lambda x, lo, hi: array_api.clip(x, lo, hi),
        lambda x, lo, hi: torch.clamp(x, lo, hi),
        [normal(3, 4), normal(4) - 1, normal(3, 1) + 1],
        backend,
    )
    # bounds that cross (min > max: the result is max) and NaN inputs, as torch treats them
    x = np.array([np.nan, -2.0, 0.5, 3.0, 0.2])
    lo = np.array([0.0, 1.0, 1.0, 1.0, 0.2])
    hi = np.array([1.0, 0.0, 0.0, 0.0, 0.2])
    check(
        lambda x, lo, hi: array_api.clip(x, lo, hi),
        lambda x, lo, hi: torch.clamp(x, lo, hi),
        [x, lo, hi],
        backend,
    )
    check(lambda x, lo: array_api.clip(x, lo), lambda x, lo: torch.clamp(x, lo), [x, lo], backend)
    check(
        lambda x, hi: array_api.clip(x, None, hi),
        lambda x, hi: torch.clamp(x, None, hi),
        [x, hi],
        backend,
    )
    check(lambda x: array_api.clip(x, -1.0, 1.0), lambda x: torch.clamp(x, -1.0, 1.0), [x], backend)


# -- values against the backend's own function -----------------------------------------------
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("name, torch_fn, sample", UNARY, ids=[u[0] for u in UNARY])
def test_unary_value_is_the_backends(name, torch_fn, sample, backend):
    x = pg_tensor(sample(3, 4), backend)
    raw = getattr(x._backend.xp, name)(x._data)
    np.testing.assert_array_equal(
        to_np(getattr(array_api, name)(x)), np.asarray(x._backend.to_numpy(raw))
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("name, torch_fn, first, second", BINARY, ids=[b[0] for b in BINARY])
def test_binary_value_is_the_backends(name, torch_fn, first, second, backend):
    x, y = pg_tensor(first(3, 4), backend), pg_tensor(second(4), backend)
    raw = getattr(x._backend.xp, name)(x._data, y._data)
    np.testing.assert_array_equal(
        to_np(getattr(array_api, name)(x, y)), np.asarray(x._backend.to_numpy(raw))
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("name", ["exp", "atan", "expm1", "log1p", "square", "floor", "sqrt"])
def test_float32_stays_float32(name, backend):
    x = pg.tensor(np.array([0.5, 1.5], dtype=np.float32), backend=backend, requires_grad=True)
    xp = x.__array_namespace__()
    y = getattr(xp, name)(x)
    assert y.dtype == xp.float32 and y.dtype is pg.float32
    (g,) = pg.autograd.grad(y.sum(), x)
    assert g.dtype == pg.float32


# -- complex: torch's conjugate-Wirtinger convention ---------------------------------------
COMPLEX_UNARY = [
    ("abs", torch.abs),
    ("exp", torch.exp),
    ("log", torch.log),
    ("sin", torch.sin),
    ("cos", torch.cos),
    ("tanh", torch.tanh),
    ("sqrt", torch.sqrt),
    ("square", torch.square),
    ("reciprocal", torch.reciprocal),
    ("negative", torch.negative),
    ("conj", torch.conj),
    ("real", torch.real),
    ("imag", torch.imag),
    ("sign", torch.sgn),
    ("expm1", torch.expm1),
    ("log1p", torch.log1p),
    ("sinh", torch.sinh),
    ("cosh", torch.cosh),
    ("tan", torch.tan),
    ("atan", torch.atan),
    ("asinh", torch.asinh),
]


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("name, torch_fn", COMPLEX_UNARY, ids=[c[0] for c in COMPLEX_UNARY])
def test_complex_unary_matches_torch(name, torch_fn, backend):
    check(getattr(array_api, name), torch_fn, [cplx(2, 3)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "name, torch_fn",
    [
        ("add", torch.add),
        ("subtract", torch.subtract),
        ("multiply", torch.multiply),
        ("divide", torch.divide),
        ("pow", torch.pow),
    ],
)
def test_complex_binary_matches_torch(name, torch_fn, backend):
    check(getattr(array_api, name), torch_fn, [cplx(2, 3), cplx(3)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_complex_from_real_and_imaginary_parts_matches_torch(backend):
    check(pg.complex, torch.complex, [normal(3, 1), normal(4)], backend)
    check(
        lambda re, im: pg.complex(re, im) ** 2,
        lambda re, im: torch.complex(re, im) ** 2,
        [normal(3), normal(3)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_complex_keeps_precision(backend):
    for dtype, complex_dtype in ((pg.float32, pg.complex64), (pg.float64, pg.complex128)):
        re = pg.tensor([1.0, np.inf, 2.0], dtype=dtype, backend=backend)
        im = pg.tensor([-1.5, 3.0, 0.25], dtype=dtype, backend=backend)
        z = pg.complex(re, im)
        assert z.dtype is complex_dtype
        np.testing.assert_array_equal(to_np(pg.real(z)), to_np(re))
        np.testing.assert_array_equal(to_np(pg.imag(z)), to_np(im))
    with pytest.raises(RuntimeError, match="two float32 or two float64"):
        pg.complex(
            pg.tensor([1.0], backend=backend), pg.tensor([1.0], dtype=pg.float64, backend=backend)
        )
    with pytest.raises(RuntimeError, match="got int64"):
        pg.complex(pg.tensor([1], backend=backend), pg.tensor([1], backend=backend))


def test_complex_keeps_infinite_imaginary_parts_like_torch():
    """NumPy (like torch and JAX) has a constructor; the standard-only default would
    compute ``re + 1j * im``, which makes ``inf * 0j`` a NaN real part."""
    re, im = [1.0, np.inf, 2.0], [-np.inf, 3.0, np.nan]
    np.testing.assert_array_equal(
        to_np(pg.complex(pg.tensor(re), pg.tensor(im))),
        torch.complex(torch.tensor(re), torch.tensor(im)).numpy(),
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_real_times_complex_gives_a_real_gradient(backend):
    check(lambda x, z: x * z, lambda x, z: x * z, [normal(3), cplx(3)], backend)
    check(lambda x: pg.exp(x * 1j), lambda x: torch.exp(x * 1j), [normal(3)], backend)


# -- edge cases (torch's measured behaviour) ------------------------------------------------------
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "name, pg_fn, torch_fn, values",
    [
        ("sqrt at 0", pg.sqrt, torch.sqrt, [0.0, 1.0, 4.0]),
        ("abs at 0", pg.abs, torch.abs, [-1.0, 0.0, 1.0]),
        ("sign at 0", pg.sign, torch.sign, [-1.0, 0.0, 1.0]),
        ("x**0", lambda x: x**0, lambda x: x**0, [0.0, 2.0]),
        ("x**0.5 at 0", lambda x: x**0.5, lambda x: x**0.5, [0.0, 2.0]),
        ("x**2 at 0", lambda x: x**2, lambda x: x**2, [0.0, 2.0]),
        ("x**-1 at 0", lambda x: x**-1, lambda x: x**-1, [0.0, 2.0]),
        (
            "0**x",
            lambda x: pg.zeros(2, dtype=pg.float64, backend=x.backend) ** x,
            lambda x: torch.zeros(2, dtype=torch.float64) ** x,
            [0.0, 2.0],
        ),
        ("log at 0", pg.log, torch.log, [0.0, 1.0]),
        (
            "where leaks NaN",
            lambda x: array_api.where(x > 0, pg.sqrt(x), x),
            lambda x: torch.where(x > 0, torch.sqrt(x), x),
            [-1.0, 4.0],
        ),
        (
            "maximum tie",
            lambda x: pg.maximum(x, array_api.flip(x, axis=0)),
            lambda x: torch.maximum(x, torch.flip(x, (0,))),
            [1.0, 2.0, 1.0],
        ),
        (
            "copysign at 0",
            lambda x: pg.copysign(x, -x),
            lambda x: torch.copysign(x, -x),
            [0.0, -2.0, 3.0],
        ),
        (
            "atan2 at the origin",
            lambda x: pg.atan2(x, x * 0),
            lambda x: torch.atan2(x, x * 0),
            [0.0, 1.0],
        ),
        ("hypot at the origin", lambda x: pg.hypot(x, x), lambda x: torch.hypot(x, x), [0.0, 1.0]),
        (
            "logaddexp of -inf",
            lambda x: pg.logaddexp(x, x),
            lambda x: torch.logaddexp(x, x),
            [-np.inf, 0.0],
        ),
        ("acosh at 1", pg.acosh, torch.acosh, [1.0, 2.0]),
        ("atanh at 1", pg.atanh, torch.atanh, [1.0, 0.5]),
        ("log1p at -1", pg.log1p, torch.log1p, [-1.0, 0.5]),
        (
            "remainder sign",
            lambda x: pg.remainder(x, -0.75),
            lambda x: torch.remainder(x, -0.75),
            [-2.0, 1.3, 0.0],
        ),
        ("round halves to even", pg.round, torch.round, [0.5, 1.5, 2.5, -0.5]),
    ],
)
def test_edge_cases(name, pg_fn, torch_fn, values, backend):
    check(pg_fn, torch_fn, [np.array(values)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "expression, op",
    [
        (lambda x, y: pg.floor_divide(x, y), "floor_divide"),
        (lambda x, y: x // 2.0, "floor_divide"),
        (lambda x, y: 3.0 // x, "floor_divide"),
        (lambda x, y: pg.remainder(2.0, x), "remainder"),
        (lambda x, y: 2.0 % x, "remainder"),
    ],
)
def test_no_derivative_raises_torchs_error(expression, op, backend):
    x = pg_tensor(uniform(0.5, 2.0, 3), backend, requires_grad=True)
    y = pg_tensor(uniform(0.5, 2.0, 3), backend, requires_grad=True)
    out = expression(x, y)
    assert out.requires_grad and out.grad_fn.name() == "torch::autograd::NotImplemented"
    assert type(out.grad_fn).__name__ == "NotImplemented"
    with pytest.raises(RuntimeError, match=f"^derivative for aten::{op} is not implemented$"):
        out.sum().backward()


def test_floor_divide_message_is_torchs():
    t = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError) as expected:
        torch.floor_divide(t, 2.0).sum().backward()
    x = pg.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError) as actual:
        pg.floor_divide(x, 2.0).sum().backward()
    assert str(actual.value) == str(expected.value)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_floor_divide_values_and_no_grad(backend):
    a, b = uniform(-3, 3, 4), uniform(0.5, 2, 4)
    x, y = pg_tensor(a, backend), pg_tensor(b, backend)
    np.testing.assert_array_equal(to_np(x // y), np.floor_divide(a, b))
    np.testing.assert_array_equal(to_np(pg.floor_divide(x, 2.0)), np.floor_divide(a, 2.0))
    assert not (x // y).requires_grad


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "call", [lambda xp, x, y: xp.floor_divide(x, y), lambda xp, x, y: xp.floor_divide(3.0, y)]
)
def test_namespace_floor_divide_has_a_zero_gradient_like_torchs_floor_div(call, backend):
    """The array-API door: third-party code floors quotients of tensors it differentiates;
    torch's ``div(..., rounding_mode="floor")`` (and JAX) give zero, so polygrad's
    namespace does, where ``pg.floor_divide`` and ``//`` keep torch's missing derivative."""
    a, b = uniform(-3, 3, 2, 3), uniform(0.5, 2, 1, 3)
    x = pg_tensor(a, backend, requires_grad=True)
    y = pg_tensor(b, backend, requires_grad=True)
    out = call(x.__array_namespace__(), x, y)
    tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
    want = call(types.SimpleNamespace(floor_divide=_torch_floor_div), tx, ty)
    assert out.grad_fn.name() == type(want.grad_fn).__name__ == "DivBackward2"
    np.testing.assert_array_equal(to_np(out.detach()), want.detach().numpy())
    got = pg.autograd.grad(out.sum(), [x, y], allow_unused=True)
    expected = torch.autograd.grad(want.sum(), [tx, ty], allow_unused=True)
    for g, e in zip(got, expected):
        assert (g is None) == (e is None)
        if g is not None:
            assert tuple(g.shape) == tuple(e.shape)
            np.testing.assert_array_equal(to_np(g), e.numpy())


def _torch_floor_div(a, b):
    a = a if isinstance(a, torch.Tensor) else torch.tensor(a, dtype=torch.float64)
    return torch.div(a, b, rounding_mode="floor")


# -- boolean, integer and predicate functions ----------------------------------------------------
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_predicates_and_comparisons_never_require_grad(backend):
    values = np.array([-np.inf, -1.0, -0.0, 0.0, 2.0, np.inf, np.nan])
    x = pg_tensor(values, backend, requires_grad=True)
    t = torch.tensor(values)
    for name in ("isfinite", "isinf", "isnan", "signbit"):
        out = getattr(array_api, name)(x)
        assert not out.requires_grad and out.grad_fn is None
        assert out.dtype == pg.bool
        np.testing.assert_array_equal(to_np(out), getattr(torch, name)(t).numpy())
    for name in ("equal", "not_equal", "less", "less_equal", "greater", "greater_equal"):
        fn = getattr(array_api, name)
        reference = getattr(torch, {"equal": "eq", "not_equal": "ne"}.get(name, name))
        for a, b, ta, tb in [(x, 0.0, t, 0.0), (0.0, x, 0.0, t), (x, x, t, t)]:
            out = fn(a, b)
            assert not out.requires_grad
            expected = (
                reference(ta, tb)
                if isinstance(ta, torch.Tensor)
                else reference(torch.tensor(ta, dtype=torch.float64), tb)
            )
            np.testing.assert_array_equal(to_np(out), expected.numpy(), err_msg=name)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_bitwise_and_logical_functions(backend):
    a, b = np.array([0, 3, 5, -8], dtype=np.int64), np.array([1, 3, 2, 2], dtype=np.int64)
    x, y = pg.tensor(a, backend=backend), pg.tensor(b, backend=backend)
    cases = {
        "bitwise_and": np.bitwise_and,
        "bitwise_or": np.bitwise_or,
        "bitwise_xor": np.bitwise_xor,
        "bitwise_left_shift": np.left_shift,
        "bitwise_right_shift": np.right_shift,
    }
    for name, reference in cases.items():
        np.testing.assert_array_equal(to_np(getattr(array_api, name)(x, y)), reference(a, b))
        np.testing.assert_array_equal(to_np(getattr(array_api, name)(x, 1)), reference(a, 1))
        np.testing.assert_array_equal(to_np(getattr(array_api, name)(7, y)), reference(7, b))
    np.testing.assert_array_equal(to_np(pg.bitwise_invert(x)), np.invert(a))
    p, q = np.array([True, True, False, False]), np.array([True, False, True, False])
    bp, bq = pg.tensor(p, backend=backend), pg.tensor(q, backend=backend)
    np.testing.assert_array_equal(to_np(pg.logical_xor(bp, bq)), p ^ q)
    np.testing.assert_array_equal(to_np(pg.logical_and(bp, bq)), p & q)
    np.testing.assert_array_equal(to_np(pg.logical_or(bp, bq)), p | q)
    np.testing.assert_array_equal(to_np(pg.logical_not(bp)), ~p)


@pytest.mark.parametrize("backend", BACKENDS)
def test_logical_functions_read_any_dtype_as_torch(backend):
    """Nonzero (NaN included) is True, as in torch; the standard's logical functions take
    only booleans (array-api-strict holds to that)."""
    nan = float("nan")
    a = np.array([0.0, -1.5, nan, 0.0, 2.0])
    b = np.array([[0.0, 0.0, 0.0, 3.0, 1.0], [1.0, 1.0, 1.0, 0.0, 0.0]])
    ints, flags = np.array([0, 3, -2, 0, 1]), np.array([True, False, True, False, True])
    cases = [(a, b), (ints, a), (flags, ints), (a, 0.5), (0, ints), (a + 1j * a[::-1], flags)]
    for name in ("logical_and", "logical_or", "logical_xor"):
        for left, right in cases:
            lhs = pg_tensor(left, backend) if isinstance(left, np.ndarray) else left
            rhs = pg_tensor(right, backend) if isinstance(right, np.ndarray) else right
            expected = getattr(torch, name)(torch.tensor(left), torch.tensor(right))
            got = getattr(pg, name)(lhs, rhs)
            assert got.dtype == pg.bool, name
            np.testing.assert_array_equal(to_np(got), expected.numpy(), err_msg=name)
    for values in (a, ints, flags, a + 1j):
        got = pg.logical_not(pg_tensor(values, backend))
        np.testing.assert_array_equal(to_np(got), torch.logical_not(torch.tensor(values)).numpy())
    x = pg_tensor(a, backend)
    x.logical_and_(pg_tensor(b[0], backend))
    assert x.dtype == pg.float64
    np.testing.assert_array_equal(
        to_np(x), torch.tensor(a).logical_and_(torch.tensor(b[0])).numpy()
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_integer_rounding_keeps_integers(backend):
    a = np.array([-3, 0, 7], dtype=np.int64)
    x = pg.tensor(a, backend=backend)
    for name in ("ceil", "floor", "trunc", "round"):
        out = getattr(array_api, name)(x)
        assert out.dtype == pg.int64, name
        np.testing.assert_array_equal(to_np(out), a)


def test_every_elementwise_function_is_on_the_namespace():
    x = pg.tensor(np.ones(2), requires_grad=True)
    xp = x.__array_namespace__()
    names = (
        [u[0] for u in UNARY]
        + [b[0] for b in BINARY]
        + [
            "clip",
            "imag",
            "isfinite",
            "isinf",
            "isnan",
            "signbit",
            "equal",
            "not_equal",
            "less",
            "less_equal",
            "greater",
            "greater_equal",
            "logical_and",
            "logical_or",
            "logical_not",
            "logical_xor",
            "bitwise_and",
            "bitwise_or",
            "bitwise_xor",
            "bitwise_invert",
            "bitwise_left_shift",
            "bitwise_right_shift",
        ]
    )
    for name in names:
        assert getattr(xp, name) is getattr(array_api, name), name
    # the one departure: the standard's floor_divide has a zero gradient (docs/differences.md)
    assert xp.floor_divide is not pg.floor_divide and xp.floor_divide.__name__ == "floor_quotient"
