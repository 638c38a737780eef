"""Rearranging arrays beyond reshapes: flip, roll, moveaxis, repeat, tile,
broadcast_arrays and broadcast_shapes, unstack, and torch's split/chunk/unbind.

Functions take the standard's arguments (``flip(x, axis=...)``, ``repeat(x, repeats,
axis=...)``); nodes carry the names torch gives the equivalent call
(``FlipBackward0``, ``RollBackward0``, ``RepeatBackward0`` for ``tile``,
``UnbindBackward0`` for ``unstack``). Each rule moves the gradient back with the
inverse rearrangement, so it is differentiable again.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

from .._core._node import Node
from .._core._record import MultiOutputNode, keep_for_backward, operand, record, record_multi
from .._core._tensor import Tensor
from .._core._view_steps import Index
from .._core._views import MULTI_OUTPUT, make_view
from .conversion import clone
from .shape import _normalize_axis, broadcast_to, expand_dims, permute_dims, reshape
from .take import take


def _axes_tuple(axis: Any, ndim: int) -> tuple[int, ...]:
    """``axis`` (None, an int or a sequence) as non-negative ints; None means every axis."""
    if axis is None:
        return tuple(range(ndim))
    raw = (axis,) if isinstance(axis, int) or hasattr(axis, "__index__") else tuple(axis)
    axes = tuple(_normalize_axis(operator.index(a), ndim) for a in raw)
    if len(set(axes)) != len(axes):
        raise RuntimeError(f"dims {tuple(raw)} contain a repeated dimension")
    return axes


# -- flip, roll, moveaxis -------------------------------------------------------------


class FlipBackward0(Node):
    __slots__ = ("axes",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.flip(g, axis=self.axes) if self.axes else g,)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.flip(t[0], axis=self.axes) if self.axes else t[0]


def flip(x: Any, /, *, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """Reverse the order of elements along ``axis`` (every axis when None)."""
    x = operand(x)
    backend = x._backend
    axes = _axes_tuple(axis, x.ndim)
    data = backend.xp.flip(x._data, axis=axes) if axes else backend.copy(x._data)
    result = record(FlipBackward0, (x,), data, backend)
    return keep_for_backward(result, axes=axes)


class RollBackward0(Node):
    __slots__ = ("shift", "axis")

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        if self.shift is None:  # a 0-d input: nothing moved
            return (g,)
        return (xp.roll(g, shift=self.shift, axis=self.axis),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        if self.shift is None:
            return t[0]
        shift = -self.shift if isinstance(self.shift, int) else tuple(-s for s in self.shift)
        return xp.roll(t[0], shift=shift, axis=self.axis)


def roll(
    x: Any, /, shift: int | tuple[int, ...], *, axis: int | tuple[int, ...] | None = None
) -> Tensor:
    """Shift elements cyclically along ``axis``; with None, over the flattened array."""
    x = operand(x)
    backend = x._backend
    for a in () if axis is None else (axis,) if isinstance(axis, int) else axis:
        _normalize_axis(a, x.ndim)  # torch's error for an axis out of range
    if x.ndim == 0:  # the backends disagree on 0-d input; rolling one element is a copy
        data = backend.copy(x._data)
    else:
        data = backend.xp.roll(x._data, shift=shift, axis=axis)
    result = record(RollBackward0, (x,), data, backend)
    back = -shift if isinstance(shift, int) else tuple(-s for s in shift)
    return keep_for_backward(result, shift=back if x.ndim else None, axis=axis)


def moveaxis(
    x: Any, source: int | tuple[int, ...], destination: int | tuple[int, ...], /
) -> Tensor:
    """Move axes to new positions, keeping the others in order (``PermuteBackward0``)."""
    x = operand(x)
    ndim = x.ndim
    src = _axes_tuple(source, ndim)
    dst = _axes_tuple(destination, ndim)
    if len(src) != len(dst):
        raise ValueError("moveaxis: source and destination must have the same number of axes")
    order = [a for a in range(ndim) if a not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return permute_dims(x, tuple(order))


# -- repeat, tile ---------------------------------------------------------------------


def repeat(x: Any, repeats: int | Any, /, *, axis: int | None = None) -> Tensor:
    """Repeat each element ``repeats`` times along ``axis`` (flattened when None).

    Like torch's ``repeat_interleave``: an int count is an expand and a reshape
    (``ViewBackward0``), per-element counts an index select (``IndexSelectBackward0``).
    """
    x = operand(x)
    if axis is None:
        x = reshape(x, (-1,))
        axis = 0
    a = _normalize_axis(axis, x.ndim)
    shape = tuple(x._data.shape)
    backend = x._backend
    if not isinstance(repeats, Tensor) and not backend.is_array(repeats):
        count = operator.index(repeats)
        if count < 0:
            raise RuntimeError("repeats can not be negative")
        expanded = broadcast_to(
            expand_dims(x, axis=a + 1), shape[: a + 1] + (count,) + shape[a + 1 :]
        )
        # torch clones the expanded tensor, then views it (CloneBackward0, ViewBackward0)
        return reshape(clone(expanded), shape[:a] + (shape[a] * count,) + shape[a + 1 :])
    return take(x, _repeated_positions(x, operand(repeats, x)._data, shape[a], a), axis=a)


def _repeated_positions(x: Tensor, counts: Any, n: int, axis: int) -> Any:
    """``0..n-1``, position ``i`` ``counts[i]`` times: the ``i`` whose running total of
    counts first passes each output position. The output's length is read from the
    counts (it depends on their values), so Dask, whose ``repeat`` takes only an int,
    computes the counts here."""
    backend = x._backend
    xp, device = backend.xp, backend.device_of(x._data)
    if counts.ndim > 1:
        raise RuntimeError("repeats must be 0-dim or 1-dim tensor")
    if (
        counts.ndim == 0 or counts.shape[0] == 1
    ):  # one count for every element (torch, the standard)
        counts = xp.broadcast_to(xp.reshape(counts, ()), (n,))
    elif counts.shape[0] != n:
        raise RuntimeError(
            "repeats must have the same size as input along dim, but got "
            f"repeats.size(0) = {counts.shape[0]} and input.size({axis}) = {n}"
        )
    host = backend.to_numpy(counts)
    if (host < 0).any():
        raise RuntimeError("repeats can not be negative")
    ends = xp.cumulative_sum(counts)
    steps = xp.arange(int(host.sum()), dtype=ends.dtype, device=device)
    return xp.searchsorted(ends, steps, side="right")


class RepeatBackward0(Node):
    """``tile``: every copy of an element sends its gradient back to it."""

    __slots__ = ("shape", "reps", "input_shape")

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        interleaved: list[int] = []
        for r, n in zip(self.reps, self.shape):
            interleaved += [r, n]
        if interleaved:
            g = xp.reshape(g, tuple(interleaved))
            g = xp.sum(g, axis=tuple(range(0, len(interleaved), 2)))
        return (xp.reshape(g, self.input_shape),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.tile(t[0], self.reps) if self.reps else t[0]


def tile(x: Any, repetitions: Sequence[int], /) -> Tensor:
    """Repeat the whole array ``repetitions[i]`` times along axis ``i``."""
    x = operand(x)
    backend = x._backend
    reps = tuple(operator.index(r) for r in repetitions)
    if any(r < 0 for r in reps):
        raise RuntimeError(f"Trying to create tensor with negative dimension: {reps}")
    ndim = max(len(reps), x.ndim)
    shape = (1,) * (ndim - x.ndim) + tuple(x._data.shape)
    full_reps = (1,) * (ndim - len(reps)) + reps
    data = backend.xp.tile(x._data, full_reps) if ndim else backend.copy(x._data)
    result = record(RepeatBackward0, (x,), data, backend)
    node = result._grad_fn
    if node is not None:
        node.shape, node.reps, node.input_shape = shape, full_reps, tuple(x._data.shape)
    return result


# -- broadcasting -----------------------------------------------------------------------


def broadcast_shapes(*shapes: tuple[int, ...]) -> tuple[int, ...]:
    """The shape that arrays of ``shapes`` broadcast to (ValueError if they cannot)."""
    ndim = max((len(s) for s in shapes), default=0)
    out = [1] * ndim
    for shape in shapes:
        for i, n in enumerate(shape):
            j = ndim - len(shape) + i
            if n != out[j]:
                if out[j] != 1 and n != 1:
                    raise ValueError(f"shapes {shapes} cannot be broadcast together")
                out[j] = n if out[j] == 1 else out[j]
    return tuple(out)


def broadcast_arrays(*arrays: Any) -> tuple[Tensor, ...]:
    """Each array broadcast to the common shape; one already of that shape is returned as is."""
    like = next((a for a in arrays if isinstance(a, Tensor)), None)
    tensors = [operand(a, like) for a in arrays]
    target = broadcast_shapes(*(tuple(t._data.shape) for t in tensors))
    return tuple(t if tuple(t._data.shape) == target else broadcast_to(t, target) for t in tensors)


# -- unstack / unbind, split / chunk ---------------------------------------------------------


def _pieces_of(grads: Any) -> list[Any]:
    """The engine hands a node with a single output its gradient alone, not in a tuple."""
    return list(grads) if isinstance(grads, tuple) else [grads]


class UnbindBackward0(MultiOutputNode):
    __slots__ = ("axis",)

    def vjp(self, xp: Any, grads: Any) -> tuple[Any, ...]:
        return (xp.stack(_pieces_of(grads), axis=self.axis),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        lead = (slice(None),) * self.axis
        return tuple(t[0][lead + (i, ...)] for i in range(len(outputs)))


class SplitBackward0(MultiOutputNode):
    __slots__ = ("axis",)

    def vjp(self, xp: Any, grads: Any) -> tuple[Any, ...]:
        return (xp.concat(_pieces_of(grads), axis=self.axis),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        lead, start, pieces = (slice(None),) * self.axis, 0, []
        for out in outputs:
            size = out.shape[self.axis]
            pieces.append(t[0][lead + (slice(start, start + size), ...)])
            start += size
        return tuple(pieces)


class SplitWithSizesBackward0(SplitBackward0):
    __slots__ = ()


def _pieces(
    cls: type[MultiOutputNode], x: Tensor, axis: int, keys: list[tuple[Any, ...]]
) -> tuple[Tensor, ...]:
    """``x[key]`` for each key, as views of ``x`` that torch forbids writing in place."""
    if not keys:
        return ()
    results = record_multi(cls, (x,), tuple(x._data[key] for key in keys), x._backend)
    for key, result in zip(keys, results):
        make_view(x, result, Index(key), MULTI_OUTPUT)
    node = results[0]._grad_fn
    if node is not None:
        node.axis = axis
    return results


def unstack(x: Any, /, *, axis: int = 0) -> tuple[Tensor, ...]:
    """The slices of ``x`` along ``axis``, as a tuple (``UnbindBackward0``)."""
    x = operand(x)
    if x.ndim == 0:
        raise RuntimeError("Dimension specified as 0 but tensor has no dimensions")
    a = _normalize_axis(axis, x.ndim)
    lead = (slice(None),) * a
    keys = [lead + (i, ...) for i in range(x._data.shape[a])]
    return _pieces(UnbindBackward0, x, a, keys)


def unbind(x: Any, dim: int = 0) -> tuple[Tensor, ...]:
    """torch's ``unbind``: ``unstack`` along ``dim``."""
    return unstack(x, axis=dim)


def split(x: Any, split_size_or_sections: int | Sequence[int], dim: int = 0) -> tuple[Tensor, ...]:
    """torch's ``split``: pieces of ``split_size`` (the last may be smaller) or of the given sizes."""
    x = operand(x)
    if x.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    a = _normalize_axis(dim, x.ndim)
    n = x._data.shape[a]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size < 0 or (size == 0 and n != 0):
            raise RuntimeError(
                f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
                if size == 0
                else f"split expects split_size be non-negative, but got split_size={size}"
            )
        sizes = [size] * (n // size) + ([n % size] if n % size else []) if n else [0]
        cls: type[MultiOutputNode] = SplitBackward0
    else:
        sizes = [operator.index(s) for s in split_size_or_sections]
        if sum(sizes) != n or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's "
                f"size at dimension {a}), but got split_sizes={sizes}"
            )
        cls = SplitWithSizesBackward0
    lead = (slice(None),) * a
    keys, start = [], 0
    for s in sizes:
        keys.append(lead + (slice(start, start + s), ...))
        start += s
    return _pieces(cls, x, a, keys)


def chunk(x: Any, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
    """torch's ``chunk``: at most ``chunks`` pieces of equal size (the last may be smaller)."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    x = operand(x)
    if x.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    n = x._data.shape[_normalize_axis(dim, x.ndim)]
    return split(x, math.ceil(n / chunks) if n else 0, dim)
