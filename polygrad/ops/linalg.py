"""Matrix products: ``matmul`` / ``@`` with torch's node names by operand rank."""

from __future__ import annotations

import math
from typing import Any

from .._core._node import Node
from .._core._record import binary_operands, check_broadcast, record
from .._core._tensor import Tensor
from ._support import add_tangents, conj
from .conversion import common_dtype
from .shape import UnsafeViewBackward0, ViewBackward0, _view_as, broadcast_to, expand_dims, reshape


class MmBackward0(Node):
    """``a @ b`` for any ranks >= 1; 1-D operands are promoted then squeezed (standard)."""

    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, a: Any, b: Any) -> tuple[Any, ...]:
        need_a = self.next_functions[0][0] is not None
        need_b = self.next_functions[1][0] is not None
        a, b = conj(xp, a), conj(xp, b)  # complex: torch's conjugate-Wirtinger gradients
        if a.ndim == 1 and b.ndim == 1:
            return (g * b if need_a else None, g * a if need_b else None)
        a2 = xp.expand_dims(a, axis=0) if a.ndim == 1 else a
        b2 = xp.expand_dims(b, axis=-1) if b.ndim == 1 else b
        g2 = xp.expand_dims(g, axis=-2) if a.ndim == 1 else g
        g2 = xp.expand_dims(g2, axis=-1) if b.ndim == 1 else g2
        ga = gb = None
        if need_a:
            ga = g2 @ xp.matrix_transpose(b2)
            if a.ndim == 1 or ga.ndim != a.ndim:
                ga = xp.reshape(_sum_leading(xp, ga, a2.ndim), a.shape)
        if need_b:
            gb = xp.matrix_transpose(a2) @ g2
            if b.ndim == 1 or gb.ndim != b.ndim:
                gb = xp.reshape(_sum_leading(xp, gb, b2.ndim), b.shape)
        return (ga, gb)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        a, b = inputs
        return add_tangents(
            None if t[0] is None else xp.matmul(t[0], b),
            None if t[1] is None else xp.matmul(a, t[1]),
        )


def _sum_leading(xp: Any, g: Any, ndim: int) -> Any:
    extra = g.ndim - ndim
    return xp.sum(g, axis=tuple(range(extra))) if extra > 0 else g


class MvBackward0(MmBackward0):
    __slots__ = ()


class DotBackward0(MmBackward0):
    __slots__ = ()


class SqueezeBackward4(ViewBackward0):
    __slots__ = ()


class CloneBackward0(MmBackward0):
    __slots__ = ()


def _node_class(a_shape: tuple[int, ...], b_shape: tuple[int, ...]) -> type[Node]:
    """The name torch 2.13 gives the outermost node of its matmul decomposition."""
    a_ndim, b_ndim = len(a_shape), len(b_shape)
    if a_ndim == 1 and b_ndim == 1:
        return DotBackward0
    if a_ndim == 2 and b_ndim == 2:
        return MmBackward0
    if a_ndim == 2 and b_ndim == 1:
        return MvBackward0
    if a_ndim == 1 and b_ndim == 2:
        return SqueezeBackward4
    # a matrix times a batch is computed transposed and made contiguous (a clone);
    # torch treats a 3-D ``a`` with batch 1 against a 3-D batch the same way
    if b_ndim >= 3 and (a_ndim == 2 or (a_ndim == b_ndim == 3 and a_shape[0] == 1 != b_shape[0])):
        return CloneBackward0
    return UnsafeViewBackward0


class BmmBackward0(MmBackward0):
    __slots__ = ()


def matmul(x1: Any, x2: Any, /) -> Tensor:
    """Matrix product with the standard's broadcasting and 1-D promotion rules.

    Like torch, a vector times a matrix and products with a batch are recorded as
    torch decomposes them (unsqueeze/mm/squeeze, view/mm/view, expand/view/bmm/view),
    so the graph has torch's nodes; the other cases are one node.
    """
    a, b, backend, ta, tb = binary_operands(x1, x2, broadcast=False)
    if ta is None or tb is None:
        number = x1 if ta is None else x2
        raise TypeError(f"matmul: expected arrays, got a Python {type(number).__name__}")
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D"
        )
    _check_matmul(tuple(a.shape), tuple(b.shape))
    ta, tb = common_dtype(ta, tb)
    a, b = ta._data, tb._data
    xp = backend.xp
    cls = _node_class(a.shape, b.shape)
    if cls is SqueezeBackward4:
        inner = matmul(expand_dims(ta, axis=0), tb)
        return _view_as(cls, inner, xp.reshape(inner._data, tuple(b.shape[1:])))
    if cls is UnsafeViewBackward0 and b.ndim <= 2:
        inner = matmul(reshape(ta, (_leading(a.shape[:-1], a.shape[-1:]), a.shape[-1])), tb)
        return _view_as(cls, inner, xp.reshape(inner._data, tuple(a.shape[:-1] + b.shape[1:])))
    if cls is UnsafeViewBackward0 and a.ndim == 1:  # a vector times a batch
        inner = matmul(expand_dims(ta, axis=0), tb)
        return _view_as(cls, inner, xp.reshape(inner._data, tuple(b.shape[:-2] + b.shape[-1:])))
    if cls is UnsafeViewBackward0:
        batch = _broadcast_batch(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
        va = reshape(
            broadcast_to(ta, batch + tuple(a.shape[-2:])),
            (_leading(batch, a.shape[-2:]), *a.shape[-2:]),
        )
        vb = reshape(
            broadcast_to(tb, batch + tuple(b.shape[-2:])),
            (_leading(batch, b.shape[-2:]), *b.shape[-2:]),
        )
        inner = record(BmmBackward0, (va, vb), va._data @ vb._data, backend)
        return _view_as(cls, inner, xp.reshape(inner._data, batch + (a.shape[-2], b.shape[-1])))
    return record(cls, (ta, tb), a @ b, backend, broadcast=True)


def _leading(leading: tuple[Any, ...], rest: tuple[Any, ...]) -> Any:
    """The size of the leading axes flattened into one: -1 (inferred, also for Dask's
    unknown sizes) unless ``rest`` holds no elements, where -1 would be ambiguous."""
    return -1 if math.prod(rest) else math.prod(leading)


def _check_matmul(a: tuple[Any, ...], b: tuple[Any, ...]) -> None:
    """torch's error for operands whose inner sizes differ, worded for the mm/mv/dot/bmm
    that torch decomposes ``@`` into (unknown Dask sizes are left to the backend)."""
    k_a, k_b = a[-1], b[-2] if len(b) > 1 else b[0]
    batch: Any = ()
    if len(b) > 2:
        check_broadcast(a[:-2], b[:-2])
        batch = _broadcast_batch(a[:-2], b[:-2])
    if k_a == k_b or k_a != k_a or k_b != k_b:
        return
    if len(b) > 2:
        rows = math.prod(batch)
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{rows}, {k_a}] "
            f"but got: [{rows}, {k_b}]."
        )
    if len(a) == 1 and len(b) == 1:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{k_a}] and src [{k_b}] to have the "
            f"same number of elements, but got {k_a} and {k_b} elements respectively"
        )
    rows = math.prod(a[:-1])
    if len(b) == 1:
        raise RuntimeError(f"size mismatch, got input ({rows}), mat ({rows}x{k_a}), vec ({k_b})")
    raise RuntimeError(
        f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k_a} and {b[0]}x{b[1]})"
    )


def _broadcast_batch(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, ...]:
    """The broadcast shape of two batch shapes."""
    width = max(len(a), len(b))
    a, b = (1,) * (width - len(a)) + a, (1,) * (width - len(b)) + b
    return tuple(n if m == 1 else m for n, m in zip(a, b))
