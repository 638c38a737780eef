"""Rounding and the functions built on integer quotients: ``ceil floor round trunc``,
``floor_divide``, ``remainder``, ``copysign``, ``nextafter`` and ``frexp``.

Gradients follow torch exactly: the rounding functions pass a zero gradient (their
results still require grad), ``floor_divide`` and ``remainder`` with a number as its
first argument have no derivative in torch and raise its error when a gradient is
requested (the array-API namespace's ``floor_divide`` is ``floor_quotient`` instead: a
zero gradient, as torch's ``div(x1, x2, rounding_mode="floor")`` and JAX), ``remainder`` passes ``g`` to ``x1`` and ``-g * floor(x1 / x2)`` to ``x2``.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._dtypes import get_default_dtype
from .._core._node import Node
from .._core._record import binary_operands, keep_for_backward, operand, record
from .._core._tensor import Tensor, _make
from ._support import add_tangents, array_operands, binary, needs, scaled, unary


class _ZeroGradient(Node):
    """Piecewise-constant functions: the gradient is zero (and not connected)."""

    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.zeros_like(g),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return None  # a zero tangent


class CeilBackward0(_ZeroGradient):
    __slots__ = ()


class FloorBackward0(_ZeroGradient):
    __slots__ = ()


class RoundBackward0(_ZeroGradient):
    __slots__ = ()


class TruncBackward0(_ZeroGradient):
    __slots__ = ()


class NotImplementedNode(Node):
    """torch's ``NotImplemented`` node: recorded, but asking for its gradient raises."""

    __slots__ = ("op",)

    def name(self) -> str:
        return "torch::autograd::NotImplemented"

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        raise RuntimeError(f"derivative for aten::{self.op} is not implemented")

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        raise RuntimeError(f"derivative for aten::{self.op} is not implemented")


NotImplementedNode.__name__ = NotImplementedNode.__qualname__ = "NotImplemented"


class DivBackward2(Node):
    """torch's node for ``div(x1, x2, rounding_mode="floor")``: the quotient is piecewise
    constant, so each tensor input gets a zero gradient."""

    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        zero = xp.zeros_like(g)
        return tuple(zero if needs(self, i) else None for i in range(len(self.next_functions)))

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return None  # a zero tangent


class RemainderBackward1(Node):
    """``remainder(x1, x2)`` with two tensors."""

    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, x: Any, y: Any) -> tuple[Any, ...]:
        gy = -g * _floor_quotient(xp, x, y) if needs(self, 1) else None
        return (g if needs(self, 0) else None, gy)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        x, y = inputs
        return add_tangents(t[0], None if t[1] is None else -t[1] * _floor_quotient(xp, x, y))


class RemainderBackward0(Node):
    """``remainder(x, number)``."""

    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g,)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0]


class CopysignBackward0(Node):
    """``copysign(x1, x2)`` with two tensors: ``x2`` gets a zero gradient, as in torch."""

    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        gx = None
        if needs(self, 0):
            gx = g * _sign_ratio(xp, x, result)
        return (gx, xp.zeros_like(g) if needs(self, 1) else None)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return scaled(t[0], _sign_ratio(xp, inputs[0], outputs[0]))


class CopysignBackward1(Node):
    """``copysign(x, number)``."""

    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        return (g * _sign_ratio(xp, x, result),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0] * _sign_ratio(xp, inputs[0], outputs[0])


def _sign_ratio(xp: Any, x: Any, result: Any) -> Any:
    """copysign's derivative in ``x``: +-1 (``result / x``), 0 at ``x == 0`` as in torch."""
    return xp.where(x == 0, xp.zeros_like(result), result / x)


class NextafterBackward0(Node):
    """torch passes ``g`` to ``x1`` and a zero gradient to ``x2``."""

    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g, xp.zeros_like(g) if needs(self, 1) else None)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0]


class FrexpBackward0(Node):
    """``mantissa = x / 2**exponent``: torch passes ``g / exponent.exp2()`` (the exponent
    a constant; ``scale`` holds ``2**exponent`` in the default float dtype, as torch's
    ``exp2`` of the int32 exponent computes it: 0 or inf beyond float32's range)."""

    __slots__ = ("scale",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g / self.scale,)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0] / self.scale


def frexp(x: Any, /) -> tuple[Tensor, Tensor]:
    """``(mantissa, exponent)`` with ``x = mantissa * 2**exponent``, ``0.5 <= |mantissa|
    < 1`` and an int32 exponent; zeros, infinities and NaN keep their value with exponent
    0. Computed exactly: the exponent from ``log2``, corrected by one where it rounded,
    and the division by two powers of two (``2**1024`` itself would overflow)."""
    x = operand(x)
    backend, data = x._backend, x._data
    xp = backend.xp
    if backend.pg_dtype(data.dtype).kind != "real floating":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    regular = xp.isfinite(data) & (data != 0)
    magnitude = xp.where(regular, xp.abs(data), xp.ones_like(data))
    exponent = xp.floor(xp.log2(magnitude)) + 1
    half = xp.floor(exponent / 2)
    mantissa = magnitude / 2.0**half / 2.0 ** (exponent - half)
    high, low = mantissa >= 1, mantissa < 0.5
    mantissa = xp.where(high, mantissa / 2, xp.where(low, mantissa * 2, mantissa))
    exponent = exponent + xp.astype(high, data.dtype) - xp.astype(low, data.dtype)
    mantissa = xp.where(regular, xp.where(data < 0, -mantissa, mantissa), data)
    exponent = xp.where(regular, exponent, xp.zeros_like(exponent))
    result = record(FrexpBackward0, (x,), mantissa, backend)
    scale = xp.astype(2.0**exponent, backend.dtype(get_default_dtype()))
    keep_for_backward(result, scale=scale)
    return result, _make(xp.astype(exponent, xp.int32), backend)


def _floor_quotient(xp: Any, x: Any, y: Any) -> Any:
    """``floor(x / y)`` as a constant: its derivative is zero, as in torch's rule."""
    if isinstance(x, Tensor) or isinstance(y, Tensor):
        x, y = operand(x, y if isinstance(y, Tensor) else None), operand(y, x)
        return _make(x._backend.xp.floor_divide(x._data, y._data), x._backend)
    return xp.floor_divide(x, y)


def ceil(x: Any, /) -> Tensor:
    """Elementwise smallest integer >= x (zero gradient)."""
    return unary(CeilBackward0, "ceil", x)


def floor(x: Any, /) -> Tensor:
    """Elementwise largest integer <= x (zero gradient)."""
    return unary(FloorBackward0, "floor", x)


def round(x: Any, /) -> Tensor:
    """Elementwise rounding to the nearest integer, halves to even (zero gradient)."""
    return unary(RoundBackward0, "round", x)


def trunc(x: Any, /) -> Tensor:
    """Elementwise rounding toward zero (zero gradient)."""
    return unary(TruncBackward0, "trunc", x)


def _not_implemented(op: str, inputs: tuple[Any, ...], out: Any, backend: Any) -> Tensor:
    result = record(NotImplementedNode, inputs, out, backend)
    return keep_for_backward(result, op=op)


def floor_divide(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``floor(x1 / x2)``; like torch it has no derivative (asking raises)."""
    a, b, backend, ta, tb = binary_operands(x1, x2)
    inputs = tuple(t for t in (ta, tb) if t is not None)
    return _not_implemented("floor_divide", inputs, _floor_divided(backend, a, b), backend)


def _floor_divided(backend: Any, a: Any, b: Any) -> Any:
    """``a // b``; for real floating results, with the standard's values at infinities."""
    out = a // b
    if backend.pg_dtype(out.dtype).kind != "real floating":
        return out
    return _floor_quotient_of_infinities(backend.xp, a, b, out)


def _floor_quotient_of_infinities(xp: Any, a: Any, b: Any, out: Any) -> Any:
    """``out`` with the standard's ``floor(a / b)`` where ``a`` or ``b`` is infinite.

    NumPy and torch divide through ``fmod``, which is NaN at an infinite dividend
    (``inf // 2`` is NaN, not inf) and rounds ``-1 // inf`` to -1, not -0.
    """
    flags = []
    for operand_ in (a, b):
        if isinstance(operand_, (int, float)):
            if math.isinf(operand_):  # every element has an infinite operand
                return xp.floor(a / b)
        else:
            flags.append(xp.isinf(operand_))
    infinite = flags[0] if len(flags) == 1 else flags[0] | flags[1]
    return xp.where(infinite, xp.floor(a / b), out)


def floor_quotient(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``floor(x1 / x2)`` with a zero gradient: the array-API namespace's
    ``floor_divide``, so third-party code that floors a quotient of tensors requiring
    grad differentiates through it as on JAX."""
    a, b, backend, ta, tb = binary_operands(x1, x2)
    return record(DivBackward2, (ta, tb), _floor_divided(backend, a, b), backend, broadcast=True)


def floor_divide_inplace(x1: Any, x2: Any, /) -> Tensor:
    """The out-of-place half of ``x //= y``: torch names its missing derivative ``floor_divide_``."""
    result = floor_divide(x1, x2)
    return keep_for_backward(result, op="floor_divide_")


def remainder(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``x1 - floor(x1 / x2) * x2`` (the sign of ``x2``, like Python's ``%``)."""
    a, b, backend, ta, tb = binary_operands(x1, x2)
    out = backend.xp.remainder(a, b)  # torch's own % keeps x1's sign at a zero result
    if ta is None:
        return _not_implemented("remainder", (tb,), out, backend)
    if tb is None:
        return record(RemainderBackward0, (ta,), out, backend)
    return record(RemainderBackward1, (ta, tb), out, backend, broadcast=True)


def copysign(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``|x1|`` with the sign of ``x2``."""
    a, b, backend, ta, tb = array_operands(x1, x2)
    out = backend.xp.copysign(a, b)
    if tb is None:
        return record(CopysignBackward1, (ta,), out, backend, broadcast=True)
    return record(CopysignBackward0, (ta, tb), out, backend, broadcast=True, numbers=(a, b))


def nextafter(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise next representable value after ``x1`` toward ``x2``."""
    return binary(NextafterBackward0, "nextafter", x1, x2)
