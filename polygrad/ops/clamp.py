"""Clamping: ``clip`` (the standard's), ``clamp_min`` and ``clamp_max`` (torch's), with
number or tensor bounds, each with its rule next to it.

Gradients follow torch's conventions at the bounds: with number bounds the gradient
passes where ``min <= x <= max`` (inclusive); with tensor bounds each bound receives
the gradient where it was chosen.
"""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._record import keep_for_backward, operand, record
from .._core._tensor import Tensor, _make
from ._support import add_tangents, scalar_array, zeros_where


class ClampBackward1(Node):
    """clamp with number bounds: gradient passes where min <= x <= max (inclusive)."""

    __slots__ = ("min", "max")
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        # torch tests "inside" (min <= x <= max), so NaN inputs get a zero gradient
        inside = None
        if self.min is not None:
            inside = x >= self.min
        if self.max is not None:
            below = x <= self.max
            inside = below if inside is None else inside & below
        return (g if inside is None else xp.where(inside, g, xp.zeros_like(g)),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        x = inputs[0]
        outside = None
        if self.min is not None:
            outside = x < self.min
        if self.max is not None:
            above = x > self.max
            outside = above if outside is None else outside | above
        return t[0] if outside is None else zeros_where(xp, outside, t[0])


class ClampMinBackward0(ClampBackward1):
    __slots__ = ()


class ClampMaxBackward0(ClampBackward1):
    __slots__ = ()


class ClampBackward0(Node):
    """clamp with tensor bounds: the gradient goes to whichever value was selected."""

    __slots__ = ()
    _saved_from = (0, 1, 2)

    def vjp(self, xp: Any, g: Any, x: Any, lo: Any, hi: Any) -> tuple[Any, ...]:
        # torch's conditions: where min > max the result is max, so max gets the gradient
        zeros = xp.zeros_like(g)
        if lo is not None and hi is not None:
            return (
                xp.where((x >= lo) & (x <= hi), g, zeros),
                xp.where((x < lo) & (lo < hi), g, zeros),
                xp.where((x > hi) | (hi < lo), g, zeros),
            )
        if lo is not None:
            return (xp.where(x >= lo, g, zeros), xp.where(x < lo, g, zeros), None)
        if hi is not None:
            return (xp.where(x <= hi, g, zeros), None, xp.where(x > hi, g, zeros))
        return (g, None, None)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        x, lo, hi = inputs
        below = None if lo is None else x < lo
        above = None if hi is None else x > hi
        if above is not None and below is not None:
            above = above & ~below
        outside = below if above is None else above if below is None else below | above
        tx = t[0] if t[0] is None or outside is None else zeros_where(xp, outside, t[0])
        tlo = None if t[1] is None else xp.where(below, t[1], xp.zeros_like(t[1]))
        thi = None if t[2] is None else xp.where(above, t[2], xp.zeros_like(t[2]))
        return add_tangents(tx, tlo, thi)


def _clamp_numbers(cls: type[ClampBackward1], x: Tensor, min: Any, max: Any) -> Tensor:
    xp = x._backend.xp
    data = x._data
    if min is not None:
        data = xp.where(data < min, xp.asarray(min, dtype=data.dtype), data)
    if max is not None:
        data = xp.where(data > max, xp.asarray(max, dtype=data.dtype), data)
    result = record(cls, (x,), data, x._backend)
    return keep_for_backward(result, min=min, max=max)


class ClampMinBackward1(Node):
    """``x.clamp_min(tensor)``: the gradient goes to ``x`` where it was kept, else to the bound."""

    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, x: Any, bound: Any) -> tuple[Any, ...]:
        zeros = xp.zeros_like(g)
        kept = self.kept(x, bound)
        return (xp.where(kept, g, zeros), xp.where(kept, zeros, g))

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        kept = self.kept(*inputs)
        zeros = xp.zeros_like(outputs[0])
        tx = zeros if t[0] is None else t[0]
        return xp.where(kept, tx, zeros if t[1] is None else t[1])

    @staticmethod
    def kept(x: Any, bound: Any) -> Any:
        return x >= bound


class ClampMaxBackward1(ClampMinBackward1):
    """``x.clamp_max(tensor)``."""

    __slots__ = ()

    @staticmethod
    def kept(x: Any, bound: Any) -> Any:
        return x <= bound


def clamp_min(x: Any, min: Any) -> Tensor:
    """torch's ``x.clamp_min(bound)``: ``ClampMinBackward0`` for a number, ``ClampMinBackward1``
    (edges to ``x`` and the bound) for a tensor."""
    x = operand(x)
    if isinstance(min, (int, float)):
        return _clamp_numbers(ClampMinBackward0, x, min, None)
    bound = _bound(min, x)
    return record(
        ClampMinBackward1, (x, bound), _clamped(x, bound, None), x._backend, broadcast=True
    )


def clamp_max(x: Any, max: Any) -> Tensor:
    """torch's ``x.clamp_max(bound)``: ``ClampMaxBackward0`` for a number, ``ClampMaxBackward1``
    for a tensor."""
    x = operand(x)
    if isinstance(max, (int, float)):
        return _clamp_numbers(ClampMaxBackward0, x, None, max)
    bound = _bound(max, x)
    return record(
        ClampMaxBackward1, (x, bound), _clamped(x, None, bound), x._backend, broadcast=True
    )


def _bound(bound: Any, x: Tensor) -> Tensor | None:
    """A clip bound as a tensor; a Python number is weak, as in arithmetic."""
    if bound is None:
        return None
    if isinstance(bound, (int, float)):
        return _make(scalar_array(x._backend, bound, x._data), x._backend)
    return operand(bound, x)


def clip(x: Any, /, min: Any = None, max: Any = None) -> Tensor:
    """Clamp each element of ``x`` to ``[min, max]`` (either bound may be None); the
    result keeps ``x``'s dtype, as the standard says, whatever the bounds' dtypes."""
    x = operand(x)
    numbers = (int, float, type(None))
    if isinstance(min, numbers) and isinstance(max, numbers):
        # torch records ClampBackward1 for number bounds, one or both
        return _clamp_numbers(ClampBackward1, x, min, max)
    lo, hi = _bound(min, x), _bound(max, x)
    return record(ClampBackward0, (x, lo, hi), _clamped(x, lo, hi), x._backend, broadcast=True)


def _clamped(x: Tensor, lo: Tensor | None, hi: Tensor | None) -> Any:
    """``x``'s data clamped to tensor bounds, in ``x``'s dtype."""
    xp = x._backend.xp
    data = x._data
    if lo is not None:
        data = xp.where(data < lo._data, lo._data, data)
    if hi is not None:
        data = xp.where(data > hi._data, hi._data, data)
    if data.dtype != x._data.dtype:
        data = xp.astype(data, x._data.dtype)
    return data
