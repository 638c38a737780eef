"""torch's index-building and padding functions over polygrad's ops:
``pg.index_reduce(x, 0, i, src, 'amax')``, ``pg.unique_consecutive(x, return_counts=True)``,
``pg.combinations(x, 2)``, ``pg.unravel_index(i, shape)``, ``pg.nonzero_static(x, size=4)``,
``pg.constant_pad_nd(x, (1, 2), 0.5)`` and ``x.sum_to_size(1, 3)``.

``index_reduce`` is ``scatter_reduce`` with the index spread along ``dim`` over
``source``'s shape, so its values and gradients are ``scatter_reduce``'s (which are
torch's ``index_reduce_backward``). ``constant_pad_nd`` and ``combinations`` are
concatenations and takes, differentiable as those are; the others give indices.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable
from typing import Any

from ... import ops
from ..._core._tensor import Tensor, _make
from ._aliases import _torch_name
from ._methods_scatter import _axis, scatter_reduce

_INDEX_REDUCTIONS = ("prod", "mean", "amax", "amin")


def _check_index_reduce(self: Tensor, axis: int, index: Any, source: Any, reduce: str) -> None:
    if reduce not in _INDEX_REDUCTIONS:
        raise RuntimeError(
            f"index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got "
            f"{reduce}."
        )
    if index.ndim > 1:
        raise IndexError(
            f"index_reduce_(): Index is supposed to be a vector, but got dim: {index.ndim} "
            f"with type: {_torch_name(index.dtype).title()} and size: {list(index.shape)}"
        )
    if index.dtype.name not in ("int32", "int64"):
        raise RuntimeError(
            "index_reduce_(): Expected dtype int32/int64 for index but got: "
            + _torch_name(index.dtype).title()
        )
    length = source.shape[axis] if source.ndim else 1
    if index.numel() != length:
        raise RuntimeError(
            f"index_reduce_(): Number of indices ({index.numel()}) should be equal to "
            f"source.size(dim): ({length}), for dim: {axis}"
        )
    rest = tuple(n for d, n in enumerate(self.shape) if d != axis)
    if max(source.ndim, 1) != max(self.ndim, 1) or rest != tuple(
        n for d, n in enumerate(source.shape) if d != axis
    ):
        raise RuntimeError(
            "source tensor shape must match self tensor shape, excluding the specified "
            f"dimension. Got self.shape = {list(self.shape)} source.shape = {list(source.shape)}"
        )
    if self.dtype != source.dtype:
        raise RuntimeError(
            f"index_reduce_(): self ({_torch_name(self.dtype).title()}) and source "
            f"({_torch_name(source.dtype).title()}) must have the same scalar type"
        )
    xp = index._backend.xp
    size = self.shape[axis] if self.ndim else 1
    if index.numel() and bool(xp.any((index._data < 0) | (index._data >= size))):
        raise IndexError("index out of range in self")


def index_reduce(
    input: Any,  # noqa: A002 - torch's name
    dim: int,
    index: Any,
    source: Any,
    reduce: str,
    *,
    include_self: bool = True,
) -> Tensor:
    """``input`` with the slices of ``source`` reduced (``'prod'``, ``'mean'``, ``'amax'``,
    ``'amin'``) into the slices ``index`` along ``dim``, ``input``'s values taking part
    unless ``include_self=False`` (torch.index_reduce)."""
    axis = _axis(dim, input.ndim)
    _check_index_reduce(input, axis, index, source, reduce)
    if input.ndim == 0:
        return scatter_reduce(input, 0, ops.reshape(index, ()), source, reduce, include_self)
    xp = index._backend.xp
    spread = [1] * source.ndim
    spread[axis] = index.numel()
    positions = xp.broadcast_to(
        xp.reshape(xp.astype(index._data, xp.int64), tuple(spread)), tuple(source.shape)
    )
    return scatter_reduce(
        input, axis, _make(positions, index._backend), source, reduce, include_self
    )


def _first_of_runs(xp: Any, rows: Any, device: Any) -> Any:
    """Whether each row of ``rows`` (a 2-d array) differs from the row before it."""
    changed = xp.any(rows[1:, ...] != rows[:-1, ...], axis=1)
    return xp.concat([xp.ones((1,), dtype=xp.bool, device=device), changed])


def unique_consecutive(
    input: Any,  # noqa: A002 - torch's name
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Tensor | tuple[Tensor, ...]:
    """The first element (or slice along ``dim``) of every run of equal consecutive ones,
    with each element's run (``return_inverse``) and the runs' lengths
    (``return_counts``) (torch.unique_consecutive)."""
    backend = input._backend
    xp = backend.xp
    data = input._data
    if dim is None:
        rows = xp.reshape(data, (-1, 1))
    else:
        if input.ndim == 0:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        axis = _axis(dim, input.ndim)
        if 0 in input.shape and input.shape[axis] != 0:
            raise RuntimeError(
                "There are 0 sized dimensions, and they aren't selected, so unique cannot be "
                "applied"
            )
        moved = xp.moveaxis(data, axis, 0)
        rows = xp.reshape(moved, (moved.shape[0], math.prod(moved.shape[1:])))
    n = rows.shape[0]
    device = backend.device_of(data)
    if n == 0:
        starts = xp.zeros((0,), dtype=xp.bool, device=device)
        run_of = xp.zeros((0,), dtype=xp.int64, device=device)
    else:
        starts = _first_of_runs(xp, rows, device)
        run_of = xp.cumulative_sum(xp.astype(starts, xp.int64)) - 1
    # boolean selections, not nonzero + take: Dask takes wrongly through nonzero's chunks
    if dim is None:
        values = backend.sized(xp.reshape(data, (-1,))[starts])
    else:
        values = xp.moveaxis(backend.sized(xp.moveaxis(data, axis, 0)[starts]), 0, axis)
    extras = []
    if return_inverse:
        extras.append(xp.reshape(run_of, tuple(input.shape) if dim is None else (n,)))
    if return_counts:
        # the runs' bounds in one selection (Dask subtracts two of them wrongly when their
        # chunks hold different empty blocks)
        closed = xp.concat([starts, xp.ones((1,), dtype=xp.bool, device=device)])
        bounds = backend.sized(xp.arange(n + 1, dtype=xp.int64, device=device)[closed])
        extras.append(bounds[1:] - bounds[:-1])
    if not extras:
        return _make(values, backend)
    return tuple(_make(part, backend) for part in (values, *extras))


def unique_slices(
    input: Any,  # noqa: A002 - torch's name
    dim: int,
    return_inverse: bool = False,
    return_counts: bool = False,
) -> Tensor | tuple[Tensor, ...]:
    """The distinct slices of ``input`` along ``dim``, in lexicographic order, with each
    slice's place among them (``return_inverse``) and how often each occurs
    (``return_counts``) (torch.unique with ``dim``)."""
    if input.ndim == 0:
        raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
    backend = input._backend
    xp = backend.xp
    axis = _axis(dim, input.ndim)
    moved = xp.moveaxis(input._data, axis, 0)
    n = moved.shape[0]
    rows = xp.reshape(moved, (n, math.prod(moved.shape[1:])))
    order = xp.arange(n, device=backend.device_of(moved))
    for column in reversed(range(rows.shape[1])):  # a stable sort by each column: lexsort
        order = xp.take(order, xp.argsort(xp.take(rows[:, column], order), stable=True))
    ordered = _make(xp.moveaxis(xp.take(moved, order, axis=0), 0, axis), backend)
    found = unique_consecutive(ordered, return_inverse, return_counts, dim=axis)
    if not return_inverse:
        return found
    values, runs, *counts = found
    # the input's slice i sits at argsort(order)[i] among the sorted ones
    inverse = _make(xp.take(runs._data, xp.argsort(order)), backend)
    return (values, inverse, *counts)


def combinations(
    input: Any,  # noqa: A002 - torch's name
    r: int = 2,
    with_replacement: bool = False,
) -> Tensor:
    """Every ``r``-element combination of the 1-d ``input``'s elements, one per row, in
    lexicographic order of positions (torch.combinations)."""
    if input.ndim != 1:
        raise RuntimeError(f"Expect a 1D vector, but got shape {list(input.shape)}")
    if r < 0:
        raise RuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return ops.reshape(input[0:0], (0,))
    pick = itertools.combinations_with_replacement if with_replacement else itertools.combinations
    chosen = [p for combination in pick(range(input.shape[0]), r) for p in combination]
    xp = input._backend.xp
    device = input._backend.device_of(input._data)
    positions = xp.asarray(chosen, dtype=xp.int64, device=device)
    return ops.reshape(ops.take(input, _make(positions, input._backend)), (-1, r))


def unravel_index(indices: Any, shape: Any) -> tuple[Tensor, ...]:
    """The coordinates in a row-major tensor of ``shape`` of the flat ``indices``, one
    tensor per axis (torch.unravel_index)."""
    if indices.dtype.name == "bool" or not indices._backend.xp.isdtype(
        indices._data.dtype, "integral"
    ):
        raise TypeError(
            f"expected 'indices' to be integer dtype, but got {_torch_name(indices.dtype)}"
        )
    shape = (operator.index(shape),) if not isinstance(shape, (tuple, list)) else tuple(shape)
    if any(n < 0 for n in shape):
        raise ValueError(f"'shape' cannot have negative values, but got {shape}")
    xp = indices._backend.xp
    rest = xp.astype(indices._data, xp.int64)
    coordinates = []
    for n in reversed(shape):
        coordinates.append(rest % n if n else rest)
        rest = rest // n if n else rest
    return tuple(_make(c, indices._backend) for c in reversed(coordinates))


def nonzero_static(input: Any, *, size: int, fill_value: int = -1) -> Tensor:  # noqa: A002
    """The first ``size`` rows of ``nonzero(input)``, filled up to ``size`` rows with
    ``fill_value`` (torch.nonzero_static)."""
    if size < 0:
        raise RuntimeError("nonzero_static: 'size' must be an non-negative integer")
    backend = input._backend
    xp = backend.xp
    data = xp.reshape(input._data, (1,)) if input.ndim == 0 else input._data
    device = backend.device_of(data)
    ndim = input.ndim
    found = [backend.sized(part) for part in xp.nonzero(data)][:ndim]
    count = found[0].shape[0] if found else int(xp.sum(xp.astype(data != 0, xp.int64)))
    rows = (
        xp.stack([xp.astype(f, xp.int64) for f in found], axis=1)
        if found
        else xp.zeros((count, 0), dtype=xp.int64, device=device)
    )
    rows = rows[: min(size, count), ...]
    if size > rows.shape[0]:
        filler = xp.full((size - rows.shape[0], ndim), fill_value, dtype=xp.int64, device=device)
        rows = xp.concat([rows, filler], axis=0)
    return _make(rows, backend)


def constant_pad_nd(input: Any, pad: Any, value: complex = 0) -> Tensor:  # noqa: A002
    """``input`` widened (or, for negative widths, cut) by ``pad``'s ``(before, after)``
    pairs, the last axis first, the new places holding ``value`` (torch.constant_pad_nd)."""
    pad = [operator.index(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError(f"Length of pad must be even but instead it equals {len(pad)}")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError(
            "Length of pad should be no more than twice the number of dimensions of the "
            f"input. Pad length is {len(pad)} while the input has {input.ndim} dimensions."
        )
    shape = list(input.shape)
    for k in range(len(pad) // 2):
        axis = input.ndim - 1 - k
        new = shape[axis] + pad[2 * k] + pad[2 * k + 1]
        if new < 0:
            raise RuntimeError(
                f"The input size {shape[axis]}, plus negative padding {pad[2 * k]} and "
                f"{pad[2 * k + 1]} resulted in a negative output size, which is invalid. Check "
                f"dimension {axis} of your input."
            )
    xp = input._backend.xp
    device = input._backend.device_of(input._data)
    out = input
    for k in range(len(pad) // 2):
        axis = input.ndim - 1 - k
        before, after = pad[2 * k], pad[2 * k + 1]
        n = out.shape[axis]
        lead = (slice(None),) * axis
        start, stop = max(-before, 0), max(n - max(-after, 0), max(-before, 0))
        if start == stop and n:  # all cut: an empty take (Dask cannot write an empty slice)
            empty = xp.zeros((0,), dtype=xp.int64, device=device)
            out = ops.take(out, _make(empty, input._backend), axis=axis)
        elif (start, stop) != (0, n):
            out = out[lead + (slice(start, stop),)]
        parts = []
        for width in (before, None, after):
            if width is None:
                parts.append(out)
            elif width > 0:
                block = list(out.shape)
                block[axis] = width
                filled = xp.full(tuple(block), value, dtype=input._data.dtype, device=device)
                parts.append(_make(filled, input._backend))
        if len(parts) > 1:
            out = ops.concat(parts, axis=axis)
    return out if out is not input else ops.clone(input)


def sum_to_size(self: Tensor, *size: Any) -> Tensor:
    """``self`` summed down to ``size`` (a shape ``self`` broadcasts from; torch's
    ``x.sum_to_size()``)."""
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    target = tuple(operator.index(n) for n in size)
    shape = tuple(self.shape)
    lead = len(shape) - len(target)
    if lead < 0 or any(n not in (1, m) for n, m in zip(target, shape[lead:])):
        raise RuntimeError(f"size {{{list(target)}}} is not expandable to size {{{list(shape)}}}.")
    axes = tuple(range(lead)) + tuple(
        lead + d for d, (n, m) in enumerate(zip(target, shape[lead:])) if n == 1 and m != 1
    )
    if not axes:
        return self
    return ops.reshape(ops.sum(self, axis=axes), target)


FUNCTIONS_INDEX: dict[str, Callable[..., Any]] = {
    "index_reduce": index_reduce,
    "unique_consecutive": unique_consecutive,
    "combinations": combinations,
    "unravel_index": unravel_index,
    "nonzero_static": nonzero_static,
    "constant_pad_nd": constant_pad_nd,
}
