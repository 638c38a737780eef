"""Torch-style reductions of ``Tensor``: ``x.sum(dim=1, keepdim=True)``, ``x.mean()``,
``x.std()`` (correction 1), ``x.max(dim)`` as ``(values, indices)``, ``x.argmax()``,
``x.softmax(dim)``, ``x.logsumexp(dim)``, ``x.cumsum(dim)``...

Functions follow the array API standard (``pg.sum(x, axis=1, keepdims=True)``);
these methods follow torch. Every method forwards to the one function that
implements the op, so a method and its function always record the same node.
"""

from __future__ import annotations

from typing import Any, NamedTuple, overload

from ... import ops
from ..._core._tensor import Tensor
from ._tensor_shape_methods import _dims


#: torch's ``x.max(dim)`` returns ``(values, indices)`` with those names too
class _MaxResult(NamedTuple):
    values: Tensor
    indices: Tensor


class _MinResult(NamedTuple):
    values: Tensor
    indices: Tensor


_MaxResult.__name__ = _MaxResult.__qualname__ = "max"  # printed as torch prints them
_MinResult.__name__ = _MinResult.__qualname__ = "min"


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
    def sum(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Sum over ``dim`` (all axes when None) (torch's ``x.sum()``; ``pg.sum``)."""
        return ops.sum(self, axis=_dims(dim), keepdims=keepdim, dtype=dtype)

    def mean(self, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Arithmetic mean over ``dim`` (all axes when None) (torch's ``x.mean()``; ``pg.mean``)."""
        return ops.mean(self, axis=_dims(dim), keepdims=keepdim)

    def var(
        self,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Tensor:
        """Variance over ``dim`` with torch's default correction 1 (``unbiased``/``correction``,
        ``keepdim``); torch's ``x.var()`` (the standard's ``pg.var`` defaults to 0, see
        docs/differences.md)."""
        return _spread(ops.var, self, dim, unbiased, keepdim, correction)

    def std(
        self,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> Tensor:
        """Standard deviation over ``dim`` with torch's default correction 1
        (``unbiased``/``correction``, ``keepdim``); torch's ``x.std()`` (the standard's
        ``pg.std`` defaults to 0, see docs/differences.md)."""
        return _spread(ops.std, self, dim, unbiased, keepdim, correction)

    def prod(self, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Product over ``dim`` (all axes when None) (torch's ``x.prod()``; ``pg.prod``)."""
        return ops.prod(self, axis=dim, keepdims=keepdim, dtype=dtype)

    @overload
    def max(self, dim: None = None, keepdim: bool = False) -> Tensor: ...

    @overload
    def max(self, dim: int, keepdim: bool = False) -> _MaxResult: ...

    @overload
    def max(self, dim: Tensor, keepdim: bool = False) -> Tensor: ...

    def max(self, dim: Any = None, keepdim: bool = False) -> Tensor | _MaxResult:
        """torch's ``x.max()``: the largest element; ``x.max(dim, keepdim)``: a ``(values,
        indices)`` named tuple; ``x.max(other)``: the elementwise maximum."""
        if dim is None:
            return ops.max(self)
        if not isinstance(dim, int):
            return ops.maximum(self, dim)
        return _MaxResult(*ops.max_with_indices(self, dim, keepdim))

    @overload
    def min(self, dim: None = None, keepdim: bool = False) -> Tensor: ...

    @overload
    def min(self, dim: int, keepdim: bool = False) -> _MinResult: ...

    @overload
    def min(self, dim: Tensor, keepdim: bool = False) -> Tensor: ...

    def min(self, dim: Any = None, keepdim: bool = False) -> Tensor | _MinResult:
        """torch's ``x.min()``: the smallest element; ``x.min(dim, keepdim)``: a ``(values,
        indices)`` named tuple; ``x.min(other)``: the elementwise minimum."""
        if dim is None:
            return ops.min(self)
        if not isinstance(dim, int):
            return ops.minimum(self, dim)
        return _MinResult(*ops.min_with_indices(self, dim, keepdim))

    def argmax(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Index of the first largest element (over the flattened array when ``dim`` is None)
        (torch's ``x.argmax()``; ``pg.argmax``)."""
        scalar = self.ndim == 0 and dim in (0, -1)  # type: ignore[attr-defined]  # torch allows it
        return ops.argmax(self, axis=None if scalar else dim, keepdims=keepdim)

    def argmin(self, dim: int | None = None, keepdim: bool = False) -> Tensor:
        """Index of the first smallest element (over the flattened array when ``dim`` is None)
        (torch's ``x.argmin()``; ``pg.argmin``)."""
        scalar = self.ndim == 0 and dim in (0, -1)  # type: ignore[attr-defined]
        return ops.argmin(self, axis=None if scalar else dim, keepdims=keepdim)

    def amax(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        """Largest element over ``dim``; ties share the gradient evenly (torch's ``x.amax()``;
        ``pg.max``)."""
        axis = tuple(range(self.ndim)) if dim == () else _dims(dim)  # type: ignore[attr-defined]
        return ops.max(self, axis=axis, keepdims=keepdim)

    def amin(self, dim: Any = (), keepdim: bool = False) -> Tensor:
        """Smallest element over ``dim``; ties share the gradient evenly (torch's ``x.amin()``;
        ``pg.min``)."""
        axis = tuple(range(self.ndim)) if dim == () else _dims(dim)  # type: ignore[attr-defined]
        return ops.min(self, axis=axis, keepdims=keepdim)

    def softmax(self, dim: int, dtype: Any = None) -> Tensor:
        """``exp(x) / sum(exp(x))`` along ``dim``, computed without overflow (torch's
        ``x.softmax()``; ``pg.softmax``)."""
        return ops.softmax(self if dtype is None else ops.astype(self, dtype), axis=dim)

    def log_softmax(self, dim: int, dtype: Any = None) -> Tensor:
        """``x - logsumexp(x)`` along ``dim``, computed without overflow (torch's
        ``x.log_softmax()``; ``pg.log_softmax``)."""
        return ops.log_softmax(self if dtype is None else ops.astype(self, dtype), axis=dim)

    def logsumexp(self, dim: Any, keepdim: bool = False) -> Tensor:
        """``log(sum(exp(x)))`` over ``dim``, computed without overflow (torch's ``x.logsumexp()``;
        ``pg.logsumexp``)."""
        return ops.logsumexp(self, axis=_dims(dim), keepdims=keepdim)

    def cumsum(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running sum along ``dim`` (optional for 1-d; 0-d is returned as is, like torch) (torch's
        ``x.cumsum()``; ``pg.cumulative_sum``)."""
        return ops.cumulative_sum(self, axis=dim, dtype=dtype)

    def cumprod(self, dim: int, *, dtype: Any = None) -> Tensor:
        """Running product along ``dim`` (optional for 1-d; 0-d is returned as is, like torch)
        (torch's ``x.cumprod()``; ``pg.cumulative_prod``)."""
        return ops.cumulative_prod(self, axis=dim, dtype=dtype)
