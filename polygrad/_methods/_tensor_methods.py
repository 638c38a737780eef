"""The arithmetic of ``Tensor``: ``x + y``, ``x == y``, ``x.add(y, alpha=2)``,
``x.exp()``, ``x.clamp(0, 1)`` and the in-place forms (``x += y``, ``x.mul_(2)``).

Functions follow the array API standard (``pg.add(x, y)``); methods follow torch
(``x.add(y)``, ``x.sub(y, alpha=2)``). Every method forwards to the one function that
implements the op, so a method and its function always record the same node.
Reductions live in ``_tensor_reductions``, shape methods and indexing in
``_tensor_shape_methods``.
"""

from __future__ import annotations

from typing import Any

from .. import ops
from .._core._inplace import inplace
from ..array_api._dtype_functions import result_type
from ..ops.clamp import clamp_max, clamp_min


class TensorMethods:
    __slots__ = ()

    # -- arithmetic operators ----------------------------------------------------------
    def __add__(self, other: Any) -> Any:
        return ops.add(self, other)

    def __radd__(self, other: Any) -> Any:
        return ops.add(self, other)  # torch: ``2 + x`` records x as the first input

    def __sub__(self, other: Any) -> Any:
        return ops.subtract(self, other)

    def __rsub__(self, other: Any) -> Any:
        return ops.subtract(other, self)

    def __mul__(self, other: Any) -> Any:
        return ops.multiply(self, other)

    def __rmul__(self, other: Any) -> Any:
        return ops.multiply(self, other)  # torch: ``2 * x`` records x as the first input

    def __truediv__(self, other: Any) -> Any:
        return ops.divide(self, other)

    def __rtruediv__(self, other: Any) -> Any:
        return ops.divide(other, self)

    def __pow__(self, other: Any) -> Any:
        return ops.pow(self, other)

    def __rpow__(self, other: Any) -> Any:
        return ops.pow(other, self)

    def __matmul__(self, other: Any) -> Any:
        return ops.matmul(self, other)

    def __rmatmul__(self, other: Any) -> Any:
        return ops.matmul(other, self)

    def __neg__(self) -> Any:
        return ops.negative(self)

    def __pos__(self) -> Any:
        return self

    def __abs__(self) -> Any:
        return ops.abs(self)

    # -- in-place operators -----------------------------------------------------------
    def __iadd__(self, other: Any) -> Any:
        return self.add_(other)

    def __isub__(self, other: Any) -> Any:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Any:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Any:
        return self.div_(other)

    def __ipow__(self, other: Any) -> Any:
        return self.pow_(other)

    # -- comparisons (not differentiable) ---------------------------------------------
    def __eq__(self, other: Any) -> Any:
        return ops.equal(self, other)

    def __ne__(self, other: Any) -> Any:
        return ops.not_equal(self, other)

    def __lt__(self, other: Any) -> Any:
        return ops.less(self, other)

    def __le__(self, other: Any) -> Any:
        return ops.less_equal(self, other)

    def __gt__(self, other: Any) -> Any:
        return ops.greater(self, other)

    def __ge__(self, other: Any) -> Any:
        return ops.greater_equal(self, other)

    def __and__(self, other: Any) -> Any:  # bitwise, as the standard says (logical on bool)
        return ops.bitwise_and(self, other)

    def __or__(self, other: Any) -> Any:
        return ops.bitwise_or(self, other)

    def __invert__(self) -> Any:
        return ops.bitwise_invert(self)

    # -- torch-style arithmetic methods -----------------------------------------------
    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        return ops.add(self, other if alpha == 1 else ops.multiply(other, alpha))

    def sub(self, other: Any, *, alpha: Any = 1) -> Any:
        return ops.subtract(self, other if alpha == 1 else ops.multiply(other, alpha))

    def mul(self, other: Any) -> Any:
        return ops.multiply(self, other)

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        if rounding_mode is None:
            return ops.divide(self, other)
        if rounding_mode == "floor":
            quotient = ops.divide(self, other)
            if quotient.dtype.kind == "real floating" and self.dtype.kind == "real floating":  # type: ignore[attr-defined]
                return ops.floor(quotient)  # differentiable (zero gradient), as in torch
            return ops.floor_divide(self, other)
        if rounding_mode == "trunc":
            quotient = ops.trunc(ops.divide(self, other))
            other_kind = "integer" if isinstance(other, int) else other.dtype.kind
            if "integer" in self.dtype.kind and "integer" in other_kind:  # type: ignore[attr-defined]
                return ops.astype(quotient, result_type(self, other))
            return quotient
        raise RuntimeError(
            "div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )

    def true_divide(self, other: Any) -> Any:
        return ops.divide(self, other)

    subtract = sub  # torch's aliases
    multiply = mul
    divide = div

    def pow(self, exponent: Any) -> Any:
        return ops.pow(self, exponent)

    def square(self) -> Any:
        return ops.pow(self, 2)

    def matmul(self, other: Any) -> Any:
        return ops.matmul(self, other)

    mm = matmul

    def neg(self) -> Any:
        return ops.negative(self)

    negative = neg

    def maximum(self, other: Any) -> Any:
        return ops.maximum(self, other)

    def minimum(self, other: Any) -> Any:
        return ops.minimum(self, other)

    def reciprocal(self) -> Any:
        return ops.reciprocal(self)

    def exp(self) -> Any:
        return ops.exp(self)

    def log(self) -> Any:
        return ops.log(self)

    def sin(self) -> Any:
        return ops.sin(self)

    def cos(self) -> Any:
        return ops.cos(self)

    def tanh(self) -> Any:
        return ops.tanh(self)

    def sigmoid(self) -> Any:
        return ops.sigmoid(self)

    def relu(self) -> Any:
        return ops.relu(self)

    def abs(self) -> Any:
        return ops.abs(self)

    def sqrt(self) -> Any:
        return ops.sqrt(self)

    def clamp(self, min: Any = None, max: Any = None) -> Any:
        return ops.clip(self, min, max)

    clip = clamp

    def clamp_min(self, min: Any) -> Any:
        return clamp_min(self, min)

    def clamp_max(self, max: Any) -> Any:
        return clamp_max(self, max)

    # -- in-place methods -----------------------------------------------------------------
    def add_(self, other: Any, *, alpha: Any = 1) -> Any:
        return (
            inplace(self, TensorMethods.add, other)
            if alpha == 1
            else inplace(self, lambda t, o: t.add(o, alpha=alpha), other)
        )

    def sub_(self, other: Any, *, alpha: Any = 1) -> Any:
        return inplace(self, lambda t, o: t.sub(o, alpha=alpha), other)

    def mul_(self, other: Any) -> Any:
        return inplace(self, ops.multiply, other)

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Any:
        if rounding_mode is None:
            return inplace(self, ops.divide, other)
        return inplace(self, lambda t, o: t.div(o, rounding_mode=rounding_mode), other)

    def pow_(self, exponent: Any) -> Any:
        return inplace(self, ops.pow, exponent)

    def exp_(self) -> Any:
        return inplace(self, ops.exp)

    def sigmoid_(self) -> Any:
        return inplace(self, ops.sigmoid)

    def relu_(self) -> Any:
        return inplace(self, ops.relu)

    def clamp_(self, min: Any = None, max: Any = None) -> Any:
        return inplace(self, ops.clip, min, max)

    def zero_(self) -> Any:
        return inplace(self, ops.zero_like_recorded)

    def fill_(self, value: Any) -> Any:
        return inplace(self, ops.fill_like_recorded, value)

    def copy_(self, src: Any) -> Any:
        return inplace(self, ops.copy_from_recorded, src)
