"""``linalg.ldl_solve(LD, pivots, B, *, hermitian)``: LAPACK's ``?sytrs`` / ``?hetrs``
(lower) on the packed factorization ``linalg.ldl_factor`` returns, in array-API code:
the row interchanges and the 1x1 / 2x2 blocks of ``D`` read off the pivots per matrix,
one Python step per row, each step batched. Batch dimensions of ``LD`` and ``B``
broadcast, as torch's. Not differentiated, as in torch.
"""

from __future__ import annotations

from typing import Any

from .._core._record import operand
from .._core._tensor import Tensor, _make
from .._core._torch_type_names import scalar_type_name
from .linalg_ldl import _check_matrix, _Ops, _safe
from .manipulation import broadcast_shapes


def _row(b: Any, k: int) -> Any:
    return b[..., k : k + 1, :]


def _solve(o: _Ops, ld: Any, pivots: Any, b: Any) -> Any:
    xp, rows = o.xp, o.rows
    n = ld.shape[-1]
    batch = tuple(pivots.shape[:-1])
    skip = xp.zeros(batch, dtype=xp.bool, device=o.device)
    second = []  # per row: the second row of a 2x2 block
    first = []
    for k in range(n):  # L D Y = P^T B, forward
        active = ~skip
        two = active & (pivots[..., k] < 0) if k < n - 1 else xp.zeros_like(active)
        first.append(two)
        second.append(skip)
        code = pivots[..., k]
        kp = xp.astype(xp.where(code < 0, -code, code) - 1, xp.int64)
        one = active & ~two
        b1 = o.swap_rows(b, xp.full_like(kp, k), kp, one)
        b1 = xp.where(rows > k, b1 - ld[..., :, k : k + 1] * _row(b1, k), b1)
        d = o.real(ld[..., k, k])
        r = 1 / _safe(xp, d, d == 0)
        r = xp.astype(r, b.dtype) if o.herm else r
        b1 = xp.where(rows == k, b1 * r[..., None, None], b1)
        b = xp.where(one[..., None, None], b1, b)
        if k < n - 1:
            b = xp.where(two[..., None, None], _two_forward(o, ld, b, k, kp, two), b)
        skip = two
    for k in range(n - 1, -1, -1):  # L^H X = Y, backward
        pair, single = second[k], ~second[k] & ~first[k]
        tail = xp.where(rows > k, b, xp.zeros_like(b))
        reduced = b - xp.where(rows == k, _dot(o, ld[..., :, k], tail), xp.zeros_like(b))
        if k > 0:
            reduced = reduced - xp.where(
                (rows == k - 1) & pair[..., None, None],
                _dot(o, ld[..., :, k - 1], tail),
                xp.zeros_like(b),
            )
        code = pivots[..., k]
        kp = xp.astype(xp.where(code < 0, -code, code) - 1, xp.int64)
        reduced = o.swap_rows(reduced, xp.full_like(kp, k), kp, pair | single)
        b = xp.where((pair | single)[..., None, None], reduced, b)
    return b


def _dot(o: _Ops, column: Any, tail: Any) -> Any:
    """``column^T tail`` (``column^H`` for ``?hetrs``) as one row."""
    xp = o.xp
    return xp.sum(o.conj(column)[..., :, None] * tail, axis=-2, keepdims=True)


def _two_forward(o: _Ops, ld: Any, b: Any, k: int, kp: Any, two: Any) -> Any:
    xp, rows = o.xp, o.rows
    b = o.swap_rows(b, xp.full_like(kp, k + 1), kp, two)
    b = xp.where(rows > k + 1, b - ld[..., :, k : k + 1] * _row(b, k), b)
    b = xp.where(rows > k + 1, b - ld[..., :, k + 1 : k + 2] * _row(b, k + 1), b)
    akm1k = _safe(xp, ld[..., k + 1, k], ~two)[..., None, None]
    lower = xp.conj(akm1k) if o.herm else akm1k
    akm1 = ld[..., k : k + 1, k : k + 1] / lower
    ak = ld[..., k + 1 : k + 2, k + 1 : k + 2] / akm1k
    denom = _safe(xp, akm1 * ak - 1, ~two[..., None, None])
    bkm1 = _row(b, k) / lower
    bk = _row(b, k + 1) / akm1k
    b = xp.where(rows == k, (ak * bkm1 - bk) / denom, b)
    return xp.where(rows == k + 1, (akm1 * bk - bkm1) / denom, b)


def ldl_solve(
    LD: Any,  # noqa: N803 - torch's names
    pivots: Any,
    B: Any,  # noqa: N803
    *,
    hermitian: bool = False,
) -> Tensor:
    """torch.linalg.ldl_solve: ``X`` with ``A X = B``, ``A`` given by ``ldl_factor``'s
    ``(LD, pivots)`` (computed with the same ``hermitian``)."""
    ld = operand(LD)
    piv = operand(pivots, ld)
    b = operand(B, ld)
    name = "torch.linalg.ldl_solve"
    _check_matrix(ld, name)
    if b.ndim < 2:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [-{max(b.ndim, 1)}, "
            f"{max(b.ndim, 1) - 1}], but got -2)"
        )
    backend = ld._backend
    xp = backend.xp
    if not xp.isdtype(piv._data.dtype, "integral"):
        raise RuntimeError(
            f"{name}: Expected pivots to be integers. Got {scalar_type_name(piv.dtype.name)}"
        )
    if tuple(piv.shape) != tuple(ld.shape[:-1]):
        raise RuntimeError(
            f"{name}: Expected LD.shape[:-1] and pivots.shape to be the same, but got "
            f"pivots with shape {list(piv.shape)} instead"
        )
    if b.dtype != ld.dtype:
        raise RuntimeError(
            f"Expected b and A to have the same dtype, but found b of type "
            f"{scalar_type_name(b.dtype.name)} and A of type "
            f"{scalar_type_name(ld.dtype.name)} instead."
        )
    n = ld.shape[-1]
    if b.shape[-2] != n:
        raise RuntimeError(
            f"Incompatible matrix sizes for {name}: each A matrix is {n} by {n} but each b "
            f"matrix is {b.shape[-2]} by {b.shape[-1]}"
        )
    batch = broadcast_shapes(tuple(ld.shape[:-2]), tuple(b.shape[:-2]))
    ld_data = xp.broadcast_to(ld._data, batch + (n, n))
    piv_data = xp.broadcast_to(piv._data, batch + (n,))
    b_data = xp.broadcast_to(b._data, batch + tuple(b.shape[-2:]))
    o = _Ops(xp, n, ld._data.dtype, hermitian, backend.device_of(ld._data))
    return _make(_solve(o, ld_data, piv_data, b_data), backend)
