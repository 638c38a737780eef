"""torch's running extremes, order statistics and quantiles over polygrad's ops:
``x.cummax(0)`` and ``x.cummin(0)`` as ``(values, indices)``, ``x.logcumsumexp(0)``,
``x.median()`` / ``x.median(1)``, ``x.nanmedian(1)``, ``x.mode(1)``,
``x.quantile(q, dim, interpolation=...)`` and ``x.nanquantile(...)``.

The positions (which element is the running maximum, the median, the mode) are found
on the raw arrays; the values are then read from ``x`` with ``take_along_axis``, so the
gradient goes to the selected element, as torch's ``value_selecting_reduction_backward``
does. The running scans compare every position with every earlier one on an (n, n)
grid per slice (the standard has no running maximum), so they cost O(n^2) memory
along ``dim``.
"""

from __future__ import annotations

import operator
from typing import Any, overload

from ... import ops
from ..._core._tensor import Tensor, _make
from ...ops.selection import select_along
from . import _return_types as return_types

_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _axis(dim: Any, ndim: int) -> int:
    dim = operator.index(dim)
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, "
            f"{max(ndim, 1) - 1}], but got {dim})"
        )
    return dim % max(ndim, 1)


def _is_float(x: Tensor) -> bool:
    return bool(x._backend.xp.isdtype(x._data.dtype, ("real floating", "complex floating")))


def _raw_last(x: Tensor, axis: int) -> Any:
    """``x``'s array with ``axis`` moved last (booleans as int8, so they order)."""
    xp = x._backend.xp
    data = x._data
    if data.dtype == xp.bool:
        data = xp.astype(data, xp.int8)
    return xp.moveaxis(data, axis, -1)


def _positions(x: Tensor, n: int) -> Any:
    return x._backend.xp.arange(n, device=x._backend.device_of(x._data))


def _pick(x: Tensor, axis: int, index_last: Any, keepdim: bool, result: Any) -> Any:
    """``result(values, indices)``: ``x`` at the positions ``index_last`` along ``axis``
    (an array laid out with ``axis`` last; its last axis has size 1 for a reduction,
    removed unless ``keepdim``), the values recorded as torch's node for ``result``."""
    xp = x._backend.xp
    raw = xp.moveaxis(xp.astype(index_last, xp.int64), -1, axis)
    reduce = not keepdim and raw.ndim > 0 and index_last.shape[-1] == 1
    values = select_along(result.__name__, x, raw, axis, keepdim=not reduce)
    return result(values, _make(xp.squeeze(raw, axis=axis) if reduce else raw, x._backend))


def _zero_dim(x: Tensor, result: Any) -> Any:
    xp = x._backend.xp
    zero = xp.zeros((), dtype=xp.int64, device=x._backend.device_of(x._data))
    return result(ops.clone(x), _make(zero, x._backend))


def _running_extreme(x: Tensor, dim: int, largest: bool, result: Any) -> Any:
    if x.ndim == 0:
        _axis(dim, 0)
        return _zero_dim(x, result)
    axis = _axis(dim, x.ndim)
    xp = x._backend.xp
    data = _raw_last(x, axis)
    n = data.shape[-1]
    if n == 0:
        return result(ops.clone(x), _make(xp.astype(x._data, xp.int64), x._backend))
    positions = _positions(x, n)
    earlier = positions[None, :] <= positions[:, None]  # [k, j]: j comes no later than k
    # row k holds x_j for j <= k and x_k elsewhere (x_k takes part anyway)
    grid = xp.where(earlier, data[..., None, :], data[..., :, None])
    best = xp.max(grid, axis=-1) if largest else xp.min(grid, axis=-1)
    hit = grid == best[..., None]
    if _is_float(x):  # a NaN is the extreme from where it appears, as in torch's scan
        hit = hit | (xp.isnan(grid) & xp.isnan(best[..., None]))
    index = xp.max(xp.where(hit & earlier, positions, -1), axis=-1)  # ties: the last, as torch
    return _pick(x, axis, index, True, result)


def _median_position(x: Tensor, data: Any, ignore_nan: bool) -> Any:
    """Per slice of ``data`` (sorted along its last axis, NaNs last): where the lower
    median sits, or the first NaN when NaNs propagate (torch's median)."""
    xp = x._backend.xp
    n = data.shape[-1]
    nans = xp.sum(xp.astype(xp.isnan(data), xp.int64), axis=-1) if _is_float(x) else 0
    if ignore_nan:
        return xp.clip((n - nans - 1) // 2, 0, None)
    return xp.where(nans > 0, n - nans, (n - 1) // 2)


def _median_along(x: Tensor, dim: int, keepdim: bool, ignore_nan: bool, result: Any) -> Any:
    name = "nanmedian" if ignore_nan else "median"
    if x.ndim == 0:
        _axis(dim, 0)
        return _zero_dim(x, result)
    axis = _axis(dim, x.ndim)
    xp = x._backend.xp
    data = _raw_last(x, axis)
    if data.shape[-1] == 0:
        raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size.")
    order = xp.argsort(data, axis=-1, stable=True)
    sorted_data = xp.take_along_axis(data, order, axis=-1)
    where = xp.astype(_median_position(x, sorted_data, ignore_nan), xp.int64)[..., None]
    return _pick(x, axis, xp.take_along_axis(order, where, axis=-1), keepdim, result)


def _median_all(x: Tensor, ignore_nan: bool) -> Tensor:
    """The lower median of all elements; its gradient is shared by the elements equal to
    it (torch's ``evenly_distribute_backward``)."""
    flat = ops.reshape(x, (-1,))
    xp = x._backend.xp
    if flat.shape[0] == 0:
        return ops.astype(ops.sum(flat) / 0, x.dtype)
    values, _ = _median_along(flat, 0, False, ignore_nan, return_types.median)
    if not _is_float(x):
        return values
    v = values._data
    mask = (flat._data == v) | (xp.isnan(flat._data) & xp.isnan(v))
    count = xp.sum(xp.astype(mask, flat._data.dtype))
    mask_t, count_t = _make(mask, x._backend), _make(count, x._backend)
    return ops.divide(ops.sum(ops.where(mask_t, flat, 0.0)), count_t)


def _quantile(
    x: Tensor, q: Any, dim: Any, keepdim: bool, interpolation: str, ignore_nan: bool
) -> Tensor:
    name = "nanquantile" if ignore_nan else "quantile"
    xp = x._backend.xp
    if not xp.isdtype(x._data.dtype, "real floating"):
        raise RuntimeError(f"{name}() input tensor must be either float or double dtype")
    if interpolation not in _INTERPOLATIONS:
        raise ValueError(
            f"{name}() interpolation must be one of linear, lower, higher, midpoint or "
            f"nearest. Got {interpolation}"
        )
    scalar_q = not isinstance(q, Tensor)
    q_data = xp.asarray(q, dtype=x._data.dtype, device=x._backend.device_of(x._data))
    if not scalar_q and q.dtype != x.dtype:
        raise RuntimeError(f"{name}() q tensor must be same dtype as the input tensor")
    if q_data.ndim > 1:
        raise RuntimeError(f"{name}() q must be a scalar or 1D tensor")
    if bool(xp.any((q_data < 0) | (q_data > 1))):
        raise RuntimeError(f"{name}() q values must be in the range [0, 1]")
    source = ops.reshape(x, (-1,)) if dim is None else x
    axis = 0 if dim is None else _axis(dim, x.ndim)
    if source.ndim == 0:
        source = ops.reshape(source, (1,))
    moved = ops.moveaxis(source, axis, -1)
    if moved.shape[-1] == 0:
        raise IndexError(f"{name}() input tensor must be non-empty")
    order = xp.argsort(moved._data, axis=-1, stable=True)
    ranked = ops.take_along_axis(moved, _make(order, x._backend), axis=-1)  # NaNs last
    n = moved.shape[-1]
    nans = xp.sum(xp.astype(xp.isnan(ranked._data), ranked._data.dtype), axis=-1)
    q_col = xp.reshape(q_data, (-1,) + (1,) * (ranked.ndim - 1))  # (Q, *slices)
    if ignore_nan:  # ranks among the values that are not NaN
        rank = xp.clip(q_col * (n - nans - 1), 0, None)
    else:  # any NaN makes the quantile the last (NaN) element
        rank = xp.where(nans > 0, xp.asarray(n - 1, dtype=q_col.dtype), q_col * (n - 1))
    below, above = xp.floor(rank), xp.ceil(rank)
    if interpolation == "nearest":
        below = above = xp.round(rank)
    elif interpolation == "lower":
        above = below
    elif interpolation == "higher":
        below = above
    grid = ops.broadcast_to(ops.expand_dims(ranked, axis=0), tuple(rank.shape) + (n,))

    def at(position: Any) -> Tensor:
        index = _make(xp.astype(position, xp.int64)[..., None], x._backend)
        return ops.squeeze(ops.take_along_axis(grid, index, axis=-1), axis=-1)

    low, high = at(below), at(above)
    if interpolation == "midpoint":
        out = ops.add(low, ops.multiply(ops.subtract(high, low), 0.5))
    elif interpolation == "linear":
        weight = _make(rank - below, x._backend)
        out = ops.add(low, ops.multiply(ops.subtract(high, low), weight))
    else:
        out = low
    if keepdim:
        kept = [1] * x.ndim if dim is None else list(x.shape)
        if dim is not None and x.ndim:
            kept[axis] = 1
        out = ops.reshape(out, (out.shape[0], *kept))
    return ops.squeeze(out, axis=0) if scalar_q or q_data.ndim == 0 else out


class StatsMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def cummax(self: Any, dim: int) -> return_types.cummax:
        """A ``(values, indices)`` named tuple of the running maximum along ``dim`` (torch's
        ``x.cummax()``; ties and NaNs point at the latest, as torch)."""
        return _running_extreme(self, dim, True, return_types.cummax)

    def cummin(self: Any, dim: int) -> return_types.cummin:
        """A ``(values, indices)`` named tuple of the running minimum along ``dim`` (torch's
        ``x.cummin()``)."""
        return _running_extreme(self, dim, False, return_types.cummin)

    def logcumsumexp(self: Any, dim: int) -> Tensor:
        """``log(cumsum(exp(x)))`` along ``dim``, computed stably (torch's
        ``x.logcumsumexp()``): each output is a ``logsumexp`` over the elements so far."""
        if self.ndim == 0:
            _axis(dim, 0)
            return ops.clone(self)
        axis = _axis(dim, self.ndim)
        moved = ops.moveaxis(self, axis, -1)
        n = moved.shape[-1]
        positions = _positions(self, n)
        earlier = _make(positions[None, :] <= positions[:, None], self._backend)
        grid = ops.where(earlier, ops.expand_dims(moved, axis=-2), -float("inf"))
        return ops.moveaxis(ops.logsumexp(grid, axis=-1), -1, axis)

    @overload
    def median(self: Any, dim: None = None, keepdim: bool = False) -> Tensor: ...

    @overload
    def median(self: Any, dim: int, keepdim: bool = False) -> return_types.median: ...

    def median(self: Any, dim: Any = None, keepdim: bool = False) -> Tensor | return_types.median:
        """The lower median: of all elements (a tensor) or along ``dim`` as a
        ``(values, indices)`` named tuple (torch's ``x.median()``; NaN propagates)."""
        if dim is None:
            return _median_all(self, ignore_nan=False)
        return _median_along(self, dim, keepdim, False, return_types.median)

    @overload
    def nanmedian(self: Any, dim: None = None, keepdim: bool = False) -> Tensor: ...

    @overload
    def nanmedian(self: Any, dim: int, keepdim: bool = False) -> return_types.nanmedian: ...

    def nanmedian(
        self: Any, dim: Any = None, keepdim: bool = False
    ) -> Tensor | return_types.nanmedian:
        """``median`` ignoring NaNs (torch's ``x.nanmedian()``)."""
        if dim is None:
            return _median_all(self, ignore_nan=True)
        return _median_along(self, dim, keepdim, True, return_types.nanmedian)

    def mode(self: Any, dim: int = -1, keepdim: bool = False) -> return_types.mode:
        """A ``(values, indices)`` named tuple of the most frequent value along ``dim`` (the
        smallest on ties) and its last position (torch's ``x.mode()``)."""
        if self.ndim == 0:
            _axis(dim, 0)
            return _zero_dim(self, return_types.mode)
        axis = _axis(dim, self.ndim)
        xp = self._backend.xp
        data = _raw_last(self, axis)
        n = data.shape[-1]
        if n == 0:
            raise IndexError(f"mode(): Expected reduction dim {axis} to have non-zero size.")
        same = data[..., :, None] == data[..., None, :]
        counts = xp.sum(xp.astype(same, xp.int64), axis=-1)
        most = counts == xp.max(counts, axis=-1, keepdims=True)
        # among the most frequent values, the smallest: order them and take the first
        order = xp.argsort(data, axis=-1, stable=True)
        ranked_most = xp.astype(xp.take_along_axis(most, order, axis=-1), xp.int8)
        first = xp.argmax(ranked_most, axis=-1, keepdims=True)
        value = xp.take_along_axis(data, xp.take_along_axis(order, first, axis=-1), axis=-1)
        positions = _positions(self, n)
        index = xp.max(xp.where(data == value, positions, -1), axis=-1, keepdims=True)
        return _pick(self, axis, index, keepdim, return_types.mode)

    def quantile(
        self: Any, q: Any, dim: Any = None, keepdim: bool = False, *, interpolation: str = "linear"
    ) -> Tensor:
        """The ``q``-th quantiles (a number or a 1-d tensor, its values first in the result)
        along ``dim`` (all elements when None), with ``interpolation`` ``'linear'``,
        ``'lower'``, ``'higher'``, ``'midpoint'`` or ``'nearest'`` (torch's ``x.quantile()``;
        NaN propagates)."""
        return _quantile(self, q, dim, keepdim, interpolation, ignore_nan=False)

    def nanquantile(
        self: Any, q: Any, dim: Any = None, keepdim: bool = False, *, interpolation: str = "linear"
    ) -> Tensor:
        """``quantile`` ignoring NaNs (torch's ``x.nanquantile()``)."""
        return _quantile(self, q, dim, keepdim, interpolation, ignore_nan=True)
