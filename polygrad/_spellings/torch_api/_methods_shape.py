"""torch's indexing, reordering and selection methods over polygrad's ops:
``x.gather(1, idx)``, ``x.scatter_add(0, idx, src)``, ``x.masked_fill(mask, 0)``,
``x.index_select(0, idx)``, ``x.narrow(0, 1, 2)``, ``x.movedim(0, -1)``,
``x.repeat(2, 1)``, ``x.flip(0)``, ``x.diagonal(0, 0, 1)``, ``x.sort()`` and
``x.topk(3)`` as ``(values, indices)``...

Each composes ops that record their own nodes (indexing, ``take_along_axis``,
``index_add``, ``where``), so the gradients are those ops' rules.
"""

from __future__ import annotations

import operator
from typing import Any

from ... import ops
from ..._core._dtypes import DTYPES
from ..._core._tensor import Tensor
from ...ops.products import diagonal as _diagonal
from ...ops.scatter_add import index_add
from . import _return_types as return_types
from ._methods_scatter import scatter_reduce


def _int64() -> Any:

    return DTYPES["int64"]


def _axis(dim: Any, ndim: int) -> int:
    dim = operator.index(dim)
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, "
            f"{max(ndim, 1) - 1}], but got {dim})"
        )
    return dim % max(ndim, 1)


def _along(index: Any, dim: int) -> tuple[Any, ...]:
    """The advanced-index key that picks ``index[i, j, ...]`` along ``dim`` and the
    position ``i, j, ...`` along every other axis (torch's gather/scatter addressing)."""
    xp = index.__array_namespace__()
    key = []
    for axis, n in enumerate(index.shape):
        if axis == dim:
            key.append(index)
        else:
            shape = [1] * index.ndim
            shape[axis] = n
            key.append(ops.reshape(xp.arange(n), tuple(shape)))
    return tuple(key)


def _source_part(src: Any, index: Any, like: Any) -> Any:
    """The part of ``src`` scattered: ``src[:i, :j, ...]`` of ``index``'s shape, or a
    number broadcast to it."""
    if not hasattr(src, "shape"):
        return ops.broadcast_to(
            ops.astype(like.__array_namespace__().asarray(src), like.dtype), tuple(index.shape)
        )
    return src[tuple(slice(0, n) for n in index.shape)] if index.ndim else src


class ShapeMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    # -- gather / scatter -------------------------------------------------------------
    def gather(self: Any, dim: int, index: Any, *, sparse_grad: bool = False) -> Tensor:
        """Values along ``dim`` at ``index`` (torch's ``x.gather(dim, index)``)."""
        if not index.numel():  # nothing picked: torch checks neither dtype nor rank
            return ops.reshape(ops.reshape(self, (-1,))[:0], tuple(index.shape))
        if index.dtype.name not in ("int32", "int64"):
            raise RuntimeError("gather(): Expected dtype int32/int64 for index")
        if max(index.ndim, 1) != max(self.ndim, 1):
            raise RuntimeError(
                "Index tensor must have the same number of dimensions as input tensor"
            )
        if self.ndim == 0:
            return (
                ops.reshape(self, ())[...]
                if index.ndim == 0
                else ops.broadcast_to(self, tuple(index.shape))
            )
        return self[_along(index, _axis(dim, self.ndim))]

    def take_along_dim(self: Any, indices: Any, dim: int | None = None) -> Tensor:
        """Elements at ``indices`` along ``dim`` (over the flattened tensor when None; torch's
        ``x.take_along_dim()``)."""
        if dim is None:
            return ops.take(ops.reshape(self, (-1,)), ops.reshape(indices, (-1,)))
        return ops.take_along_axis(self, indices, axis=dim)

    def scatter(
        self: Any, dim: int, index: Any, src: Any = None, *, value: Any = None, reduce: Any = None
    ) -> Tensor:
        """A copy with ``src`` (or ``value``) written at ``index`` along ``dim``, ``reduce``
        optional (torch's ``x.scatter()``)."""
        if reduce is not None:
            return scatter_reduce(self, dim, index, src if src is not None else value, reduce, True)
        src = value if src is None else src
        out = ops.clone(self)
        if index.numel() == 0:
            return out
        key = _along(index, _axis(dim, self.ndim)) if self.ndim else ()
        out[key] = _source_part(src, index, self)
        return out

    def scatter_add(self: Any, dim: int, index: Any, src: Any) -> Tensor:
        """A copy with ``src`` added at ``index`` along ``dim`` (torch's ``x.scatter_add()``)."""
        if index.numel() == 0:
            return ops.clone(self)
        if self.ndim == 0:
            return ops.add(self, ops.sum(_source_part(src, index, self)))
        key = _along(index, _axis(dim, self.ndim))
        raw = tuple(ops.broadcast_to(k, tuple(index.shape))._data for k in key)
        return ops.add(self, index_add(tuple(self.shape), raw, _source_part(src, index, self)))

    def take(self: Any, index: Any) -> Tensor:
        """The entries at ``index`` of the flattened tensor, in ``index``'s shape."""
        flat = ops.take(ops.reshape(self, (-1,)), ops.reshape(index, (-1,)))
        return ops.reshape(flat, tuple(index.shape))

    def index_add(self: Any, dim: int, index: Any, source: Any, *, alpha: Any = 1) -> Tensor:
        """``self`` plus ``alpha * source`` added at ``index`` along ``dim``."""
        if self.ndim == 0:
            return ops.add(self, ops.multiply(ops.sum(source), alpha))
        axis = _axis(dim, self.ndim)
        source = source if alpha == 1 else ops.multiply(source, alpha)
        if source.ndim == 0:
            source = ops.reshape(source, (1,))
        key = (slice(None),) * axis + (ops.reshape(index, (-1,))._data,)
        return ops.add(self, index_add(tuple(self.shape), key, source))

    def index_select(self: Any, dim: int, index: Any) -> Tensor:
        """The slices at ``index`` along ``dim`` (torch's ``x.index_select(dim, index)``)."""
        if self.ndim == 0:
            return ops.reshape(self, ())
        return ops.take(self, ops.reshape(index, (-1,)), axis=_axis(dim, self.ndim))

    def masked_fill(self: Any, mask: Any, value: Any) -> Tensor:
        """A copy with ``value`` where ``mask`` is True (torch's ``x.masked_fill()``)."""
        if hasattr(value, "shape"):
            if value.ndim != 0:
                raise RuntimeError(
                    "masked_fill_ only supports a 0-dimensional value tensor, but got tensor "
                    f"with {value.ndim} dimension(s)."
                )
            value = ops.astype(value, self.dtype)
        out = ops.where(mask, value, self)
        return out if out.dtype == self.dtype else ops.astype(out, self.dtype)

    def masked_select(self: Any, mask: Any) -> Tensor:
        """The elements where ``mask`` is True, as a 1-d tensor (torch's ``x.masked_select()``)."""
        x, m = ops.broadcast_arrays(self, mask)
        return x[m]

    def where(self: Any, condition: Any, other: Any) -> Tensor:
        """``self`` where ``condition`` holds, else ``other`` (torch's ``x.where(condition,
        other)``)."""
        return ops.where(condition, self, other)

    # -- slicing views -------------------------------------------------------------------
    def narrow(self: Any, dim: int, start: Any, length: int) -> Tensor:
        """The slice ``start:start + length`` of ``dim`` (torch's ``x.narrow()``)."""
        axis = _axis(dim, self.ndim)
        start = (
            operator.index(start) % max(self.shape[axis], 1)
            if operator.index(start) < 0
            else operator.index(start)
        )
        return self[(slice(None),) * axis + (slice(start, start + length),)]

    def select(self: Any, dim: int, index: int) -> Tensor:
        """The slice at ``index`` of ``dim``, that dimension removed (torch's ``x.select()``)."""
        return self[(slice(None),) * _axis(dim, self.ndim) + (index,)]

    def unflatten(self: Any, dim: int, sizes: Any) -> Tensor:
        """Dimension ``dim`` split into ``sizes`` (torch's ``x.unflatten(dim, sizes)``)."""
        axis = _axis(dim, self.ndim)
        shape = tuple(self.shape)
        return ops.reshape(self, shape[:axis] + tuple(sizes) + shape[axis + 1 :])

    def movedim(self: Any, source: Any, destination: Any) -> Tensor:
        """Move axes to new positions, keeping the others in order (``PermuteBackward0``) (torch's
        ``x.movedim()``; ``pg.moveaxis``)."""
        return ops.moveaxis(self, source, destination)

    moveaxis = movedim

    def swapaxes(self: Any, axis0: int, axis1: int) -> Tensor:
        """Two dimensions swapped (torch's ``x.swapaxes()``; ``x.transpose``)."""
        return ops.transpose(self, axis0, axis1)

    swapdims = swapaxes

    def ravel(self: Any) -> Tensor:
        """The elements as a 1-d tensor (torch's ``x.ravel()``)."""
        return ops.reshape(self, (-1,))

    def reshape_as(self: Any, other: Any) -> Tensor:
        """``self.reshape(other.shape)`` (torch's ``x.reshape_as(other)``)."""
        return ops.reshape(self, tuple(other.shape))

    def diagonal(self: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
        """The diagonal ``offset`` of dimensions ``dim1`` and ``dim2``, as the last dimension
        (torch's ``x.diagonal()``)."""
        ndim = self.ndim
        a, b = _axis(dim1, ndim), _axis(dim2, ndim)
        if a == b:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        return _diagonal(ops.moveaxis(self, (a, b), (-2, -1)), offset=offset)

    def trace(self: Any) -> Tensor:
        """The sum of the main diagonal of a 2-d tensor (torch's ``x.trace()``)."""
        if self.ndim != 2:
            raise RuntimeError(
                "trace: expected a matrix, but got tensor with dim " + str(self.ndim)
            )
        return ops.sum(_diagonal(self))

    def diag(self: Any, diagonal: int = 0) -> Tensor:
        """1-d input: a matrix with it on diagonal ``diagonal``; 2-d: that diagonal (torch's
        ``x.diag()``)."""
        if self.ndim == 2:
            return _diagonal(self, offset=diagonal)
        if self.ndim != 1:
            raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{self.ndim}D")
        return self.diag_embed(diagonal)

    # -- reordering ----------------------------------------------------------------------
    def repeat(self: Any, *sizes: Any) -> Tensor:
        """Tiled ``sizes[i]`` times along dimension ``i`` (torch's ``x.repeat(*sizes)``)."""
        sizes = tuple(sizes[0]) if len(sizes) == 1 and not isinstance(sizes[0], int) else sizes
        if len(sizes) < self.ndim:
            raise RuntimeError(
                "Number of dimensions of repeat dims can not be smaller than number of "
                "dimensions of tensor"
            )
        return ops.tile(self, sizes)

    def tile(self: Any, dims: Any) -> Tensor:
        """Tiled ``dims[i]`` times along dimension ``i`` (torch's ``x.tile(dims)``)."""
        return ops.tile(self, tuple(dims))

    def repeat_interleave(
        self: Any, repeats: Any, dim: int | None = None, *, output_size: Any = None
    ) -> Tensor:
        """Repeat each element ``repeats`` times along ``dim`` (flattened when None) (torch's
        ``x.repeat_interleave()``; ``pg.repeat``)."""
        if dim is None:
            return ops.repeat(ops.reshape(self, (-1,)), repeats, axis=0)
        return ops.repeat(self, repeats, axis=_axis(dim, self.ndim))

    def flip(self: Any, *args: Any, dims: Any = None) -> Tensor:
        """The order of elements reversed along ``dims`` (torch's ``x.flip(dims)``)."""
        dims = args if dims is None else dims
        dims = tuple(dims[0]) if len(dims) == 1 and not isinstance(dims[0], int) else dims
        dims = (dims,) if isinstance(dims, int) else tuple(dims)
        return ops.flip(self, axis=dims) if dims else ops.clone(self)

    def fliplr(self: Any) -> Tensor:
        """Reversed along dimension 1 (torch's ``x.fliplr()``)."""
        return ops.flip(self, axis=1)

    def flipud(self: Any) -> Tensor:
        """Reversed along dimension 0 (torch's ``x.flipud()``)."""
        return ops.flip(self, axis=0)

    def roll(self: Any, shifts: Any, dims: Any = None) -> Tensor:
        """Elements shifted cyclically by ``shifts`` along ``dims`` (flattened when None; torch's
        ``x.roll()``)."""
        if dims is None:
            return ops.reshape(ops.roll(ops.reshape(self, (-1,)), shifts), tuple(self.shape))
        return ops.roll(self, shifts, axis=dims)

    def sort(
        self: Any, dim: int = -1, descending: bool = False, stable: bool | None = False
    ) -> return_types.sort:
        """A ``(values, indices)`` named tuple sorted along ``dim`` (torch's ``x.sort()``)."""
        indices = ops.argsort(self, axis=dim, descending=descending, stable=True)
        return return_types.sort(
            ops.take_along_axis(self, indices, axis=dim) if self.ndim else ops.clone(self), indices
        )

    def argsort(self: Any, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
        """The indices that sort along ``dim`` (torch's ``x.argsort()``; stable)."""
        return ops.argsort(self, axis=dim, descending=descending, stable=True)

    def msort(self: Any) -> Tensor:
        """Sorted along dimension 0 (torch's ``x.msort()``)."""
        return ShapeMethods.sort(self, 0).values

    def topk(
        self: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True
    ) -> return_types.topk:
        """A ``(values, indices)`` named tuple of the ``k`` largest (or smallest) along ``dim``
        (torch's ``x.topk()``)."""
        if self.ndim == 0:
            zero = self.__array_namespace__().zeros((), dtype=_int64())
            return return_types.topk(ops.clone(self), zero)
        order = ops.argsort(self, axis=dim, descending=largest, stable=True)
        indices = order[(slice(None),) * _axis(dim, self.ndim) + (slice(0, k),)]
        return return_types.topk(ops.take_along_axis(self, indices, axis=dim), indices)

    def kthvalue(self: Any, k: int, dim: int = -1, keepdim: bool = False) -> return_types.kthvalue:
        """A ``(values, indices)`` named tuple of the ``k``-th smallest along ``dim`` (torch's
        ``x.kthvalue()``)."""
        values, indices = ShapeMethods.sort(self, dim)
        if self.ndim == 0:
            return return_types.kthvalue(values, indices)
        pick = (slice(None),) * _axis(dim, self.ndim) + (slice(k - 1, k) if keepdim else k - 1,)
        return return_types.kthvalue(values[pick], indices[pick])
