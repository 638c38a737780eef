"""torch's randomized low-rank factorizations: ``pg.svd_lowrank(A, q, niter, M)`` and
``pg.pca_lowrank(A, q, center, niter)``, torch's algorithm (Halko, Martinsson and
Tropp 2009, algorithms 4.4 and 5.1, as ``torch._lowrank`` writes them) with the
sketch drawn from polygrad's default generator (``pg.manual_seed``).

Everything after the draw is composed of recorded ops (products, ``linalg.qr``,
``linalg.svd``), so the gradients are those of torch's composition for the same draw.
"""

from __future__ import annotations

import math
from typing import Any

from ... import ops
from ..._core import _creation
from ..._core._dtypes import DTYPES
from ..._core._record import operand
from ..._core._tensor import Tensor
from ...ops.linalg_factor import qr, svd


def _mh(x: Tensor) -> Tensor:
    return ops.matrix_transpose(ops.conj(x))


def _sketch(a: Tensor, rows: int, q: int) -> Tensor:
    """torch.randn(rows, q) in ``a``'s dtype (complex: real and imaginary parts each of
    variance 1/2, as torch's complex normal), on its backend and device."""
    dtype = a.dtype
    complex_input = dtype.kind == "complex floating"
    real = DTYPES["float32" if dtype.name == "complex64" else "float64"] if complex_input else dtype
    if dtype.kind not in ("real floating", "complex floating"):
        real = _creation._float_dtype(None)
    draw = {"dtype": real, "device": a.device, "backend": a._backend}
    sample = _creation.randn(rows, q, **draw)
    if complex_input:
        imaginary = _creation.randn(rows, q, **draw)
        return ops.complex(sample, imaginary) * (1 / math.sqrt(2))
    return sample


def _basis(a: Tensor, q: int, niter: int, m: Tensor | None) -> Tensor:
    """``Q`` with ``q`` orthonormal columns, ``Q Q^H (A - M)`` approximating ``A - M``."""
    r = _sketch(a, a.shape[-1], q)
    x = ops.matmul(a, r)
    if m is not None:
        x = x - ops.matmul(m, r)
    basis = qr(x).Q
    for _ in range(niter):
        x = ops.matmul(_mh(a), basis)
        if m is not None:
            x = x - ops.matmul(_mh(m), basis)
        basis = qr(x).Q
        x = ops.matmul(a, basis)
        if m is not None:
            x = x - ops.matmul(m, basis)
        basis = qr(x).Q
    return basis


def _svd_lowrank(a: Tensor, q: int, niter: int, m: Tensor | None) -> tuple[Tensor, Tensor, Tensor]:
    rows, cols = a.shape[-2], a.shape[-1]
    if m is not None:
        m = ops.broadcast_to(operand(m, a), tuple(a.shape))
    if rows < cols:
        a = _mh(a)
        m = None if m is None else _mh(m)
    basis = _basis(a, q, niter, m)
    b = ops.matmul(_mh(basis), a)
    if m is not None:
        b = b - ops.matmul(_mh(basis), m)
    u, s, vh = svd(b, full_matrices=False)
    v = _mh(vh)
    u = ops.matmul(basis, u)
    return (v, s, u) if rows < cols else (u, s, v)


def svd_lowrank(
    A: Any,  # noqa: N803 - torch's names
    q: int | None = 6,
    niter: int | None = 2,
    M: Any = None,  # noqa: N803
) -> tuple[Tensor, Tensor, Tensor]:
    """``(U, S, V)`` with ``A - M`` (``A`` without ``M``) about ``U diag(S) V^H``, ``q``
    singular triplets found by ``niter`` subspace iterations from a random sketch
    (torch.svd_lowrank)."""
    a = operand(A)
    return _svd_lowrank(a, 6 if q is None else q, 2 if niter is None else niter, M)


def pca_lowrank(
    A: Any,  # noqa: N803 - torch's name
    q: int | None = None,
    center: bool = True,
    niter: int = 2,
) -> tuple[Tensor, Tensor, Tensor]:
    """``(U, S, V)``: ``svd_lowrank`` of ``A`` with its column means removed (unless
    ``center`` is false), ``q`` defaulting to ``min(6, m, n)`` (torch.pca_lowrank)."""
    a = operand(A)
    m, n = a.shape[-2], a.shape[-1]
    if q is None:
        q = min(6, m, n)
    elif not 0 <= q <= min(m, n):
        raise ValueError(
            f"q(={q}) must be non-negative integer and not greater than min(m, n)={min(m, n)}"
        )
    if not niter >= 0:
        raise ValueError(f"niter(={niter}) must be non-negative integer")
    if not center:
        return _svd_lowrank(a, q, niter, None)
    return _svd_lowrank(a - ops.mean(a, axis=-2, keepdims=True), q, niter, None)
