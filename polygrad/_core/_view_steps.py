"""The steps a view is made of (``y[0]``, ``y.reshape(...)``, ``y.T``, ``y.diagonal()``,
``y.expand(...)``), so polygrad can read a view's data from its base's, write a view's new
values back into the base, and know torch's strides (whether ``reshape`` gives a view).
Each works on raw arrays and, for recorded backward passes, on Tensors.
"""

from __future__ import annotations

import math
from typing import Any

from . import _callbacks
from ._dtypes import is_complex
from ._tensor import Tensor


class Step:
    """One view op: ``get`` the view's data from its parent's, ``put`` a view's new values
    back into (a copy of) the parent's, and ``layout`` torch's sizes and strides."""

    __slots__ = ()
    overlapping = False  # several view elements are one parent element (expand)

    def get(self, xp: Any, parent: Any) -> Any:
        raise NotImplementedError

    def put(self, xp: Any, backend: Any, parent: Any, value: Any) -> Any:
        raise NotImplementedError

    def layout(
        self, shape: tuple[int, ...], strides: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        raise NotImplementedError


def _set(xp: Any, backend: Any, parent: Any, key: Any, value: Any) -> Any:
    """A copy of ``parent`` with ``value`` written at ``key`` (recorded for Tensors)."""
    if isinstance(parent, Tensor):
        out = xp.asarray(parent, copy=True)
        out[key] = value
        return out
    return backend.setitem(backend.copy(parent), key, value)


class Index(Step):
    """A basic key of ints, slices and ``...`` (``y[0]``, ``y[:, 1:]``, ``unbind``'s pieces)."""

    __slots__ = ("key",)

    def __init__(self, key: tuple[Any, ...]) -> None:
        self.key = key

    def get(self, xp: Any, parent: Any) -> Any:
        return parent[self.key]

    def put(self, xp: Any, backend: Any, parent: Any, value: Any) -> Any:
        return _set(xp, backend, parent, self.key, value)

    def layout(
        self, shape: tuple[int, ...], strides: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        key = self.key
        if Ellipsis in key:
            i = key.index(Ellipsis)
            key = key[:i] + (slice(None),) * (len(shape) - len(key) + 1) + key[i + 1 :]
        sizes, steps = [], []
        for axis, k in enumerate(key):
            if isinstance(k, slice):
                start, stop, step = k.indices(shape[axis])
                sizes.append(len(range(start, stop, step)))
                steps.append(strides[axis] * step)
        rest = slice(len(key), None)
        return tuple(sizes) + shape[rest], tuple(steps) + strides[rest]


class Reshape(Step):
    """``reshape``/``view``, ``squeeze``, ``unsqueeze``, ``flatten`` where torch has a view."""

    __slots__ = ("shape",)

    def __init__(self, shape: tuple[int, ...]) -> None:
        self.shape = shape

    def get(self, xp: Any, parent: Any) -> Any:
        return xp.reshape(parent, self.shape)

    def put(self, xp: Any, backend: Any, parent: Any, value: Any) -> Any:
        return xp.reshape(value, tuple(parent.shape))

    def layout(
        self, shape: tuple[int, ...], strides: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        new = view_strides(shape, strides, self.shape)
        assert new is not None  # only viewable reshapes become Reshape steps
        return self.shape, new


class Permute(Step):
    """``permute``, ``transpose``, ``t()``, ``.T``, ``.mT``."""

    __slots__ = ("axes",)

    def __init__(self, axes: tuple[int, ...]) -> None:
        self.axes = axes

    def get(self, xp: Any, parent: Any) -> Any:
        return xp.permute_dims(parent, self.axes)

    def put(self, xp: Any, backend: Any, parent: Any, value: Any) -> Any:
        inverse = [0] * len(self.axes)
        for i, a in enumerate(self.axes):
            inverse[a] = i
        return xp.permute_dims(value, tuple(inverse))

    def layout(
        self, shape: tuple[int, ...], strides: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return tuple(shape[a] for a in self.axes), tuple(strides[a] for a in self.axes)


class Diagonal(Step):
    """``diagonal`` of the last two axes; ``key`` indexes those elements in the parent."""

    __slots__ = ("offset", "key")

    def __init__(self, offset: int, key: tuple[Any, ...]) -> None:
        self.offset, self.key = offset, key

    def get(self, xp: Any, parent: Any) -> Any:
        return xp.linalg.diagonal(parent, offset=self.offset)

    def put(self, xp: Any, backend: Any, parent: Any, value: Any) -> Any:
        return _set(xp, backend, parent, self.key, value)

    def layout(
        self, shape: tuple[int, ...], strides: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        rows, cols = shape[-2:]
        length = max(0, min(rows + min(self.offset, 0), cols - max(self.offset, 0)))
        return shape[:-2] + (length,), strides[:-2] + (strides[-2] + strides[-1],)


class Expand(Step):
    """``expand``/``broadcast_to``: readable, but torch refuses writes when it repeats."""

    __slots__ = ("shape", "overlapping")

    def __init__(self, shape: tuple[int, ...], parent_shape: tuple[int, ...]) -> None:
        self.shape = shape
        self.overlapping = math.prod(shape) != math.prod(parent_shape)

    def get(self, xp: Any, parent: Any) -> Any:
        return xp.broadcast_to(parent, self.shape)

    def put(self, xp: Any, backend: Any, parent: Any, value: Any) -> Any:
        return xp.reshape(value, tuple(parent.shape))  # not overlapping: only new 1-axes

    def layout(
        self, shape: tuple[int, ...], strides: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        lead = len(self.shape) - len(shape)
        new = [0] * lead + [
            s if n == m else 0 for n, m, s in zip(shape, self.shape[lead:], strides)
        ]
        return self.shape, tuple(new)


class Part(Step):
    """``real``/``imag`` of a complex tensor (torch selects from ``view_as_real``): the
    real or imaginary part, its strides counted in real elements."""

    __slots__ = ("imag",)

    def __init__(self, imag: bool) -> None:
        self.imag = imag

    def get(self, xp: Any, parent: Any) -> Any:
        return xp.imag(parent) if self.imag else xp.real(parent)

    def put(self, xp: Any, backend: Any, parent: Any, value: Any) -> Any:
        if isinstance(parent, Tensor):  # a recorded backward: polygrad's own ops
            make = _callbacks.recorded_complex
        else:
            make = backend.complex
        if not is_complex(parent):  # a real gradient buffer stands for a zero imaginary part
            other = parent if self.imag else xp.zeros_like(parent)
        else:
            other = xp.real(parent) if self.imag else xp.imag(parent)
        if value.dtype != other.dtype:
            value = xp.astype(value, other.dtype)
        return make(other, value) if self.imag else make(value, other)

    def layout(
        self, shape: tuple[int, ...], strides: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return shape, tuple(2 * s for s in strides)


class AsStrided(Step):
    """``x.as_strided_(size, stride, offset)`` (and ``resize_``'s tail): the elements of
    1-D shared data at ``offset + sum(i * stride)``, read with ``take``."""

    __slots__ = ("size", "stride", "offset", "backend", "overlapping")

    def __init__(self, size: tuple[int, ...], stride: tuple[int, ...], offset: int, backend: Any):
        self.size, self.stride, self.offset, self.backend = size, stride, offset, backend
        seen = {offset}
        for n, step in zip(size, stride):
            seen = {p + i * step for p in seen for i in range(n)}
        self.overlapping = len(seen) < math.prod(size)

    def _positions(self, xp: Any, like: Any) -> Any:
        device = like.device if isinstance(like, Tensor) else self.backend.device_of(like)
        positions = xp.full(self.size, self.offset, device=device)
        for axis, (n, step) in enumerate(zip(self.size, self.stride)):
            shape = [1] * len(self.size)
            shape[axis] = n
            positions = positions + xp.reshape(xp.arange(n, device=device) * step, tuple(shape))
        return xp.reshape(positions, (-1,))

    def get(self, xp: Any, parent: Any) -> Any:
        taken = xp.take(parent, self._positions(xp, parent), axis=0)
        return xp.reshape(taken, self.size)

    def put(self, xp: Any, backend: Any, parent: Any, value: Any) -> Any:
        return _set(xp, backend, parent, self._positions(xp, parent), xp.reshape(value, (-1,)))

    def layout(
        self, shape: tuple[int, ...], strides: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return self.size, self.stride


class Undo(Step):
    """Back from a tensor's data to the shape ``shape`` it had before ``steps`` (in-place
    view ops such as ``x.t_()``, taken after views of ``x`` were made): how such a view
    reaches ``x``'s new shape (``_views._relative_path``). ``get`` puts the values where
    ``steps`` took them from (zeros elsewhere); ``put`` takes them through ``steps``."""

    __slots__ = ("steps", "shape", "backend")

    def __init__(self, steps: tuple[Step, ...], shape: tuple[int, ...], backend: Any) -> None:
        self.steps, self.shape, self.backend = steps, shape, backend

    def get(self, xp: Any, parent: Any) -> Any:
        device = parent.device if isinstance(parent, Tensor) else self.backend.device_of(parent)
        zeros = xp.zeros(self.shape, dtype=parent.dtype, device=device)
        return put_path(xp, self.backend, zeros, self.steps, parent)

    def put(self, xp: Any, backend: Any, parent: Any, value: Any) -> Any:
        return get_path(xp, value, self.steps)


def view_strides(
    shape: tuple[int, ...], strides: tuple[int, ...], new_shape: tuple[int, ...]
) -> tuple[int, ...] | None:
    """torch's ``computeStride``: the strides of ``new_shape`` as a view of a tensor with
    ``shape`` and ``strides``, or None where ``reshape`` has to copy."""
    numel = math.prod(shape)
    if not shape or numel == 0:
        return contiguous(new_shape) if shape != new_shape else strides
    new = [0] * len(new_shape)
    view_d = len(new_shape) - 1
    chunk_base = strides[-1]
    tensor_numel = view_numel = 1
    for d in range(len(shape) - 1, -1, -1):
        tensor_numel *= shape[d]
        if d == 0 or (shape[d - 1] != 1 and strides[d - 1] != tensor_numel * chunk_base):
            while view_d >= 0 and (view_numel < tensor_numel or new_shape[view_d] == 1):
                new[view_d] = view_numel * chunk_base
                view_numel *= new_shape[view_d]
                view_d -= 1
            if view_numel != tensor_numel:
                return None
            if d > 0:
                chunk_base = strides[d - 1]
                tensor_numel = view_numel = 1
    return tuple(new) if view_d == -1 else None


def is_contiguous(shape: tuple[int, ...], strides: tuple[int, ...]) -> bool:
    """torch's ``is_contiguous``: sizes other than 1 have the row-major strides (an empty
    tensor always is)."""
    if 0 in shape:
        return True
    expected = 1
    for n, s in zip(reversed(shape), reversed(strides)):
        if n != 1:
            if s != expected:
                return False
            expected *= n
    return True


def contiguous(shape: tuple[int, ...]) -> tuple[int, ...]:
    strides, step = [], 1
    for n in reversed(shape):
        strides.append(step)
        step *= max(n, 1)
    return tuple(reversed(strides))


# -- paths: a chain of steps from the shared data --------------------------------------------


def get_path(xp: Any, data: Any, path: tuple[Step, ...]) -> Any:
    for step in path:
        data = step.get(xp, data)
    return data


def put_path(xp: Any, backend: Any, data: Any, path: tuple[Step, ...], value: Any) -> Any:
    """A copy of ``data`` whose part seen through ``path`` holds ``value``."""
    parents = [data]
    for step in path[:-1]:
        parents.append(step.get(xp, parents[-1]))
    for step, parent in zip(reversed(path), reversed(parents)):
        value = step.put(xp, backend, parent, value)
    return value
