"""Reading by index: ``x[key]`` with basic and advanced keys, differentiable.

Basic keys are applied one axis at a time like torch (``SelectBackward0`` for an
int, ``SliceBackward0`` for a slice, ``UnsqueezeBackward0`` for None,
``AliasBackward0`` for ``x[:]``); integer-array and boolean keys give
``IndexBackward0``, whose rule scatter-adds (``scatter_add``) so repeated indices
accumulate. Writing (``x[key] = v``) is in ``index_put``.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._node import Node
from .._core._record import keep_for_backward, mixed_backends_message, needs_grad, record
from .._core._tensor import Tensor
from .._core._view_steps import Index, Reshape
from .._core._views import make_view
from ._index_keys import advanced_plan, check_key, expand_ellipsis, gather, is_bool_array
from .scatter_add import scatter_add
from .shape import expand_dims


def _raw_key(key: Any, backend: Any = None) -> Any:
    """Tensors inside a key become raw arrays (of ``backend``, else a TypeError)."""
    if isinstance(key, tuple):
        return tuple(_raw_key(k, backend) for k in key)
    if isinstance(key, Tensor):
        if backend is not None and key._backend is not backend:
            raise TypeError(mixed_backends_message(backend, key._backend))
        return key._data
    if isinstance(key, slice) and any(
        isinstance(b, Tensor) for b in (key.start, key.stop, key.step)
    ):
        # x[:n] with a 0-d integer tensor n, as torch allows (scikit-learn: ``Vt[:rank]``)
        return slice(
            *(
                b.__index__() if isinstance(b, Tensor) else b
                for b in (key.start, key.stop, key.step)
            )
        )
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


class SelectBackward0(Node):
    __slots__ = ("key", "input_shape")

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (embed(self, xp, g, self.key, self.input_shape),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0][self.key]


class SliceBackward0(SelectBackward0):
    __slots__ = ()


class AliasBackward0(Node):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g,)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0]


class IndexBackward0(Node):
    """``x[key]`` with an advanced key: scatter-add back, so repeated indices accumulate."""

    __slots__ = ("plan", "input_shape", "key")  # key: the user's, for forward-mode rules

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        plan, shape = self.plan, self.input_shape
        if plan.mask is not None:
            return (scatter_add(self, xp, g, (plan.mask,), shape),)
        flat = scatter_add(self, xp, xp.reshape(g, (-1,)), (plan.flat,), (math.prod(shape),))
        return (xp.reshape(flat, shape),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0][self.key]


def _index(cls: type[SelectBackward0], x: Tensor, key: Any) -> Tensor:
    result = make_view(x, record(cls, (x,), x._data[key], x._backend), Index(key))
    return keep_for_backward(result, key=key, input_shape=tuple(x._data.shape))


def _expand_ellipsis(key: tuple[Any, ...], ndim: int) -> tuple[Any, ...]:
    used = sum(1 for k in key if k is not None and k is not Ellipsis)
    used += sum(
        getattr(k, "ndim", 1) - 1
        for k in key
        if _is_advanced(k) and getattr(getattr(k, "dtype", None), "kind", "") == "b"
    )
    if Ellipsis not in key:
        return key + (slice(None),) * (ndim - used)
    i = key.index(Ellipsis)
    return key[:i] + (slice(None),) * (ndim - used) + key[i + 1 :]


_BOUNDS = (int, type(None))


def _plain_key(key: Any, ndim: int) -> tuple[Any, ...] | None:
    """The common key (ints and slices of ints, ``x[0]``, ``x[:, 1:]``) spelled out over
    every axis, without the general path's checks; None for any other key."""
    items = key if type(key) is tuple else (key,)
    if len(items) > ndim:
        return None
    for k in items:
        if type(k) is int:  # not bool: a bool index is a mask
            continue
        if type(k) is not slice or not (
            type(k.start) in _BOUNDS and type(k.stop) in _BOUNDS and type(k.step) in _BOUNDS
        ):
            return None
    return items + (slice(None),) * (ndim - len(items))


def getitem(x: Tensor, key: Any) -> Tensor:
    """``x[key]`` with torch's node for each basic step and one node for advanced keys."""
    # torch records a SliceBackward0 for a lone slice even when it selects everything
    # (``x[:]``); inside a tuple a full slice is skipped (``x[:, :]`` is an alias)
    lone_slice = isinstance(key, slice)
    plain = _plain_key(key, x._data.ndim)
    if plain is not None:
        key = plain
    else:
        key = _raw_key(key, x._backend)
        lone_slice = isinstance(key, slice)
        if not isinstance(key, tuple):
            key = (key,)
        key = tuple(x._backend.xp.asarray(k) if isinstance(k, (list, range)) else k for k in key)
        check_key(key, x.ndim)
        if any(_is_advanced(k) for k in key):
            return _advanced_index(x, key)
        key = _expand_ellipsis(key, x.ndim)
    out, axis, changed = x, 0, False
    for k in key:
        if k is None:
            out = expand_dims(out, axis=axis)
            axis, changed = axis + 1, True
        elif isinstance(k, slice):
            size = out._data.shape[axis]
            if lone_slice or (k != slice(None) and k.indices(size) != (0, size, 1)):
                out = _index(SliceBackward0, out, (slice(None),) * axis + (k, Ellipsis))
                changed = True
            lone_slice = False  # only the user's slice, not the axes spelled out after it
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
        step = Index((Ellipsis,)) if x.ndim else Reshape(())
        return make_view(
            x, record(AliasBackward0, (x,), step.get(x._backend.xp, x._data), x._backend), step
        )
    return out


def _advanced_index(x: Tensor, key: tuple[Any, ...]) -> Tensor:
    """``x[key]`` for integer-array and boolean keys: one IndexBackward0 node."""
    backend = x._backend
    xp = backend.xp
    if any(k is None for k in key):
        x, key = _insert_new_axes(x, key)
    shape = tuple(x._data.shape)
    plan = advanced_plan(xp, key, shape, backend.device_of(x._data))
    data = gather(xp, x._data, plan)
    if needs_grad(x):  # the gradient's graph needs the result's size: compute it if lazy
        data = backend.sized(data)
    result = record(IndexBackward0, (x,), data, backend)
    return keep_for_backward(result, plan=plan, input_shape=shape, key=key)


def _insert_new_axes(x: Tensor, key: tuple[Any, ...]) -> tuple[Tensor, tuple[Any, ...]]:
    """``x[..., None, ...]`` as ``x`` with a size-1 axis there, indexed by a full slice."""
    xp = x._backend.xp
    axis, spelled = 0, []
    for k in expand_ellipsis(xp, key, x.ndim):
        if k is None:
            x = expand_dims(x, axis=axis)
            spelled.append(slice(None))
            axis += 1
        else:
            spelled.append(k)
            axis += k.ndim if is_bool_array(xp, k) else 1
    return x, tuple(spelled)
