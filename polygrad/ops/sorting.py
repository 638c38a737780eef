"""Sorting and sets: ``sort`` (differentiable), ``argsort``, the ``unique_*`` family and ``isin``.

``sort``'s gradient is scattered back through the sorting permutation, like
torch's ``SortBackward1`` (the node of ``torch.sort`` called with ``stable=``, as
the standard's signature always does). Indices, counts, set results and
membership tests are plain tensors that never require grad.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from .._core._record import operand
from .._core._tensor import Tensor, _make
from .shape import _normalize_axis
from .take import GatherBackward0, _record_gather, axis_positions


class SortBackward1(GatherBackward0):
    __slots__ = ()


def _order(x: Tensor, axis: int, descending: bool, stable: bool) -> Any:
    return x._backend.xp.argsort(x._data, axis=axis, descending=descending, stable=stable)


def sort(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Tensor:
    """``x`` sorted along ``axis``; the gradient follows each element to its old place."""
    x = operand(x)
    cls = SortBackward1
    backend = x._backend
    if x.ndim == 0:
        return _record_gather(cls, x, backend.copy(x._data), None)
    a = _normalize_axis(axis, x.ndim)
    xp = backend.xp
    order = _order(x, a, descending, stable)
    data = xp.take_along_axis(x._data, order, axis=a)
    device = backend.device_of(x._data)
    key = tuple(
        order if d == a else axis_positions(xp, x._data.shape[d], d, x.ndim, device)
        for d in range(x.ndim)
    )
    return _record_gather(cls, x, data, key)


def argsort(x: Any, /, *, axis: int = -1, descending: bool = False, stable: bool = True) -> Tensor:
    """The indices that sort ``x`` along ``axis`` (never requires grad)."""
    x = operand(x)
    if x.ndim == 0:
        return _make(
            x._backend.xp.zeros(
                (), dtype=x._backend.xp.int64, device=x._backend.device_of(x._data)
            ),
            x._backend,
        )
    return _make(_order(x, _normalize_axis(axis, x.ndim), descending, stable), x._backend)


class UniqueAllResult(NamedTuple):
    values: Tensor
    indices: Tensor
    inverse_indices: Tensor
    counts: Tensor


class UniqueCountsResult(NamedTuple):
    values: Tensor
    counts: Tensor


class UniqueInverseResult(NamedTuple):
    values: Tensor
    inverse_indices: Tensor


def _unique(fn: str, x: Any) -> tuple[Tensor, ...]:
    x = operand(x)
    out = getattr(x._backend.xp, fn)(x._data)
    return tuple(_make(part, x._backend) for part in out)


def unique_all(x: Any, /) -> UniqueAllResult:
    """Unique values, first indices, inverse indices and counts (none require grad)."""
    return UniqueAllResult(*_unique("unique_all", x))


def unique_counts(x: Any, /) -> UniqueCountsResult:
    """Unique values and how often each occurs (neither requires grad)."""
    return UniqueCountsResult(*_unique("unique_counts", x))


def unique_inverse(x: Any, /) -> UniqueInverseResult:
    """Unique values and, for each element, the index of its value (neither requires grad)."""
    return UniqueInverseResult(*_unique("unique_inverse", x))


def unique_values(x: Any, /) -> Tensor:
    """The unique values of ``x``, sorted (does not require grad)."""
    x = operand(x)
    return _make(x._backend.xp.unique_values(x._data), x._backend)


def isin(x1: Any, x2: Any, /, *, invert: bool = False) -> Tensor:
    """Whether each element of ``x1`` occurs in ``x2`` (a boolean tensor)."""
    like = x1 if isinstance(x1, Tensor) else x2 if isinstance(x2, Tensor) else None
    a = operand(x1, like)
    xp = a._backend.xp
    b = x2 if isinstance(x2, (int, float, complex)) else operand(x2, a)._data
    if isinstance(b, (int, float, complex)):
        b = xp.asarray(b, device=a._backend.device_of(a._data))
    backend = a._backend
    integers = ("signed integer", "unsigned integer")
    if (
        backend.pg_dtype(a._data.dtype).kind in integers
        and backend.pg_dtype(b.dtype).kind in integers
    ):
        found = xp.isin(a._data, b)
    else:  # the standard's isin need only take integers
        found = _isin_by_search(xp, a._data, b, backend.device_of(a._data))
    # negated here: array-api-strict 2.6 ignores ``invert``
    return _make(xp.logical_not(found) if invert else found, a._backend)


def _isin_by_search(xp: Any, a: Any, b: Any, device: Any) -> Any:
    """Whether each element of ``a`` is in ``b``, by a binary search of ``b`` sorted (NaN
    equals nothing, as in torch)."""
    common = xp.result_type(a, b)
    values = xp.reshape(xp.astype(a, common), (-1,))
    pool = xp.sort(xp.reshape(xp.astype(b, common), (-1,)))
    if pool.shape[0] == 0:
        return xp.zeros(a.shape, dtype=xp.bool, device=device)
    # NaN (sorted last) searched as inf: libraries' binary searches disagree about NaN
    keys = xp.where(xp.isnan(pool), xp.full_like(pool, math.inf), pool)
    at = xp.clip(xp.searchsorted(keys, values), max=pool.shape[0] - 1)
    return xp.reshape(xp.take(pool, at) == values, a.shape)
