"""The standard's transcendental functions beyond the basics: inverse trig, hyperbolic,
``expm1``/``log1p``/``log2``/``log10``, ``square``, and the two-argument ``atan2``,
``hypot`` and ``logaddexp``, each differentiable with torch's rule and node name.

Rules follow torch's derivatives (complex inputs get the conjugate of the derivative,
torch's conjugate-Wirtinger convention) and are written in array-API code, so
second-order gradients come from the same code run on Tensors.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._dtypes import is_complex
from .._core._node import Node
from .._core._record import operand, record
from .._core._tensor import Tensor
from ._complex_values import complex_expm1
from ._support import binary, conj, needs, unary
from .arithmetic import pow


class AcosBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (-g / conj(xp, xp.sqrt(1 - x * x)),)


class AsinBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g / conj(xp, xp.sqrt(1 - x * x)),)


class AtanBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g / conj(xp, x * x + 1),)


class AcoshBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g / conj(xp, xp.sqrt(x * x - 1)),)


class AsinhBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g / conj(xp, xp.sqrt(x * x + 1)),)


class AtanhBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g / conj(xp, 1 - x * x),)


class SinhBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * conj(xp, xp.cosh(x)),)


class CoshBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * conj(xp, xp.sinh(x)),)


class TanBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        return (g * conj(xp, 1 + result * result),)


class Expm1Backward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        return (g * (conj(xp, result) + 1),)


class Log1PBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g / conj(xp, x + 1),)


class Log2Backward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g / (conj(xp, x) * math.log(2.0)),)


class Log10Backward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g / (conj(xp, x) * math.log(10.0)),)


class Atan2Backward0(Node):
    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, y: Any, x: Any) -> tuple[Any, ...]:
        recip = 1 / (y * y + x * x)
        # torch zeroes the gradient at the origin instead of returning 0 * inf = NaN
        recip = xp.where(xp.isinf(recip), xp.zeros_like(recip), recip)
        return (
            g * x * recip if needs(self, 0) else None,
            g * -y * recip if needs(self, 1) else None,
        )


class HypotBackward0(Node):
    __slots__ = ()
    _saved_from = (0, 1, -1)

    def vjp(self, xp: Any, g: Any, x: Any, y: Any, result: Any) -> tuple[Any, ...]:
        scale = g / result
        return (scale * x if needs(self, 0) else None, scale * y if needs(self, 1) else None)


class LogaddexpBackward0(Node):
    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, x: Any, y: Any) -> tuple[Any, ...]:
        gx = g / (1 + xp.exp(y - x)) if needs(self, 0) else None
        gy = g / (1 + xp.exp(x - y)) if needs(self, 1) else None
        return (gx, gy)


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
    """Elementwise ``exp(x) - 1``, accurate near 0 (complex: see ``complex_expm1``)."""
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
