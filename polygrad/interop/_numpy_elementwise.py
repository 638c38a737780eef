"""NumPy's elementwise functions that are not ufuncs, on polygrad tensors: ``np.sinc``,
``np.nan_to_num``, ``np.round`` / ``np.around``.

Each handler composes polygrad's differentiable ops, so ``__array_function__`` records
a graph for it (``np.sinc`` with a finite, zero, derivative at 0).
"""

from __future__ import annotations

import math
from typing import Any

from ._numpy_operands import _float, _ops, _tensor


def _sinc(x: Any) -> Any:
    """``sin(pi x) / (pi x)``, 1 at 0 (with a finite, zero, derivative there)."""
    o = _ops()
    x = _float(_tensor(x))
    zero = o.equal(x, 0)
    safe = o.where(zero, 1.0, x) * math.pi
    return o.where(zero, 1.0, o.sin(safe) / safe)


def _nan_to_num(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None, neginf: Any = None
) -> Any:
    o = _ops()
    x = _tensor(x)
    if not x.dtype.name.startswith("float"):
        return None if x.dtype.name.startswith(("complex", "bfloat")) else o.clone(x)
    info = x.__array_namespace__().finfo(x.dtype)
    big = info.max if posinf is None else posinf
    small = -info.max if neginf is None else neginf
    x = o.where(o.isnan(x), nan, x)
    x = o.where(o.logical_and(o.isinf(x), x > 0), big, x)
    return o.where(o.logical_and(o.isinf(x), x < 0), small, x)


def _round(a: Any, decimals: int = 0) -> Any:
    o = _ops()
    a = _tensor(a)
    if decimals == 0:
        return o.round(a)
    scale = 10.0**decimals
    return o.round(a * scale) / scale
