"""Torch-style reductions of ``Tensor``: ``x.sum(dim=1, keepdim=True)``, ``x.mean()``,
``x.std()`` (correction 1), ``x.max(dim)`` as ``(values, indices)``, ``x.argmax()``,
``x.softmax(dim)``, ``x.logsumexp(dim)``, ``x.cumsum(dim)``...

Functions follow the array API standard (``pg.sum(x, axis=1, keepdims=True)``);
these methods follow torch. Every method forwards to the one function that
implements the op, so a method and its function always record the same node.
"""

from __future__ import annotations

from collections import namedtuple
from typing import Any

from .. import ops
from ._tensor_shape_methods import _dims

#: torch's ``x.max(dim)`` returns ``(values, indices)`` with those names too
_MaxResult = namedtuple("max", ["values", "indices"])  # type: ignore[name-match]
_MinResult = namedtuple("min", ["values", "indices"])  # type: ignore[name-match]


def _spread(fn: Any, x: Any, dim: Any, unbiased: Any, keepdim: bool, correction: Any) -> Any:
    """torch's var/std arguments for the standard's function: ``unbiased=False`` is
    correction 0, and torch's default is correction 1 (the standard's is 0)."""
    if isinstance(dim, bool):  # torch's overload std(input, unbiased)
        dim, unbiased = None, dim
    if correction is None:
        correction = 0 if unbiased is False else 1
    return fn(x, axis=_dims(dim), correction=correction, keepdims=keepdim)


class TensorReductions:
    __slots__ = ()

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
        return _spread(ops.var, self, dim, unbiased, keepdim, correction)

    def std(
        self,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Any:
        return _spread(ops.std, self, dim, unbiased, keepdim, correction)

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
        scalar = self.ndim == 0 and dim in (0, -1)  # type: ignore[attr-defined]  # torch allows it
        return ops.argmax(self, axis=None if scalar else dim, keepdims=keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Any:
        scalar = self.ndim == 0 and dim in (0, -1)  # type: ignore[attr-defined]
        return ops.argmin(self, axis=None if scalar else dim, keepdims=keepdim)

    def amax(self, dim: Any = (), keepdim: bool = False) -> Any:
        axis = tuple(range(self.ndim)) if dim == () else _dims(dim)  # type: ignore[attr-defined]
        return ops.max(self, axis=axis, keepdims=keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> Any:
        axis = tuple(range(self.ndim)) if dim == () else _dims(dim)  # type: ignore[attr-defined]
        return ops.min(self, axis=axis, keepdims=keepdim)

    def softmax(self, dim: int, dtype: Any = None) -> Any:
        return ops.softmax(self if dtype is None else ops.astype(self, dtype), axis=dim)

    def log_softmax(self, dim: int, dtype: Any = None) -> Any:
        return ops.log_softmax(self if dtype is None else ops.astype(self, dtype), axis=dim)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> Any:
        return ops.logsumexp(self, axis=_dims(dim), keepdims=keepdim)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Any:
        return ops.cumulative_sum(self, axis=dim, dtype=dtype)

    def cumprod(self, dim: int, *, dtype: Any = None) -> Any:
        return ops.cumulative_prod(self, axis=dim, dtype=dtype)
