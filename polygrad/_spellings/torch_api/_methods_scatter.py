"""torch's reducing and masked writes over polygrad's ops: ``x.scatter_reduce(0, i, src,
'amax', include_self=False)`` (``'sum'``, ``'prod'``, ``'mean'``, ``'amax'``, ``'amin'``),
``x.masked_scatter(mask, src)``, ``x.put(i, src, accumulate=True)`` and
``x.index_put((i, j), v, accumulate=True)``.

``scatter_reduce`` lays the scattered values out on a grid, one row per target position
along ``dim`` and one column per source element (and one for ``self`` when it takes
part), filled with the reduction's identity where the index does not point at the row,
and reduces the columns with polygrad's own reductions. The gradients are then those
reductions' rules: for ``'amax'``/``'amin'`` the gradient is shared evenly by every
element equal to the result, self included, and for ``'prod'`` it is exact at zeros, as
torch's ``scatter_reduce_backward``. The grid costs O(n * m) memory per slice (n targets,
m sources along ``dim``).
"""

from __future__ import annotations

import operator
from typing import Any

from ... import ops
from ..._core._tensor import Tensor, _make
from ...ops.scatter_add import index_add
from ...ops.take import axis_positions, wrap_negative
from ._aliases import _torch_name

_REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")
#: the older names torch still accepts (``scatter(..., reduce='add')``, ``'max'``)
_ALIASES = {"add": "sum", "multiply": "prod", "max": "amax", "min": "amin"}


def _axis(dim: Any, ndim: int) -> int:
    dim = operator.index(dim)
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, "
            f"{max(ndim, 1) - 1}], but got {dim})"
        )
    return dim % max(ndim, 1)


def _identity(x: Tensor, reduce: str) -> Any:
    """The value a grid cell holds where no source element lands."""
    xp = x._backend.xp
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if xp.isdtype(x._data.dtype, "integral"):
        info = xp.iinfo(x._data.dtype)
        return info.min if reduce == "amax" else info.max
    return -float("inf") if reduce == "amax" else float("inf")


def _reduce_columns(grid: Tensor, reduce: str) -> Tensor:
    if reduce in ("sum", "mean"):
        return ops.sum(grid, axis=-1)
    if reduce == "prod":
        return ops.prod(grid, axis=-1)
    return ops.max(grid, axis=-1) if reduce == "amax" else ops.min(grid, axis=-1)


def _scatter_reduced(
    base: Tensor, index: Any, src: Tensor, reduce: str, include_self: bool
) -> Tensor:
    """``base`` (of ``index``'s shape except along the last axis) with ``src`` reduced into
    the positions ``index`` (both laid out with the scatter axis last)."""
    xp = base._backend.xp
    n = base.shape[-1]
    targets = xp.arange(n, device=base._backend.device_of(base._data))
    matches = index[..., None, :] == targets[:, None]  # [..., target, source]
    grid = ops.where(
        _make(matches, base._backend), ops.expand_dims(src, axis=-2), _identity(base, reduce)
    )
    if include_self:
        grid = ops.concat([grid, ops.expand_dims(base, axis=-1)], axis=-1)
    reduced = _reduce_columns(grid, reduce)
    if reduce in ("amax", "amin") and not include_self:
        # torch shares the gradient with a tie in self even when self does not take part
        # (self gets none of it): count such a tie, detached, in the reduction
        kept = base.detach()
        tie = ops.where(ops.equal(kept, reduced.detach()), kept, _identity(base, reduce))
        reduced = _reduce_columns(
            ops.concat([grid, ops.expand_dims(tie, axis=-1)], axis=-1), reduce
        )
    hits = xp.sum(xp.astype(matches, base._data.dtype), axis=-1)
    if reduce == "mean":
        count = _make(hits + 1 if include_self else xp.where(hits == 0, 1, hits), base._backend)
        if xp.isdtype(base._data.dtype, "integral"):
            reduced = ops.floor_divide(reduced, count)
        else:
            reduced = ops.divide(reduced, count)
    if include_self:
        return reduced
    return ops.where(_make(hits > 0, base._backend), reduced, base)


def scatter_reduce(
    self: Tensor, dim: Any, index: Tensor, src: Tensor, reduce: str, include_self: bool
) -> Tensor:
    """torch's ``scatter_reduce`` (see the module's docstring)."""
    reduce = _ALIASES.get(reduce, reduce)
    if reduce not in _REDUCTIONS:
        raise RuntimeError(
            "reduce argument must be either sum, prod, mean, amax or amin, got " + str(reduce)
        )
    if not isinstance(src, Tensor):  # a number: the same value at every index
        like = self.__array_namespace__().asarray(src)
        src = ops.broadcast_to(ops.astype(like, self.dtype), tuple(index.shape))
    if self.dtype != src.dtype:
        raise RuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    if self.ndim == 0:
        flat = scatter_reduce(
            ops.reshape(self, (1,)),
            0,
            ops.reshape(index, (-1,)),
            ops.reshape(src, (-1,)),
            reduce,
            include_self,
        )
        return ops.reshape(flat, ())
    axis = _axis(dim, self.ndim)
    if index.ndim != self.ndim:
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if index.numel() == 0:
        return ops.clone(self)
    region = tuple(slice(None) if d == axis else slice(0, n) for d, n in enumerate(index.shape))
    xp = self._backend.xp
    raw_index = wrap_negative(xp, index._data, self.shape[axis])
    part = ops.moveaxis(self[region], axis, -1)
    source = ops.moveaxis(src[tuple(slice(0, n) for n in index.shape)], axis, -1)
    written = _scatter_reduced(part, xp.moveaxis(raw_index, axis, -1), source, reduce, include_self)
    written = ops.moveaxis(written, -1, axis)
    if tuple(written.shape) == tuple(self.shape):
        return written
    out = ops.clone(self)
    out[region] = written
    return out


def _bool_mask(mask: Any) -> Tensor:
    if mask.dtype.name != "bool":
        raise RuntimeError(
            "masked_scatter_ only supports boolean masks, but got mask with dtype "
            + _torch_name(mask.dtype)
        )
    return mask


class ScatterMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def scatter_reduce(
        self: Any, dim: int, index: Any, src: Any, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """A copy with ``src`` reduced (``'sum'``, ``'prod'``, ``'mean'``, ``'amax'``,
        ``'amin'``) into the positions ``index`` along ``dim``, ``self``'s values taking part
        unless ``include_self=False`` (torch's ``x.scatter_reduce()``)."""
        return scatter_reduce(self, dim, index, src, reduce, include_self)

    def masked_scatter(self: Any, mask: Any, source: Any) -> Tensor:
        """A copy with the elements of ``source``, in order, written where ``mask`` is True
        (``mask`` broadcasts with ``self``; torch's ``x.masked_scatter()``)."""
        mask = _bool_mask(mask)
        shape = ops.broadcast_shapes(tuple(self.shape), tuple(mask.shape))
        target = ops.broadcast_to(self, shape)
        xp = self._backend.xp
        flat_mask = xp.reshape(xp.broadcast_to(mask._data, shape), (-1,))
        wanted = int(xp.sum(xp.astype(flat_mask, xp.int64)))
        if wanted > source.numel():
            raise RuntimeError(
                "masked_scatter: Number of elements of source < number of ones in mask"
            )
        if wanted == 0:
            return ops.clone(target)
        # the k-th True position takes source element k
        order = xp.cumulative_sum(xp.astype(flat_mask, xp.int64)) - 1
        order = xp.where(flat_mask, order, 0)
        taken = ops.take(ops.reshape(source, (-1,)), _make(order, self._backend))
        return ops.where(
            _make(xp.reshape(flat_mask, shape), self._backend), ops.reshape(taken, shape), target
        )

    def put(self: Any, index: Any, source: Any, accumulate: bool = False) -> Tensor:
        """A copy with ``source`` written (or added, ``accumulate=True``) at the positions
        ``index`` of the flattened tensor (torch's ``x.put()``)."""
        n = self.numel()
        xp = self._backend.xp
        positions = wrap_negative(xp, xp.reshape(index._data, (-1,)), n)
        if bool(xp.any((positions < 0) | (positions >= n))):
            raise IndexError(f"put_(): index out of range for tensor of {n} elements")
        values = ops.reshape(source, (-1,))
        flat = ops.reshape(self, (-1,))
        if accumulate:
            return ops.reshape(ops.add(flat, index_add((n,), (positions,), values)), self.shape)
        out = ops.clone(flat)
        out[_make(positions, self._backend)] = values
        return ops.reshape(out, tuple(self.shape))

    def index_put(self: Any, indices: Any, values: Any, accumulate: bool = False) -> Tensor:
        """A copy with ``values`` written (or added, ``accumulate=True``, repeated indices
        adding up) at ``self[indices]`` (torch's ``x.index_put()``)."""
        indices = tuple(indices)
        if not accumulate:
            out = ops.clone(self)
            out[indices] = values
            return out
        xp = self._backend.xp
        device = self._backend.device_of(self._data)
        arrays: list[Any] = []
        for i in indices:
            data = i._data
            if data.dtype == xp.bool:  # a mask: the positions it selects
                arrays.extend(self._backend.sized(part) for part in xp.nonzero(data))
            else:
                arrays.append(data)
        arrays = list(xp.broadcast_arrays(*arrays))
        shape = tuple(self.shape)
        selected = tuple(arrays[0].shape) if arrays else ()
        rest = shape[len(arrays) :]
        rank = len(selected) + len(rest)
        # each written element's position in the flattened tensor (a 1-d key every
        # library scatters with)
        linear = xp.zeros(selected + (1,) * len(rest), dtype=xp.int64, device=device)
        for d, a in enumerate(arrays):
            a = wrap_negative(xp, xp.astype(a, xp.int64), shape[d])
            linear = linear * shape[d] + xp.reshape(a, selected + (1,) * len(rest))
        for k, n in enumerate(rest):
            linear = linear * n + axis_positions(xp, n, len(selected) + k, rank, device)
        linear = xp.reshape(xp.broadcast_to(linear, selected + rest), (-1,))
        spread = ops.broadcast_to(ops.astype(values, self.dtype), selected + rest)
        flat = index_add((self.numel(),), (linear,), ops.reshape(spread, (-1,)))
        return ops.add(self, ops.reshape(flat, shape))
