"""Arithmetic: ``+ - * / ** @`` and negation, with their rules and torch's node names.

Each rule is array-API code of the incoming gradient ``g``, the saved values and a
namespace ``xp``; broadcasting and dtype are undone afterwards by the engine.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._dtypes import native_dtype_name
from .._core._node import Node
from .._core._record import binary_operands, keep_for_backward, operand, record
from .._core._tensor import Tensor
from ._support import add_tangents, conj, is_complex, needs, scaled, times


class AddBackward0(Node):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g, g)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return add_tangents(t[0], t[1])


class SubBackward0(Node):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g, -g)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return add_tangents(t[0], scaled(t[1], -1))


class RsubBackward1(Node):
    """``scalar - x``: the scalar has no edge, as in torch."""

    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (-g,)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return -t[0]


class MulBackward0(Node):
    __slots__ = ()
    _saved_from = (0, 1)

    _reuses_gradient = True

    def vjp(self, xp: Any, g: Any, x: Any, y: Any) -> tuple[Any, ...]:
        (to_x, _), (to_y, _) = self.next_functions  # None: no gradient wanted there
        # conj(): torch's convention for complex inputs, a no-op on real ones
        return (
            g * conj(xp, y) if to_x is not None else None,
            g * conj(xp, x) if to_y is not None else None,
        )

    def vjp_into(self, xp: Any, g: Any, x: Any, y: Any) -> tuple[Any, ...]:
        (to_x, _), (to_y, _) = self.next_functions
        if to_y is None or getattr(x, "shape", None) != g.shape or x.dtype != g.dtype:
            return self.vjp(xp, g, x, y)
        gx = g * conj(xp, y) if to_x is not None else None
        g *= conj(xp, x)  # y's gradient, written last into the gradient we were given
        return (gx, g)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        x, y = inputs
        return add_tangents(scaled(t[0], y), scaled(t[1], x))


class DivBackward0(Node):
    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, x: Any, y: Any) -> tuple[Any, ...]:
        (to_x, _), (to_y, _) = self.next_functions
        y = conj(xp, y)
        gx = g / y
        return (
            gx if to_x is not None else None,
            -gx * conj(xp, x) / y if to_y is not None else None,
        )

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        y, result = inputs[1], outputs[0]
        return add_tangents(
            None if t[0] is None else t[0] / y, None if t[1] is None else -t[1] * result / y
        )


class NegBackward0(Node):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (-g,)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return -t[0]


class ReciprocalBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        return (-g * conj(xp, result * result),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return -t[0] * outputs[0] * outputs[0]


class PowBackward0(Node):
    """``x ** p`` with a Python-number exponent (saved as ``_exponent``)."""

    __slots__ = ("exponent",)
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        p = self.exponent
        if p == 0:
            return (xp.zeros_like(g),)
        # x ** (p - 1) even at p = 2: in graph mode the derivative keeps its edge to x
        # (torch's x ** 0 at the last order), so yet higher orders are zeros, not errors
        power = x ** (p - 1) if isinstance(x, Tensor) else raised(x, p - 1)
        return (times(self, g, conj(xp, p * power)),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        p = self.exponent
        return xp.zeros_like(t[0]) if p == 0 else t[0] * (p * inputs[0] ** (p - 1))


class PowBackward1(Node):
    """``x ** y`` with a tensor exponent."""

    __slots__ = ()
    _saved_from = (0, 1, -1)

    def vjp(self, xp: Any, g: Any, x: Any, y: Any, result: Any) -> tuple[Any, ...]:
        gx = gy = None
        if needs(self, 0):
            # torch: the gradient is 0 where the exponent is 0, even at x = 0
            gx = xp.where(y == 0, xp.zeros_like(g), g * conj(xp, y * x ** (y - 1)))
        if needs(self, 1):
            # 0 ** y for y >= 0: the log term is taken as 0 (torch's convention; g
            # multiplies outside the where, as torch's rule does, so a second order
            # through the masked branch matches torch's, NaNs included)
            safe = (x == 0) & _nonnegative_real(xp, y)
            gy = g * xp.where(safe, xp.zeros_like(result), conj(xp, result * xp.log(x)))
        return (gx, gy)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        (x, y), result = inputs, outputs[0]
        tx = ty = None
        if t[0] is not None:  # the same conventions as the vjp's
            tx = xp.where(y == 0, xp.zeros_like(t[0] * x), t[0] * y * x ** (y - 1))
        if t[1] is not None:
            safe = (x == 0) & _nonnegative_real(xp, y)
            ty = xp.where(safe, xp.zeros_like(t[1] * x), t[1] * result * xp.log(x))
        return add_tangents(tx, ty)


def _nonnegative_real(xp: Any, y: Any) -> Any:
    if is_complex(y):
        return (xp.real(y) >= 0) & (xp.imag(y) == 0)
    return y >= 0


class PowBackward2(Node):
    """``base ** x`` with a Python-number base (saved as ``_base``)."""

    __slots__ = ("base",)
    _saved_from = (-1, 0)

    def vjp(self, xp: Any, g: Any, result: Any, x: Any) -> tuple[Any, ...]:
        if self.base == 0:
            # g outside the where, as in torch's rule (same second order)
            return (
                g
                * xp.where(_nonnegative_real(xp, x), xp.zeros_like(result), result * float("-inf")),
            )
        return (g * conj(xp, result * math.log(self.base)),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        x, result = inputs[0], outputs[0]
        if self.base == 0:
            zeros = xp.zeros_like(t[0])
            return xp.where(_nonnegative_real(xp, x), zeros, t[0] * result * float("-inf"))
        return t[0] * result * math.log(self.base)


def add(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``x1 + x2`` (broadcasting)."""
    a, b, backend, ta, tb = binary_operands(x1, x2)
    return record(AddBackward0, (ta, tb), a + b, backend, broadcast=True)


def subtract(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``x1 - x2``; a Python-number ``x1`` records torch's ``RsubBackward1``."""
    a, b, backend, ta, tb = binary_operands(x1, x2)
    if ta is None:
        return record(RsubBackward1, (tb,), a - b, backend, broadcast=True)
    return record(SubBackward0, (ta, tb), a - b, backend, broadcast=True)


def multiply(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``x1 * x2``."""
    a, b, backend, ta, tb = binary_operands(x1, x2)
    return record(MulBackward0, (ta, tb), a * b, backend, broadcast=True, numbers=(a, b))


def divide(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise true division; ``number / x`` is ``reciprocal(x) * number`` as in torch."""
    a, b, backend, ta, tb = binary_operands(x1, x2)
    if ta is None:
        return multiply(reciprocal(tb), a)
    return record(DivBackward0, (ta, tb), a / b, backend, broadcast=True, numbers=(a, b))


def negative(x: Any, /) -> Tensor:
    """Elementwise ``-x``."""
    x = operand(x)
    return record(NegBackward0, (x,), -x._data, x._backend)


def reciprocal(x: Any, /) -> Tensor:
    """Elementwise ``1 / x``."""
    x = operand(x)
    return record(ReciprocalBackward0, (x,), 1.0 / x._data, x._backend)


def raised(a: Any, b: Any) -> Any:
    """``a ** b`` on raw data; a real floating array cubed is ``a * a * a``, torch's kernel:
    torch's values bit for bit, and on NumPy a fraction of its general ``pow``."""
    if type(b) in (int, float) and b == 3 and native_dtype_name(a.dtype) in ("float32", "float64"):
        return a * a * a
    return a**b


def pow(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``x1 ** x2`` (torch's three node kinds by which side is a number)."""
    a, b, backend, ta, tb = binary_operands(x1, x2)
    out = raised(a, b)
    if tb is None:
        result = record(PowBackward0, (ta,), out, backend)
        return keep_for_backward(result, exponent=b)
    if ta is None:
        result = record(PowBackward2, (tb,), out, backend)
        return keep_for_backward(result, base=a)
    return record(PowBackward1, (ta, tb), out, backend, broadcast=True)
