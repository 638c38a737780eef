"""torch's older matrix spellings over ``polygrad.linalg``: ``x.cholesky(upper=)``,
``x.qr(some=)``, ``x.svd(some=, compute_uv=)`` (``V``, not its adjoint),
``x.pinverse(rcond)`` and ``x.cross(other, dim)``, with their function forms
(``pg.svd(x)``...). Each is the ``linalg`` op with torch's arguments and result names.
"""

from __future__ import annotations

from typing import Any

from ... import linalg, ops
from ..._core._tensor import Tensor
from . import _return_types as return_types


class MatrixMethods:
    """torch's pre-``linalg`` matrix methods."""

    def cholesky(self: Any, upper: bool = False) -> Tensor:
        """The Cholesky factor, lower unless ``upper`` (torch's ``x.cholesky()``)."""
        return linalg.cholesky(self, upper=upper)

    def qr(self: Any, some: bool = True) -> return_types.qr:
        """``(Q, R)``, reduced unless ``some=False`` (torch's ``x.qr()``)."""
        q, r = linalg.qr(self, mode="reduced" if some else "complete")
        return return_types.qr(q, r)

    def svd(self: Any, some: bool = True, compute_uv: bool = True) -> return_types.svd:
        """``(U, S, V)`` with ``x = U diag(S) V^H``, thin unless ``some=False``; without
        ``compute_uv``, ``U`` and ``V`` are zero-filled square matrices, as torch's."""
        if not compute_uv:
            *batch, m, n = self.shape
            zeros_u, zeros_v = self.new_zeros((*batch, m, m)), self.new_zeros((*batch, n, n))
            return return_types.svd(zeros_u, linalg.svdvals(self), zeros_v)
        u, s, vh = linalg.svd(self, full_matrices=not some)
        return return_types.svd(u, s, ops.conj(ops.matrix_transpose(vh)))

    def pinverse(self: Any, rcond: float = 1e-15) -> Tensor:
        """The pseudo-inverse, singular values under ``rcond`` times the largest dropped
        (torch's ``x.pinverse()``)."""
        return linalg.pinv(self, rtol=rcond)

    def cross(self: Any, other: Any, dim: int | None = None) -> Tensor:
        """The cross product along ``dim``; without ``dim``, the first axis of size 3 (torch's
        ``x.cross()``)."""
        if dim is None:
            shape = ops.broadcast_shapes(tuple(self.shape), tuple(other.shape))
            sized_3 = [axis for axis, size in enumerate(shape) if size == 3]
            if not sized_3:
                raise RuntimeError("no dimension of size 3 in input")
            dim = sized_3[0]
        return linalg.cross(self, other, axis=dim)
