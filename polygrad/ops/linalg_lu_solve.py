"""Solving with an LU factorization: ``linalg.lu_solve(LU, pivots, B, *, left, adjoint)``
and ``lu_unpack(LU, pivots)`` (torch's names and results).

Both are composed of ops that record their own nodes (triangular solves, ``tril`` /
``triu``, a product with the constant permutation ``P``), so their gradients with
respect to ``LU`` and ``B`` (first and higher order) are those of the composition:
the same as torch's, which differentiates the same formulas.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._core._record import operand
from .._core._tensor import Tensor, _make
from .complex import conj
from .grids import tril, triu
from .linalg_lu import permutation
from .linalg_triangular import solve_triangular
from .products import matmul
from .shape import matrix_transpose


class LUUnpackResult(NamedTuple):
    P: Tensor
    L: Tensor
    U: Tensor


def _mh(x: Tensor) -> Tensor:
    return matrix_transpose(conj(x))


def _permutation(lu_data: Tensor, pivots: Any) -> Tensor:
    """The constant ``P`` (``A = P L U``) in ``lu_data``'s dtype, on its device."""
    backend = lu_data._backend
    pivots = operand(pivots, lu_data)
    p = permutation(backend, pivots._data, lu_data.shape[-2])
    return _make(backend.xp.astype(p, lu_data._data.dtype), backend)


def _check_pivots(lu_data: Tensor, pivots: Any, name: str) -> Tensor:
    pivots = operand(pivots, lu_data)
    if lu_data.ndim < 2:
        raise RuntimeError(
            f"{name}: Expected tensor with 2 or more dimensions. "
            f"Got size: {list(lu_data.shape)} instead"
        )
    if not pivots._backend.xp.isdtype(pivots._data.dtype, "integral"):
        raise RuntimeError(f"{name}: pivots should be a tensor of an integer dtype")
    if tuple(pivots.shape[-1:]) != (min(lu_data.shape[-2:]),):
        raise RuntimeError(
            f"{name}: The size of LU_pivots must match min(m, n) of LU_data, "
            f"got {pivots.shape[-1] if pivots.ndim else 0} and {min(lu_data.shape[-2:])}"
        )
    return pivots


def lu_unpack(
    LU_data: Any,  # noqa: N803 - torch's names
    LU_pivots: Any,  # noqa: N803
    unpack_data: bool = True,
    unpack_pivots: bool = True,
) -> LUUnpackResult:
    """torch.lu_unpack: ``(P, L, U)`` from ``linalg.lu_factor``'s packed result
    (``L`` unit lower triangular m x k, ``U`` upper triangular k x n); a factor not
    asked for (``unpack_data`` / ``unpack_pivots`` false) is an empty tensor."""
    lu_data = operand(LU_data)
    pivots = _check_pivots(lu_data, LU_pivots, "torch.lu_unpack")
    backend = lu_data._backend
    m, n = lu_data.shape[-2], lu_data.shape[-1]
    k = min(m, n)
    empty = _make(backend.xp.zeros((0,), dtype=lu_data._data.dtype), backend)
    lower = upper = empty
    if unpack_data:
        raw = backend.xp
        eye = raw.eye(m, k, dtype=lu_data._data.dtype, device=backend.device_of(lu_data._data))
        lower = tril(lu_data[..., :, :k], k=-1) + _make(eye, backend)
        upper = triu(lu_data[..., :k, :])
    p = _permutation(lu_data, pivots) if unpack_pivots else empty
    return LUUnpackResult(p, lower, upper)


def lu_solve(
    LU: Any,  # noqa: N803 - torch's names
    pivots: Any,
    B: Any,  # noqa: N803
    *,
    left: bool = True,
    adjoint: bool = False,
) -> Tensor:
    """torch.linalg.lu_solve: ``X`` with ``A X = B`` (``X A = B`` if not ``left``; ``A^H``
    for ``A`` with ``adjoint``), ``A = P L U`` given packed as ``linalg.lu_factor``
    returns it. Batch dimensions broadcast."""
    lu_data = operand(LU)
    pivots = _check_pivots(lu_data, pivots, "linalg.lu_solve")
    b = operand(B, lu_data)
    if lu_data.shape[-1] != lu_data.shape[-2]:
        raise RuntimeError(
            "linalg.lu_solve: A must be batches of square matrices, but they are "
            f"{lu_data.shape[-2]} by {lu_data.shape[-1]} matrices"
        )
    if b.ndim < 2:
        raise RuntimeError("linalg.lu_solve: The input tensor B must have at least 2 dimensions.")
    if not left:  # X A = B is A^H X^H = B^H
        return _mh(_left_solve(lu_data, pivots, _mh(b), not adjoint))
    return _left_solve(lu_data, pivots, b, adjoint)


def _left_solve(lu_data: Tensor, pivots: Tensor, b: Tensor, adjoint: bool) -> Tensor:
    p = _permutation(lu_data, pivots)
    if adjoint:  # A^H = U^H L^H P^T: X = P L^-H U^-H B
        lu_h = _mh(lu_data)
        y = solve_triangular(lu_h, b, upper=False)
        return matmul(p, solve_triangular(lu_h, y, upper=True, unitriangular=True))
    y = solve_triangular(lu_data, matmul(matrix_transpose(p), b), upper=False, unitriangular=True)
    return solve_triangular(lu_data, y, upper=True)
