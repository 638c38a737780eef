"""Sums and products over axes, differentiable: ``sum``, ``mean`` and ``prod``.

Nodes carry torch's names (``SumBackward0`` over every axis, ``SumBackward1`` over
given ones...). ``prod``'s rule never divides by zero (torch's exact gradient when
entries are 0, to every order).
"""

from __future__ import annotations

import math
from typing import Any

from .._tensor import Tensor
from .reduction import _reduce, _Reduction, _renamed


class SumBackward0(_Reduction):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (self.expand(xp, g),)


SumBackward1 = _renamed(SumBackward0, "SumBackward1")


class MeanBackward0(_Reduction):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        count = math.prod(self.shape[a] for a in self.axes)
        return (self.expand(xp, g / count if count else g),)  # empty input: empty gradient


MeanBackward1 = _renamed(MeanBackward0, "MeanBackward1")


class ProdBackward0(_Reduction):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (self.expand(xp, g) * _product_of_others(xp, x, self.axes),)


ProdBackward1 = _renamed(ProdBackward0, "ProdBackward1")


def _product_of_others(xp: Any, x: Any, axes: tuple[int, ...]) -> Any:
    """For each element, the product of the other elements of its slice, without ever
    dividing by zero (torch: ``[0, 2, 3] -> [6, 0, 0]``, ``[0, 0, 3] -> [0, 0, 0]``).

    It is (product of the other nonzero entries: divides by nonzero numbers only) times
    (product of the other zero entries): 1 when there are none; with exactly one,
    ``x_k``, it is ``x_k`` itself, kept as a variable (value 0, derivative 1) so the
    second derivative is exact too; with two or more it is 0 to first order.
    """
    is_zero = x == 0
    nonzero = xp.where(is_zero, xp.ones_like(x), x)
    others_nonzero = xp.prod(nonzero, axis=axes, keepdims=True) / nonzero
    zero_flags = xp.astype(is_zero, x.dtype)
    others_zero_count = xp.sum(zero_flags, axis=axes, keepdims=True) - zero_flags
    zero_entries = xp.where(is_zero, x, xp.zeros_like(x))
    others_zero_sum = xp.sum(zero_entries, axis=axes, keepdims=True) - zero_entries
    one_zero = xp.where(others_zero_count == 1, others_nonzero * others_zero_sum,
                        xp.zeros_like(x))
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
