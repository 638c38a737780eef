"""torch's in-place shape changes: ``x.t_()``, ``x.transpose_(0, 1)``, ``x.squeeze_()``,
``x.unsqueeze_(0)``, ``x.as_strided_(size, stride)``, ``x.resize_(2, 3)`` and
``x.resize_as_(y)`` (also ``pg.resize_as_(x, y)``), and ``x.addbmm_()``, which torch lets
grow a tensor of shape (1,) to its result's.

Each changes ``x``'s shape (its view of the data), not the data: tensors sharing the
data keep theirs. The view ops are recorded as their out-of-place views and refuse a
leaf that requires grad, as in torch (``_core._inplace_views``); ``resize_`` refuses any
tensor that requires grad and keeps the first elements of the data, torch's storage
order, growing it with zeros where torch leaves memory uninitialized.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from ..._core._grad_mode import _grad_enabled
from ..._core._inplace import check_inplace
from ..._core._inplace_views import (
    commit_view_inplace,
    flatten_shared,
    set_shared_path,
)
from ..._core._inplace_views import (
    storage_offset as _storage_offset,
)
from ..._core._storage import path_of
from ..._core._tensor import Tensor
from ..._core._view_steps import AsStrided, Index, Reshape
from ._aliases import inplace_of
from ._methods_windows import check_strided


def _view_inplace(t: Any, make: Any, *args: Any) -> Tensor:
    check_inplace(t)
    had_storage = len(t._vc) > 2
    return commit_view_inplace(t, make(t, *args), had_storage)


def _sizes(size: tuple[Any, ...]) -> tuple[int, ...]:
    if len(size) == 1 and not isinstance(size[0], int) and hasattr(size[0], "__len__"):
        size = tuple(size[0])
    sizes = tuple(operator.index(n) for n in size)
    if any(n < 0 for n in sizes):
        raise RuntimeError(
            f"Trying to create tensor with negative dimension {min(sizes)}: {list(sizes)}"
        )
    return sizes


class RestrideMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def squeeze_(self: Any, dim: Any = None) -> Tensor:
        """Remove size-1 axes (all, or those of ``dim``) from this tensor's shape, in place;
        returns self (torch's ``x.squeeze_()``)."""
        return _view_inplace(self, Tensor.squeeze, dim)

    def unsqueeze_(self: Any, dim: int) -> Tensor:
        """Insert a size-1 axis at ``dim`` into this tensor's shape, in place; returns self
        (torch's ``x.unsqueeze_()``)."""
        return _view_inplace(self, Tensor.unsqueeze, dim)

    def transpose_(self: Any, dim0: int, dim1: int) -> Tensor:
        """Swap axes ``dim0`` and ``dim1`` of this tensor, in place; returns self (torch's
        ``x.transpose_()``)."""
        return _view_inplace(self, Tensor.transpose, dim0, dim1)

    def t_(self: Any) -> Tensor:
        """Transpose this (at most 2-D) tensor in place; returns self (torch's ``x.t_()``)."""
        return _view_inplace(self, Tensor.t)

    def as_strided_(self: Any, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
        """Make this tensor show the elements ``offset + sum(i * stride)`` of the data it
        shares (its storage), in shape ``size``; returns self (torch's ``x.as_strided_()``)."""
        check_inplace(self)
        size, stride = tuple(size), tuple(stride)
        offset = _storage_offset(self) if storage_offset is None else operator.index(storage_offset)
        recording = _grad_enabled.get() and self._requires_grad
        if recording and path_of(self):
            raise RuntimeError(
                "polygrad: as_strided_ on a view (or a tensor reshaped in place) that "
                "requires grad is not supported: call as_strided_ on its base, or on a clone"
            )
        recorded = self.as_strided(size, stride, offset) if recording else None
        if not recording:  # as_strided's checks (lengths, signs, bounds) on the data
            data = self._vc[2].data if len(self._vc) > 2 else self._data
            check_strided(size, stride, offset, math.prod(tuple(data.shape)), self.dtype)
        flatten_shared(self, 0)
        return set_shared_path(self, (AsStrided(size, stride, offset, self._backend),), recorded)

    def resize_(self: Any, *sizes: Any, memory_format: Any = None) -> Tensor:
        """Give this tensor shape ``sizes`` in place, keeping its first elements (in torch's
        storage order) and growing its data with zeros; returns self (torch's
        ``x.resize_()``: its new elements are uninitialized)."""
        if self._requires_grad:
            raise RuntimeError("cannot resize variables that require grad")
        shape = _sizes(sizes)
        if shape == tuple(self._data.shape):
            return self
        offset = _storage_offset(self)
        count = math.prod(shape)
        flatten_shared(self, offset + count)
        path = (Index((slice(offset, offset + count),)), Reshape(shape))
        return set_shared_path(self, path)

    def addbmm_(self: Any, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``x.addbmm(...)`` written into ``x``; as in torch, an ``x`` that only broadcasts
        to the result (0-d, or of shape (1,)) and shares no data takes the result's shape
        (torch's ``x.addbmm_()``; other in-place ops refuse a change of shape)."""
        product_shape = (
            (batch1.shape[1], batch2.shape[2]) if batch1.ndim == batch2.ndim == 3 else None
        )
        if product_shape in (None, tuple(self.shape)) or len(self._vc) > 2:
            return inplace_of(type(self), "addbmm")(self, batch1, batch2, beta=beta, alpha=alpha)
        check_inplace(self)
        result = self.addbmm(batch1, batch2, beta=beta, alpha=alpha)
        return commit_view_inplace(self, result, had_storage=False)

    def resize_as_(self: Any, the_template: Any, memory_format: Any = None) -> Tensor:
        """``x.resize_(the_template.shape)`` (torch's ``x.resize_as_()``)."""
        return RestrideMethods.resize_(self, tuple(the_template.shape))


def resize_as_(input: Any, the_template: Any, memory_format: Any = None) -> Tensor:  # noqa: A002
    """``input.resize_as_(the_template)`` (torch's ``torch.resize_as_``)."""
    return RestrideMethods.resize_as_(input, the_template, memory_format)


FUNCTIONS_RESTRIDE = {"resize_as_": resize_as_}
