"""Shape manipulation: reshape/view, transposes, squeeze/unsqueeze, broadcast_to/expand,
concat/stack, each with the rule that moves the gradient back and torch's node name.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

from .._core._backward_step import _sum_to
from .._core._node import Node
from .._core._record import keep_for_backward, operand, record
from .._core._tensor import Tensor
from .._core._torch_type_names import legacy_type_name
from .._core._view_steps import Expand, Permute, Reshape, Step, view_strides
from .._core._views import layout_of, make_view
from .conversion import clone


def _shape_arg(shape: Any) -> tuple[int, ...]:
    """Shapes arrive as tuples, lists (einops) or torch-style varargs; normalise them."""
    if isinstance(shape, int) or hasattr(shape, "__index__"):
        return (operator.index(shape),)
    return tuple(operator.index(n) for n in shape)


def _normalize_axis(axis: int, ndim: int) -> int:
    axis = _int_axis(axis)
    if not -ndim <= axis < max(ndim, 1):
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, "
            f"{max(ndim, 1) - 1}], but got {axis})"
        )
    return axis % ndim if ndim else 0


def _int_axis(axis: Any) -> int:
    """An axis must be an integer (a float would pass the range test and reach the backend)."""
    if isinstance(axis, int):
        return axis
    try:
        return operator.index(axis)
    except TypeError:
        raise TypeError(f"axis must be an integer, got {type(axis).__name__}") from None


class ViewBackward0(Node):
    __slots__ = ("input_shape",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.reshape(g, self.input_shape),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.reshape(t[0], tuple(outputs[0].shape))


class UnsafeViewBackward0(ViewBackward0):
    """A reshape of a fresh copy (torch's ``_unsafe_view``): matmul's and reshape's."""

    __slots__ = ()


def reshape(x: Any, /, shape: Any, *, copy: bool | None = None) -> Tensor:
    """``x`` with a new shape (one entry may be -1); lists are accepted as shapes."""
    x = operand(x)
    shape = _shape_arg(shape)
    _check_reshape(shape, tuple(x._data.shape))
    data = x._backend.xp.reshape(x._data, shape, copy=copy)
    if copy:
        return _reshaped(ViewBackward0, x, data)
    new_shape = tuple(data.shape)
    if x._extra is not None and x._extra.path and view_strides(*layout_of(x), new_shape) is None:
        return _reshaped_copy(x, new_shape)
    return _view_as(ViewBackward0, x, data, Reshape(new_shape))


def _reshaped(cls: type[Node], x: Tensor, data: Any) -> Tensor:
    result = record(cls, (x,), data, x._backend)
    return keep_for_backward(result, input_shape=tuple(x._data.shape))


def _reshaped_copy(x: Tensor, shape: tuple[int, ...]) -> Tensor:
    """torch's reshape of a view whose strides allow no view (``y.t().reshape(-1)``): a
    copy, recorded as ``UnsafeViewBackward0`` of ``CloneBackward0``."""
    copied = clone(x)
    return _reshaped(UnsafeViewBackward0, copied, x._backend.xp.reshape(copied._data, shape))


def _check_reshape(shape: tuple[int, ...], old: tuple[Any, ...]) -> None:
    """torch's errors for a shape that cannot hold ``old``'s elements (NumPy would take
    any negative size as the one to infer)."""
    for i, n in enumerate(shape):
        if n < -1:
            raise RuntimeError(f"invalid shape dimension {n} at index {i} of shape {list(shape)}")
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    if any(n != n for n in old):  # Dask: a size not known until computed
        return
    size = math.prod(old)
    known = math.prod(n for n in shape if n != -1)
    if -1 not in shape:
        fits = known == size
    elif known == 0:
        if size == 0:
            raise RuntimeError(
                f"cannot reshape tensor of 0 elements into shape {list(shape)} because the "
                "unspecified dimension size -1 can be any value and is ambiguous"
            )
        fits = False
    else:
        fits = size % known == 0
    if not fits:
        raise RuntimeError(f"shape '{list(shape)}' is invalid for input of size {size}")


class PermuteBackward0(Node):
    __slots__ = ("axes",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        inverse = [0] * len(self.axes)
        for i, a in enumerate(self.axes):
            inverse[a] = i
        return (xp.permute_dims(g, tuple(inverse)),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.permute_dims(t[0], tuple(self.axes))


class TransposeBackward0(PermuteBackward0):
    __slots__ = ()


class TBackward0(PermuteBackward0):
    __slots__ = ()


def _permute(cls: type[PermuteBackward0], x: Tensor, axes: tuple[int, ...]) -> Tensor:
    result = record(cls, (x,), x._backend.xp.permute_dims(x._data, axes), x._backend)
    make_view(x, result, Permute(axes))
    return keep_for_backward(result, axes=axes)


def permute_dims(x: Any, /, axes: Sequence[int]) -> Tensor:
    """Reorder the axes of ``x`` (``PermuteBackward0``)."""
    x = operand(x)
    ndim = x.ndim
    axes = tuple(_normalize_axis(a, ndim) for a in _shape_arg(axes))
    if sorted(axes) != list(range(ndim)):
        raise RuntimeError(f"permute(): dims {axes} are not a permutation of {ndim} dims")
    return _permute(PermuteBackward0, x, axes)


def transpose(x: Any, dim0: int, dim1: int) -> Tensor:
    """Swap two axes (torch's ``transpose``, ``TransposeBackward0``)."""
    x = operand(x)
    ndim = x.ndim
    axes = list(range(ndim))
    d0, d1 = _normalize_axis(dim0, ndim), _normalize_axis(dim1, ndim)
    axes[d0], axes[d1] = axes[d1], axes[d0]
    return _permute(TransposeBackward0, x, tuple(axes))


def matrix_transpose(x: Any, /) -> Tensor:
    """Swap the last two axes (``x.mT``)."""
    x = operand(x)
    if x.ndim < 2:
        raise ValueError("matrix_transpose requires at least 2 dimensions")
    return transpose(x, -2, -1)


def t(x: Any) -> Tensor:
    """torch's ``t()``/``.T`` on 2-D (and 0-/1-D, returned unchanged) tensors."""
    x = operand(x)
    if x.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {x.ndim}D")
    return _permute(TBackward0, x, tuple(reversed(range(x.ndim))))


class SqueezeBackward0(ViewBackward0):
    __slots__ = ()


class SqueezeBackward1(ViewBackward0):
    __slots__ = ()


class SqueezeBackward2(ViewBackward0):
    __slots__ = ()


class UnsqueezeBackward0(ViewBackward0):
    __slots__ = ()


def _view_as(cls: type[Node], x: Tensor, data: Any, step: Step | None = None) -> Tensor:
    """``data`` (``x`` rearranged) recorded as ``cls``: a view of ``x`` through ``step``, or
    a new tensor without one (matmul's ``_unsafe_view``, whose input is a temporary)."""
    result = _reshaped(cls, x, data)
    return result if step is None else make_view(x, result, step)


def squeeze(x: Any, /, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """Remove size-1 axes: all of them (torch), one, or a tuple (standard)."""
    x = operand(x)
    shape = tuple(x._data.shape)
    if axis is None:
        cls: type[ViewBackward0] = SqueezeBackward0
        axes = tuple(i for i, n in enumerate(shape) if n == 1)
    else:
        cls = SqueezeBackward1 if isinstance(axis, int) else SqueezeBackward2
        raw = (axis,) if isinstance(axis, int) else tuple(axis)
        axes = tuple(_normalize_axis(a, len(shape)) for a in raw)
        for a in axes:
            if shape[a] != 1:
                raise ValueError(f"cannot squeeze axis {a} of size {shape[a]}")
    new_shape = tuple(n for i, n in enumerate(shape) if i not in axes)
    return _view_as(cls, x, x._backend.xp.reshape(x._data, new_shape), Reshape(new_shape))


def expand_dims(x: Any, /, axis: int | tuple[int, ...] = 0) -> Tensor:
    """Insert size-1 axes at ``axis``, an int or a tuple of positions in the result
    (the standard's 2025.12 form), as one ``UnsqueezeBackward0`` view."""
    x = operand(x)
    raw = (axis,) if isinstance(axis, int) else tuple(axis)
    ndim = x.ndim + len(raw)
    positions = sorted(_normalize_axis(a, ndim) for a in raw)
    if len(set(positions)) != len(positions):
        raise ValueError(f"expand_dims: repeated axis in {axis!r}")
    shape = list(x._data.shape)
    for a in positions:
        shape.insert(a, 1)
    return _view_as(
        UnsqueezeBackward0, x, x._backend.xp.reshape(x._data, tuple(shape)), Reshape(tuple(shape))
    )


class ExpandBackward0(Node):
    __slots__ = ("input_shape",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (_sum_to(xp, g, self.input_shape),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0]  # broadcast to the output's shape by the caller


def broadcast_to(x: Any, /, shape: Any) -> Tensor:
    """Broadcast ``x`` to ``shape`` (``ExpandBackward0``); -1 keeps a size (torch)."""
    x = operand(x)
    target = list(_shape_arg(shape))
    lead = len(target) - x.ndim
    if lead < 0:
        raise RuntimeError(
            f"expand({legacy_type_name(x)}{{{list(x.shape)}}}, size={target}): the number of "
            f"sizes provided ({len(target)}) must be greater or equal to the number of "
            f"dimensions in the tensor ({x.ndim})"
        )
    for j in range(lead):
        if target[j] < 0:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[j]}) isn't allowed in "
                f"a leading, non-existing dimension {j}"
            )
    for i, n in enumerate(x._data.shape):
        want = target[lead + i]
        if want == -1:
            target[lead + i] = n
        elif want != n and n != 1 and n == n:
            raise RuntimeError(
                f"The expanded size of the tensor ({want}) must match the existing size ({n}) "
                f"at non-singleton dimension {lead + i}.  Target sizes: {list(_shape_arg(shape))}."
                f"  Tensor sizes: {list(x.shape)}"
            )
    data = x._backend.xp.broadcast_to(x._data, tuple(target))
    return _view_as(ExpandBackward0, x, data, Expand(tuple(target), tuple(x._data.shape)))


class CatBackward0(Node):
    __slots__ = ("axis", "sizes")

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        out, start = [], 0
        lead = (slice(None),) * self.axis
        for size in self.sizes:
            out.append(g[lead + (slice(start, start + size), ...)])
            start += size
        return tuple(out)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.concat(_zeros_for_missing(xp, t, inputs), axis=self.axis)


def _zeros_for_missing(xp: Any, tangents: Any, inputs: Any) -> list[Any]:
    """Each input's tangent, zeros where it carries none (to join them)."""
    return [xp.zeros_like(x) if t is None else t for t, x in zip(tangents, inputs)]


def _same_backend(arrays: Sequence[Any]) -> list[Tensor]:
    if not arrays:
        raise ValueError("expected a non-empty sequence of arrays")
    like = next((a for a in arrays if isinstance(a, Tensor)), None)
    for i, a in enumerate(arrays):
        if isinstance(a, (int, float, complex, list, tuple)):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(a).__name__}"
            )
    first = operand(arrays[0], like)
    return [first] + [operand(a, first) for a in arrays[1:]]


def concat(arrays: Sequence[Any], /, *, axis: int | None = 0) -> Tensor:
    """Join arrays along an existing axis (``CatBackward0``); ``axis=None`` flattens first."""
    tensors = _same_backend(arrays)
    if axis is None:
        tensors = [reshape(t_, (-1,)) for t_ in tensors]
        axis = 0
    backend = tensors[0]._backend
    a = _normalize_axis(axis, tensors[0].ndim)
    _check_concat(tensors, a)
    data = backend.xp.concat([t_._data for t_ in tensors], axis=a)
    result = record(CatBackward0, tuple(tensors), data, backend, broadcast=True)
    return keep_for_backward(result, axis=a, sizes=tuple(t_._data.shape[a] for t_ in tensors))


def _check_concat(tensors: list[Tensor], axis: int) -> None:
    """torch's errors for arrays that cannot be joined along ``axis``."""
    first = tuple(tensors[0]._data.shape)
    for i, t_ in enumerate(tensors):
        shape = tuple(t_._data.shape)
        if not shape:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
        if len(shape) != len(first):
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {len(first)} and {len(shape)}"
            )
        for d, (n, m) in enumerate(zip(first, shape)):
            if d != axis and n != m and n == n and m == m:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size "
                    f"{n} but got size {m} for tensor number {i} in the list."
                )


class StackBackward0(Node):
    __slots__ = ("axis",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        lead = (slice(None),) * self.axis
        return tuple(g[lead + (i, ...)] for i in range(len(self.next_functions)))

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.stack(_zeros_for_missing(xp, t, inputs), axis=self.axis)


def stack(arrays: Sequence[Any], /, *, axis: int = 0) -> Tensor:
    """Join arrays along a new axis (``StackBackward0``)."""
    tensors = _same_backend(arrays)
    backend = tensors[0]._backend
    a = _normalize_axis(axis, tensors[0].ndim + 1)
    first = tuple(tensors[0]._data.shape)
    for i, t_ in enumerate(tensors[1:], 1):
        shape = tuple(t_._data.shape)
        if shape != first and not any(n != n for n in first + shape):
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got "
                f"{list(first)} at entry 0 and {list(shape)} at entry {i}"
            )
    data = backend.xp.stack([t_._data for t_ in tensors], axis=a)
    result = record(StackBackward0, tuple(tensors), data, backend, broadcast=True)
    return keep_for_backward(result, axis=a)
