"""NumPy's statistics on polygrad tensors: ``np.cov``, ``np.corrcoef``, ``np.average``,
``np.median``, ``np.nansum``, ``np.nanmean``, ``np.ptp``.

Each handler composes polygrad's differentiable ops, so ``__array_function__`` records
a graph for it. A handler returns ``None`` for arguments it does not cover
(``np.cov(..., fweights=...)``).
"""

from __future__ import annotations

import math
import operator
from typing import Any

from ... import linalg, ops
from ._numpy_operands import _float, _tensor


def _cov(
    m: Any,
    y: Any = None,
    rowvar: bool = True,
    bias: bool = False,
    ddof: Any = None,
    fweights: Any = None,
    aweights: Any = None,
    dtype: Any = None,
) -> Any:
    """``np.cov`` without weights: ``(X - mean) @ (X - mean).T.conj() / (N - ddof)``."""
    if fweights is not None or aweights is not None:
        return None
    X = _tensor(m)
    if X.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    X = _float(X if X.ndim == 2 else ops.reshape(X, (1, -1)))
    if not rowvar and X.shape[0] != 1:
        X = ops.matrix_transpose(X)
    if y is not None:
        Y = _tensor(y, X)
        if Y.ndim > 2:
            raise ValueError("y has more than 2 dimensions")
        Y = _float(Y if Y.ndim == 2 else ops.reshape(Y, (1, -1)))
        if not rowvar and Y.shape[0] != 1:
            Y = ops.matrix_transpose(Y)
        X = ops.concat([X, Y], axis=0)
    if dtype is not None:
        X = ops.astype(X, dtype)
    if ddof is None:
        ddof = 0 if bias else 1
    centred = X - ops.mean(X, axis=1, keepdims=True)
    c = ops.matmul(centred, ops.conj(ops.matrix_transpose(centred))) / (X.shape[1] - ddof)
    return ops.squeeze(c, axis=tuple(i for i, n in enumerate(c.shape) if n == 1))


def _corrcoef(x: Any, y: Any = None, rowvar: bool = True, *args: Any, **kw: Any) -> Any:
    dtype = kw.pop("dtype", None)
    if args or kw:  # bias and ddof are deprecated no-ops in NumPy
        return None
    c = _cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    std = ops.sqrt(ops.real(linalg.diagonal(c)))
    c = c / ops.reshape(std, (-1, 1)) / ops.reshape(std, (1, -1))
    return ops.clip(c, -1.0, 1.0) if not c.dtype.name.startswith("complex") else c


def _average(
    a: Any, axis: Any = None, weights: Any = None, returned: bool = False, keepdims: bool = False
) -> Any:
    a = _float(_tensor(a))
    if weights is None:
        avg = ops.mean(a, axis=axis, keepdims=keepdims)
        total = avg * 0 + (
            a.size
            if axis is None
            else math.prod(a.shape[i] for i in ((axis,) if isinstance(axis, int) else axis))
        )
        return (avg, total) if returned else avg
    w = _tensor(weights, a)
    if w.shape != a.shape:
        if axis is None or not isinstance(axis, int) or w.ndim != 1:
            return None
        shape = [1] * a.ndim
        shape[axis] = -1
        w = ops.reshape(w, tuple(shape))
    total = ops.sum(ops.broadcast_to(w, a.shape), axis=axis, keepdims=keepdims)
    avg = ops.sum(a * w, axis=axis, keepdims=keepdims) / total
    return (avg, total) if returned else avg


def _median(
    a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False, keepdims: bool = False
) -> Any:
    """The middle of the sorted values (the mean of the two middle ones for even counts)."""
    a = _float(_tensor(a))
    if axis is not None and not isinstance(axis, int):
        return None
    x = ops.reshape(a, (-1,)) if axis is None else a
    ax = 0 if axis is None else operator.index(axis) % a.ndim
    s = ops.sort(x, axis=ax)
    n = s.shape[ax]
    index: list[Any] = [slice(None)] * s.ndim
    index[ax] = slice((n - 1) // 2, n // 2 + 1)
    med = ops.mean(s[tuple(index)], axis=ax, keepdims=True)
    if not keepdims:
        return ops.squeeze(med, axis=ax)
    return ops.reshape(med, (1,) * a.ndim) if axis is None else med


def _nan_to_zero(a: Any) -> Any:
    return ops.where(ops.isnan(a), 0.0, a)


def _nansum(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    if kw.get("where", True) is not True or kw.get("initial") is not None:
        return None
    return ops.sum(_nan_to_zero(_tensor(a)), axis=axis, dtype=dtype, keepdims=keepdims)


def _nanmean(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    if kw.get("where", True) is not True:
        return None
    a = _float(_tensor(a))
    total = ops.sum(_nan_to_zero(a), axis=axis, keepdims=keepdims)
    count = ops.sum(
        ops.astype(ops.logical_not(ops.isnan(a)), a.dtype), axis=axis, keepdims=keepdims
    )
    result = total / count
    return result if dtype is None else ops.astype(result, dtype)


def _ptp(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    a = _tensor(a)
    return ops.max(a, axis=axis, keepdims=keepdims) - ops.min(a, axis=axis, keepdims=keepdims)
