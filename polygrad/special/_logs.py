"""Logistic and logarithmic terms: ``expit logit``, ``xlogy xlog1py`` (0 where
``x == 0``) and ``entr``, differentiable with torch's node names."""

from __future__ import annotations

import math
from typing import Any

from .._core._node import Node
from .._core._record import binary_operands, record
from .._core._tensor import Tensor
from ..ops._support import needs
from ..ops.elementwise import SigmoidBackward0
from ._native import _call, _compute, _unary


# -- logistic ---------------------------------------------------------------------------
class LogitBackward0(Node):
    """Outside [0, 1] the derivative is NaN, as in torch."""

    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        step = g / (x * (1 - x))
        outside = (x < 0) | (x > 1)
        return (xp.where(outside, xp.full_like(step, math.nan), step),)


def expit(x: Any, /) -> Tensor:
    """The logistic sigmoid ``1 / (1 + exp(-x))`` (torch's ``SigmoidBackward0``)."""
    return _unary(SigmoidBackward0, "expit", x)


def logit(x: Any, /) -> Tensor:
    """``log(x / (1 - x))``, the inverse of ``expit``."""
    return _unary(LogitBackward0, "logit", x)


# -- x * log(y) ---------------------------------------------------------------------------
class XlogyBackward0(Node):
    """``xlogy(x, y)``; the ``x`` gradient is 0 where ``x == 0`` and ``y <= 0`` (torch)."""

    __slots__ = ()
    _saved_from = (0, 1)
    _function = "xlogy"
    _pole = 0.0

    def vjp(self, xp: Any, g: Any, x: Any, y: Any) -> tuple[Any, ...]:
        gx = gy = None
        if needs(self, 0):
            step = _call(self, self._function, g, y)
            gx = xp.where((x == 0) & (y <= self._pole), xp.zeros_like(step), step)
        if needs(self, 1):
            gy = g * x / (y - self._pole)
        return (gx, gy)


class XlogyBackward1(XlogyBackward0):
    """``xlogy(number, y)``."""

    __slots__ = ()


class XlogyBackward2(XlogyBackward0):
    """``xlogy(x, number)``."""

    __slots__ = ()


class SpecialXlog1PyBackward0(XlogyBackward0):
    """``xlog1py(x, y) = x * log1p(y)``: the same rule with the pole at ``y = -1``."""

    __slots__ = ()
    _function = "xlog1py"
    _pole = -1.0


class SpecialXlog1PyBackward1(SpecialXlog1PyBackward0):
    __slots__ = ()


class SpecialXlog1PyBackward2(SpecialXlog1PyBackward0):
    __slots__ = ()


def _xlogy_family(classes: tuple[type[Node], ...], name: str, x: Any, y: Any) -> Tensor:
    a, b, backend, ta, tb = binary_operands(x, y)
    out = _compute(backend, name, a, b)
    cls = classes[1] if ta is None else classes[2] if tb is None else classes[0]
    return record(cls, (ta, tb), out, backend, broadcast=True, numbers=(a, b))


def xlogy(x: Any, y: Any, /) -> Tensor:
    """``x * log(y)``, taken as 0 where ``x == 0`` (also at ``y == 0``)."""
    return _xlogy_family((XlogyBackward0, XlogyBackward1, XlogyBackward2), "xlogy", x, y)


def xlog1py(x: Any, y: Any, /) -> Tensor:
    """``x * log1p(y)``, taken as 0 where ``x == 0``."""
    return _xlogy_family(
        (SpecialXlog1PyBackward0, SpecialXlog1PyBackward1, SpecialXlog1PyBackward2), "xlog1py", x, y
    )


class SpecialEntrBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * -(1 + xp.log(x)),)


def entr(x: Any, /) -> Tensor:
    """Elementwise entropy term ``-x log(x)`` (0 at 0, -inf for x < 0)."""
    return _unary(SpecialEntrBackward0, "entr", x)
