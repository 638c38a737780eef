"""The arithmetic of ``Tensor``: ``x + y``, ``x == y``, ``x.add(y, alpha=2)``,
``x.exp()``, ``x.clamp(0, 1)`` and the in-place forms (``x += y``, ``x.mul_(2)``).

Functions follow the array API standard (``pg.add(x, y)``); methods follow torch
(``x.add(y)``, ``x.sub(y, alpha=2)``). Every method forwards to the one function that
implements the op, so a method and its function always record the same node.
Reductions live in ``_tensor_reductions``, shape methods and indexing in
``_tensor_shape_methods``.
"""

from __future__ import annotations

from typing import Any, cast

from ... import ops
from ..._core._inplace import inplace
from ..._core._tensor import Tensor
from ...array_api._dtype_functions import result_type
from ...ops.clamp import clamp_max, clamp_min


class TensorMethods:
    __slots__ = ()

    # -- arithmetic operators ----------------------------------------------------------
    # the op itself where ``self`` is its first operand (one Python call fewer per op);
    # torch records ``2 + x`` and ``2 * x`` with x as the first input, so the reflected
    # forms of + and * are the op too
    __add__ = __radd__ = ops.add
    __sub__ = ops.subtract

    def __rsub__(self, other: Any) -> Tensor:
        return ops.subtract(other, self)

    __mul__ = __rmul__ = ops.multiply
    __truediv__ = ops.divide

    def __rtruediv__(self, other: Any) -> Tensor:
        return ops.divide(other, self)

    __pow__ = ops.pow

    def __rpow__(self, other: Any) -> Tensor:
        return ops.pow(other, self)

    __matmul__ = ops.matmul

    def __rmatmul__(self, other: Any) -> Tensor:
        return ops.matmul(other, self)

    __neg__ = ops.negative

    def __pos__(self) -> Tensor:
        return cast(Tensor, self)

    __abs__ = ops.abs

    # -- in-place operators -----------------------------------------------------------
    def __iadd__(self, other: Any) -> Tensor:
        return self.add_(other)

    def __isub__(self, other: Any) -> Tensor:
        return self.sub_(other)

    def __imul__(self, other: Any) -> Tensor:
        return self.mul_(other)

    def __itruediv__(self, other: Any) -> Tensor:
        return self.div_(other)

    def __ipow__(self, other: Any) -> Tensor:
        return self.pow_(other)

    # -- comparisons (not differentiable) ---------------------------------------------
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return ops.equal(self, other)

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return ops.not_equal(self, other)

    def __lt__(self, other: Any) -> Tensor:
        return ops.less(self, other)

    def __le__(self, other: Any) -> Tensor:
        return ops.less_equal(self, other)

    def __gt__(self, other: Any) -> Tensor:
        return ops.greater(self, other)

    def __ge__(self, other: Any) -> Tensor:
        return ops.greater_equal(self, other)

    def __and__(self, other: Any) -> Tensor:  # bitwise, as the standard says (logical on bool)
        return ops.bitwise_and(self, other)

    def __or__(self, other: Any) -> Tensor:
        return ops.bitwise_or(self, other)

    def __invert__(self) -> Tensor:
        return ops.bitwise_invert(self)

    # -- torch-style arithmetic methods -----------------------------------------------
    def add(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self + alpha * other`` (torch's ``x.add(other, alpha=)``; ``pg.add``)."""
        return ops.add(self, other if alpha == 1 else ops.multiply(other, alpha))

    def sub(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """``self - alpha * other`` (torch's ``x.sub(other, alpha=)``; ``pg.subtract``)."""
        return ops.subtract(self, other if alpha == 1 else ops.multiply(other, alpha))

    def mul(self, other: Any) -> Tensor:
        """Elementwise ``self * other`` (torch's ``x.mul()``; ``pg.multiply``)."""
        return ops.multiply(self, other)

    def div(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """``self / other``; ``rounding_mode='trunc'`` or ``'floor'`` rounds as torch's ``x.div()``
        does."""
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

    def true_divide(self, other: Any) -> Tensor:
        """Elementwise true division; ``number / x`` is ``reciprocal(x) * number`` as in torch
        (torch's ``x.true_divide()``; ``pg.divide``)."""
        return ops.divide(self, other)

    subtract = sub  # torch's aliases
    multiply = mul
    divide = div

    def pow(self, exponent: Any) -> Tensor:
        """Elementwise ``self ** other`` (torch's three node kinds by which side is a number) (torch's
        ``x.pow()``; ``pg.pow``)."""
        return ops.pow(self, exponent)

    def square(self) -> Tensor:
        """Elementwise ``self ** 2`` (torch's ``x.square()``; ``pg.square``)."""
        return ops.pow(self, 2)

    def matmul(self, other: Any) -> Tensor:
        """Matrix product with the standard's broadcasting and 1-D promotion rules (torch's
        ``x.matmul()``; ``pg.matmul``)."""
        return ops.matmul(self, other)

    mm = matmul

    def neg(self) -> Tensor:
        """Elementwise ``-x`` (torch's ``x.neg()``; ``pg.negative``)."""
        return ops.negative(self)

    negative = neg

    def maximum(self, other: Any) -> Tensor:
        """Elementwise larger value; at ties each side gets half the gradient (torch's
        ``x.maximum()``; ``pg.maximum``)."""
        return ops.maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        """Elementwise smaller value; at ties each side gets half the gradient (torch's
        ``x.minimum()``; ``pg.minimum``)."""
        return ops.minimum(self, other)

    def reciprocal(self) -> Tensor:
        """Elementwise ``1 / x`` (torch's ``x.reciprocal()``; ``pg.reciprocal``)."""
        return ops.reciprocal(self)

    def exp(self) -> Tensor:
        """Elementwise e ** x (torch's ``x.exp()``; ``pg.exp``)."""
        return ops.exp(self)

    def log(self) -> Tensor:
        """Elementwise natural logarithm (torch's ``x.log()``; ``pg.log``)."""
        return ops.log(self)

    def sin(self) -> Tensor:
        """Elementwise sine (torch's ``x.sin()``; ``pg.sin``)."""
        return ops.sin(self)

    def cos(self) -> Tensor:
        """Elementwise cosine (torch's ``x.cos()``; ``pg.cos``)."""
        return ops.cos(self)

    def tanh(self) -> Tensor:
        """Elementwise hyperbolic tangent (complex infinities: the standard's signed zeros) (torch's
        ``x.tanh()``; ``pg.tanh``)."""
        return ops.tanh(self)

    def sigmoid(self) -> Tensor:
        """Elementwise logistic function 1 / (1 + e**-x), computed without overflow (torch's
        ``x.sigmoid()``; ``pg.sigmoid``)."""
        return ops.sigmoid(self)

    def relu(self) -> Tensor:
        """Elementwise max(x, 0) (gradient 0 at 0, as in torch) (torch's ``x.relu()``; ``pg.relu``)."""
        return ops.relu(self)

    def abs(self) -> Tensor:
        """Elementwise absolute value (gradient 0 at 0, as in torch) (torch's ``x.abs()``;
        ``pg.abs``)."""
        return ops.abs(self)

    def sqrt(self) -> Tensor:
        """Elementwise square root (torch's ``x.sqrt()``; ``pg.sqrt``)."""
        return ops.sqrt(self)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """Elementwise clamp into ``[min, max]`` (either may be None or a tensor); torch's
        ``x.clamp()``, ``pg.clip``."""
        return ops.clip(self, min, max)

    clip = clamp

    def clamp_min(self, min: Any) -> Tensor:
        """Elementwise ``max(self, min)`` (torch's ``x.clamp_min(min)``)."""
        return clamp_min(self, min)

    def clamp_max(self, max: Any) -> Tensor:
        """Elementwise ``min(self, max)`` (torch's ``x.clamp_max(max)``)."""
        return clamp_max(self, max)

    # -- in-place methods -----------------------------------------------------------------
    def add_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """In-place ``self + alpha * other``; returns self (torch's ``x.add_(other, alpha=)``)."""
        return (
            inplace(self, TensorMethods.add, other)
            if alpha == 1
            else inplace(self, lambda t, o: t.add(o, alpha=alpha), other)
        )

    def sub_(self, other: Any, *, alpha: Any = 1) -> Tensor:
        """In-place ``self - alpha * other``; returns self (torch's ``x.sub_(other, alpha=)``)."""
        return inplace(self, lambda t, o: t.sub(o, alpha=alpha), other)

    def mul_(self, other: Any) -> Tensor:
        """In-place ``self * other``; returns self (torch's ``x.mul_(other)``)."""
        return inplace(self, ops.multiply, other)

    def div_(self, other: Any, *, rounding_mode: str | None = None) -> Tensor:
        """In-place ``self / other`` with torch's ``rounding_mode``; returns self (torch's
        ``x.div_()``)."""
        if rounding_mode is None:
            return inplace(self, ops.divide, other)
        return inplace(self, lambda t, o: t.div(o, rounding_mode=rounding_mode), other)

    def pow_(self, exponent: Any) -> Tensor:
        """In-place ``self ** exponent``; returns self (torch's ``x.pow_(exponent)``)."""
        return inplace(self, ops.pow, exponent)

    def exp_(self) -> Tensor:
        """In-place ``exp``; returns self (torch's ``x.exp_()``)."""
        return inplace(self, ops.exp)

    def sigmoid_(self) -> Tensor:
        """In-place ``sigmoid``; returns self (torch's ``x.sigmoid_()``)."""
        return inplace(self, ops.sigmoid)

    def relu_(self) -> Tensor:
        """In-place ``relu``; returns self (torch's ``x.relu_()``)."""
        return inplace(self, ops.relu)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:
        """In-place ``clamp(min, max)``; returns self (torch's ``x.clamp_()``)."""
        return inplace(self, ops.clip, min, max)

    def zero_(self) -> Tensor:
        """Fill with zeros in place; returns self (torch's ``x.zero_()``)."""
        return inplace(self, ops.zero_like_recorded)

    def fill_(self, value: Any) -> Tensor:
        """Fill with ``value`` in place; returns self (torch's ``x.fill_(value)``)."""
        return inplace(self, ops.fill_like_recorded, value)

    def copy_(self, src: Any) -> Tensor:
        """Copy ``src`` (broadcast, cast) into this tensor in place; returns self (torch's
        ``x.copy_(src)``)."""
        return inplace(self, ops.copy_from_recorded, src)
