"""Indexing: ``x[key]`` with basic and advanced keys, and ``x[key] = v``, differentiable.

Basic keys are applied one axis at a time like torch (``SelectBackward0`` for an
int, ``SliceBackward0`` for a slice, ``UnsqueezeBackward0`` for None,
``AliasBackward0`` for ``x[:]``); integer-array and boolean keys give
``IndexBackward0``, whose rule scatter-adds so repeated indices accumulate.
"""

from __future__ import annotations

from typing import Any

from .._node import Node
from .._record import mixed_backends_message, operand, record
from .._tensor import Tensor


def _raw_key(key: Any, backend: Any = None) -> Any:
    """Tensors inside a key become raw arrays (of ``backend``, else a TypeError)."""
    if isinstance(key, tuple):
        return tuple(_raw_key(k, backend) for k in key)
    if isinstance(key, Tensor):
        if backend is not None and key._backend is not backend:
            raise TypeError(mixed_backends_message(backend, key._backend))
        return key._data
    return key


def _is_advanced(k: Any) -> bool:
    return not (k is None or k is Ellipsis or isinstance(k, (int, slice)))


def _device(backend: Any, g: Any) -> Any:
    return g.device if isinstance(g, Tensor) else backend.device_of(g)


def embed(node: Node, xp: Any, g: Any, key: Any, shape: tuple[int, ...]) -> Any:
    """Zeros of ``shape`` with ``g`` written at ``key`` (differentiable in graph mode)."""
    zeros = xp.zeros(shape, dtype=g.dtype, device=_device(node._backend, g))
    if isinstance(zeros, Tensor):
        zeros[key] = g
        return zeros
    return node._backend.setitem(zeros, key, g)


def scatter_add(node: Node, xp: Any, g: Any, key: Any, shape: tuple[int, ...]) -> Any:
    """Zeros of ``shape`` with ``g`` added at ``key``; repeated indices accumulate."""
    if isinstance(g, Tensor):
        return index_add(shape, key, g)
    return node._backend.scatter_add(shape, g.dtype, key, g, _device(node._backend, g))


class SelectBackward0(Node):
    __slots__ = ("key", "input_shape")

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (embed(self, xp, g, self.key, self.input_shape),)


class SliceBackward0(SelectBackward0):
    __slots__ = ()


class AliasBackward0(Node):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g,)


class IndexBackward0(SelectBackward0):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (scatter_add(self, xp, g, self.key, self.input_shape),)


def _index(cls: type[SelectBackward0], x: Tensor, key: Any) -> Tensor:
    result = record(cls, (x,), x._data[key], x._backend)
    if result._grad_fn is not None:
        result._grad_fn.key = key
        result._grad_fn.input_shape = tuple(x._data.shape)
    return result


def _expand_ellipsis(key: tuple[Any, ...], ndim: int) -> tuple[Any, ...]:
    used = sum(1 for k in key if k is not None and k is not Ellipsis)
    used += sum(getattr(k, "ndim", 1) - 1 for k in key
                if _is_advanced(k) and getattr(getattr(k, "dtype", None), "kind", "") == "b")
    if Ellipsis not in key:
        return key + (slice(None),) * (ndim - used)
    i = key.index(Ellipsis)
    return key[:i] + (slice(None),) * (ndim - used) + key[i + 1:]


def getitem(x: Tensor, key: Any) -> Tensor:
    """``x[key]`` with torch's node for each basic step and one node for advanced keys."""
    key = _raw_key(key, x._backend)
    # torch records a SliceBackward0 for a lone slice even when it selects everything
    # (``x[:]``); inside a tuple a full slice is skipped (``x[:, :]`` is an alias)
    lone_slice = isinstance(key, slice)
    if not isinstance(key, tuple):
        key = (key,)
    key = tuple(x._backend.xp.asarray(k) if isinstance(k, list) else k for k in key)
    if any(_is_advanced(k) for k in key):
        return _index(IndexBackward0, x, key if len(key) > 1 else key[0])
    key = _expand_ellipsis(key, x.ndim)
    out, axis, changed = x, 0, False
    from .shape import expand_dims

    for k in key:
        if k is None:
            out = expand_dims(out, axis=axis)
            axis, changed = axis + 1, True
        elif isinstance(k, slice):
            size = out._data.shape[axis]
            if lone_slice or (k != slice(None) and k.indices(size) != (0, size, 1)):
                out = _index(SliceBackward0, out, (slice(None),) * axis + (k, Ellipsis))
                changed = True
            axis += 1
        else:
            size = out._data.shape[axis]
            if not -size <= k < size:
                raise IndexError(
                    f"index {k} is out of bounds for dimension {axis} with size {size}"
                )
            out = _index(SelectBackward0, out, (slice(None),) * axis + (k, Ellipsis))
            changed = True
    if not changed:
        return record(AliasBackward0, (x,), x._data[...] if x.ndim else x._data, x._backend)
    return out


class IndexPutBackward0(Node):
    """Gradient of scattering ``values`` into zeros at ``key`` (accumulating)."""

    __slots__ = ("key",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g[self.key],)


def index_add(shape: tuple[int, ...], key: Any, values: Tensor) -> Tensor:
    """Zeros of ``shape`` with ``values`` added at ``key`` (repeated indices add up)."""
    backend = values._backend
    data = backend.scatter_add(shape, values._data.dtype, key, values._data,
                               backend.device_of(values._data))
    result = record(IndexPutBackward0, (values,), data, backend)
    if result._grad_fn is not None:
        result._grad_fn.key = key
    return result


class CopySlices(Node):
    """``x[key] = value`` on a tensor in the graph: the overwritten part gets no gradient."""

    __slots__ = ("key", "value_shape")

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        gx = None
        if self.next_functions[0][0] is not None:
            zeros = xp.zeros_like(g[self.key])
            gx = xp.asarray(g, copy=True) if isinstance(g, Tensor) else self._backend.copy(g)
            if isinstance(gx, Tensor):
                gx[self.key] = zeros
            else:
                gx = self._backend.setitem(gx, self.key, zeros)
        gv = None
        if self.next_functions[1][0] is not None:
            from .._engine import _sum_to

            gv = _sum_to(xp, g[self.key], self.value_shape)
        return (gx, gv)


class IndexPutBackward0Set(CopySlices):
    __slots__ = ()

    def name(self) -> str:
        return "IndexPutBackward0"


IndexPutBackward0Set.__name__ = "IndexPutBackward0"
IndexPutBackward0Set.__qualname__ = "IndexPutBackward0"


def setitem(x: Tensor, key: Any, value: Any) -> None:
    """``x[key] = value`` in place: recorded so gradients stay right on every backend."""
    from .._inplace import check_inplace, commit_inplace

    check_inplace(x)
    key = _raw_key(key, x._backend)
    v: Tensor | None
    if isinstance(value, Tensor):
        v = value
        if v._backend is not x._backend:
            raise TypeError(mixed_backends_message(x._backend, v._backend))
    else:
        v = operand(value, x) if not isinstance(value, (int, float, bool, complex)) else None
    backend = x._backend
    raw_value = v._data if v is not None else value
    if v is not None and v._data.dtype != x._data.dtype:
        raw_value = backend.xp.astype(raw_value, x._data.dtype)
    new = backend.setitem(backend.copy(x._data), key, raw_value)
    advanced = any(_is_advanced(k) for k in (key if isinstance(key, tuple) else (key,)))
    cls = IndexPutBackward0Set if advanced else CopySlices
    result = record(cls, (x, v), new, backend)
    if result._grad_fn is not None:
        result._grad_fn.key = key
        result._grad_fn.value_shape = tuple(v._data.shape) if v is not None else ()
    commit_inplace(x, result)


