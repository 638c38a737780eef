"""The error function and the normal distribution: ``erf erfc erfinv erfcx``,
``ndtr log_ndtr ndtri``, differentiable with torch's node names."""

from __future__ import annotations

import math
from typing import Any

from .._core._node import Node
from .._core._tensor import Tensor
from ._native import _unary

_SQRT_2PI = math.sqrt(2 * math.pi)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


# -- error function and normal distribution ----------------------------------------------
class ErfBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * _TWO_OVER_SQRT_PI * xp.exp(-(x * x)),)


class ErfcBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (-g * _TWO_OVER_SQRT_PI * xp.exp(-(x * x)),)


class MulBackward1(Node):
    """``ndtr``: torch computes it as ``(1 + erf(x / sqrt 2)) * 0.5``, whose last node
    is this one; polygrad keeps one node with the normal density as its derivative."""

    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * xp.exp(-0.5 * x * x) / _SQRT_2PI,)


class SpecialLogNdtrBackward0(Node):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        return (g / _SQRT_2PI * xp.exp(-(result + x * x / 2)),)


class SpecialNdtriBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        return (g * _SQRT_2PI * xp.exp(result * result / 2),)


class ErfinvBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        return (g * (0.5 * math.sqrt(math.pi)) * xp.exp(result * result),)


class SpecialErfcxBackward0(Node):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        return ((2 * x * result - _TWO_OVER_SQRT_PI) * g,)


def erf(x: Any, /) -> Tensor:
    """The error function ``2/sqrt(pi) * integral_0^x exp(-t**2) dt``."""
    return _unary(ErfBackward0, "erf", x)


def erfc(x: Any, /) -> Tensor:
    """The complementary error function ``1 - erf(x)``, accurate for large x."""
    return _unary(ErfcBackward0, "erfc", x)


def erfinv(x: Any, /) -> Tensor:
    """The inverse of ``erf`` on (-1, 1)."""
    return _unary(ErfinvBackward0, "erfinv", x)


def erfcx(x: Any, /) -> Tensor:
    """The scaled complementary error function ``exp(x**2) * erfc(x)``."""
    return _unary(SpecialErfcxBackward0, "erfcx", x)


def ndtr(x: Any, /) -> Tensor:
    """The standard normal CDF."""
    return _unary(MulBackward1, "ndtr", x)


def log_ndtr(x: Any, /) -> Tensor:
    """``log(ndtr(x))``, accurate in both tails."""
    return _unary(SpecialLogNdtrBackward0, "log_ndtr", x)


def ndtri(x: Any, /) -> Tensor:
    """The inverse of ``ndtr`` (the standard normal quantile function)."""
    return _unary(SpecialNdtriBackward0, "ndtri", x)
