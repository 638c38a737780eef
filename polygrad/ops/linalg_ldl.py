"""The LDL factorization of symmetric / Hermitian matrices: ``linalg.ldl_factor``,
``linalg.ldl_factor_ex`` and ``linalg.ldl_solve``, with torch's names, results and errors.

The factorization is LAPACK's unblocked Bunch-Kaufman ``?sytf2`` (``?hetf2`` with
``hermitian=True`` for complex input), lower triangle, written as array-API code: one
Python step per column, each step batched, the pivot choice (1x1 or 2x2 block, which
row to bring up) made per matrix with ``where``. So ``LD`` (the multipliers below the
diagonal, ``D``'s blocks on and next to it, the upper triangle zero) and the 1-based
int32 ``pivots`` (negative for a 2x2 block) are LAPACK's for the sizes ``?sytrf``
factors unblocked (n up to its block size, 64 in the reference LAPACK); larger matrices
get the same factorization as far as rounding lets the pivot choices agree. The solve
is ``?sytrs`` / ``?hetrs`` on that packed form.

torch differentiates none of these, and neither does this: the results are constants.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from .._core._record import operand
from .._core._tensor import Tensor, _make
from .._core._torch_type_names import scalar_type_name

_ALPHA = (1 + math.sqrt(17)) / 8  # Bunch-Kaufman's growth bound


class LDLFactorResult(NamedTuple):
    LD: Tensor
    pivots: Tensor


class LDLFactorExResult(NamedTuple):
    LD: Tensor
    pivots: Tensor
    info: Tensor


class _Ops:
    """The array helpers of one call: ``xp``, the index grids, and the magnitudes and
    conjugations of the routine (``?sytf2`` never conjugates; ``?hetf2`` does)."""

    def __init__(self, xp: Any, n: int, dtype: Any, hermitian: bool, device: Any) -> None:
        self.xp = xp
        self.device = device
        self.complex = xp.isdtype(dtype, "complex floating")
        self.herm = hermitian and self.complex
        self.idx = xp.arange(n, device=device)
        self.rows = xp.reshape(self.idx, (n, 1))
        self.cols = xp.reshape(self.idx, (1, n))

    def mag(self, v: Any) -> Any:
        """LAPACK's ``cabs1`` (``|re| + |im|``) for complex numbers, ``|v|`` for real."""
        xp = self.xp
        return xp.abs(xp.real(v)) + xp.abs(xp.imag(v)) if self.complex else xp.abs(v)

    def conj(self, v: Any) -> Any:
        return self.xp.conj(v) if self.herm else v

    def real(self, v: Any) -> Any:
        return self.xp.real(v) if self.herm else v

    def mirror(self, s: Any, from_row: int) -> Any:
        """The trailing block (from ``from_row``) made symmetric / Hermitian from its lower
        triangle, as LAPACK, which only keeps that triangle, sees it."""
        xp, rows, cols = self.xp, self.rows, self.cols
        upper = (rows < cols) & (rows >= from_row)
        s = xp.where(upper, self.conj(xp.matrix_transpose(s)), s)
        if self.herm:
            on = (rows == cols) & (rows >= from_row)
            s = xp.where(on, xp.astype(xp.real(s), s.dtype), s)
        return s

    def pick(self, v: Any, at: Any) -> Any:
        """``v[..., at]`` for a per-matrix index ``at``."""
        xp = self.xp
        chosen = self.idx == xp.expand_dims(at, axis=-1)
        return xp.sum(xp.where(chosen, v, xp.zeros_like(v)), axis=-1)

    def swap_rows(self, s: Any, i: Any, j: Any, active: Any, from_col: int = 0) -> Any:
        """Rows ``i`` and ``j`` (per-matrix indices) of ``s`` exchanged in the columns from
        ``from_col``, where ``active``."""
        xp, rows = self.xp, self.rows
        i = xp.expand_dims(xp.expand_dims(i, axis=-1), axis=-1)
        j = xp.expand_dims(xp.expand_dims(j, axis=-1), axis=-1)
        zeros = xp.zeros_like(s)
        row_i = xp.sum(xp.where(rows == i, s, zeros), axis=-2, keepdims=True)
        row_j = xp.sum(xp.where(rows == j, s, zeros), axis=-2, keepdims=True)
        swapped = xp.where(rows == i, row_j, xp.where(rows == j, row_i, s))
        keep = xp.expand_dims(xp.expand_dims(active, axis=-1), axis=-1)
        if from_col:
            keep = keep & (self.cols >= from_col)
        return xp.where(keep, swapped, s)


def _safe(xp: Any, v: Any, bad: Any) -> Any:
    return xp.where(bad, xp.ones_like(v), v)


def _factor(xp: Any, a: Any, hermitian: bool, device: Any) -> tuple[Any, Any, Any]:
    n = a.shape[-1]
    batch = tuple(a.shape[:-2])
    o = _Ops(xp, n, a.dtype, hermitian, device)
    rows, cols, idx = o.rows, o.cols, o.idx
    s = o.mirror(xp.where(rows >= cols, a, xp.zeros_like(a)), 0)
    pivots = xp.broadcast_to(xp.astype(idx + 1, xp.int32), batch + (n,))
    info = xp.zeros(batch, dtype=xp.int32, device=device)
    skip = xp.zeros(batch, dtype=xp.bool, device=device)
    for k in range(n):
        active = ~skip
        column = s[..., :, k]
        diagonal = xp.linalg.diagonal(s)
        absakk = xp.abs(xp.real(s[..., k, k])) if o.herm else o.mag(s[..., k, k])
        below = xp.where(idx > k, o.mag(column), -xp.ones_like(xp.real(column)))
        imax = xp.argmax(below, axis=-1)
        colmax = xp.max(below, axis=-1) if k < n - 1 else xp.zeros_like(absakk)
        row = xp.sum(xp.where(rows == imax[..., None, None], s, xp.zeros_like(s)), axis=-2)
        others = (idx >= k) & (idx != xp.expand_dims(imax, axis=-1))
        rowmax = xp.max(xp.where(others, o.mag(row), xp.zeros_like(xp.real(row))), axis=-1)
        at_imax = o.pick(diagonal, imax)
        aimax = xp.abs(xp.real(at_imax)) if o.herm else o.mag(at_imax)
        zero = (xp.maximum(absakk, colmax) == 0) | xp.isnan(absakk)
        no_swap = (
            zero
            | (absakk >= _ALPHA * colmax)
            | (absakk >= _ALPHA * colmax * (colmax / _safe(xp, rowmax, rowmax == 0)))
        )
        two = active & ~no_swap & ~(aimax >= _ALPHA * rowmax)
        kp = xp.where(no_swap, xp.full_like(imax, k), imax)
        kk = xp.where(two, xp.full_like(imax, k + 1), xp.full_like(imax, k))
        s = o.swap_rows(s, kk, kp, active, from_col=k)
        s = xp.matrix_transpose(o.swap_rows(xp.matrix_transpose(s), kk, kp, active, from_col=k))
        info = xp.where(active & zero & (info == 0), xp.full_like(info, k + 1), info)
        code = xp.astype(kp + 1, xp.int32)
        pivots = xp.where(
            (idx == k) & xp.expand_dims(active, axis=-1),
            xp.expand_dims(xp.where(two, -code, code), axis=-1),
            pivots,
        )
        pivots = xp.where((idx == k + 1) & xp.expand_dims(two, axis=-1), -code[..., None], pivots)
        one = active & ~two & ~zero
        s = xp.where(one[..., None, None], _one_by_one(o, s, k), s)
        if k < n - 1:
            s = xp.where(two[..., None, None], _two_by_two(o, s, k, two), s)
        skip = two
    ld = xp.where(rows >= cols, s, xp.zeros_like(s))
    return ld, pivots, info


def _one_by_one(o: _Ops, s: Any, k: int) -> Any:
    """``?syr``'s rank-one update of the trailing block by a 1x1 pivot, then its column
    scaled into the multipliers."""
    xp, rows, cols = o.xp, o.rows, o.cols
    d = o.real(s[..., k, k])
    r = 1 / _safe(xp, d, d == 0)
    if o.herm:
        r = xp.astype(r, s.dtype)
    x = xp.where(o.idx > k, s[..., :, k], xp.zeros_like(s[..., :, k]))
    temp = r[..., None] * o.conj(x)
    trailing = (rows > k) & (cols > k)
    s = xp.where(trailing, s - x[..., :, None] * temp[..., None, :], s)
    s = xp.where((cols == k) & (rows > k), (x * r[..., None])[..., :, None], s)
    return o.mirror(s, k + 1)


def _two_by_two(o: _Ops, s: Any, k: int, two: Any) -> Any:
    """The trailing update by a 2x2 pivot block, LAPACK's formulas for ``W D^-1``."""
    xp, rows, cols = o.xp, o.rows, o.cols
    a_k, a_k1 = s[..., :, k], s[..., :, k + 1]
    d21 = _safe(xp, s[..., k + 1, k], ~two)
    if o.herm:
        d = xp.abs(d21)
        d11 = xp.real(s[..., k + 1, k + 1]) / d
        d22 = xp.real(s[..., k, k]) / d
        scale = xp.astype((1 / _safe(xp, d11 * d22 - 1, ~two)) / d, s.dtype)
        unit = d21 / xp.astype(d, s.dtype)
        d11, d22 = xp.astype(d11, s.dtype), xp.astype(d22, s.dtype)
        wk = scale[..., None] * (d11[..., None] * a_k - unit[..., None] * a_k1)
        wk1 = scale[..., None] * (d22[..., None] * a_k1 - xp.conj(unit)[..., None] * a_k)
    else:
        d11 = s[..., k + 1, k + 1] / d21
        d22 = s[..., k, k] / d21
        scale = (1 / _safe(xp, d11 * d22 - 1, ~two)) / d21
        wk = scale[..., None] * (d11[..., None] * a_k - a_k1)
        wk1 = scale[..., None] * (d22[..., None] * a_k1 - a_k)
    trailing = (rows > k + 1) & (cols > k + 1)
    update = a_k[..., :, None] * o.conj(wk)[..., None, :]
    update = update + a_k1[..., :, None] * o.conj(wk1)[..., None, :]
    s = xp.where(trailing, s - update, s)
    s = xp.where((cols == k) & (rows > k + 1), wk[..., :, None], s)
    s = xp.where((cols == k + 1) & (rows > k + 1), wk1[..., :, None], s)
    return o.mirror(s, k + 2)


def _check_matrix(x: Tensor, name: str) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if x.shape[-1] != x.shape[-2]:
        raise RuntimeError(
            f"{name}: A must be batches of square matrices, but they are "
            f"{x.shape[-2]} by {x.shape[-1]} matrices"
        )


def _floating(x: Tensor, name: str, label: str) -> None:
    if not x._backend.xp.isdtype(x._data.dtype, ("real floating", "complex floating")):
        raise RuntimeError(
            f"{name}: Expected a floating point or complex tensor as {label}. "
            f"Got {scalar_type_name(x.dtype.name)}"
        )


def ldl_factor_ex(
    A: Any,  # noqa: N803 - torch's name
    *,
    hermitian: bool = False,
    check_errors: bool = False,
) -> LDLFactorExResult:
    """torch.linalg.ldl_factor_ex: ``(LD, pivots, info)`` of the symmetric (Hermitian if
    ``hermitian``) matrices whose lower triangle is ``A``'s, ``info`` the 1-based column
    where ``D`` has a zero 1x1 block (0 when none)."""
    a = operand(A)
    name = "torch.linalg.ldl_factor_ex"
    _check_matrix(a, name)
    _floating(a, name, "input")
    backend = a._backend
    ld, pivots, info = _factor(backend.xp, a._data, hermitian, backend.device_of(a._data))
    if check_errors:
        _raise_for_info(backend, info, "torch.linalg.ldl_factor_ex")
    return LDLFactorExResult(_make(ld, backend), _make(pivots, backend), _make(info, backend))


def _raise_for_info(backend: Any, info: Any, name: str) -> None:
    """torch has no message of its own for a singular ``D``: it reports LAPACK's code."""
    if not backend.values_readable():
        return
    codes = backend.to_numpy(info).reshape(-1)
    failed = codes.nonzero()[0]
    if len(failed):
        raise RuntimeError(f"{name}: Unknown error code: {int(codes[failed[0]])}.")


def ldl_factor(A: Any, *, hermitian: bool = False) -> LDLFactorResult:  # noqa: N803
    """torch.linalg.ldl_factor: ``(LD, pivots)`` as ``ldl_factor_ex`` gives them, raising
    where ``D`` is singular."""
    ld, pivots, info = ldl_factor_ex(A, hermitian=hermitian)
    _raise_for_info(ld._backend, info._data, "torch.linalg.ldl_factor")
    return LDLFactorResult(ld, pivots)
