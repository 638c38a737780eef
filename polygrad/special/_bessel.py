"""Bessel functions: the differentiable modified ones of the first kind ``i0 i0e i1 i1e``
(torch's node names and its exact slope at ``x = 0``), and torch.special's ``bessel_j0/j1/y0/y1``,
``modified_bessel_i0/i1/k0/k1``, ``scaled_modified_bessel_k0/k1``, ``spherical_bessel_j0`` and
``airy_ai``, which torch does not differentiate (their results never require grad)."""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._tensor import Tensor
from ._native import _call, _unary, _unary_constant


# -- modified Bessel functions -----------------------------------------------------------
def _away_from_zero(xp: Any, x: Any) -> tuple[Any, Any]:
    """(|x| > eps, x with tiny entries replaced by eps): torch's guard at x = 0."""
    eps = xp.finfo(x.dtype).eps
    big = xp.abs(x) > eps
    return big, xp.where(big, x, xp.full_like(x, eps))


class I0Backward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * _call(self, "i1", x),)


class SpecialI0EBackward0(Node):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        return (g * (_call(self, "i1e", x) - xp.sign(x) * result),)


class SpecialI1Backward0(Node):
    """``i1' = i0 - i1 / x``, with torch's exact 0.5 at x = 0."""

    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        big, safe = _away_from_zero(xp, x)
        slope = _call(self, "i0", safe) - result / safe
        return (g * xp.where(big, slope, xp.full_like(slope, 0.5)),)


class SpecialI1EBackward0(Node):
    """``i1e' = i0e - i1e (sign(x) + 1/x)``, with torch's exact 0.5 at x = 0."""

    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        big, safe = _away_from_zero(xp, x)
        slope = _call(self, "i0e", safe) - result * (xp.sign(safe) + 1 / safe)
        return (g * xp.where(big, slope, xp.full_like(slope, 0.5)),)


def i0(x: Any, /) -> Tensor:
    """The modified Bessel function of the first kind, order 0."""
    return _unary(I0Backward0, "i0", x)


def i0e(x: Any, /) -> Tensor:
    """``exp(-|x|) * i0(x)``, without overflow."""
    return _unary(SpecialI0EBackward0, "i0e", x)


def i1(x: Any, /) -> Tensor:
    """The modified Bessel function of the first kind, order 1."""
    return _unary(SpecialI1Backward0, "i1", x)


def i1e(x: Any, /) -> Tensor:
    """``exp(-|x|) * i1(x)``, without overflow."""
    return _unary(SpecialI1EBackward0, "i1e", x)


# -- Bessel and Airy functions torch does not differentiate -------------------------------
def bessel_j0(input: Any) -> Tensor:
    """The Bessel function of the first kind, order 0 (no gradient, as in torch)."""
    return _unary_constant("bessel_j0", input)


def bessel_j1(input: Any) -> Tensor:
    """The Bessel function of the first kind, order 1 (no gradient, as in torch)."""
    return _unary_constant("bessel_j1", input)


def bessel_y0(input: Any) -> Tensor:
    """The Bessel function of the second kind, order 0 (no gradient, as in torch)."""
    return _unary_constant("bessel_y0", input)


def bessel_y1(input: Any) -> Tensor:
    """The Bessel function of the second kind, order 1 (no gradient, as in torch)."""
    return _unary_constant("bessel_y1", input)


def modified_bessel_i0(input: Any) -> Tensor:
    """The modified Bessel function of the first kind, order 0 (no gradient, as in torch;
    ``i0`` is the differentiable one)."""
    return _unary_constant("modified_bessel_i0", input)


def modified_bessel_i1(input: Any) -> Tensor:
    """The modified Bessel function of the first kind, order 1 (no gradient, as in torch;
    ``i1`` is the differentiable one)."""
    return _unary_constant("modified_bessel_i1", input)


def modified_bessel_k0(input: Any) -> Tensor:
    """The modified Bessel function of the second kind, order 0 (no gradient, as in torch)."""
    return _unary_constant("modified_bessel_k0", input)


def modified_bessel_k1(input: Any) -> Tensor:
    """The modified Bessel function of the second kind, order 1 (no gradient, as in torch)."""
    return _unary_constant("modified_bessel_k1", input)


def scaled_modified_bessel_k0(input: Any) -> Tensor:
    """``exp(input) * modified_bessel_k0(input)``, without underflow (no gradient)."""
    return _unary_constant("scaled_modified_bessel_k0", input)


def scaled_modified_bessel_k1(input: Any) -> Tensor:
    """``exp(input) * modified_bessel_k1(input)``, without underflow (no gradient)."""
    return _unary_constant("scaled_modified_bessel_k1", input)


def spherical_bessel_j0(input: Any) -> Tensor:
    """The spherical Bessel function of the first kind, order 0: ``sin(x) / x``
    (no gradient, as in torch)."""
    return _unary_constant("spherical_bessel_j0", input)


def airy_ai(input: Any) -> Tensor:
    """The Airy function ``Ai`` (no gradient, as in torch)."""
    return _unary_constant("airy_ai", input)
