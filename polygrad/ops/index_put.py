"""Writing by index: ``x[key] = v`` in place, differentiable.

A basic key writes through a view (torch's ``CopySlices``); integer-array and
boolean keys give ``IndexPutBackward0``. The overwritten part of ``x`` gets no
gradient; ``v`` gets the gradient at ``key``, summed back to its own shape.
Reading (``x[key]``) is in ``indexing``; adding into zeros by index (``index_add``,
repeated indices adding up) in ``scatter_add``.
"""

from __future__ import annotations

from typing import Any

from .._core._backward_step import _sum_to
from .._core._inplace import check_inplace, commit_inplace
from .._core._node import Node
from .._core._record import mixed_backends_message, operand, record
from .._core._tensor import Tensor
from ._index_keys import advanced_plan, basic_key, check_key
from .indexing import _is_advanced, _raw_key, getitem
from .shape import broadcast_to, reshape


class CopySlices(Node):
    """``x[key] = value`` on a tensor in the graph: the overwritten part gets no gradient."""

    __slots__ = ("key", "value_shape")

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        gx = None
        if self.next_functions[0][0] is not None:
            gx = _zero_at(self, xp, g, self.key)
        gv = None
        if self.next_functions[1][0] is not None:
            gv = _sum_to(xp, g[self.key], self.value_shape)
        return (gx, gv)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        tx = _tangent_copy(xp, t[0], outputs[0])
        tx[self.key] = _written_tangent(xp, t[1], tx[self.key])
        return tx


def _tangent_copy(xp: Any, t: Any, like: Any) -> Any:
    """A fresh tangent of the written tensor to write into (zeros if it had none)."""
    return xp.zeros_like(like) if t is None else xp.asarray(t, copy=True)


def _written_tangent(xp: Any, t: Any, slot: Any) -> Any:
    """The written value's tangent, in the slot's dtype (zeros if it had none)."""
    if t is None:
        return xp.zeros_like(slot)
    return t if t.dtype == slot.dtype else xp.astype(t, slot.dtype)


def _zero_at(node: Node, xp: Any, g: Any, key: Any) -> Any:
    """A copy of ``g`` with zeros at ``key`` (a recorded write in graph mode)."""
    zeros = xp.zeros_like(g[key])
    if isinstance(g, Tensor):
        gx = xp.asarray(g, copy=True)
        gx[key] = zeros
        return gx
    return node._backend.setitem(node._backend.copy(g), key, zeros)


class IndexPutBackward0Set(CopySlices):
    """``x[advanced key] = value``: like CopySlices, on ``x`` flattened at the plan's positions."""

    __slots__ = ("plan", "input_shape")

    def name(self) -> str:
        return "IndexPutBackward0"

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        plan = self.plan
        if plan.mask is not None:
            return self._mask_vjp(xp, g, plan.mask)
        flat_g = xp.reshape(g, (-1,))
        key = (plan.flat,)
        gx = gv = None
        if self.next_functions[0][0] is not None:
            gx = xp.reshape(_zero_at(self, xp, flat_g, key), self.input_shape)
        if self.next_functions[1][0] is not None:
            gv = _sum_to(xp, xp.reshape(flat_g[key], plan.shape), self.value_shape)
        return (gx, gv)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        plan = self.plan
        tx = _tangent_copy(xp, t[0], outputs[0])
        if plan.mask is not None and self.value_shape == ():
            # one value written everywhere: a where, as in the vjp (Dask's masked reads
            # have unknown sizes)
            tv = _written_tangent(xp, t[1], xp.zeros((), dtype=tx.dtype, device=tx.device))
            return xp.where(self._mask_where(xp, plan.mask), tv, tx)
        if plan.mask is not None:
            tx[(plan.mask,)] = _written_tangent(xp, t[1], tx[(plan.mask,)])
            return tx
        flat, key = xp.reshape(tx, (-1,)), (plan.flat,)
        tv = t[1] if t[1] is None else xp.reshape(xp.broadcast_to(t[1], plan.shape), (-1,))
        flat[key] = _written_tangent(xp, tv, flat[key])
        return xp.reshape(flat, self.input_shape)

    def _mask_vjp(self, xp: Any, g: Any, mask: Any) -> tuple[Any, ...]:
        gx = gv = None
        # wheres, not masked reads and writes: cheaper, and fine where the number of
        # selected elements is not known yet (Dask) or the mask is traced (jax.jit)
        where = self._mask_where(xp, mask)
        if self.next_functions[0][0] is not None:
            gx = xp.where(where, xp.zeros_like(g), g)
        if self.next_functions[1][0] is not None:
            if self.value_shape == ():  # one value written everywhere: the masked sum
                return (gx, xp.sum(xp.where(where, g, xp.zeros_like(g))))
            rows = g[(mask,)]  # one per selected element; a lazy backend computes the count
            if isinstance(rows, Tensor):
                rows._data = self._backend.sized(rows._data)
            else:
                rows = self._backend.sized(rows)
            gv = _sum_to(xp, rows, self.value_shape)
        return (gx, gv)

    def _mask_where(self, xp: Any, mask: Any) -> Any:
        """The boolean mask shaped to broadcast against the written tensor."""
        trailing = (1,) * (len(self.input_shape) - mask.ndim)
        return xp.reshape(mask, tuple(mask.shape) + trailing)


IndexPutBackward0Set.__name__ = "IndexPutBackward0"
IndexPutBackward0Set.__qualname__ = "IndexPutBackward0"


class _SelectThenIndexPut(IndexPutBackward0Set):
    """``x[1, :, idx] = v``: torch selects with the int first (a view of ``x``), so the
    write is a CopySlices on ``x``."""

    __slots__ = ()

    def name(self) -> str:
        return "torch::autograd::CopySlices"


_SelectThenIndexPut.__name__ = _SelectThenIndexPut.__qualname__ = "CopySlices"


def _written_view(x: Tensor, keys: tuple[Any, ...]) -> Tensor:
    """The view ``x[keys] = v`` writes into, where an error would name it (a view of an
    ``unbind`` output, or one made under ``no_grad``); else ``x``, which gives the same checks."""
    extra = x._extra
    return getitem(x, keys) if extra is not None and extra.creation else x


def _value_for_slot(v: Tensor, shape: tuple[int, ...]) -> Tensor:
    """``v`` made to fit the slot ``x[key] = v`` writes, as torch does: leading size-1 axes
    dropped (``ViewBackward0``), then broadcast (``ExpandBackward0``)."""
    if tuple(v._data.shape) == shape:
        return v
    lead = 0
    while lead < v.ndim and v._data.shape[lead] == 1:
        lead += 1
    v = reshape(v, tuple(v._data.shape[lead:]))
    return v if tuple(v._data.shape) == shape else broadcast_to(v, shape)


def setitem(x: Tensor, key: Any, value: Any) -> None:
    """``x[key] = value`` in place: recorded so gradients stay right on every backend."""
    backend = x._backend
    keys = _raw_key(key, backend)
    keys = tuple(
        backend.xp.asarray(k) if isinstance(k, (list, range)) else k
        for k in (keys if isinstance(keys, tuple) else (keys,))
    )
    shape = tuple(x._data.shape)
    check_key(keys, len(shape))
    plan = None
    basic = not any(_is_advanced(k) for k in keys)
    # torch writes a basic key through a view, and names that view in its errors
    check_inplace(_written_view(x, keys) if basic else x, through_view=basic)
    if basic:
        key = basic_key(keys)
    elif any(k is None for k in keys):
        raise IndexError(
            "polygrad: None (a new axis) cannot be combined with array indices in an assignment"
        )
    else:
        plan = advanced_plan(backend.xp, keys, shape, backend.device_of(x._data))
        key = (plan.mask,)
    v: Tensor | None
    if isinstance(value, Tensor):
        v = value
        if v._backend is not x._backend:
            raise TypeError(mixed_backends_message(x._backend, v._backend))
    else:
        v = operand(value, x) if not isinstance(value, (int, float, bool, complex)) else None
    if plan is None and v is not None and v.ndim:
        v = _value_for_slot(v, tuple(x._data[key].shape))
    raw_value = v._data if v is not None else value
    if v is not None and v._data.dtype != x._data.dtype:
        raw_value = backend.xp.astype(raw_value, x._data.dtype)
    if plan is None or plan.mask is not None:
        new = backend.setitem(backend.copy(x._data), key, raw_value)
    else:  # integer arrays: write x flattened at the plan's positions
        xp = backend.xp
        if v is not None:
            raw_value = xp.reshape(xp.broadcast_to(raw_value, plan.shape), (-1,))
        new = backend.setitem(xp.reshape(backend.copy(x._data), (-1,)), (plan.flat,), raw_value)
        new = xp.reshape(new, shape)
    if plan is None:
        cls: type[CopySlices] = CopySlices
    elif any(isinstance(k, int) for k in keys):
        cls = _SelectThenIndexPut
    else:
        cls = IndexPutBackward0Set
    result = record(cls, (x, v), new, backend)
    node = result._grad_fn
    if node is not None:
        node.key = key
        node.value_shape = tuple(v._data.shape) if v is not None else ()
        if plan is not None:
            node.plan, node.input_shape = plan, shape
    commit_inplace(x, result)
