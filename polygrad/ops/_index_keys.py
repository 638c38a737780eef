"""Index keys rewritten into the form the array API standard accepts, same meaning.

Users index like NumPy and torch (``x[idx]`` on a matrix, ``x[:, [0, 1]]``,
``x[1:, mask]``); the standard only promises basic keys that name every axis (or
end in an ellipsis), a lone boolean mask, and integer arrays when every axis gets
an integer or an integer array. These helpers turn any NumPy-style key into such a
key, so the core runs on array-api-strict and every other library alike:

- basic keys get a trailing ``...``;
- boolean arrays among other indices become their ``nonzero()`` integer arrays;
- slices beside integer arrays become broadcast ``arange`` arrays placed where
  NumPy puts the result's dimensions (advanced dimensions in place when the array
  indices are adjacent, first otherwise);
- negative indices count from the end; out-of-range ones make the library raise.

Instead of such a key's many broadcast index arrays (which some libraries, Dask
among them, cannot take), the result is one ``take`` from the flattened array at
the key's flat positions; backward scatters into the flattened array at the same
positions. A key with one integer array and otherwise full slices is a ``take``
along that axis.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._dtypes import dtype_name

#: (axis, flat 1-D index, index shape) of a gather that equals ``x[key]``
Take = tuple[int, Any, tuple[int, ...]]


def check_key(key: tuple[Any, ...], ndim: int) -> None:
    """torch's errors for a key that cannot index a tensor of ``ndim`` dimensions: too many
    indices first (every entry but None and ``...`` takes a dimension, a boolean mask as
    many as it has), then entries of the wrong type (floats, strings, float arrays)."""
    used = 0
    for k in key:
        if k is None or k is Ellipsis:
            continue
        if isinstance(k, (int, slice)):
            used += 1
            continue
        dtype = getattr(k, "dtype", None)
        used += k.ndim if dtype is not None and dtype_name(dtype) == "bool" else 1
    if used > ndim:
        if ndim == 0:
            raise IndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python "
                "or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a "
                "number"
            )
        raise IndexError(f"too many indices for tensor of dimension {ndim}")
    for k in key:
        if k is None or k is Ellipsis or isinstance(k, (int, slice)):
            continue
        dtype = getattr(k, "dtype", None)
        if dtype is None or not hasattr(k, "shape"):
            if isinstance(k, (str, bytes)):
                raise TypeError(f"new(): invalid data type '{type(k).__name__}'")
            module = type(k).__module__
            kind = (
                type(k).__qualname__ if module == "builtins" else f"{module}.{type(k).__qualname__}"
            )
            raise IndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or "
                f"byte Variables are valid indices (got {kind})"
            )
        name = dtype_name(dtype)
        if name is None or not (name == "bool" or name.startswith(("int", "uint"))):
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")


def is_advanced(k: Any) -> bool:
    return not (k is None or k is Ellipsis or isinstance(k, (int, slice)))


def is_bool_array(xp: Any, k: Any) -> bool:
    return is_advanced(k) and k.dtype == xp.bool


def basic_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """A basic key that names every axis (the standard wants all of them, or ``...``)."""
    return key if any(k is Ellipsis for k in key) else key + (Ellipsis,)


def expand_ellipsis(xp: Any, key: tuple[Any, ...], ndim: int) -> tuple[Any, ...]:
    """``key`` with ``...`` (or the missing trailing axes) spelled out as full slices."""
    used = 0
    for k in key:
        if k is None or k is Ellipsis:
            continue
        used += k.ndim if is_bool_array(xp, k) else 1
    fill = (slice(None),) * (ndim - used)
    for i, k in enumerate(key):
        if k is Ellipsis:
            return key[:i] + fill + key[i + 1 :]
    return key + fill


class Plan:
    """How to compute ``x[key]`` for an advanced key, within the standard.

    ``mask``: a lone boolean mask, used as is. Otherwise ``shape`` is the result's
    shape and ``flat`` (computed on first use: only backward and the general
    gather need it) holds, for each result element in C order, its position in
    ``x`` flattened; ``take`` is a single gather along one axis that gives the same
    result, where the key allows one.
    """

    __slots__ = ("mask", "shape", "take", "_pieces", "_flat", "_xp", "_full_shape")

    def __init__(
        self,
        mask: Any = None,
        shape: tuple[int, ...] = (),
        take: Take | None = None,
        pieces: list[tuple[Any, int, int]] | None = None,
        xp: Any = None,
        full_shape: tuple[int, ...] | None = None,
    ) -> None:
        self.mask, self.shape, self.take = mask, shape, take
        self._pieces, self._flat, self._xp = pieces, None, xp
        self._full_shape = shape if full_shape is None else full_shape

    @property
    def flat(self) -> Any:
        if self._flat is None:
            xp = self._xp
            total = out_of_range = None
            numel = 1
            for piece, stride, size in self._pieces or ():
                numel *= size
                term = piece * stride if stride != 1 else piece
                total = term if total is None else total + term
                bad = (piece < 0) | (piece >= size)
                out_of_range = bad if out_of_range is None else out_of_range | bad
            # an index out of range points past the end, so the library's take or
            # scatter raises (lazily, without reading the indices here)
            total = xp.where(out_of_range, xp.full_like(total, numel), total)
            self._flat = xp.reshape(xp.broadcast_to(total, self._full_shape), (-1,))
            self._pieces = None
        return self._flat


def _selects_nothing(mask_shape: tuple[Any, ...], shape: tuple[Any, ...]) -> bool:
    """A mask with a size-0 axis where the array's is longer, its other axes matching:
    it selects nothing (NumPy and the suite); any other mismatch stays an IndexError."""
    pairs = list(zip(mask_shape, shape))
    return any(m == 0 != n for m, n in pairs) and all(m in (n, 0) for m, n in pairs)


def advanced_plan(xp: Any, key: tuple[Any, ...], shape: tuple[int, ...], device: Any) -> Plan:
    """The plan for NumPy's advanced ``key`` (no None in it) on an array of ``shape``."""
    key = expand_ellipsis(xp, key, len(shape))
    bools = [i for i, k in enumerate(key) if is_bool_array(xp, k)]
    if (
        bools == [0]
        and all(isinstance(k, slice) and k == slice(None) for k in key[1:])
        and not _selects_nothing(tuple(key[0].shape), shape)
    ):
        return Plan(mask=key[0])  # a lone mask: the standard's own boolean indexing
    # otherwise a mask is its nonzero positions: also a mask with a size-0 axis against a
    # longer one, which selects nothing (NumPy and the standard; torch's own mask raises)
    parts: list[Any] = []
    for k in key:
        if is_bool_array(xp, k):
            parts.extend(xp.nonzero(k))
        else:
            parts.append(k)
    # torch applies a Python int as a plain select, even beside index arrays (NumPy would
    # move the advanced dimensions first in x[1, :, [0, 2]]): an int is a length-1
    # slice whose dimension is dropped from the result
    selected = [i for i, k in enumerate(parts) if isinstance(k, int)]
    for i in selected:
        k = parts[i]
        if not -shape[i] <= k < shape[i]:
            raise IndexError(f"index {k} is out of bounds for dimension {i} with size {shape[i]}")
        k %= shape[i]
        parts[i] = slice(k, k + 1)
    arrays = [i for i, k in enumerate(parts) if not isinstance(k, slice)]
    for i in arrays:
        parts[i] = _non_negative(xp, parts[i], shape[i], device)
    take = None
    slices = [i for i, k in enumerate(parts) if isinstance(k, slice)]
    if len(arrays) == 1 and all(parts[i] == slice(None) for i in slices):
        axis = arrays[0]
        take = (axis, xp.reshape(parts[axis], (-1,)), tuple(parts[axis].shape))
    pieces, positions = _broadcast_pieces(xp, parts, arrays, slices, shape, device, set(selected))
    full_shape = tuple(
        next((n for n in dims if n != 1), 1) for dims in zip(*(p.shape for p in pieces))
    )
    dropped = {positions[i] for i in selected}
    result_shape = tuple(n for j, n in enumerate(full_shape) if j not in dropped)
    strides = [math.prod(shape[i + 1 :]) for i in range(len(shape))]
    return Plan(
        shape=result_shape,
        take=take,
        pieces=list(zip(pieces, strides, shape)),
        xp=xp,
        full_shape=full_shape,
    )


def gather(xp: Any, data: Any, plan: Plan) -> Any:
    """``data[key]`` by the plan: the mask, a take along one axis, or a flat take."""
    if plan.mask is not None:
        return data[plan.mask]
    if plan.take is not None:
        axis, index, index_shape = plan.take
        out = xp.take(data, index, axis=axis)
        return out if len(index_shape) == 1 else xp.reshape(out, plan.shape)
    return xp.reshape(xp.take(xp.reshape(data, (-1,)), plan.flat, axis=0), plan.shape)


def _non_negative(xp: Any, index: Any, size: int, device: Any) -> Any:
    """An integer index as an array with negative entries counted from the end."""
    index = xp.asarray(index, device=device) if isinstance(index, int) else index
    return xp.where(index < 0, index + size, index)


def _broadcast_pieces(
    xp: Any,
    parts: list[Any],
    arrays: list[int],
    slices: list[int],
    shape: tuple[int, ...],
    device: Any,
    selected: set[int],
) -> tuple[list[Any], dict[int, int]]:
    """Per axis, its indices as an array that broadcasts to NumPy's result shape: every
    slice becomes an ``arange`` along its result dimension, the index arrays share the
    advanced dimensions (in place when adjacent, first otherwise; the ``selected``
    axes, ints that torch applies first, do not separate them). Also returns each
    slice's result dimension."""
    adv = [parts[i] for i in arrays]
    adv = list(xp.broadcast_arrays(*adv)) if len(adv) > 1 else adv
    batch = tuple(adv[0].shape)
    adjacent = all(i in selected or i in arrays for i in range(arrays[0], arrays[-1] + 1))
    before = sum(1 for i in slices if i < arrays[0]) if adjacent else 0
    rank = len(batch) + len(slices)
    out: list[Any] = [None] * len(parts)
    positions = {}
    for i, a in zip(arrays, adv):
        out[i] = xp.reshape(a, (1,) * before + batch + (1,) * (rank - before - len(batch)))
    for n, i in enumerate(slices):
        position = n if n < before else len(batch) + n
        start, stop, step = parts[i].indices(shape[i])
        values = xp.arange(start, stop, step, device=device)
        dims = [1] * rank
        dims[position] = values.shape[0]
        out[i] = xp.reshape(values, tuple(dims))
        positions[i] = position
    return out, positions
