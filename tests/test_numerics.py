"""Numerics: NaN and inf propagate through forward and backward as in torch; float16 and
bfloat16 leaves get gradients in their own dtype wherever the backend has the dtype.

Every case runs in torch (the oracle) and in polygrad on every installed backend; values
and gradients must agree element for element, NaN for NaN and inf for inf of the same
sign (IEEE is left to do its work: nothing is masked or raised). Where a backend lacks a
half-precision dtype, asking for it is a clear TypeError, never a silent other dtype.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import Lib, on_backend

import polygrad as pg

torch = pytest.importorskip("torch")

inf, nan = float("inf"), float("nan")

PG = Lib(pg, vector_norm=lambda x: pg.linalg.vector_norm(x))
TORCH = Lib(torch, vector_norm=lambda x: torch.linalg.vector_norm(x))

#: (id, function of (lib, *leaves), leaf values): every leaf requires grad.
IEEE_CASES: list[tuple[str, Callable[..., Any], list[list[float]]]] = [
    ("log-at-0-and-negative", lambda m, x: x.log(), [[0.0, -1.0, 1.0]]),
    ("log1p-at-minus-1", lambda m, x: x.log1p(), [[-1.0, -2.0, 0.0]]),
    ("sqrt-at-0-and-negative", lambda m, x: x.sqrt(), [[0.0, -1.0, 4.0]]),
    ("pow-half-at-0", lambda m, x: x**0.5, [[0.0, 4.0]]),
    ("pow-minus-1-at-0", lambda m, x: x**-1, [[0.0, -0.0, 2.0]]),
    ("pow-0-at-0", lambda m, x: x**0, [[0.0, 2.0]]),
    ("pow-tensor-0-to-0", lambda m, x, y: x**y, [[0.0, 0.0, 2.0], [0.0, 1.0, inf]]),
    ("zero-times-inf", lambda m, x, y: x * y, [[0.0, 0.0, 1.0], [inf, -inf, nan]]),
    ("divide-by-zero", lambda m, x, y: x / y, [[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]]),
    ("divide-by-negative-zero", lambda m, x, y: x / y, [[1.0, -1.0], [-0.0, -0.0]]),
    ("inf-minus-inf", lambda m, x: x - x, [[inf, -inf, 1.0]]),
    ("square-of-inf", lambda m, x: x * x, [[inf, -inf, nan]]),
    ("exp-of-inf-and-nan", lambda m, x: x.exp(), [[inf, -inf, nan]]),
    ("exp-overflow", lambda m, x: x.exp(), [[800.0, -800.0]]),
    ("tanh-saturates", lambda m, x: x.tanh(), [[inf, -inf, nan]]),
    ("sigmoid-saturates", lambda m, x: x.sigmoid(), [[inf, -inf, nan]]),
    ("sin-of-inf", lambda m, x: x.sin(), [[inf, -inf]]),
    ("relu-of-nan-and-inf", lambda m, x: x.relu(), [[nan, -inf, inf, 0.0]]),
    ("abs-of-inf-and-nan", lambda m, x: x.abs(), [[-inf, inf, nan, 0.0]]),
    ("clamp-of-nan", lambda m, x: x.clamp(-1.0, 1.0), [[nan, inf, -inf, 0.5]]),
    ("sum-inf-minus-inf", lambda m, x: x.sum(), [[inf, -inf, 1.0]]),
    ("mean-with-nan", lambda m, x: x.mean(), [[nan, 1.0, 2.0]]),
    ("prod-with-inf-and-zero", lambda m, x: x.prod(), [[inf, 0.0, 2.0]]),
    ("prod-with-inf-and-no-zero", lambda m, x: x.prod(), [[inf, 1.0, 2.0]]),
    ("prod-with-inf-and-two-zeros", lambda m, x: x.prod(), [[inf, 0.0, 0.0]]),
    ("prod-with-nan-and-zero", lambda m, x: x.prod(), [[nan, 0.0, 2.0]]),
    ("prod-with-two-infinities-and-zero", lambda m, x: x.prod(), [[inf, -inf, 2.0, 0.0]]),
    ("prod-over-an-axis-with-inf-and-two-zeros", lambda m, x: x.prod(0), [[inf, 0.0, 0.0]]),
    (
        "prod-of-rows-with-a-zero-in-another-row",
        lambda m, x: x.reshape(2, 3).prod(1),
        [[inf, 1.0, 2.0, 0.0, 3.0, 4.0]],
    ),
    (
        "prod-of-rows-without-zeros",
        lambda m, x: x.reshape(2, 3).prod(1),
        [[inf, 1.0, 2.0, nan, 3.0, 4.0]],
    ),
    ("max-with-nan", lambda m, x: x.max(), [[1.0, nan, 3.0]]),
    ("amax-with-nan", lambda m, x: x.amax(0), [[1.0, nan, 3.0]]),
    ("min-with-inf", lambda m, x: x.min(), [[-inf, 1.0, -inf]]),
    ("maximum-with-nan", lambda m, x, y: m.maximum(x, y), [[nan, 1.0, 2.0], [0.0, nan, 1.0]]),
    ("minimum-with-inf", lambda m, x, y: m.minimum(x, y), [[inf, -inf, 1.0], [1.0, 0.0, inf]]),
    ("softmax-with-inf", lambda m, x: x.softmax(0), [[inf, 1.0, 0.0]]),
    ("softmax-with-minus-inf", lambda m, x: x.softmax(0), [[-inf, 1.0, 0.0]]),
    ("log-softmax-with-minus-inf", lambda m, x: x.log_softmax(0), [[-inf, 1.0, 0.0]]),
    ("logsumexp-all-minus-inf", lambda m, x: x.logsumexp(0), [[-inf, -inf]]),
    ("logsumexp-with-inf", lambda m, x: x.logsumexp(0), [[inf, 1.0]]),
    (
        "where-leaks-nan-from-the-other-branch",
        lambda m, x: m.where(x > 0, x.sqrt(), x),
        [[-1.0, 4.0]],
    ),
    ("matmul-with-inf", lambda m, x, y: x @ y, [[inf, 0.0], [0.0, 1.0]]),
    ("vector-norm-at-zero", lambda m, x: m.vector_norm(x), [[0.0, 0.0]]),
    ("vector-norm-with-inf", lambda m, x: m.vector_norm(x), [[inf, 1.0]]),
    ("std-of-one-element", lambda m, x: x.std(), [[1.0]]),
    ("var-with-nan", lambda m, x: x.var(), [[nan, 1.0, 2.0]]),
]


def _ieee_params() -> list[Any]:
    return [pytest.param(c, id=c[0]) for c in IEEE_CASES]


def _run(
    lib: Any, fn: Callable[..., Any], values: list[list[float]], make: Any
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Forward value and the gradient of ``out.sum()`` for each leaf, as float64 NumPy."""
    leaves = [make(v) for v in values]
    with warnings.catch_warnings():  # NumPy's "divide by zero" / "invalid value" (also
        warnings.simplefilter("ignore")  # when Dask computes, in .numpy())
        out = fn(lib, *leaves)
        grads = lib.autograd.grad(out.sum(), leaves, allow_unused=True)
        value = np.asarray(out.detach().numpy(), dtype=np.float64)
        return value, [
            np.zeros(len(v)) if g is None else np.asarray(g.numpy(), np.float64)
            for g, v in zip(grads, values)
        ]


def _same_ieee(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    """Equal to within rounding, with NaN exactly where torch has NaN and infinities of the
    same sign exactly where torch has them."""
    assert actual.shape == expected.shape, what
    np.testing.assert_array_equal(np.isnan(actual), np.isnan(expected), err_msg=f"{what}: NaN")
    np.testing.assert_array_equal(
        np.isposinf(actual), np.isposinf(expected), err_msg=f"{what}: +inf"
    )
    np.testing.assert_array_equal(
        np.isneginf(actual), np.isneginf(expected), err_msg=f"{what}: -inf"
    )
    np.testing.assert_allclose(actual, expected, rtol=1e-12, atol=0, equal_nan=True, err_msg=what)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", _ieee_params())
def test_nan_and_inf_propagate_as_in_torch(case: Any, backend: str) -> None:
    _, fn, values = case
    expected = _run(
        TORCH, fn, values, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True)
    )
    with on_backend(backend):
        got = _run(PG, fn, values, lambda v: pg.tensor(v, dtype=pg.float64, requires_grad=True))
    _same_ieee(got[0], expected[0], "value")
    for i, (g, e) in enumerate(zip(got[1], expected[1])):
        _same_ieee(g, e, f"grad of input {i}")


PROD_INPUTS = [
    [inf, 0.0, 2.0],
    [inf, 0.0, 0.0],
    [nan, 0.0, 2.0],
    [inf, 1.0, 2.0],
    [0.0, 0.0, 3.0],
    [-inf, 2.0, 0.0, 0.0],
    [1.0, 2.0, 3.0],
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("values", PROD_INPUTS, ids=str)
@pytest.mark.parametrize("over", ["all", "axis"])
def test_prod_gradient_while_recording_matches_torch(
    over: str, values: list[float], backend: str
) -> None:
    """Under ``create_graph=True`` torch's prod rule takes its cumulative-product branch
    also for two or more zeros (NaN next to an infinity, where it gives 0 otherwise)."""

    def grad(lib: Any, x: Any) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = x.prod() if over == "all" else x.prod(0)
            (g,) = lib.autograd.grad(out, x, create_graph=True)
            return np.asarray(g.detach().numpy(), dtype=np.float64)

    expected = grad(torch, torch.tensor(values, dtype=torch.float64, requires_grad=True))
    with on_backend(backend):
        got = grad(pg, pg.tensor(values, dtype=pg.float64, requires_grad=True))
    _same_ieee(got, expected, "gradient")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("values", [[1 + 2j, 2j, 3 - 1j], [1 + 2j, 0j, 3 - 1j]], ids=str)
@pytest.mark.parametrize("over", ["all", "axis"])
def test_complex_prod_gradient_is_torch_conjugated_one(
    over: str, values: list[complex], backend: str
) -> None:
    def grad(lib: Any, x: Any) -> np.ndarray:
        out = x.prod() if over == "all" else x.prod(0)
        (g,) = lib.autograd.grad(out.abs(), x)
        return np.asarray(g.detach().numpy())

    expected = grad(torch, torch.tensor(values, dtype=torch.complex128, requires_grad=True))
    with on_backend(backend):
        got = grad(pg, pg.tensor(np.array(values), dtype=pg.complex128, requires_grad=True))
    np.testing.assert_allclose(got, expected, rtol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_abs_tangent_at_nan_is_zero_like_torch(backend: str) -> None:
    values = [nan, -inf, 2.0, -3.0, 0.0]

    def tangent(lib: Any, make: Any) -> np.ndarray:
        fwad = lib.autograd.forward_ad
        with fwad.dual_level():
            x = fwad.make_dual(make(values), make([1.0] * len(values)))
            out = fwad.unpack_dual(x.abs()).tangent
        return np.asarray(out.numpy(), dtype=np.float64)

    expected = tangent(torch, lambda v: torch.tensor(v, dtype=torch.float64))
    with on_backend(backend):
        got = tangent(pg, lambda v: pg.tensor(v, dtype=pg.float64))
    _same_ieee(got, expected, "tangent")


def test_the_cases_do_exercise_nan_and_inf():
    """Guard against a table that drifted into finite territory: torch's own results of
    the cases contain NaNs and infinities in values and in gradients."""
    seen = {"nan value": 0, "inf value": 0, "nan grad": 0, "inf grad": 0}
    for _, fn, values in IEEE_CASES:
        value, grads = _run(
            TORCH, fn, values, lambda v: torch.tensor(v, dtype=torch.float64, requires_grad=True)
        )
        seen["nan value"] += bool(np.isnan(value).any())
        seen["inf value"] += bool(np.isinf(value).any())
        seen["nan grad"] += any(bool(np.isnan(g).any()) for g in grads)
        seen["inf grad"] += any(bool(np.isinf(g).any()) for g in grads)
    assert min(seen.values()) >= 5, seen


# -- float16 / bfloat16 ---------------------------------------------------------------

#: Which half-precision dtypes each backend's library has (the standard has neither).
HALF_SUPPORT = {
    "numpy": {"float16"},
    "torch": {"float16", "bfloat16"},
    "jax": {"float16", "bfloat16"},
    "array_api_strict": set(),
    "dask": {"float16"},
}
HALF = ["float16", "bfloat16"]
#: Half precision differs from torch's by a few units in the last place (torch computes
#: some CPU kernels in float32, NumPy others); bfloat16 has 8 bits of mantissa.
HALF_RTOL = {"float16": 1e-2, "bfloat16": 5e-2}

HALF_CASES: list[tuple[str, Callable[..., Any], list[tuple[int, ...]]]] = [
    ("sin-of-square", lambda m, x: (x * x).sin(), [(3,)]),
    ("exp-log", lambda m, x: x.exp() + (x * x + 1).log(), [(2, 3)]),
    ("tanh-sigmoid", lambda m, x: x.tanh() * x.sigmoid(), [(4,)]),
    ("divide-sqrt", lambda m, x, y: x / (y * y + 1).sqrt(), [(2, 3), (2, 3)]),
    ("broadcast-bias", lambda m, x, b: x * 2 + b, [(2, 3), (3,)]),
    ("matmul", lambda m, x, w: x @ w, [(2, 3), (3, 4)]),
    ("mean-and-sum", lambda m, x: x.mean(0) + x.sum(1).sum(), [(3, 2)]),
    ("softmax", lambda m, x: x.softmax(-1), [(2, 5)]),
    ("amax", lambda m, x: x.amax(1), [(3, 4)]),
    ("pow", lambda m, x: (x * x + 1) ** 1.5, [(3,)]),
]


def _half_pg(backend: str, dtype: str, data: np.ndarray) -> Any:
    return pg.tensor(data, dtype=getattr(pg, dtype), backend=backend, requires_grad=True)


def _half_torch(dtype: str, data: np.ndarray) -> Any:
    return torch.tensor(data, dtype=getattr(torch, dtype), requires_grad=True)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", HALF)
@pytest.mark.parametrize("case", HALF_CASES, ids=[c[0] for c in HALF_CASES])
def test_half_precision_gradients_keep_their_dtype(case: Any, dtype: str, backend: str) -> None:
    if dtype not in HALF_SUPPORT[backend]:
        pytest.skip(f"{backend} has no {dtype} (test_missing_half_dtype_is_a_clear_error)")
    _, fn, shapes = case
    rng = np.random.default_rng(0)
    data = [rng.uniform(-1, 1, shape) for shape in shapes]
    leaves_t = [_half_torch(dtype, d) for d in data]
    out_t = fn(TORCH, *leaves_t)
    out_t.sum().backward()
    leaves = [_half_pg(backend, dtype, d) for d in data]
    out = fn(PG, *leaves)
    out.sum().backward()
    assert out.dtype == getattr(pg, dtype)
    rtol = HALF_RTOL[dtype]
    np.testing.assert_allclose(
        out.detach().float().numpy(), out_t.detach().float().numpy(), rtol=rtol, atol=rtol
    )
    for leaf, leaf_t in zip(leaves, leaves_t):
        assert leaf.grad.dtype == getattr(pg, dtype)
        assert leaf.grad.backend == backend
        np.testing.assert_allclose(
            leaf.grad.float().numpy(), leaf_t.grad.float().numpy(), rtol=rtol, atol=rtol
        )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", HALF)
def test_mixed_precision_leaves_keep_their_own_dtypes(dtype: str, backend: str) -> None:
    """half * float32 is float32 (as in torch); each leaf's gradient keeps its dtype."""
    if dtype not in HALF_SUPPORT[backend]:
        pytest.skip(f"{backend} has no {dtype}")
    data = np.array([0.5, -1.0, 2.0])
    h_t, f_t = _half_torch(dtype, data), torch.tensor(data, dtype=torch.float32, requires_grad=True)
    (h_t * f_t).sum().backward()
    h = _half_pg(backend, dtype, data)
    f = pg.tensor(data, dtype=pg.float32, backend=backend, requires_grad=True)
    out = h * f
    assert out.dtype == pg.float32
    out.sum().backward()
    assert h.grad.dtype == getattr(pg, dtype) and f.grad.dtype == pg.float32
    np.testing.assert_allclose(h.grad.float().numpy(), h_t.grad.float().numpy(), rtol=1e-2)
    np.testing.assert_allclose(f.grad.numpy(), f_t.grad.numpy(), rtol=1e-2)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", HALF)
def test_half_precision_overflow_is_inf_as_in_torch(dtype: str, backend: str) -> None:
    """exp(12) overflows float16 (max 65504) but not bfloat16; the gradient follows."""
    if dtype not in HALF_SUPPORT[backend]:
        pytest.skip(f"{backend} has no {dtype}")
    data = np.array([12.0, -12.0, 0.0])
    t = _half_torch(dtype, data)
    t.exp().sum().backward()
    x = _half_pg(backend, dtype, data)
    with warnings.catch_warnings():  # NumPy's overflow warning (Dask's in .numpy())
        warnings.simplefilter("ignore")
        x.exp().sum().backward()
        got = np.asarray(x.grad.float().numpy(), dtype=np.float64)
    expected = t.grad.double().numpy()
    assert np.isinf(expected[0]) == (dtype == "float16")  # the premise, in torch
    np.testing.assert_array_equal(np.isinf(got), np.isinf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=HALF_RTOL[dtype])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dtype", HALF)
def test_missing_half_dtype_is_a_clear_error(dtype: str, backend: str) -> None:
    """A backend without the dtype refuses it everywhere a dtype is asked for."""
    if dtype in HALF_SUPPORT[backend]:
        assert pg.ones(2, dtype=dtype, backend=backend).dtype == getattr(pg, dtype)
        return
    wanted = f"{dtype}.*not supported by the {backend} backend"
    with pytest.raises(TypeError, match=wanted):
        pg.ones(2, dtype=getattr(pg, dtype), backend=backend, requires_grad=True)
    with pytest.raises(TypeError, match=wanted):
        pg.tensor([1.0, 2.0], dtype=dtype, backend=backend, requires_grad=True)
    x = pg.tensor([1.0, 2.0], backend=backend, requires_grad=True)
    with pytest.raises(TypeError, match=wanted):
        x.to(getattr(pg, dtype))
