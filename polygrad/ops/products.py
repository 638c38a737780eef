"""Products and matrix parts: ``tensordot``, ``vecdot``, and for ``polygrad.linalg``
``outer``, ``cross``, ``diagonal`` and ``trace``.

``tensordot``, ``vecdot`` and ``outer`` are composed of recorded ops the way torch
composes them, so their outermost nodes match torch's (``ViewBackward0``,
``SumBackward1``, ``MulBackward0``). ``cross`` (``LinalgCrossBackward0``),
``diagonal`` (``DiagonalBackward0``) and a matrix's ``trace`` (``TraceBackward0``)
have their own rules. Complex inputs follow torch's conjugate-Wirtinger convention.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Sequence
from typing import Any

from .._core._node import Node
from .._core._record import binary_operands, keep_for_backward, operand, record
from .._core._tensor import Tensor
from .._core._view_steps import Diagonal
from .._core._views import make_view
from ._support import add_tangents, conj, needs
from .complex import conj as conj_op
from .conversion import astype
from .indexing import embed
from .linalg import matmul
from .shape import _normalize_axis, expand_dims, permute_dims, reshape
from .sums import sum as sum_op
from .take import axis_positions


def _contracted_axes(axes: Any, ndim1: int, ndim2: int) -> tuple[tuple[int, ...], tuple[int, ...]]:
    if isinstance(axes, int) or hasattr(axes, "__index__"):
        count = operator.index(axes)
        if count < 0 or count > min(ndim1, ndim2):
            raise ValueError(f"tensordot expects 0 <= axes <= min(x1.ndim, x2.ndim), got {count}")
        return tuple(range(ndim1 - count, ndim1)), tuple(range(count))
    first, second = axes
    first = (first,) if isinstance(first, int) else tuple(first)
    second = (second,) if isinstance(second, int) else tuple(second)
    if len(first) != len(second):
        raise RuntimeError("both dimension lists should have same length")
    return (
        tuple(_normalize_axis(a, ndim1) for a in first),
        tuple(_normalize_axis(a, ndim2) for a in second),
    )


def tensordot(
    x1: Any, x2: Any, /, *, axes: int | tuple[Sequence[int], Sequence[int]] = 2
) -> Tensor:
    """Sum of products over the given axes: a permute, a matrix product and a reshape."""
    _, _, _, a, b = binary_operands(x1, x2, broadcast=False)
    if a is None or b is None:
        raise TypeError("tensordot expects two arrays")
    first, second = _contracted_axes(axes, a.ndim, b.ndim)
    for i, j in zip(first, second):
        if a._data.shape[i] != b._data.shape[j]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a._data.shape[i]} "
                f"in dim {i} and second has size {b._data.shape[j]} in dim {j}"
            )
    free1 = tuple(d for d in range(a.ndim) if d not in first)
    free2 = tuple(d for d in range(b.ndim) if d not in second)
    shape1, shape2 = tuple(a._data.shape), tuple(b._data.shape)
    k = math.prod(shape1[d] for d in first)
    left = reshape(permute_dims(a, free1 + first), (math.prod(shape1[d] for d in free1), k))
    right = reshape(permute_dims(b, second + free2), (k, math.prod(shape2[d] for d in free2)))
    out_shape = tuple(shape1[d] for d in free1) + tuple(shape2[d] for d in free2)
    return reshape(matmul(left, right), out_shape)


def vecdot(x1: Any, x2: Any, /, *, axis: int = -1) -> Tensor:
    """``sum(conj(x1) * x2)`` over ``axis`` of the broadcast arrays (``SumBackward1``)."""
    _, _, _, a, b = binary_operands(x1, x2)
    if a is None or b is None:
        raise TypeError("vecdot expects two arrays")
    ndim = max(a.ndim, b.ndim)
    if ndim == 0:
        raise ValueError("vecdot expects arrays with at least one dimension")
    ax = _normalize_axis(axis, ndim) - ndim  # counted from the end: ranks may differ
    if a._data.shape[ax] != b._data.shape[ax]:
        raise ValueError(f"vecdot: x1 and x2 must have the same size along axis {axis}")
    products = conj_op(a) * b
    # sum's dtype keeps integers as they are (a plain sum widens uint8 to uint64)
    return sum_op(products, axis=ax, dtype=products.dtype)


def outer(x1: Any, x2: Any, /) -> Tensor:
    """Outer product of two vectors (``MulBackward0``, as torch records it)."""
    _, _, _, a, b = binary_operands(x1, x2, broadcast=False)
    if a is None or b is None or a.ndim != 1 or b.ndim != 1:
        raise ValueError("outer expects two one-dimensional arrays")
    return expand_dims(a, axis=1) * b


class LinalgCrossBackward0(Node):
    __slots__ = ("axis",)
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, a: Any, b: Any) -> tuple[Any, ...]:
        ga = xp.linalg.cross(conj(xp, b), g, axis=self.axis) if needs(self, 0) else None
        gb = xp.linalg.cross(g, conj(xp, a), axis=self.axis) if needs(self, 1) else None
        return (ga, gb)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        (a, b), cross = inputs, xp.linalg.cross
        return add_tangents(
            None if t[0] is None else cross(t[0], b, axis=self.axis),
            None if t[1] is None else cross(a, t[1], axis=self.axis),
        )


def cross(x1: Any, x2: Any, /, *, axis: int = -1) -> Tensor:
    """Cross product of 3-element vectors along ``axis`` (arrays broadcast)."""
    _, _, backend, a, b = binary_operands(x1, x2)
    if a is None or b is None:
        raise TypeError("cross expects two arrays")
    ndim = max(a.ndim, b.ndim)
    ax = _normalize_axis(axis, ndim) - ndim
    if a._data.shape[ax] != 3 or b._data.shape[ax] != 3:
        raise RuntimeError(
            f"linalg.cross: inputs dimension {axis} must have length 3. Got "
            f"{a._data.shape[ax]} and {b._data.shape[ax]}"
        )
    data = backend.xp.linalg.cross(a._data, b._data, axis=ax)
    result = record(LinalgCrossBackward0, (a, b), data, backend, broadcast=True)
    return keep_for_backward(result, axis=ax)


def _diagonal_key(
    xp: Any, batch: tuple[int, ...], length: int, offset: int, device: Any
) -> tuple[Any, ...]:
    """A full integer key selecting the ``offset`` diagonal of every matrix of a batch."""
    rank = len(batch) + 1
    steps = axis_positions(xp, length, rank - 1, rank, device)
    key = tuple(axis_positions(xp, n, d, rank, device) for d, n in enumerate(batch))
    return key + (steps + max(-offset, 0), steps + max(offset, 0))


class DiagonalBackward0(Node):
    """The diagonal's gradient written back onto the diagonal of zeros."""

    __slots__ = ("key", "input_shape")

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (embed(self, xp, g, self.key, self.input_shape),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0][self.key]


class TraceBackward0(DiagonalBackward0):
    """``trace`` of a matrix: the incoming number on every diagonal element."""

    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        length = min(self.input_shape[-2:])
        return (
            embed(
                self,
                xp,
                xp.broadcast_to(xp.reshape(g, (1,)), (length,)),
                self.key,
                self.input_shape,
            ),
        )

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.sum(t[0][self.key])


def _diagonal_key_of(x: Tensor, offset: int) -> tuple[Any, ...]:
    shape = tuple(x._data.shape)
    rows, cols = shape[-2:]
    length = max(0, min(rows + min(offset, 0), cols - max(offset, 0)))
    return _diagonal_key(x._backend.xp, shape[:-2], length, offset, x._backend.device_of(x._data))


def _diagonal(cls: type[DiagonalBackward0], x: Tensor, offset: int, data: Any) -> Tensor:
    result = record(cls, (x,), data, x._backend)
    if result._grad_fn is None:  # the key builds index arrays: only for a node to read
        return result
    return keep_for_backward(
        result, key=_diagonal_key_of(x, offset), input_shape=tuple(x._data.shape)
    )


def diagonal(x: Any, /, *, offset: int = 0) -> Tensor:
    """The ``offset`` diagonal of each matrix in ``x`` (last two axes)."""
    x = operand(x)
    if x.ndim < 2:
        raise ValueError("diagonal expects an array with at least two dimensions")
    result = _diagonal(
        DiagonalBackward0, x, offset, x._backend.xp.linalg.diagonal(x._data, offset=offset)
    )
    node = result._grad_fn
    key = node.key if node is not None else _diagonal_key_of(x, offset)
    return make_view(x, result, Diagonal(offset, key))


def trace(x: Any, /, *, offset: int = 0, dtype: Any = None) -> Tensor:
    """Sum of the ``offset`` diagonal of each matrix; torch's ``TraceBackward0`` for one
    matrix, otherwise a diagonal and a sum (``SumBackward1``) as torch composes it."""
    x = operand(x)
    if x.ndim < 2:
        raise ValueError("trace expects an array with at least two dimensions")
    if x.ndim == 2 and offset == 0:
        if dtype is not None:
            x = astype(x, dtype, copy=False)
        data = x._backend.xp.linalg.trace(x._data)
        return _diagonal(TraceBackward0, x, 0, data)
    return sum_op(diagonal(x, offset=offset), axis=-1, dtype=dtype)
