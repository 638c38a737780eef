"""LU factorizations for ``polygrad.linalg``: ``lu_factor``, ``lu_factor_ex``, ``lu``
(torch's names, results and nodes: ``LinalgLuFactorExBackward0``, ``LinalgLuBackward0``)
and ``solve_ex``.

The factorization is the adapter's (``getrf``: torch's and JAX's own, else partial
pivoting in array-API code, ``backends/_factorizations.py``), so pivots and ``info``
are LAPACK's on every backend. ``A = P L U``; the gradient is torch's (square
matrices: ``gA = P L^-H (tril(L^H gL, -1) + triu(gU U^H)) U^-H``), written in array-API
code so it is differentiable again; wide and tall matrices take torch's formulas for
them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._core._node import Node
from .._core._record import MultiOutputNode, operand, record_multi
from .._core._tensor import Tensor, _make
from ._matrix import mH
from .elementwise import where
from .linalg_inverse import raise_for_info, torch_solve


class LUFactorResult(NamedTuple):
    LU: Tensor
    pivots: Tensor


class LUFactorExResult(NamedTuple):
    LU: Tensor
    pivots: Tensor
    info: Tensor


class LUResult(NamedTuple):
    P: Tensor
    L: Tensor
    U: Tensor


class SolveExResult(NamedTuple):
    result: Tensor
    info: Tensor


def _raw(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _grid(backend: Any, rows: int, cols: int, device: Any) -> tuple[Any, Any]:
    raw = backend.xp
    i = raw.reshape(raw.arange(rows, device=device), (rows, 1))
    return i, raw.reshape(raw.arange(cols, device=device), (1, cols))


def permutation(backend: Any, pivots: Any, m: int) -> Any:
    """The permutation matrix ``P`` of LAPACK's 1-based row swaps (``A = P L U``)."""
    raw = backend.xp
    device = backend.device_of(pivots)
    rows = raw.arange(m, device=device)
    order = raw.broadcast_to(rows, tuple(pivots.shape[:-1]) + (m,))
    for i in range(pivots.shape[-1]):  # apply the swaps in order: row i <-> pivots[i] - 1
        target = raw.expand_dims(raw.astype(pivots[..., i], order.dtype) - 1, axis=-1)
        at_i = order[..., i : i + 1]
        at_target = raw.sum(raw.where(rows == target, order, raw.zeros_like(order)), axis=-1)
        at_target = raw.expand_dims(at_target, axis=-1)
        order = raw.where(rows == i, at_target, raw.where(rows == target, at_i, order))
    return raw.expand_dims(order, axis=-2) == raw.expand_dims(rows, axis=-1)


def unpack(backend: Any, xp: Any, lu_data: Any, pivots: Any) -> tuple[Any, Any, Any]:
    """``(P, L, U)`` from the packed factorization (``lu_data`` raw or a Tensor)."""
    m, n = lu_data.shape[-2], lu_data.shape[-1]
    k = min(m, n)
    device = lu_data.device if isinstance(lu_data, Tensor) else backend.device_of(lu_data)
    i, j = _grid(backend, m, k, device)
    lower = xp.where(i > j, lu_data[..., :, :k], 0.0)
    lower = xp.where(i == j, 1.0, lower)
    i, j = _grid(backend, k, n, device)
    upper = xp.where(i <= j, lu_data[..., :k, :], 0.0)
    p = backend.xp.astype(permutation(backend, _raw(pivots), m), _raw(lu_data).dtype)
    return p, lower, upper


def _lu_grad(node: Node, xp: Any, p: Any, lower: Any, upper: Any, g_l: Any, g_u: Any) -> Any:
    """torch's ``linalg_lu_backward``: square, wide (``m < n``) and tall matrices."""
    m, n = lower.shape[-2], upper.shape[-1]
    k = min(m, n)
    device = lower.device if isinstance(lower, Tensor) else node._backend.device_of(lower)
    i, j = _grid(node._backend, k, k, device)
    strict_lower, on_or_above = i > j, i <= j
    if m <= n:  # gA = P L^-H [(tril(L^H gL - triu(gU) U^H, -1) U1^-H + triu(gU1)), gU2]
        g_u = xp.where(
            _grid(node._backend, k, n, device)[0] <= _grid(node._backend, k, n, device)[1], g_u, 0.0
        )
        inner = xp.where(strict_lower, mH(xp, lower) @ g_l - g_u @ mH(xp, upper), 0.0)
        inner = mH(xp, xp.linalg.solve(upper[..., :k], mH(xp, inner))) + g_u[..., :k]
        if n > m:
            inner = xp.concat([inner, g_u[..., k:]], axis=-1)
        grad = xp.linalg.solve(mH(xp, lower), inner)
    else:  # gA = P [(L1^-H triu(gU U^H - L^H tril(gL, -1)) + tril(gL1, -1)), gL2] U^-H
        rows, cols = _grid(node._backend, m, k, device)
        g_l = xp.where(rows > cols, g_l, 0.0)
        inner = xp.where(on_or_above, g_u @ mH(xp, upper) - mH(xp, lower) @ g_l, 0.0)
        inner = xp.linalg.solve(mH(xp, lower[..., :k, :]), inner) + g_l[..., :k, :]
        inner = xp.concat([inner, g_l[..., k:, :]], axis=-2)
        grad = mH(xp, xp.linalg.solve(upper, mH(xp, inner)))
    if isinstance(grad, Tensor):
        p = _make(p, node._backend)
    return p @ grad


class LinalgLuFactorExBackward0(MultiOutputNode):
    __slots__ = ()
    _saved_from = (-1, -2)

    def vjp(self, xp: Any, grads: Any, lu_data: Any, pivots: Any) -> tuple[Any, ...]:
        p, lower, upper = unpack(self._backend, xp, lu_data, pivots)
        g = grads[0]
        k = min(g.shape[-2], g.shape[-1])
        g_l, g_u = g[..., :, :k], g[..., :k, :]  # the rule keeps the triangles it reads
        return (_lu_grad(self, xp, p, lower, upper, g_l, g_u),)


class LinalgLuBackward0(MultiOutputNode):
    __slots__ = ()
    _saved_from = (-1, -2, -3)

    def vjp(self, xp: Any, grads: Any, p: Any, lower: Any, upper: Any) -> tuple[Any, ...]:
        return (_lu_grad(self, xp, _raw(p), lower, upper, grads[1], grads[2]),)


def _factor(x: Any, name: str) -> tuple[Tensor, Any, Any, Any]:
    """``(x, LU, pivots, info)`` from the adapter, after torch's shape check."""
    x = operand(x)
    if x.ndim < 2:
        raise RuntimeError(
            f"{name}: Expected tensor with 2 or more dimensions. Got size: {list(x.shape)} instead"
        )
    return (x, *x._backend.lu_factor_ex(x._data))


def _pivot_only(pivot: bool, name: str) -> None:
    if not pivot:
        raise RuntimeError(f"{name}: LU without pivoting is not implemented on the CPU")


def lu_factor_ex(
    A: Any,  # noqa: N803 - torch's names
    *,
    pivot: bool = True,
    check_errors: bool = False,
) -> LUFactorExResult:
    """torch.linalg.lu_factor_ex: the packed factorization ``LU`` (``L`` below the
    diagonal, unit diagonal not stored, ``U`` on and above), LAPACK's 1-based int32
    ``pivots`` and ``info`` (the first zero pivot, 0 when none)."""
    _pivot_only(pivot, "linalg.lu_factor_ex")
    x, lu_data, pivots, info = _factor(A, "torch.lu_factor")  # torch's wording
    if check_errors:
        raise_for_info(x._backend, info, "lu_factor_ex", _zero_pivot)
    outs = record_multi(
        LinalgLuFactorExBackward0,
        (x,),
        (lu_data, pivots, info),
        x._backend,
        differentiable=(True, False, False),
    )
    return LUFactorExResult(*outs)


def _zero_pivot(code: int) -> str:
    return (
        f"The factorization could not be completed because the input is singular "
        f"(U[{code},{code}] is zero)."
    )


def lu_factor(A: Any, *, pivot: bool = True) -> LUFactorResult:  # noqa: N803
    """torch.linalg.lu_factor: ``(LU, pivots)``; a zero pivot raises as torch does."""
    result = lu_factor_ex(A, pivot=pivot)
    raise_for_info(result.info._backend, result.info._data, "torch.linalg.lu_factor", _division)
    return LUFactorResult(result.LU, result.pivots)


def _division(code: int) -> str:
    return (
        f"U[{code},{code}] is zero and using it on lu_solve would result in a division by "
        "zero. If you still want to perform the factorization, consider calling "
        "linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)"
    )


def lu(A: Any, *, pivot: bool = True) -> LUResult:  # noqa: N803
    """torch.linalg.lu: ``(P, L, U)`` with ``A = P L U``, ``L`` unit lower triangular
    (m x k), ``U`` upper triangular (k x n); ``P`` never requires grad."""
    _pivot_only(pivot, "linalg.lu")
    x, lu_data, pivots, _ = _factor(A, "linalg.lu")
    backend = x._backend
    p, lower, upper = unpack(backend, backend.xp, lu_data, pivots)
    outs = record_multi(
        LinalgLuBackward0, (x,), (p, lower, upper), backend, differentiable=(False, True, True)
    )
    return LUResult(*outs)


def _solver_failed(code: int) -> str:
    return "The solver failed because the input matrix is singular."


def solve_ex(
    A: Any,  # noqa: N803 - torch's names
    B: Any,  # noqa: N803
    *,
    left: bool = True,
    check_errors: bool = False,
) -> SolveExResult:
    """torch.linalg.solve_ex: ``(result, info)``, the solution of ``A X = B`` (``X A = B``
    if not ``left``) and ``inv_ex``'s ``info`` for ``A``; ``check_errors=True`` raises
    ``LinAlgError`` for a singular ``A``."""
    a = operand(A)
    backend = a._backend
    info = backend.inv_ex(a._data)[1] if a.ndim >= 2 else None
    if info is not None and check_errors:
        raise_for_info(backend, info, "torch.linalg.solve_ex", _solver_failed)
    if info is not None and backend.values_readable() and bool(backend.xp.any(info != 0)):
        # torch's solution there is unspecified (inf/NaN): solve the identity instead
        raw = backend.xp
        eye = raw.eye(a.shape[-1], dtype=a._data.dtype, device=backend.device_of(a._data))
        singular = raw.expand_dims(raw.expand_dims(info != 0, axis=-1), axis=-1)
        a = where(_make(singular, backend), _make(eye, backend), a)
    result = torch_solve(a, B, left=left)
    return SolveExResult(result, _make(info, backend))
