"""Comparisons and logic (results never require grad) and the differentiable
``maximum``/``minimum`` (ties split the gradient evenly, as in torch).
"""

from __future__ import annotations

import operator
from typing import Any

from .._core._node import Node
from .._core._record import _SCALARS, binary_operands, operand, record
from .._core._tensor import Tensor, _make


def _compare(fn: Any, x1: Any, x2: Any) -> Tensor:
    a, b, backend, _, _ = binary_operands(x1, x2)
    return _make(fn(a, b), backend)


def equal(x1: Any, x2: Any, /) -> Tensor:
    """``x1 == x2`` elementwise (booleans, never recorded)."""
    return _compare(operator.eq, x1, x2)


def not_equal(x1: Any, x2: Any, /) -> Tensor:
    """``x1 != x2`` elementwise (booleans, never recorded)."""
    return _compare(operator.ne, x1, x2)


def less(x1: Any, x2: Any, /) -> Tensor:
    """``x1 < x2`` elementwise (booleans, never recorded)."""
    return _compare(operator.lt, x1, x2)


def less_equal(x1: Any, x2: Any, /) -> Tensor:
    """``x1 <= x2`` elementwise (booleans, never recorded)."""
    return _compare(operator.le, x1, x2)


def greater(x1: Any, x2: Any, /) -> Tensor:
    """``x1 > x2`` elementwise (booleans, never recorded)."""
    return _compare(operator.gt, x1, x2)


def greater_equal(x1: Any, x2: Any, /) -> Tensor:
    """``x1 >= x2`` elementwise (booleans, never recorded)."""
    return _compare(operator.ge, x1, x2)


def _truth(backend: Any, value: Any, like: Any) -> Any:
    """``value`` as booleans, as torch reads any dtype in logic: nonzero (NaN too) is True.
    The standard's logical functions take only booleans (array-api-strict holds to it)."""
    xp = backend.xp
    if isinstance(value, _SCALARS):
        return xp.asarray(bool(value), device=backend.device_of(like))
    return value if value.dtype == xp.bool else value != 0


def _logical(name: str, x1: Any, x2: Any) -> Tensor:
    a, b, backend, _, _ = binary_operands(x1, x2)
    like = b if isinstance(a, _SCALARS) else a
    result = getattr(backend.xp, name)(_truth(backend, a, like), _truth(backend, b, like))
    return _make(result, backend)


def logical_and(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise logical and, as booleans (never recorded); any dtype is read as torch
    reads it (nonzero is True)."""
    return _logical("logical_and", x1, x2)


def logical_or(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise logical or, as booleans (never recorded); nonzero is True."""
    return _logical("logical_or", x1, x2)


def logical_xor(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise logical XOR, as booleans (never recorded); nonzero is True."""
    return _logical("logical_xor", x1, x2)


def logical_not(x: Any, /) -> Tensor:
    """Elementwise logical not, as booleans (never recorded); nonzero is True."""
    x = operand(x)
    return _make(x._backend.xp.logical_not(_truth(x._backend, x._data, x._data)), x._backend)


class MaximumBackward0(Node):
    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, x: Any, y: Any) -> tuple[Any, ...]:
        zeros = xp.zeros_like(g)
        half = g / 2
        tie = x == y
        # torch masks the loser rather than picking the winner: at a NaN (no order)
        # both sides keep the whole gradient
        gx = xp.where(tie, half, xp.where(self._wins(y, x), zeros, g))
        gy = xp.where(tie, half, xp.where(self._wins(x, y), zeros, g))
        return (gx, gy)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        x, y = inputs
        zero = xp.zeros_like(outputs[0])
        tx = zero if t[0] is None else t[0]
        ty = zero if t[1] is None else t[1]
        return xp.where(x == y, (tx + ty) / 2, xp.where(self._wins(x, y), tx, ty))

    @staticmethod
    def _wins(a: Any, b: Any) -> Any:
        return a > b


class MinimumBackward0(MaximumBackward0):
    __slots__ = ()

    @staticmethod
    def _wins(a: Any, b: Any) -> Any:
        return a < b


def _binary_extremum(cls: type[MaximumBackward0], name: str, x1: Any, x2: Any) -> Tensor:
    a, b, backend, ta, tb = binary_operands(x1, x2)
    xp = backend.xp
    if ta is None or tb is None:
        like = ta if ta is not None else tb
        scalar = a if ta is None else b
        const = _make(
            xp.full((), scalar, dtype=like._data.dtype, device=backend.device_of(like._data)),
            backend,
        )
        ta, tb = (const, tb) if ta is None else (ta, const)
        a, b = ta._data, tb._data
    return record(cls, (ta, tb), getattr(xp, name)(a, b), backend, broadcast=True)


def maximum(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise larger value; at ties each side gets half the gradient."""
    return _binary_extremum(MaximumBackward0, "maximum", x1, x2)


def minimum(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise smaller value; at ties each side gets half the gradient."""
    return _binary_extremum(MinimumBackward0, "minimum", x1, x2)
