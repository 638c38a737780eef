"""Forward-mode AD (``pg.autograd.forward_ad``) against ``torch.func.jvp`` on every backend.

Each op's tangent is checked twice: through its own ``jvp`` (or the fallback where it
has none) and through the double-vjp fallback alone, so every ``jvp`` agrees with the
op's ``vjp``; and every op in polygrad.ops has a ``jvp`` unless it is on a short list. Also torch's API
behaviour and errors, dual tensors that do not require grad (no graph), in-place ops,
reverse-over-forward and forward-over-reverse.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import PG, TORCH, assert_close, pg_from, to_np, torch, torch_from

import polygrad as pg
import polygrad.autograd.forward_ad as fwAD
from polygrad._core._node import Node
from polygrad.autograd import _tangent_rules

rng = np.random.default_rng(0)


def r(*shape: int, low: float = -1.0, high: float = 1.0) -> np.ndarray:
    return rng.uniform(low, high, shape)


def pos(*shape: int) -> np.ndarray:
    return r(*shape, low=0.5, high=2.0)


def _setitem(L: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z[0] = y
    return z


def _setitem_indices(L: Any, x: Any, y: Any) -> Any:
    z = x * 1
    z[[0, 2]] = y
    return z


def _setitem_mask(L: Any, x: Any) -> Any:
    z = x * 1
    z[x > 0] = 0.5
    return z * x


#: name -> (fn(L, *inputs), inputs): cases that record the ops with a tangent rule.
CASES: dict[str, tuple[Any, list[np.ndarray]]] = {
    "add": (lambda L, x, y: x + y, [r(3, 4), r(4)]),
    "sub": (lambda L, x, y: x - y, [r(3, 1), r(4)]),
    "rsub": (lambda L, x: 2 - x, [r(3)]),
    "mul": (lambda L, x, y: x * y, [r(3, 4), r(3, 1)]),
    "mul_number": (lambda L, x: x * 3, [r(3)]),
    "div": (lambda L, x, y: x / y, [r(3, 4), pos(4)]),
    "rdiv": (lambda L, x: 2 / x, [pos(3)]),
    "neg": (lambda L, x: -x, [r(3)]),
    "reciprocal": (lambda L, x: x.reciprocal(), [pos(3)]),
    "pow_number": (lambda L, x: x**3, [r(3)]),
    "pow_tensor": (lambda L, x, y: x**y, [pos(3), r(3)]),
    "pow_base": (lambda L, x: 2**x, [r(3)]),
    "exp": (lambda L, x: x.exp(), [r(3)]),
    "log": (lambda L, x: x.log(), [pos(3)]),
    "sin": (lambda L, x: x.sin(), [r(3)]),
    "cos": (lambda L, x: x.cos(), [r(3)]),
    "tanh": (lambda L, x: x.tanh(), [r(3)]),
    "sigmoid": (lambda L, x: x.sigmoid(), [r(3)]),
    "relu": (lambda L, x: x.relu(), [r(6)]),
    "abs": (lambda L, x: x.abs(), [r(6)]),
    "sqrt": (lambda L, x: x.sqrt(), [pos(3)]),
    "clamp": (lambda L, x: x.clamp(-0.5, 0.5), [r(6)]),
    "clamp_min": (lambda L, x: x.clamp_min(-0.2), [r(6)]),
    "clamp_tensor": (lambda L, x, y: x.clamp(min=y), [r(6), r(6)]),
    "where": (lambda L, x, y: L.where(x > 0, x, y), [r(6), r(6)]),
    "acos": (lambda L, x: L.acos(x * 0.5), [r(3)]),
    "asin": (lambda L, x: L.asin(x * 0.5), [r(3)]),
    "atan": (lambda L, x: L.atan(x), [r(3)]),
    "acosh": (lambda L, x: L.acosh(x + 2), [pos(3)]),
    "asinh": (lambda L, x: L.asinh(x), [r(3)]),
    "atanh": (lambda L, x: L.atanh(x * 0.5), [r(3)]),
    "sinh": (lambda L, x: L.sinh(x), [r(3)]),
    "cosh": (lambda L, x: L.cosh(x), [r(3)]),
    "tan": (lambda L, x: L.tan(x), [r(3)]),
    "expm1": (lambda L, x: L.expm1(x), [r(3)]),
    "log1p": (lambda L, x: L.log1p(x), [pos(3)]),
    "log2": (lambda L, x: L.log2(x), [pos(3)]),
    "log10": (lambda L, x: L.log10(x), [pos(3)]),
    "atan2": (lambda L, x, y: L.atan2(x, y), [r(3), r(3)]),
    "hypot": (lambda L, x, y: L.hypot(x, y), [r(3), r(3)]),
    "logaddexp": (lambda L, x, y: L.logaddexp(x, y), [r(3), r(3)]),
    "maximum": (lambda L, x, y: L.maximum(x, y), [r(3, 1), r(4)]),
    "minimum": (lambda L, x, y: L.minimum(x, y), [r(3), r(3)]),
    "mm": (lambda L, x, y: x @ y, [r(3, 4), r(4, 2)]),
    "mv": (lambda L, x, y: x @ y, [r(3, 4), r(4)]),
    "dot": (lambda L, x, y: x @ y, [r(4), r(4)]),
    "vm": (lambda L, x, y: x @ y, [r(4), r(4, 2)]),
    "bmm": (lambda L, x, y: x @ y, [r(2, 3, 4), r(4, 2)]),
    "sum": (lambda L, x: x.sum(), [r(3, 4)]),
    "sum_dim": (lambda L, x: x.sum(1), [r(3, 4)]),
    "mean": (lambda L, x: x.mean(), [r(3, 4)]),
    "mean_dim": (lambda L, x: x.mean(0, keepdim=True), [r(3, 4)]),
    "logsumexp": (lambda L, x: x.logsumexp(1), [r(3, 4)]),
    "softmax": (lambda L, x: x.softmax(1), [r(3, 4)]),
    "log_softmax": (lambda L, x: x.log_softmax(0), [r(3, 4)]),
    "clone": (lambda L, x: x.clone(), [r(3)]),
    "astype": (lambda L, x: x.float() * 1, [r(3)]),
    "reshape": (lambda L, x: x.reshape(4, 3), [r(3, 4)]),
    "squeeze": (lambda L, x: x.squeeze(1), [r(3, 1)]),
    "unsqueeze": (lambda L, x: x.unsqueeze(0), [r(3)]),
    "permute": (lambda L, x: x.permute(2, 0, 1), [r(2, 3, 4)]),
    "transpose": (lambda L, x: x.transpose(0, 1), [r(3, 4)]),
    "T": (lambda L, x: x.T, [r(3, 4)]),
    "expand": (lambda L, x: x.expand(3, 4), [r(4)]),
    "cat": (lambda L, x, y: L.cat([x, y], dim=0), [r(2, 3), r(1, 3)]),
    "stack": (lambda L, x, y: L.stack([x, y], dim=1), [r(3), r(3)]),
    "select": (lambda L, x: x[1], [r(3, 4)]),
    "slice": (lambda L, x: x[:, 1:3], [r(3, 4)]),
    "index": (lambda L, x: x[[0, 2, 0]], [r(3, 4)]),
    "floor": (lambda L, x: x.floor() + x, [r(4) * 3]),
    "div_floor": (lambda L, x, y: L.div(x, y, rounding_mode="floor") + x, [r(4) * 3, pos(4)]),
    "remainder": (lambda L, x, y: L.remainder(x, y), [r(4) * 3, pos(4)]),
    "remainder_number": (lambda L, x: L.remainder(x, 0.7), [r(4) * 3]),
    "copysign": (lambda L, x, y: L.copysign(x, y), [r(4), r(4)]),
    "copysign_number": (lambda L, x: L.copysign(x, -1.0), [r(4)]),
    "nextafter": (lambda L, x, y: L.nextafter(x, y), [r(4), r(4)]),
    "conj": (lambda L, x, y: L.real(L.conj(L.complex(x, y)) * L.complex(y, x)), [r(3), r(3)]),
    "real": (lambda L, x, y: L.real(L.complex(x, y) ** 2), [r(3), r(3)]),
    "sgn": (lambda L, x, y: L.imag(L.complex(x, y).sgn()), [r(3), r(3)]),
    "tril": (lambda L, x: L.tril(x, diagonal=1), [r(3, 4)]),
    "triu": (lambda L, x: L.triu(x), [r(3, 4)]),
    "flip": (lambda L, x: L.flip(x, dims=(0,)), [r(3, 2)]),
    "roll": (lambda L, x: L.roll(x, 1, 1), [r(3, 2)]),
    "tile": (lambda L, x: x.repeat(2, 1), [r(2, 3)]),
    "unbind": (lambda L, x: L.unbind(x, 1)[1], [r(3, 2)]),
    "split": (lambda L, x: x.split(2, 1)[1], [r(3, 4)]),
    "sort": (lambda L, x: L.sort(x, 1)[0], [r(3, 4)]),
    "split_sizes": (lambda L, x: x.split([1, 3], 1)[1], [r(3, 4)]),
    "gather": (lambda L, x: L.gather(x, 1, L.argsort(x, dim=1)), [r(2, 3)]),
    "index_select": (lambda L, x: L.index_select(x, 0, L.argsort(x[:, 0])), [r(3, 2)]),
    "inv": (lambda L, x: L.linalg.inv(x), [r(3, 3) + 3 * np.eye(3)]),
    "solve": (
        lambda L, a, b: L.linalg.solve(a, b),
        [r(2, 3, 3) + 3 * np.eye(3), r(2, 3, 2)],
    ),
    "solve_vector": (
        lambda L, a, b: L.linalg.solve(a, b),
        [r(3, 3) + 3 * np.eye(3), r(3)],
    ),
    "cross": (lambda L, x, y: L.linalg.cross(x, y), [r(2, 3), r(2, 3)]),
    "diagonal": (lambda L, x: L.linalg.diagonal(x, offset=1), [r(3, 4)]),
    "trace": (lambda L, x: L.trace(x), [r(3, 3)]),
    "fill": (lambda L, x: (x * 1).fill_(2.0) * x, [r(3)]),
    "zero": (lambda L, x: (x * 1).zero_() + x, [r(3)]),
    "copy": (lambda L, x, y: (x * 1).copy_(y), [r(2, 3), r(3)]),
    # ops on USES_DOUBLE_VJP (prod, cumprod, complex powers) and reductions
    "var": (lambda L, x: x.var(1), [r(3, 4)]),
    "std": (lambda L, x: x.std(), [r(3, 4)]),
    "prod": (lambda L, x: x.prod(), [pos(5)]),
    "prod_dim_zeros": (lambda L, x: L.where(x > 0, x, 0 * x).prod(1), [r(3, 4)]),
    "cumprod": (lambda L, x: x.cumprod(0), [pos(4)]),
    "max": (lambda L, x: x.max(), [r(6)]),
    "max_dim": (lambda L, x: x.max(1)[0], [r(3, 4)]),
    "min_dim_keepdim": (lambda L, x: x.min(1, keepdim=True)[0], [r(3, 4)]),
    "amax": (lambda L, x: L.amax(x, 1), [r(3, 4)]),
    "amin_ties": (lambda L, x: L.amin(x.floor(), 0), [r(3, 4) * 2]),
    "max_ties": (lambda L, x: (x.floor() + x * 0.01).max(), [r(6) * 0.5]),
    "var_correction": (lambda L, x: x.var(0, correction=1), [r(3, 4)]),
    "cumsum": (lambda L, x: x.cumsum(0), [r(4)]),
    "setitem": (_setitem, [r(3), r()]),
    "setitem_indices": (_setitem_indices, [r(3, 2), r(2)]),
    "setitem_mask": (_setitem_mask, [r(6)]),
    "sign": (lambda L, x: x.sign() * x, [r(4)]),
    "complex": (lambda L, x, y: L.imag(L.complex(x, y) ** 2), [r(3, 1), r(4)]),
    "composite": (
        lambda L, x, w: ((x @ w).tanh() * x.sum(1, keepdim=True)).softmax(1).log(),
        [r(3, 4), r(4, 2)],
    ),
}


def torch_jvp(fn: Any, primals: list[np.ndarray], tangents: list[np.ndarray]) -> Any:
    return torch.func.jvp(
        lambda *xs: fn(TORCH, *xs),
        tuple(torch_from(p) for p in primals),
        tuple(torch_from(t) for t in tangents),
    )


def polygrad_jvp(
    fn: Any, primals: list[np.ndarray], tangents: list[np.ndarray], backend: str
) -> tuple[Any, Any]:
    with fwAD.dual_level():
        duals = [
            fwAD.make_dual(pg_from(p, backend), pg_from(t, backend))
            for p, t in zip(primals, tangents)
        ]
        out = fn(PG, *duals)
        primal, tangent = fwAD.unpack_dual(out)
        assert not out.requires_grad and out.grad_fn is None and out.is_leaf
    return primal, tangent


@pytest.fixture(params=["rules", "fallback"])
def tangent_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run with the tangent rules, or with the double-vjp fallback for every op."""
    if request.param == "fallback":
        monkeypatch.setattr(_tangent_rules, "tangent_rule", lambda cls: None)
    return request.param


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_tangents_match_torch(case: str, backend: str, tangent_mode: str) -> None:
    fn, primals = CASES[case]
    tangents = [r(*p.shape) for p in primals]
    expected_primal, expected_tangent = torch_jvp(fn, primals, tangents)
    primal, tangent = polygrad_jvp(fn, primals, tangents, backend)
    assert_close(primal, expected_primal, rtol=1e-6, what=f"{case} primal")
    assert_close(tangent, expected_tangent, rtol=1e-6, atol=1e-7, what=f"{case} tangent")


#: The only ops whose tangents come from the double-vjp fallback (exact, two small backward
#: passes): each is here for the reason given. Any other op in polygrad.ops without a
#: ``jvp`` next to its ``vjp`` fails ``test_every_op_has_a_tangent_rule``.
USES_DOUBLE_VJP = {
    # cumprod, with torch's exact gradients where entries are 0: its vjp never divides
    # by zero, and a jvp would have to repeat that scan
    "polygrad.ops.cumulative.CumprodBackward0",
    # Fourier transforms are linear, but rfft/irfft/hfft with n= and norm= share three
    # nodes that resize and mirror half spectra; the vjp's adjoints already encode that
    "polygrad.ops.fourier.FftC2CBackward0",
    "polygrad.ops.fourier.FftC2RBackward0",
    "polygrad.ops.fourier.FftR2CBackward0",
    # matrix functions with long rules whose conventions at singular matrices, repeated
    # eigenvalues and gauge freedom (eig, svd) live in the vjp (det: cofactors from an SVD)
    "polygrad.ops.linalg_factor.LinalgCholeskyExBackward0",
    "polygrad.ops.linalg_factor.LinalgEigBackward0",
    "polygrad.ops.linalg_factor.LinalgEighBackward0",
    "polygrad.ops.linalg_factor.LinalgQrBackward0",
    "polygrad.ops.linalg_factor.LinalgSvdBackward0",
    "polygrad.ops.linalg_inverse.LinalgDetBackward0",
    "polygrad.ops.linalg_pinv.LinalgPinvBackward0",
    "polygrad.ops.linalg_inverse.LinalgSlogdetBackward0",
    # LU with partial pivoting: torch's square/wide/tall rules (triangular solves around
    # the pivots) live in the vjp
    "polygrad.ops.linalg_lu.LinalgLuBackward0",
    "polygrad.ops.linalg_lu.LinalgLuFactorExBackward0",
    # every ord (0, inf, -inf, p) with torch's subgradient at 0, in one vjp
    "polygrad.ops.norms.LinalgVectorNormBackward0",
}


def _op_node_classes() -> list[type]:
    """Every node class an op in polygrad.ops records (abstract bases, ``_Name``, left out)."""
    for module in pkgutil.iter_modules(pg.ops.__path__):
        importlib.import_module(f"polygrad.ops.{module.name}")
    found, todo = [], [Node]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("polygrad.ops.") and not cls.__name__.startswith("_"):
            found.append(cls)
    return found


def test_every_op_has_a_tangent_rule() -> None:
    missing = sorted(
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _op_node_classes()
        if _tangent_rules.tangent_rule(cls) is None
    )
    unexpected = [name for name in missing if name not in USES_DOUBLE_VJP]
    assert not unexpected, f"ops without a jvp next to their vjp: {unexpected}"
    stale = sorted(USES_DOUBLE_VJP - set(missing))
    assert not stale, f"these have a jvp now; take them off USES_DOUBLE_VJP: {stale}"


# -- torch's API and errors --------------------------------------------------------------


def test_api_errors_match_torch() -> None:
    x = pg.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="no level exists, make sure to enter_dual_level"):
        fwAD.make_dual(x, x)
    with fwAD.dual_level() as level:
        assert level == 0
        with pytest.raises(
            RuntimeError, match="^Nested forward mode AD is not supported at the moment$"
        ):
            fwAD.enter_dual_level()
        with pytest.raises(
            RuntimeError,
            match=r"Tensor is of size \[2\] while the given forward gradient is of size \[3\]\.",
        ):
            fwAD.make_dual(x, pg.tensor([1.0, 2.0, 3.0]))
        with pytest.raises(
            ValueError,
            match="Expected primal to be floating point or complex, but got: polygrad.int64",
        ):
            fwAD.make_dual(pg.tensor([1, 2]), x)
        with pytest.raises(ValueError, match="Expected tangent to be floating point or complex"):
            fwAD.make_dual(x, pg.tensor([1, 2]))
        dual = fwAD.make_dual(x, x)
        with pytest.raises(
            RuntimeError, match="already has a forward gradient at the same level 0"
        ):
            fwAD.make_dual(dual, x)
        with pytest.raises(RuntimeError, match="not the last one that was created"):
            fwAD.exit_dual_level(level=3)
    with pytest.raises(RuntimeError, match="Dual level must be a positive number."):
        fwAD.exit_dual_level()


def test_unpack_dual_and_level_exit() -> None:
    x = pg.tensor([1.0, 2.0])
    with fwAD.dual_level():
        dual = fwAD.make_dual(x, pg.tensor([3.0, 4.0]))
        unpacked = fwAD.unpack_dual(dual)
        assert isinstance(unpacked, fwAD.UnpackedDualTensor)
        assert unpacked._fields == ("primal", "tangent")
        assert fwAD.unpack_dual(unpacked.primal).tangent is None  # the primal carries none
        assert fwAD.unpack_dual(x).tangent is None
        y = dual * 2
        assert fwAD.unpack_dual(dual.detach()).tangent is None  # as torch: detach drops it
    assert fwAD.unpack_dual(y).tangent is None
    assert fwAD.unpack_dual(y).primal is y
    assert y.grad_fn is None and not y.requires_grad


def test_dual_of_a_tensor_that_requires_grad_builds_both_graphs() -> None:
    w = pg.tensor([1.0, 2.0], dtype=pg.float64, requires_grad=True)
    wt = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    import torch.autograd.forward_ad as tfwAD

    with fwAD.dual_level():
        x = fwAD.make_dual(w, pg.tensor([0.5, -1.0], dtype=pg.float64))
        assert x.grad_fn.name() == "ViewBackward0"
        y = (x * x).sin()
        primal, tangent = fwAD.unpack_dual(y)
        assert y.grad_fn.name() == "SinBackward0"
        (g,) = pg.autograd.grad(tangent.sum(), w)  # reverse over forward
    with tfwAD.dual_level():
        xt = tfwAD.make_dual(wt, torch.tensor([0.5, -1.0], dtype=torch.float64))
        pt, tt = tfwAD.unpack_dual((xt * xt).sin())
        (gt,) = torch.autograd.grad(tt.sum(), wt)
    assert_close(tangent, tt)
    assert_close(g, gt)


@pytest.mark.parametrize("backend", BACKENDS)
def test_in_place_ops_carry_tangents(backend: str) -> None:
    p, t = r(3), r(3)
    with fwAD.dual_level():
        x = fwAD.make_dual(pg_from(p, backend), pg_from(t, backend))
        c = pg_from(np.zeros(3), backend)
        c += x
        c.mul_(x)
        c[0] = x[1] * 3
        primal, tangent = fwAD.unpack_dual(c)
    expected = (t * p + p * t).copy()
    expected[0] = 3 * t[1]
    assert_close(tangent, expected)
    assert_close(primal, np.concatenate([[3 * p[1]], (p * p)[1:]]))


def test_no_grad_keeps_tangents_inference_mode_drops_them() -> None:
    with fwAD.dual_level():
        x = fwAD.make_dual(pg.tensor([1.0, 2.0]), pg.tensor([1.0, 1.0]))
        with pg.no_grad():
            y = x * 3
        with pg.inference_mode():
            z = x * 3
        assert_close(fwAD.unpack_dual(y).tangent, np.array([3.0, 3.0]))
        assert fwAD.unpack_dual(z).tangent is None


def test_forward_over_reverse_hessian_vector_product() -> None:
    """jvp of a create_graph gradient: tangents ride through the backward pass."""
    p, v = r(4), r(4)
    with fwAD.dual_level():
        x = fwAD.make_dual(pg_from(p, "numpy", requires_grad=True), pg_from(v, "numpy"))
        leaf = x * 1
        y = (leaf.sin() * leaf.exp()).sum() + (leaf**3).prod()
        (g,) = pg.autograd.grad(y, leaf, create_graph=True)
        hvp = fwAD.unpack_dual(g).tangent
    expected = torch.autograd.functional.hvp(
        lambda x: (x.sin() * x.exp()).sum() + (x**3).prod(), torch_from(p), torch_from(v)
    )[1]
    assert_close(hvp, expected, rtol=1e-8)


def test_scatter_add_tangent() -> None:
    """``index_add``, the node of x[idx]'s recorded backward: tangents add up too."""
    from polygrad.ops.scatter_add import index_add

    with fwAD.dual_level():
        v = fwAD.make_dual(pg.tensor([1.0, 2.0, 3.0]), pg.tensor([10.0, 20.0, 30.0]))
        out = index_add((2,), (np.array([0, 1, 0]),), v)
        assert_close(fwAD.unpack_dual(out).tangent, np.array([40.0, 20.0]))


def test_dual_repr_and_saved_values_are_plain() -> None:
    with fwAD.dual_level():
        x = fwAD.make_dual(pg.tensor([1.0, 2.0]), pg.tensor([1.0, 1.0]))
        y = x.exp()
        assert "grad_fn" not in repr(y)  # torch: a dual result that needs no grad has none
        assert repr(y).endswith("tangent=tensor([2.7183, 7.3891]))")
        assert to_np(fwAD.unpack_dual(y).tangent).tolist() == pytest.approx(np.exp([1.0, 2.0]))


def test_custom_function_tangents_come_from_its_jvp() -> None:
    class Square(pg.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            ctx.x = x
            return x * x

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return 2 * ctx.x * g

        @staticmethod
        def jvp(ctx: Any, t: Any) -> Any:
            return 3 * ctx.x * t  # deliberately not 2x: proves jvp is what is used

    class NoJvp(pg.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            return x * 2

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g * 2

    with fwAD.dual_level():
        x = fwAD.make_dual(pg.tensor([1.0, 2.0]), pg.tensor([1.0, 1.0]))
        assert_close(fwAD.unpack_dual(Square.apply(x)).tangent, np.array([3.0, 6.0]))
        with pytest.raises(
            NotImplementedError,
            match="^You must implement the jvp function for custom autograd.Function to use it with forward mode AD.$",
        ):
            NoJvp.apply(x)
