"""Least squares for ``polygrad.linalg``: ``lstsq(A, B, rcond=None, *, driver=None)``
with torch's named result ``(solution, residuals, rank, singular_values)`` and torch's
per-driver conventions on the CPU (default ``gelsy``):

* ``residuals``: the squared residual norm per column of ``B`` when ``A`` is tall
  (``m > n``) and the driver is not ``gelsy``, else empty;
* ``rank``: for ``gelsy``, ``gelsd`` and ``gelss``, else empty;
* ``singular_values``: for ``gelsd`` and ``gelss``, else empty.

The solution is ``pinv(A, rtol=rcond) B`` (the minimum-norm least-squares solution all
drivers compute for full-rank ``A``) and the residuals are ``|A X - B|^2`` summed over
the rows, so their gradients are those of the compositions, as torch's; ``rank`` and
``singular_values`` carry none.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .._core._record import operand
from .._core._tensor import Tensor, _make
from .linalg_factor import svdvals
from .linalg_pinv import matrix_rank, pinv
from .products import matmul

DRIVERS = ("gels", "gelsy", "gelsd", "gelss")


class LstsqResult(NamedTuple):
    solution: Tensor
    residuals: Tensor
    rank: Tensor
    singular_values: Tensor


def lstsq(
    A: Any,  # noqa: N803 - torch's names
    B: Any,  # noqa: N803
    rcond: float | None = None,
    *,
    driver: str | None = None,
) -> LstsqResult:
    """torch.linalg.lstsq: ``X`` minimizing ``||A X - B||`` per matrix, with the
    driver's residuals, rank and singular values (see the module)."""
    a = operand(A)
    b = operand(B, a)
    if a.ndim < 2:
        raise RuntimeError("torch.linalg.lstsq: input must have at least 2 dimensions.")
    if b.ndim < 1:
        raise RuntimeError("torch.linalg.lstsq: other must have at least 1 dimension.")
    driver = "gelsy" if driver is None else driver
    if driver not in DRIVERS:
        raise RuntimeError(
            "torch.linalg.lstsq: parameter `driver` should be one of (gels, gelsy, gelsd, gelss)"
        )
    vector = b.ndim == a.ndim - 1
    if vector:
        b = b[..., None]
    if a.shape[-2] != b.shape[-2]:
        raise RuntimeError("torch.linalg.lstsq: input.size(-2) should match other.size(-2)")
    backend, raw = a._backend, a._backend.xp
    m, n = a.shape[-2], a.shape[-1]
    rtol = raw.finfo(a._data.dtype).eps * max(m, n) if rcond is None or rcond < 0 else rcond
    solution = matmul(pinv(a, rtol=rtol), b)
    fixed = a.detach()
    empty = _make(raw.zeros((0,), dtype=_real(raw, a._data.dtype)), backend)
    misfit = (matmul(a, solution) - b).abs()
    residuals = (misfit * misfit).sum(dim=-2)
    if m <= n or driver == "gelsy":  # empty, yet in the graph as torch's is
        residuals = residuals.reshape((-1,))[:0]
    rank = _make(raw.zeros((0,), dtype=raw.int64), backend)
    if driver != "gels":
        rank = matrix_rank(fixed, rtol=rtol)
    singular_values = svdvals(fixed) if driver in ("gelsd", "gelss") else empty
    if vector:
        solution = solution[..., 0]
    return LstsqResult(solution, residuals, rank, singular_values)


def _real(raw: Any, dtype: Any) -> Any:
    return raw.real(raw.zeros((), dtype=dtype)).dtype
