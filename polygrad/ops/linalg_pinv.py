"""Pseudo-inverses and numerical rank for ``polygrad.linalg``: ``pinv`` and
``matrix_rank`` with torch's ``atol``, ``rtol`` and ``hermitian``.

Singular values (eigenvalue magnitudes when ``hermitian``) at most
``max(atol, rtol * largest)`` count as zero, as in torch: ``rtol`` defaults to
``eps * max(m, n)`` where ``atol`` is not given or not positive, else 0; either may be a
tensor broadcast over the batch. The gradient is torch's ``LinalgPinvBackward0``.
"""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._record import operand, record
from .._core._tensor import Tensor, _make
from ._matrix import column, mH, row
from .linalg_inverse import square


class LinalgPinvBackward0(Node):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, a: Any, pinv_a: Any) -> tuple[Any, ...]:
        m, n = a.shape[-2], a.shape[-1]
        pinv_h = mH(xp, pinv_a)
        g_h = mH(xp, g)
        if m <= n:
            k = g_h @ pinv_a
            k_pinv_h = k @ pinv_h
            return (
                -mH(xp, pinv_a @ k)
                + k_pinv_h
                - (a @ pinv_a) @ k_pinv_h
                + (pinv_h @ pinv_a) @ (g_h - k @ a),
            )
        k = pinv_a @ g_h
        pinv_h_k = pinv_h @ k
        return (
            -mH(xp, k @ pinv_a)
            + ((g_h - a @ k) @ pinv_a) @ pinv_h
            + pinv_h_k
            - (pinv_h_k @ pinv_a) @ a,
        )


def _raw(value: Any) -> Any:
    return value._data if isinstance(value, Tensor) else value


def _cutoff(xp: Any, largest: Any, atol: Any, rtol: Any, m: int, n: int) -> Any:
    """``max(atol, rtol * largest)`` per matrix (shape of ``largest``), torch's defaults."""
    default = max(m, n) * xp.finfo(largest.dtype).eps
    if atol is not None and not isinstance(atol, (int, float)):
        atol = xp.astype(atol, largest.dtype)
    if rtol is None and atol is None:
        rtol = default
    elif rtol is None:  # no relative tolerance where a positive absolute one is given
        rtol = default * (
            xp.astype(atol <= 0, largest.dtype) if hasattr(atol, "shape") else float(atol <= 0)
        )
    elif not isinstance(rtol, (int, float)):
        rtol = xp.astype(rtol, largest.dtype)
    cutoff = rtol * largest
    return cutoff if atol is None else xp.clip(cutoff, min=atol)


def _lower_hermitian(xp: Any, a: Any) -> Any:
    """The Hermitian matrix of ``a``'s lower triangle (JAX would average ``a`` with ``a^H``)."""
    return xp.tril(a) + mH(xp, xp.tril(a, k=-1))


def _spectrum(xp: Any, a: Any, hermitian: bool) -> tuple[Any, Any, Any]:
    """``(values, left, right)`` with ``a = left diag(values) right`` and the magnitudes of
    ``values`` its singular values: the SVD, or the eigendecomposition of the lower
    triangle when ``hermitian``."""
    if hermitian:
        values, vectors = xp.linalg.eigh(_lower_hermitian(xp, a))
        return values, vectors, mH(xp, vectors)
    u, s, vh = xp.linalg.svd(a, full_matrices=False)
    return s, u, vh


def pinv(
    x: Any,
    /,
    *,
    atol: float | Any = None,
    rtol: float | Any = None,
    hermitian: bool = False,
) -> Tensor:
    """The Moore-Penrose pseudo-inverse of each matrix (torch.linalg.pinv; the standard's
    ``rtol``). ``hermitian=True`` reads a Hermitian (symmetric) matrix through its
    eigenvalues, the lower triangle only; the gradient is the same rule."""
    x = operand(x)
    if x.ndim < 2:
        raise RuntimeError("linalg.pinv(A): The input tensor A must have at least 2 dimensions.")
    if hermitian:
        square(x, "pinv")
    xp, a = x._backend.xp, x._data
    atol, rtol = _raw(atol), _raw(rtol)
    if not hermitian and atol is None and not hasattr(rtol, "shape"):
        data = xp.linalg.pinv(a, rtol=rtol)  # an array rtol: below, as not every library takes one
    elif 0 in a.shape[-2:]:
        data = xp.zeros_like(mH(xp, a))
    else:
        values, left, right = _spectrum(xp, a, hermitian)
        magnitude = xp.abs(values)
        m, n = a.shape[-2], a.shape[-1]
        cutoff = _cutoff(xp, xp.max(magnitude, axis=-1), atol, rtol, m, n)
        kept = magnitude > column(xp, cutoff)
        inverse = xp.where(kept, 1 / xp.where(kept, values, xp.ones_like(values)), 0.0)
        data = (mH(xp, right) * row(xp, xp.astype(inverse, a.dtype))) @ mH(xp, left)
    return record(LinalgPinvBackward0, (x,), data, x._backend)


def matrix_rank(
    x: Any,
    /,
    *,
    atol: float | Any = None,
    rtol: float | Any = None,
    hermitian: bool = False,
) -> Tensor:
    """The numerical rank of each matrix, an int64 tensor that never requires grad
    (torch.linalg.matrix_rank; the standard's ``rtol``). ``hermitian=True`` counts the
    eigenvalues of the lower triangle instead of singular values."""
    x = operand(x)
    xp, a = x._backend.xp, x._data
    if a.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_rank: The input tensor input must have at least 2 dimensions."
        )
    if hermitian:
        square(x, "matrix_rank")
    device = x._backend.device_of(a)
    if 0 in a.shape[-2:]:  # no singular values: rank 0 (torch)
        return _make(xp.zeros(tuple(a.shape[:-2]), dtype=xp.int64, device=device), x._backend)
    if hermitian:
        magnitude = xp.abs(xp.linalg.eigvalsh(_lower_hermitian(xp, a)))
    else:
        magnitude = xp.linalg.svd(a, full_matrices=False)[1]  # Dask has no svdvals
    m, n = a.shape[-2], a.shape[-1]
    cutoff = _cutoff(xp, xp.max(magnitude, axis=-1), _raw(atol), _raw(rtol), m, n)
    rank = xp.sum(xp.astype(magnitude > column(xp, cutoff), xp.int64), axis=-1)
    return _make(rank, x._backend)
