"""NumPy's elementwise functions that are not ufuncs, on polygrad tensors: ``np.sinc``,
``np.nan_to_num``, ``np.round`` / ``np.around``.

Each handler composes polygrad's differentiable ops, so ``__array_function__`` records
a graph for it (``np.sinc`` with a finite, zero, derivative at 0).
"""

from __future__ import annotations

import math
from typing import Any

from ... import ops
from ._numpy_operands import _float, _tensor


def _sinc(x: Any) -> Any:
    """``sin(pi x) / (pi x)``, 1 at 0 (with a finite, zero, derivative there)."""
    x = _float(_tensor(x))
    zero = ops.equal(x, 0)
    safe = ops.where(zero, 1.0, x) * math.pi
    return ops.where(zero, 1.0, ops.sin(safe) / safe)


def _nan_to_num(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None, neginf: Any = None
) -> Any:
    x = _tensor(x)
    if not x.dtype.name.startswith("float"):
        return None if x.dtype.name.startswith(("complex", "bfloat")) else ops.clone(x)
    info = x.__array_namespace__().finfo(x.dtype)
    big = info.max if posinf is None else posinf
    small = -info.max if neginf is None else neginf
    x = ops.where(ops.isnan(x), nan, x)
    x = ops.where(ops.logical_and(ops.isinf(x), x > 0), big, x)
    return ops.where(ops.logical_and(ops.isinf(x), x < 0), small, x)


def _round(a: Any, decimals: int = 0) -> Any:
    a = _tensor(a)
    if decimals == 0:
        return ops.round(a)
    scale = 10.0**decimals
    return ops.round(a * scale) / scale
