"""Elementwise tests that return booleans: ``isfinite``, ``isinf``, ``isnan``, ``signbit``.

Their results never require grad (as in torch, boolean outputs have no gradient).
"""

from __future__ import annotations

from typing import Any

from .._core._record import operand
from .._core._tensor import Tensor, _make


def _predicate(name: str, x: Any) -> Tensor:
    x = operand(x)
    return _make(getattr(x._backend.xp, name)(x._data), x._backend)


def isfinite(x: Any, /) -> Tensor:
    """Elementwise: neither infinite nor NaN."""
    return _predicate("isfinite", x)


def isinf(x: Any, /) -> Tensor:
    """Elementwise: positive or negative infinity."""
    return _predicate("isinf", x)


def isnan(x: Any, /) -> Tensor:
    """Elementwise: NaN (for complex, either part)."""
    return _predicate("isnan", x)


def signbit(x: Any, /) -> Tensor:
    """Elementwise: the sign bit is set (True for -0.0 and negative values)."""
    return _predicate("signbit", x)
