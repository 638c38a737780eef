"""Searching: ``argmax``, ``argmin``, ``count_nonzero``, ``nonzero``, ``searchsorted``
(``where`` lives with the elementwise functions), and the truth tests ``all``/``any``.

Their results are integer or boolean positions and counts, so they never take part
in the graph: they are plain tensors with ``requires_grad=False``, as in torch.
"""

from __future__ import annotations

from typing import Any

from .._core._record import operand
from .._core._tensor import Tensor, _make
from .reduction import _backend_axis, _normalize_axes, check_nonempty


def _plain(x: Tensor, data: Any) -> Tensor:
    return _make(data, x._backend)


def _check_axis(axis: Any, ndim: int) -> None:
    """torch's IndexError for an axis out of range, before the backend words its own."""
    if axis is not None:
        _normalize_axes(axis, ndim)


def _reduced_axis(axis: Any, ndim: int) -> Any:
    """``axis`` checked the torch way, as the backend takes it (None for every axis,
    which is also how a 0-d array's ``0``/``-1`` reaches it)."""
    return None if axis is None else _backend_axis(_normalize_axes(axis, ndim), ndim)


def _check_arg(name: str, x: Tensor, axis: Any) -> None:
    """argmax/argmin: a valid axis, and not an empty one (torch's errors)."""
    _check_axis(axis, x.ndim)
    check_nonempty(name, x, axis, IndexError)


def argmax(x: Any, /, *, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the first largest element (over the flattened array when ``axis`` is None)."""
    x = operand(x)
    _check_arg("argmax", x, axis)
    return _plain(x, x._backend.xp.argmax(x._data, axis=axis, keepdims=keepdims))


def argmin(x: Any, /, *, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """Index of the first smallest element (over the flattened array when ``axis`` is None)."""
    x = operand(x)
    _check_arg("argmin", x, axis)
    return _plain(x, x._backend.xp.argmin(x._data, axis=axis, keepdims=keepdims))


def count_nonzero(
    x: Any, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False
) -> Tensor:
    """Number of nonzero elements over ``axis`` (every axis when None)."""
    x = operand(x)
    axis = _reduced_axis(axis, x.ndim)
    return _plain(x, x._backend.xp.count_nonzero(x._data, axis=axis, keepdims=keepdims))


def nonzero(x: Any, /) -> tuple[Tensor, ...]:
    """Indices of the nonzero elements, one integer array per axis."""
    x = operand(x)
    if x.ndim == 0:
        raise ValueError("nonzero is not defined for zero-dimensional arrays")
    return tuple(_plain(x, i) for i in x._backend.xp.nonzero(x._data))


def searchsorted(x1: Any, x2: Any, /, *, side: str = "left", sorter: Any = None) -> Tensor:
    """Positions at which ``x2`` would be inserted into the sorted 1-d ``x1``."""
    like = x1 if isinstance(x1, Tensor) else x2 if isinstance(x2, Tensor) else None
    x1 = operand(x1, like)
    xp = x1._backend.xp
    if side not in ("left", "right"):
        raise ValueError(f"side must be 'left' or 'right', got {side!r}")
    values = x2 if isinstance(x2, (int, float)) else operand(x2, x1)._data
    if isinstance(values, (int, float)):
        values = xp.asarray(values, dtype=x1._data.dtype, device=x1._backend.device_of(x1._data))
    order = None if sorter is None else operand(sorter, x1)._data
    return _plain(x1, xp.searchsorted(x1._data, values, side=side, sorter=order))


def all(x: Any, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
    """Whether every element over ``axis`` is true (nonzero)."""
    x = operand(x)
    axis = _reduced_axis(axis, x.ndim)
    return _plain(x, x._backend.xp.all(x._data, axis=axis, keepdims=keepdims))


def any(x: Any, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
    """Whether some element over ``axis`` is true (nonzero)."""
    x = operand(x)
    axis = _reduced_axis(axis, x.ndim)
    return _plain(x, x._backend.xp.any(x._data, axis=axis, keepdims=keepdims))
