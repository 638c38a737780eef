"""Selecting elements by integer indices: ``take`` and ``take_along_axis``, differentiable.

``take`` is torch's ``index_select`` (``IndexSelectBackward0``), ``take_along_axis``
its ``take_along_dim``/``gather`` (``GatherBackward0``). Both rules scatter-add the
gradient back, so an index that appears several times collects every contribution.
The scatter uses a full integer-array key (one index array per axis), the only
form of integer indexing every array-API library accepts.
"""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._record import keep_for_backward, operand, record
from .._core._tensor import Tensor
from .scatter_add import scatter_add
from .shape import _normalize_axis, broadcast_to


def axis_positions(xp: Any, n: int, position: int, rank: int, device: Any) -> Any:
    """``arange(n)`` shaped to vary along ``position`` of a ``rank``-d index grid."""
    shape = [1] * rank
    shape[position] = n
    return xp.reshape(xp.arange(n, device=device), tuple(shape))


def wrap_negative(xp: Any, indices: Any, n: int) -> Any:
    """Negative indices counted from the end, as every backend's scatter expects."""
    return xp.where(indices < 0, indices + n, indices)


class GatherBackward0(Node):
    """Scatter-add the gradient to the positions ``key`` selected (None: the identity)."""

    __slots__ = ("key", "input_shape")

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        if self.key is None:
            return (g,)
        return (scatter_add(self, xp, g, self.key, self.input_shape),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0] if self.key is None else t[0][self.key]


class IndexSelectBackward0(GatherBackward0):
    __slots__ = ()


def _record_gather(cls: type[GatherBackward0], x: Tensor, data: Any, key: Any) -> Tensor:
    result = record(cls, (x,), data, x._backend)
    return keep_for_backward(result, key=key, input_shape=tuple(x._data.shape))


def _index_data(indices: Any, like: Tensor) -> Any:
    data = operand(indices, like)._data
    if not like._backend.xp.isdtype(data.dtype, "integral"):
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    return data


def take(x: Any, indices: Any, /, *, axis: int | None = None) -> Tensor:
    """Elements of ``x`` at ``indices`` along ``axis`` (optional for 1-d ``x``)."""
    x = operand(x)
    if axis is None:
        if x.ndim != 1:
            raise ValueError("take: axis must be given unless x is one-dimensional")
        axis = 0
    a = _normalize_axis(axis, x.ndim)
    backend = x._backend
    xp = backend.xp
    shape = tuple(x._data.shape)
    idx = wrap_negative(xp, _index_data(indices, x), shape[a])
    data = xp.take(x._data, idx, axis=a)
    device = backend.device_of(x._data)
    rank = x.ndim - 1 + idx.ndim
    key = tuple(axis_positions(xp, shape[d], d, rank, device) for d in range(a))
    key += (xp.reshape(idx, (1,) * a + tuple(idx.shape) + (1,) * (x.ndim - 1 - a)),)
    key += tuple(
        axis_positions(xp, shape[d], d - 1 + idx.ndim, rank, device) for d in range(a + 1, x.ndim)
    )
    return _record_gather(IndexSelectBackward0, x, data, key)


def take_along_axis(x: Any, indices: Any, /, *, axis: int = -1) -> Tensor:
    """Elements of ``x`` at ``indices`` along ``axis``; other axes broadcast (``GatherBackward0``)."""
    x = operand(x)
    backend = x._backend
    xp = backend.xp
    idx = _index_data(indices, x)
    if idx.ndim != x.ndim:
        raise ValueError("take_along_axis: x and indices must have the same number of dimensions")
    if x.ndim == 0:
        raise ValueError("take_along_axis: x must have at least one dimension")
    a = _normalize_axis(axis, x.ndim)
    target = []
    for d, (n, m) in enumerate(zip(x._data.shape, idx.shape)):
        if d != a and n != m and n != 1 and m != 1:
            raise ValueError(
                f"take_along_axis: shapes {tuple(x._data.shape)} and "
                f"{tuple(idx.shape)} do not broadcast outside axis {a}"
            )
        target.append(max(n, m) if n != 0 and m != 0 else 0)
    x_shape = tuple(target[d] if d != a else x._data.shape[a] for d in range(x.ndim))
    idx_shape = tuple(target[d] if d != a else idx.shape[a] for d in range(x.ndim))
    if tuple(x._data.shape) != x_shape:
        x = broadcast_to(x, x_shape)
    if tuple(idx.shape) != idx_shape:
        idx = xp.broadcast_to(idx, idx_shape)
    idx = wrap_negative(xp, idx, x_shape[a])
    data = xp.take_along_axis(x._data, idx, axis=a)
    device = backend.device_of(x._data)
    key = tuple(
        idx if d == a else axis_positions(xp, x_shape[d], d, x.ndim, device) for d in range(x.ndim)
    )
    return _record_gather(GatherBackward0, x, data, key)
