"""NumPy's joins, splits and constructions on polygrad tensors: ``np.hstack``,
``np.vstack``, ``np.split``, ``np.append``, ``np.pad``, ``np.atleast_2d``, ``np.zeros_like``...

Each handler composes polygrad's differentiable ops, so ``__array_function__`` records
a graph for it. A handler returns ``None`` for arguments it does not cover
(``np.pad(..., mode="reflect")``, ``np.zeros_like(..., shape=...)``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import ops
from ._numpy_operands import _tensor, _tensors


def _atleast(ndim: int) -> Any:
    def one(a: Any) -> Any:
        a = _tensor(a)
        if a.ndim >= ndim:
            return a
        if ndim == 1 or a.ndim == 0:
            return ops.reshape(a, (1,) * ndim)
        if ndim == 2:  # 1-d
            return ops.reshape(a, (1, -1))
        return ops.reshape(a, (1, -1, 1) if a.ndim == 1 else (*a.shape, 1))

    def run(*arys: Any) -> Any:
        result = tuple(one(a) for a in arys)
        return result[0] if len(result) == 1 else result

    return run


def _hstack(tup: Any, *, dtype: Any = None, casting: str = "same_kind") -> Any:
    arrays = [_atleast(1)(a) for a in _tensors(list(tup))]
    result = ops.concat(arrays, axis=0 if arrays[0].ndim == 1 else 1)
    return result if dtype is None else ops.astype(result, dtype)


def _vstack(tup: Any, *, dtype: Any = None, casting: str = "same_kind") -> Any:
    result = ops.concat([_atleast(2)(a) for a in _tensors(list(tup))], axis=0)
    return result if dtype is None else ops.astype(result, dtype)


def _dstack(tup: Any) -> Any:
    return ops.concat([_atleast(3)(a) for a in _tensors(list(tup))], axis=2)


def _column_stack(tup: Any) -> Any:
    columns = [ops.reshape(a, (-1, 1)) if a.ndim < 2 else a for a in _tensors(list(tup))]
    return ops.concat(columns, axis=1)


def _split(sections_must_divide: bool) -> Any:
    def run(ary: Any, indices_or_sections: Any, axis: int = 0) -> Any:
        a = _tensor(ary)
        n = a.shape[axis]
        if isinstance(indices_or_sections, int):
            k = indices_or_sections
            if sections_must_divide and n % k:
                raise ValueError("array split does not result in an equal division")
            q, r = divmod(n, k)
            sizes = [q + 1] * r + [q] * (k - r)
            bounds = [sum(sizes[:i]) for i in range(k + 1)]
        else:
            bounds = [0, *[min(int(i), n) for i in indices_or_sections], n]
        lead = (slice(None),) * (axis % a.ndim)
        return [a[lead + (slice(lo, max(lo, hi)),)] for lo, hi in zip(bounds[:-1], bounds[1:])]

    return run


def _append(arr: Any, values: Any, axis: Any = None) -> Any:
    a, v = _tensors([arr, values])
    if axis is None:
        return ops.concat([ops.reshape(a, (-1,)), ops.reshape(v, (-1,))], axis=0)
    return ops.concat([a, v], axis=axis)


def _pad(array: Any, pad_width: Any, mode: str = "constant", **kw: Any) -> Any:
    """``np.pad`` in ``"constant"`` mode: concatenations with constant blocks."""
    value = kw.pop("constant_values", 0)
    if mode != "constant" or kw or not isinstance(value, (int, float)):
        return None
    x = _tensor(array)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.ndim, 2))
    xp = x.__array_namespace__()
    for axis, (before, after) in enumerate(widths.tolist()):
        parts = []
        for width in (before, None, after):
            if width is None:
                parts.append(x)
            elif width:
                shape = list(x.shape)
                shape[axis] = width
                parts.append(xp.full(tuple(shape), value, dtype=x.dtype))
        if len(parts) > 1:
            x = ops.concat(parts, axis=axis)
    return x


def _full_like(
    a: Any,
    fill_value: Any,
    dtype: Any = None,
    order: str = "K",
    subok: bool = True,
    shape: Any = None,
    **kw: Any,
) -> Any:
    if shape is not None:
        return None
    a = _tensor(a)
    return a.__array_namespace__().full_like(a, fill_value, dtype=dtype)


def _like(fn: str) -> Any:
    def run(
        a: Any,
        dtype: Any = None,
        order: str = "K",
        subok: bool = True,
        shape: Any = None,
        **kw: Any,
    ) -> Any:
        if shape is not None:
            return None
        a = _tensor(a)
        return getattr(a.__array_namespace__(), fn)(a, dtype=dtype)

    return run
