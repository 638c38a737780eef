"""Operators and torch-style methods of ``Tensor``.

Functions follow the array API standard (``pg.sum(x, axis=1, keepdims=True)``);
methods follow torch (``x.sum(dim=1, keepdim=True)``, ``x.add(y)``, ``x.std()`` with
correction 1). Every method forwards to the one function that implements the op,
so a method and its function always record the same node.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

ops: Any = None  # polygrad.ops, bound by polygrad/__init__ (it imports Tensor itself)


#: torch's ``x.max(dim)`` returns ``(values, indices)`` with those names too
_MaxResult = namedtuple("max", ["values", "indices"])  # type: ignore[name-match]
_MinResult = namedtuple("min", ["values", "indices"])  # type: ignore[name-match]


def _traced_mask_error(error: Exception, what: str) -> Exception | None:
    """JAX's error for a boolean mask it traces (inside ``jax.jit``, ``jax.vmap``...),
    restated with its cause and the fixed-shape alternative; None for other errors."""
    if type(error).__name__ != "NonConcreteBooleanIndexError":
        return None
    alternative = (
        "xp.where(mask, x, 0) or a sum weighted by the mask"
        if what == "x[mask]"
        else "x = xp.where(mask, value, x)"
    )
    return IndexError(
        f"polygrad: {what} with a boolean mask that JAX is tracing (inside jax.jit, "
        "jax.vmap or another JAX transformation): the result's shape would depend on the "
        "mask's values, and a traced JAX computation cannot have data-dependent shapes. "
        f"Index outside the transformation, or keep the shape fixed: {alternative}. "
        "(xp.__array_namespace_info__().capabilities()['boolean indexing'] is False while "
        "JAX traces, so array-API libraries that check it take such paths themselves.)"
    )


def _dims(dim: Any) -> Any:
    return tuple(dim) if isinstance(dim, list) else dim


def _shape_from(args: tuple[Any, ...]) -> Any:
    """torch accepts ``x.reshape(2, 3)`` and ``x.reshape((2, 3))``."""
    return args[0] if len(args) == 1 and not isinstance(args[0], int) else args


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

    # -- indexing ------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        try:
            return ops.getitem(self, key)
        except IndexError as error:
            clearer = _traced_mask_error(error, "x[mask]")
            if clearer is None:
                raise
            raise clearer from error

    def __setitem__(self, key: Any, value: Any) -> None:
        try:
            ops.setitem(self, key, value)
        except IndexError as error:
            clearer = _traced_mask_error(error, "x[mask] = value")
            if clearer is None:
                raise
            raise clearer from error

    def __iter__(self) -> Any:
        for i in range(len(self)):  # type: ignore[arg-type]
            yield self[i]

    # -- torch-style arithmetic methods -----------------------------------------------
    def add(self, other: Any, *, alpha: Any = 1) -> Any:
        return ops.add(self, other if alpha == 1 else ops.multiply(other, alpha))

    def sub(self, other: Any, *, alpha: Any = 1) -> Any:
        return ops.subtract(self, other if alpha == 1 else ops.multiply(other, alpha))

    def mul(self, other: Any) -> Any:
        return ops.multiply(self, other)

    def div(self, other: Any) -> Any:
        return ops.divide(self, other)

    true_divide = div
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
        from .ops.elementwise import clamp_min

        return clamp_min(self, min)

    def clamp_max(self, max: Any) -> Any:
        from .ops.elementwise import clamp_max

        return clamp_max(self, max)

    # -- torch-style reductions ---------------------------------------------------------
    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
        return ops.sum(self, axis=_dims(dim), keepdims=keepdim, dtype=dtype)

    def mean(self, dim: Any = None, keepdim: bool = False) -> Any:
        return ops.mean(self, axis=_dims(dim), keepdims=keepdim)

    def var(
        self,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Any:
        if correction is None:
            correction = 0 if unbiased is False else 1
        return ops.var(self, axis=_dims(dim), correction=correction, keepdims=keepdim)

    def std(
        self,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Any:
        if correction is None:
            correction = 0 if unbiased is False else 1
        return ops.std(self, axis=_dims(dim), correction=correction, keepdims=keepdim)

    def prod(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Any:
        return ops.prod(self, axis=dim, keepdims=keepdim, dtype=dtype)

    def max(self, dim: Any = None, keepdim: bool = False) -> Any:
        if dim is None:
            return ops.max(self)
        if not isinstance(dim, int):
            return ops.maximum(self, dim)
        return _MaxResult(*ops.max_with_indices(self, dim, keepdim))

    def min(self, dim: Any = None, keepdim: bool = False) -> Any:
        if dim is None:
            return ops.min(self)
        if not isinstance(dim, int):
            return ops.minimum(self, dim)
        return _MinResult(*ops.min_with_indices(self, dim, keepdim))

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return ops.argmax(self, axis=dim, keepdims=keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Any:
        return ops.argmin(self, axis=dim, keepdims=keepdim)

    def amax(self, dim: Any = (), keepdim: bool = False) -> Any:
        axis = tuple(range(self.ndim)) if dim == () else _dims(dim)  # type: ignore[attr-defined]
        return ops.max(self, axis=axis, keepdims=keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> Any:
        axis = tuple(range(self.ndim)) if dim == () else _dims(dim)  # type: ignore[attr-defined]
        return ops.min(self, axis=axis, keepdims=keepdim)

    def softmax(self, dim: int) -> Any:
        return ops.softmax(self, axis=dim)

    def log_softmax(self, dim: int) -> Any:
        return ops.log_softmax(self, axis=dim)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> Any:
        return ops.logsumexp(self, axis=_dims(dim), keepdims=keepdim)

    def cumsum(self, dim: int) -> Any:
        return ops.cumulative_sum(self, axis=dim)

    def cumprod(self, dim: int) -> Any:
        return ops.cumulative_prod(self, axis=dim)

    # -- torch-style shape methods --------------------------------------------------------
    def reshape(self, *shape: Any) -> Any:
        return ops.reshape(self, _shape_from(shape))

    view = reshape

    def view_as(self, other: Any) -> Any:
        return ops.reshape(self, tuple(other.shape))

    def flatten(self) -> Any:
        return self if self.ndim == 1 else ops.reshape(self, (-1,))  # type: ignore[attr-defined]

    def permute(self, *dims: Any) -> Any:
        return ops.permute_dims(self, _shape_from(dims))

    def transpose(self, dim0: int, dim1: int) -> Any:
        return ops.transpose(self, dim0, dim1)

    def t(self) -> Any:
        return ops.t(self)

    @property
    def T(self) -> Any:
        # PermuteBackward0 at every rank, as torch records it (``x.t()`` is TBackward0)
        return ops.permute_dims(self, tuple(reversed(range(self.ndim))))  # type: ignore[attr-defined]

    @property
    def mT(self) -> Any:
        return ops.matrix_transpose(self)

    def squeeze(self, dim: Any = None) -> Any:
        return ops.squeeze(self, _dims(dim))

    def unsqueeze(self, dim: int) -> Any:
        return ops.expand_dims(self, axis=dim)

    def expand(self, *sizes: Any) -> Any:
        return ops.broadcast_to(self, _shape_from(sizes))

    def broadcast_to(self, shape: Any) -> Any:
        return ops.broadcast_to(self, shape)

    def expand_as(self, other: Any) -> Any:
        return ops.broadcast_to(self, tuple(other.shape))

    def split(self, split_size_or_sections: Any, dim: int = 0) -> Any:
        return ops.split(self, split_size_or_sections, dim)

    def chunk(self, chunks: int, dim: int = 0) -> Any:
        return ops.chunk(self, chunks, dim)

    def unbind(self, dim: int = 0) -> Any:
        return ops.unbind(self, dim)

    # -- in-place methods -----------------------------------------------------------------
    def add_(self, other: Any, *, alpha: Any = 1) -> Any:
        from ._inplace import inplace

        return (
            inplace(self, TensorMethods.add, other)
            if alpha == 1
            else inplace(self, lambda t, o: t.add(o, alpha=alpha), other)
        )

    def sub_(self, other: Any, *, alpha: Any = 1) -> Any:
        from ._inplace import inplace

        return inplace(self, lambda t, o: t.sub(o, alpha=alpha), other)

    def mul_(self, other: Any) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.multiply, other)

    def div_(self, other: Any) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.divide, other)

    def pow_(self, exponent: Any) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.pow, exponent)

    def exp_(self) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.exp)

    def sigmoid_(self) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.sigmoid)

    def relu_(self) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.relu)

    def clamp_(self, min: Any = None, max: Any = None) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.clip, min, max)

    def zero_(self) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.zero_like_recorded)

    def fill_(self, value: Any) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.fill_like_recorded, value)

    def copy_(self, src: Any) -> Any:
        from ._inplace import inplace

        return inplace(self, ops.copy_from_recorded, src)
