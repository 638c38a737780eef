"""The factorizations LAPACK reports on and the standard does not have, written as
array-API code: an LU factorization with partial pivoting (``getrf``) and a Cholesky
factorization that stops at the first leading minor that is not positive-definite
(``potrf``), each with LAPACK's ``info``.

The adapters use them where their library has no native version (array-api-strict,
Dask, NumPy without SciPy) and to find ``info`` where a library only raises or
returns NaN. Both are the unblocked, column-by-column algorithms (one Python step per
column, each step batched), so ``info`` and the pivots are LAPACK's: the first exactly
zero pivot of the LU factorization (1-based, 0 when none), the order of the first
leading minor that is not positive-definite (a pivot that is not > 0, NaN included).
"""

from __future__ import annotations

import math
from typing import Any


def _pivot_magnitude(xp: Any, column: Any) -> Any:
    """LAPACK's ``i?amax`` measure: ``|x|`` for real numbers, ``|re| + |im|`` for complex."""
    if xp.isdtype(column.dtype, "complex floating"):
        return xp.abs(xp.real(column)) + xp.abs(xp.imag(column))
    return xp.abs(column)


def first_zero(xp: Any, diagonal: Any, device: Any) -> Any:
    """The 1-based position of the first exact zero along the last axis (0 when none),
    as int32: LAPACK's ``info`` read off the pivots."""
    if diagonal.shape[-1] == 0:
        return xp.zeros(tuple(diagonal.shape[:-1]), dtype=xp.int32, device=device)
    zero = diagonal == 0
    position = xp.argmax(xp.astype(zero, xp.int32), axis=-1) + 1
    found = xp.any(zero, axis=-1)
    return xp.astype(xp.where(found, position, xp.zeros_like(position)), xp.int32)


def pivoted_lu(xp: Any, a: Any, device: Any) -> tuple[Any, Any, Any]:
    """``(LU, pivots, info)`` of ``a`` (..., m, n) as LAPACK's ``getrf``: ``L`` (unit
    diagonal, not stored) and ``U`` packed in one array, 1-based int32 row swaps."""
    m, n = a.shape[-2], a.shape[-1]
    k_max = min(m, n)
    index = xp.arange(m, device=device)
    rows = xp.reshape(index, (m, 1))
    cols = xp.reshape(xp.arange(n, device=device), (1, n))
    pivots = []
    for k in range(k_max):
        magnitude = _pivot_magnitude(xp, a[..., :, k])
        magnitude = xp.where(index >= k, magnitude, -xp.ones_like(magnitude))
        p = xp.argmax(magnitude, axis=-1)
        pivots.append(p)
        p_rows = xp.expand_dims(xp.expand_dims(p, axis=-1), axis=-1)
        row_k = a[..., k : k + 1, :]
        row_p = xp.sum(xp.where(rows == p_rows, a, xp.zeros_like(a)), axis=-2, keepdims=True)
        a = xp.where(rows == k, row_p, xp.where(rows == p_rows, row_k, a))
        pivot = a[..., k : k + 1, k : k + 1]
        # a zero pivot leaves its column unscaled (it is zero below the diagonal already)
        safe = xp.where(pivot == 0, xp.ones_like(pivot), pivot)
        multipliers = xp.where(rows > k, a[..., :, k : k + 1] / safe, xp.zeros_like(pivot))
        a = xp.where(
            (rows > k) & (cols == k),
            multipliers,
            xp.where((rows > k) & (cols > k), a - multipliers * a[..., k : k + 1, :], a),
        )
    batch = tuple(a.shape[:-2])
    if pivots:
        order = xp.astype(xp.stack(pivots, axis=-1), xp.int32) + 1
    else:
        order = xp.zeros(batch + (0,), dtype=xp.int32, device=device)
    info = first_zero(xp, xp.linalg.diagonal(a)[..., :k_max], device)
    return a, order, info


def partial_cholesky(xp: Any, a: Any, device: Any) -> tuple[Any, Any]:
    """``(L, info)`` for the lower triangle of ``a`` as MKL's ``potrf`` leaves them: the
    columns before the failing pivot factored, the failing pivot ``a_jj - |l_j|^2`` stored
    unrooted, the rest of the lower triangle untouched; ``L`` in full where ``info`` is 0."""
    n = a.shape[-1]
    index = xp.arange(n, device=device)
    batch = tuple(a.shape[:-2])
    failed = xp.zeros(batch, dtype=xp.bool, device=device)
    info = xp.zeros(batch, dtype=xp.int32, device=device)
    columns: list[Any] = []
    for j in range(n):
        original = xp.where(index >= j, a[..., :, j], xp.zeros_like(a[..., :, j]))
        column = original
        if columns:
            done = xp.stack(columns, axis=-1)  # (..., n, j)
            row_j = (
                xp.conj(done[..., j, :])
                if xp.isdtype(a.dtype, "complex floating")
                else done[..., j, :]
            )
            column = column - xp.matmul(done, xp.expand_dims(row_j, axis=-1))[..., 0]
            column = xp.where(index >= j, column, xp.zeros_like(column))
        pivot = (
            xp.real(column[..., j]) if xp.isdtype(a.dtype, "complex floating") else column[..., j]
        )
        bad = ~(pivot > 0)
        newly = bad & ~failed
        info = xp.where(newly, xp.full_like(info, j + 1), info)
        root = xp.sqrt(xp.where(bad, xp.ones_like(pivot), pivot))
        root = xp.astype(root, a.dtype)
        factored = xp.where(
            index == j, xp.expand_dims(root, axis=-1), column / xp.expand_dims(root, axis=-1)
        )
        at_failure = xp.where(index == j, column, original)
        column = xp.where(
            xp.expand_dims(failed, axis=-1),
            original,
            xp.where(xp.expand_dims(newly, axis=-1), at_failure, factored),
        )
        failed = failed | bad
        columns.append(column)
    if not columns:
        return xp.zeros_like(a), info
    return xp.stack(columns, axis=-1), info


#: Higham's degree-13 Padé coefficients and the 1-norm up to which they are exact
#: to double precision without scaling ("The scaling and squaring method revisited", 2005).
_PADE13 = (
    64764752532480000.0,
    32382376266240000.0,
    7771770303897600.0,
    1187353796428800.0,
    129060195264000.0,
    10559470521600.0,
    670442572800.0,
    33522128640.0,
    1323241920.0,
    40840800.0,
    960960.0,
    16380.0,
    182.0,
    1.0,
)
_THETA13 = 5.371920351148152


def pade_matrix_exp(xp: Any, a: Any, device: Any) -> Any:
    """``exp(a)`` by scaling and squaring with the degree-13 Padé approximant, one scaling
    for the whole batch (the largest 1-norm's; read from the values)."""
    n = a.shape[-1]
    if n == 0 or a.ndim > 2 and 0 in a.shape[:-2]:
        return xp.asarray(a, copy=True)
    norm = float(xp.max(xp.sum(xp.abs(a), axis=-2)))
    squarings = max(0, math.ceil(math.log2(norm / _THETA13))) if norm > 0 else 0
    a = a / float(2**squarings)
    b = _PADE13
    eye = xp.eye(n, dtype=a.dtype, device=device)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (
        a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye
    )
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    result = xp.linalg.solve(v - u, v + u)
    for _ in range(squarings):
        result = result @ result
    return result
