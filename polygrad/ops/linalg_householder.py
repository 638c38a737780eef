"""Householder reflectors: ``geqrf`` (LAPACK's compact QR), ``linalg.householder_product``
(``orgqr``) and ``ormqr``, with torch's names, results and errors.

``geqrf`` is LAPACK's unblocked ``geqr2`` in array-API code, one Python step per column
and batched: the reflector of each column is ``H = I - tau v v^H`` with ``v[0] = 1``,
``beta = -sign(Re alpha) |(alpha, x)|`` and ``tau = (beta - alpha) / beta`` (``tau = 0``
where the column below the diagonal is already zero and ``alpha`` real), the ``?larfg``
convention, so ``(a, tau)`` are LAPACK's (torch's) on every backend. torch records no
gradient for it, and neither does this.

``householder_product`` and ``ormqr`` apply the reflectors one at a time to the
identity / to ``other`` with ops that record their own nodes, so their gradients with
respect to ``input``, ``tau`` and ``other`` are those of the product, as torch's.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._core._record import operand
from .._core._tensor import Tensor, _make
from .complex import conj
from .grids import tril
from .linalg import matmul
from .shape import expand_dims, matrix_transpose


class GeqrfResult(NamedTuple):
    a: Tensor
    tau: Tensor


def _at_least_matrix(x: Tensor, label: str, name: str) -> None:
    if x.ndim < 2:
        raise RuntimeError(f"{name}: {label} must have at least 2 dimensions.")


def geqrf(input: Any) -> GeqrfResult:  # noqa: A002 - torch's name
    """torch.geqrf: the QR factorization packed as LAPACK's ``geqrf`` leaves it, ``R`` on
    and above the diagonal, the reflectors' vectors below it, and their ``tau``."""
    x = operand(input)
    _at_least_matrix(x, "input", "torch.geqrf")
    backend = x._backend
    xp = backend.xp
    a = x._data
    m, n = a.shape[-2], a.shape[-1]
    device = backend.device_of(a)
    rows = xp.arange(m, device=device)
    cols = xp.reshape(xp.arange(n, device=device), (1, n))
    complex_input = xp.isdtype(a.dtype, "complex floating")
    taus = []
    for j in range(min(m, n)):
        column = a[..., :, j]
        below = rows > j
        alpha = column[..., j]
        tail = xp.where(below, column, xp.zeros_like(column))
        alpha_real = xp.real(alpha) if complex_input else alpha
        xnorm2 = xp.sum(xp.real(tail * xp.conj(tail)) if complex_input else tail * tail, axis=-1)
        trivial = xnorm2 == 0
        if complex_input:
            trivial = trivial & (xp.imag(alpha) == 0)
        size = xp.sqrt(
            xnorm2 + (xp.real(alpha * xp.conj(alpha)) if complex_input else alpha * alpha)
        )
        beta = xp.where(alpha_real >= 0, -size, size)
        beta = xp.astype(beta, a.dtype)
        safe_beta = xp.where(trivial, xp.ones_like(beta), beta)
        tau = xp.where(trivial, xp.zeros_like(alpha), (safe_beta - alpha) / safe_beta)
        gap = xp.where(trivial, xp.ones_like(alpha), alpha - safe_beta)
        v = xp.where(below, column / xp.expand_dims(gap, axis=-1), xp.zeros_like(column))
        v = xp.where(rows == j, xp.ones_like(column), v)
        # H^H applied to the columns on the right: A -= conj(tau) v (v^H A)
        w = xp.matmul(xp.expand_dims(xp.conj(v), axis=-2), a)
        scaled = xp.expand_dims(xp.conj(tau), axis=-1) * v
        update = xp.expand_dims(scaled, axis=-1) * w
        a = xp.where(cols > j, a - update, a)
        stored = xp.where(below, v, xp.where(rows == j, xp.expand_dims(beta, -1), column))
        stored = xp.where(xp.expand_dims(trivial, axis=-1), column, stored)
        a = xp.where(cols == j, xp.expand_dims(stored, axis=-1), a)
        taus.append(tau)
    if taus:
        tau_data = xp.stack(taus, axis=-1)
    else:
        tau_data = xp.zeros(tuple(a.shape[:-2]) + (0,), dtype=a.dtype, device=device)
    return GeqrfResult(_make(a, backend), _make(tau_data, backend))


def _reflector_vectors(x: Tensor) -> Tensor:
    """The reflectors' vectors as columns: ``x`` below the diagonal, 1 on it, 0 above."""
    backend = x._backend
    m, n = x.shape[-2], x.shape[-1]
    eye = backend.xp.eye(m, n, dtype=x._data.dtype, device=backend.device_of(x._data))
    return tril(x, k=-1) + _make(eye, backend)


def _apply(vectors: Tensor, tau: Tensor, c: Tensor, left: bool, adjoint: bool) -> Tensor:
    """``op(Q) c`` (``c op(Q)`` if not ``left``), ``Q = H_1 ... H_k``, ``op`` the adjoint
    if ``adjoint``; each ``H_i = I - tau_i v_i v_i^H`` applied in turn."""
    k = tau.shape[-1]
    order = range(k) if left == adjoint else range(k - 1, -1, -1)
    for i in order:
        v = vectors[..., :, i : i + 1]  # (..., m, 1)
        t = expand_dims(tau[..., i : i + 1], axis=-1)  # (..., 1, 1)
        t = conj(t) if adjoint else t
        v_h = matrix_transpose(conj(v))
        if left:
            c = c - matmul(v * t, matmul(v_h, c))
        else:
            c = c - matmul(matmul(c, v) * t, v_h)
    return c


def _check_batch(tau: Tensor, x: Tensor, name: str) -> None:
    if x.ndim - tau.ndim != 1:
        raise RuntimeError(
            f"{name}: Expected tau to have one dimension less than input, but got tau.ndim "
            f"equal to {tau.ndim} and input.ndim is equal to {x.ndim}"
        )
    if tuple(tau.shape[:-1]) != tuple(x.shape[:-2]):
        raise RuntimeError(
            f"{name}: Expected batch dimensions of tau to be equal to input.shape[:-2], "
            f"but got {list(tau.shape[:-1])}"
        )


def householder_product(A: Any, tau: Any) -> Tensor:  # noqa: N803 - torch's name
    """torch.linalg.householder_product: the first ``n`` columns of ``H_1 ... H_k``, the
    reflectors given as ``geqrf`` packs them (LAPACK's ``orgqr``)."""
    x = operand(A)
    t = operand(tau, x)
    name = "torch.linalg.householder_product"
    _at_least_matrix(x, "input", name)
    if t.ndim < 1:
        raise RuntimeError(f"{name}: tau must have at least 1 dimension.")
    m, n = x.shape[-2], x.shape[-1]
    if m < n:
        raise RuntimeError(
            f"{name}: input.shape[-2] must be greater than or equal to input.shape[-1]"
        )
    if n < t.shape[-1]:
        raise RuntimeError(
            f"{name}: input.shape[-1] must be greater than or equal to tau.shape[-1]"
        )
    _check_batch(t, x, name)
    backend = x._backend
    eye = backend.xp.eye(m, n, dtype=x._data.dtype, device=backend.device_of(x._data))
    start = _make(backend.xp.broadcast_to(eye, tuple(x.shape)), backend)
    return _apply(_reflector_vectors(x), t, start, left=True, adjoint=False)


def ormqr(
    input: Any,  # noqa: A002 - torch's names
    input2: Any,
    input3: Any,
    left: bool = True,
    transpose: bool = False,
) -> Tensor:
    """torch.ormqr: ``Q other`` (``other Q`` if not ``left``; ``Q^H`` for ``Q`` if
    ``transpose``), ``Q`` the full product of the reflectors ``geqrf`` packs in
    ``(input, input2)`` (LAPACK's ``ormqr``)."""
    x = operand(input)
    t = operand(input2, x)
    c = operand(input3, x)
    name = "torch.ormqr"
    _at_least_matrix(x, "input", name)
    _at_least_matrix(c, "other", name)
    side = -2 if left else -1
    if c.shape[side] != x.shape[-2]:
        raise RuntimeError(f"{name}: other.shape[{side}] must be equal to input.shape[-2]")
    if t.ndim < 1 or t.shape[-1] != min(c.shape[side], x.shape[-1]):
        raise RuntimeError(
            f"{name}: tau.shape[-1] must be equal to min(other.shape[{side}], input.shape[-1])"
        )
    _check_batch(t, x, name)
    if c.ndim != x.ndim:
        raise RuntimeError(
            f"{name}: Expected other to have the same number of dimensions as input, but got "
            f"other.ndim equal to {c.ndim} and input.ndim is equal to {x.ndim}"
        )
    if tuple(c.shape[:-2]) != tuple(x.shape[:-2]):
        raise RuntimeError(
            f"{name}: Expected batch dimensions of other to be equal to input.shape[:-2], "
            f"but got {list(c.shape[:-2])}"
        )
    return _apply(_reflector_vectors(x), t, c, left, transpose)
