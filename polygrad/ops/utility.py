"""Differences along an axis: ``diff``, the ``n``-th forward difference, composed of
slices and a subtraction (``SubBackward0``, like torch; ``not_equal`` for booleans).
"""

from __future__ import annotations

from typing import Any

from .._core._record import operand
from .._core._tensor import Tensor
from .compare import not_equal
from .shape import _normalize_axis, concat


def diff(
    x: Any, /, *, axis: int = -1, n: int = 1, prepend: Any = None, append: Any = None
) -> Tensor:
    """``n``-th forward difference along ``axis``, optionally after adding values at the ends."""
    x = operand(x)
    if x.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional")
    if n < 0:
        raise ValueError(f"order must be non-negative but got {n}")
    a = _normalize_axis(axis, x.ndim)
    parts = [x]
    if prepend is not None:
        parts.insert(0, operand(prepend, x))
    if append is not None:
        parts.append(operand(append, x))
    out = concat(parts, axis=a) if len(parts) > 1 else x
    lead = (slice(None),) * a
    is_bool = x._backend.xp.isdtype(out._data.dtype, "bool")
    for _ in range(n):
        later, earlier = out[lead + (slice(1, None), ...)], out[lead + (slice(None, -1), ...)]
        out = not_equal(later, earlier) if is_bool else later - earlier
    return out
