"""Sums and products over axes, differentiable: ``sum``, ``mean`` and ``prod``.

Nodes carry torch's names (``SumBackward0`` over every axis, ``SumBackward1`` over
given ones...). ``prod``'s rule never divides by zero (torch's exact gradient when
entries are 0, to every order).
"""

from __future__ import annotations

import math
from typing import Any

from .._core._tensor import Tensor
from ._support import conj, is_complex
from .reduction import _reduce, _Reduction, _renamed


class SumBackward0(_Reduction):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (self.expand(xp, g),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return self.reduced(xp, xp.sum, t[0], outputs[0])


SumBackward1 = _renamed(SumBackward0, "SumBackward1")


class MeanBackward0(_Reduction):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        count = math.prod(self.shape[a] for a in self.axes)
        return (self.expand(xp, g / count if count else g),)  # empty input: empty gradient

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return self.reduced(xp, xp.mean, t[0], outputs[0])


MeanBackward1 = _renamed(MeanBackward0, "MeanBackward1")


class ProdBackward0(_Reduction):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        full = not isinstance(self, ProdBackward1)
        others = _prod_gradient(xp, x, self.axes, full, isinstance(g, Tensor))
        return (self.expand(xp, g) * conj(xp, others),)  # conjugated for complex, as torch

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        # the same derivative (the product of the other elements, zeros handled exactly)
        full = not isinstance(self, ProdBackward1)
        others = _prod_gradient(xp, inputs[0], self.axes, full, True)
        return self.reduced(xp, xp.sum, others * t[0], outputs[0])


ProdBackward1 = _renamed(ProdBackward0, "ProdBackward1")


def _prod_gradient(xp: Any, x: Any, axes: tuple[int, ...], full: bool, recorded: bool) -> Any:
    """torch's ``prod_backward``, branch for branch (which shows with infinities and NaN):
    no zero anywhere in ``x``: product / x (NaN at an infinity); otherwise the exact
    product of the other elements (torch's exclusive cumulative products), except that the
    product over all axes with two or more zeros is 0 everywhere when not recorded."""
    if x.ndim == 0:
        return xp.ones_like(x)
    is_zero = x == 0
    nonzero = xp.where(is_zero, xp.ones_like(x), x)
    divided = xp.prod(nonzero, axis=axes, keepdims=True) / nonzero  # finite where x is 0
    zeros = xp.sum(xp.astype(is_zero, xp.int32))  # an int: x may be complex
    exact = _product_of_others(xp, x, axes)
    if full and not recorded:
        exact = xp.where(zeros >= 2, xp.zeros_like(x), exact)
    return xp.where(zeros == 0, divided, exact)


def _others_count(xp: Any, flags: Any, axes: tuple[int, ...], dtype: Any) -> Any:
    """For each element, how many other elements of its slice are flagged."""
    flags = xp.astype(flags, dtype)
    return xp.sum(flags, axis=axes, keepdims=True) - flags


def _product_of_others(xp: Any, x: Any, axes: tuple[int, ...]) -> Any:
    """For each element, the product of the other elements of its slice, without ever
    dividing by zero, infinity or NaN (torch: ``[0, 2, 3] -> [6, 0, 0]``,
    ``[0, 0, 3] -> [0, 0, 0]``, ``[inf, 0, 2] -> [0, inf, nan]``).

    It is (product of the other nonzero entries) times (product of the other zero
    entries): 1 when there are none; with exactly one, ``x_k``, it is ``x_k`` itself,
    kept as a variable (value 0, derivative 1) so the second derivative is exact too;
    with two or more it is 0 to first order. The nonzero part divides the product of the
    finite entries (an infinity counts as its sign, NaN as 1) by the element's own, then
    is infinite where another entry is, and NaN where another entry is NaN.
    """
    is_zero = x == 0
    ones = xp.ones_like(x)
    if is_complex(x):  # no sign to keep for a complex infinity
        unit = xp.where(is_zero, ones, x)
        others_nonzero = xp.prod(unit, axis=axes, keepdims=True) / unit
    else:
        is_inf, is_nan = xp.isinf(x), xp.isnan(x)
        unit = xp.where(is_zero | is_nan, ones, xp.where(is_inf, xp.sign(x), x))
        others_nonzero = xp.prod(unit, axis=axes, keepdims=True) / unit
        factor = xp.where(_others_count(xp, is_inf, axes, x.dtype) > 0, ones * math.inf, ones)
        factor = xp.where(_others_count(xp, is_nan, axes, x.dtype) > 0, ones * math.nan, factor)
        others_nonzero = others_nonzero * factor
    others_zero_count = _others_count(xp, is_zero, axes, x.dtype)
    zero_entries = xp.where(is_zero, x, xp.zeros_like(x))
    others_zero_sum = xp.sum(zero_entries, axis=axes, keepdims=True) - zero_entries
    one_zero = xp.where(
        others_zero_count == 1, others_nonzero * others_zero_sum, others_nonzero * xp.zeros_like(x)
    )
    return xp.where(others_zero_count == 0, others_nonzero, one_zero)


def sum(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Tensor:
    """Sum over ``axis`` (all axes when None)."""
    return _reduce(SumBackward0, SumBackward1, "sum", x, axis, keepdims, dtype=dtype)


def mean(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean over ``axis`` (all axes when None)."""
    return _reduce(MeanBackward0, MeanBackward1, "mean", x, axis, keepdims)


def prod(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Tensor:
    """Product over ``axis`` (all axes when None)."""
    return _reduce(ProdBackward0, ProdBackward1, "prod", x, axis, keepdims, dtype=dtype)
