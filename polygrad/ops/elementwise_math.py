"""The standard's transcendental functions beyond the basics: inverse trig, hyperbolic,
``expm1``/``log1p``/``log2``/``log10``, ``square``, and the two-argument ``atan2``,
``hypot`` and ``logaddexp``, each differentiable with torch's rule and node name.

Rules follow torch's derivatives (complex inputs get the conjugate of the derivative,
torch's conjugate-Wirtinger convention) and are written in array-API code, so
second-order gradients come from the same code run on Tensors. A one-input op is one
line: its derivative, read by both its VJP and its JVP (``elementwise_node``).
"""

from __future__ import annotations

import math
from typing import Any

from .._core._dtypes import is_complex
from .._core._node import Node
from .._core._record import operand, record
from .._core._tensor import Tensor
from ._complex_values import complex_expm1
from ._elementwise_node import elementwise_node
from ._support import add_tangents, binary, needs, scaled, unary
from .arithmetic import pow

_LN2, _LN10 = math.log(2.0), math.log(10.0)

AcosBackward0 = elementwise_node("AcosBackward0", over=lambda xp, x: -xp.sqrt(1 - x * x))
AsinBackward0 = elementwise_node("AsinBackward0", over=lambda xp, x: xp.sqrt(1 - x * x))
AtanBackward0 = elementwise_node("AtanBackward0", over=lambda xp, x: x * x + 1)
AcoshBackward0 = elementwise_node("AcoshBackward0", over=lambda xp, x: xp.sqrt(x * x - 1))
AsinhBackward0 = elementwise_node("AsinhBackward0", over=lambda xp, x: xp.sqrt(x * x + 1))
AtanhBackward0 = elementwise_node("AtanhBackward0", over=lambda xp, x: 1 - x * x)
SinhBackward0 = elementwise_node("SinhBackward0", times=lambda xp, x: xp.cosh(x))
CoshBackward0 = elementwise_node("CoshBackward0", times=lambda xp, x: xp.sinh(x))
TanBackward0 = elementwise_node("TanBackward0", times=lambda xp, y: 1 + y * y, of_result=True)
Expm1Backward0 = elementwise_node("Expm1Backward0", times=lambda xp, y: y + 1, of_result=True)
Log1PBackward0 = elementwise_node("Log1PBackward0", over=lambda xp, x: x + 1)
Log2Backward0 = elementwise_node("Log2Backward0", over=lambda xp, x: x * _LN2)
Log10Backward0 = elementwise_node("Log10Backward0", over=lambda xp, x: x * _LN10)


class Atan2Backward0(Node):
    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, y: Any, x: Any) -> tuple[Any, ...]:
        recip = _inverse_square_radius(xp, y, x)
        return (
            g * x * recip if needs(self, 0) else None,
            g * -y * recip if needs(self, 1) else None,
        )

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        y, x = inputs
        recip = _inverse_square_radius(xp, y, x)
        return add_tangents(scaled(t[0], x * recip), scaled(t[1], -y * recip))


def _inverse_square_radius(xp: Any, y: Any, x: Any) -> Any:
    recip = 1 / (y * y + x * x)
    # torch zeroes the gradient at the origin instead of returning 0 * inf = NaN
    return xp.where(xp.isinf(recip), xp.zeros_like(recip), recip)


class HypotBackward0(Node):
    __slots__ = ()
    _saved_from = (0, 1, -1)

    def vjp(self, xp: Any, g: Any, x: Any, y: Any, result: Any) -> tuple[Any, ...]:
        scale = g / result
        return (scale * x if needs(self, 0) else None, scale * y if needs(self, 1) else None)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        (x, y), result = inputs, outputs[0]
        return add_tangents(scaled(t[0], x / result), scaled(t[1], y / result))


class LogaddexpBackward0(Node):
    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, x: Any, y: Any) -> tuple[Any, ...]:
        gx = g / (1 + xp.exp(y - x)) if needs(self, 0) else None
        gy = g / (1 + xp.exp(x - y)) if needs(self, 1) else None
        return (gx, gy)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        (x, y), result = inputs, outputs[0]
        return add_tangents(scaled(t[0], xp.exp(x - result)), scaled(t[1], xp.exp(y - result)))


def acos(x: Any, /) -> Tensor:
    """Elementwise inverse cosine."""
    return unary(AcosBackward0, "acos", x)


def asin(x: Any, /) -> Tensor:
    """Elementwise inverse sine."""
    return unary(AsinBackward0, "asin", x)


def atan(x: Any, /) -> Tensor:
    """Elementwise inverse tangent."""
    return unary(AtanBackward0, "atan", x)


def acosh(x: Any, /) -> Tensor:
    """Elementwise inverse hyperbolic cosine."""
    return unary(AcoshBackward0, "acosh", x)


def asinh(x: Any, /) -> Tensor:
    """Elementwise inverse hyperbolic sine."""
    return unary(AsinhBackward0, "asinh", x)


def atanh(x: Any, /) -> Tensor:
    """Elementwise inverse hyperbolic tangent."""
    return unary(AtanhBackward0, "atanh", x)


def sinh(x: Any, /) -> Tensor:
    """Elementwise hyperbolic sine."""
    return unary(SinhBackward0, "sinh", x)


def cosh(x: Any, /) -> Tensor:
    """Elementwise hyperbolic cosine."""
    return unary(CoshBackward0, "cosh", x)


def tan(x: Any, /) -> Tensor:
    """Elementwise tangent."""
    return unary(TanBackward0, "tan", x)


def expm1(x: Any, /) -> Tensor:
    """Elementwise ``exp(x) - 1``, accurate near 0 (complex: the standard's special values)."""
    x = operand(x)
    if is_complex(x._data):
        backend = x._backend
        return record(Expm1Backward0, (x,), complex_expm1(backend, x._data), backend)
    return unary(Expm1Backward0, "expm1", x)


def log1p(x: Any, /) -> Tensor:
    """Elementwise ``log(1 + x)``, accurate near 0."""
    return unary(Log1PBackward0, "log1p", x)


def log2(x: Any, /) -> Tensor:
    """Elementwise base-2 logarithm."""
    return unary(Log2Backward0, "log2", x)


def log10(x: Any, /) -> Tensor:
    """Elementwise base-10 logarithm."""
    return unary(Log10Backward0, "log10", x)


def square(x: Any, /) -> Tensor:
    """Elementwise ``x * x``; recorded as ``x ** 2`` (``PowBackward0``), as torch does."""
    return pow(x, 2)


def atan2(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise angle of the point ``(x2, x1)``, i.e. ``atan(x1 / x2)`` in the right quadrant."""
    return binary(Atan2Backward0, "atan2", x1, x2)


def hypot(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``sqrt(x1**2 + x2**2)`` without overflow."""
    return binary(HypotBackward0, "hypot", x1, x2)


def logaddexp(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``log(exp(x1) + exp(x2))`` without overflow."""
    return binary(LogaddexpBackward0, "logaddexp", x1, x2)


def positive(x: Any, /) -> Tensor:
    """``+x``: the input itself, as torch returns it (no node)."""
    return operand(x)
