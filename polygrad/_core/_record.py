"""Recording an operation: the shared step every differentiable function ends with.

An op computes its result on raw arrays with the backend's namespace, then calls
``record`` (one output) or ``record_multi``: if grad mode is on and an input
requires grad, a node of the op's class is attached with edges to the inputs and
the raw values its rule needs; otherwise the result is a plain tensor. Saving a
value marks the tensor's version counter, so a later in-place write copies first
and the node keeps what the forward used.
"""

from __future__ import annotations

from typing import Any

from ._backend import backend_of_array, tensor_of
from ._grad_mode import _grad_enabled
from ._node import Node, _edge, new_node, next_sequence_number
from ._tensor import Tensor, _make, _make_without_grad

_SCALARS = (int, float, bool, complex)
#: Called with each new node while a feature that watches recording is on (anomaly
#: mode, saved-tensor hooks); None otherwise, so the hot path pays one global read.
on_record: Any = None
_NO_EDGE = (None, 0)
#: Set by autograd.forward_ad while a dual level is open (None otherwise: one cheap
#: test per op); returns the result with its tangent pending, or None to go on.
_dual_hook: Any = None
_dual_hook_multi: Any = None
_new = object.__new__


def operand(x: Any, like: Tensor | None = None) -> Tensor:
    """``x`` as a Tensor: Tensors pass, raw arrays of a known library are wrapped."""
    if isinstance(x, Tensor):
        if like is not None and x._backend is not like._backend:
            raise TypeError(mixed_backends_message(like._backend, x._backend))
        return x
    if like is not None and type(x) in like._backend.array_types:  # the common raw operand
        return _make(like._backend.adopt(x), like._backend)
    backend = backend_of_array(x)
    if backend is None:
        if like is not None and like._backend.is_array(x):
            backend = like._backend
        elif isinstance(x, (*_SCALARS, list, tuple)) and like is not None:
            return _make(
                like._backend.xp.asarray(x, device=like._backend.device_of(like._data)),
                like._backend,
            )
        else:
            raise TypeError(f"expected a polygrad Tensor or an array, got {type(x).__name__}")
    if like is not None and backend is not like._backend:
        raise TypeError(mixed_backends_message(like._backend, backend))
    return _make(backend.adopt(x), backend)


def mixed_backends_message(a: Any, b: Any) -> str:
    return (
        f"expected all tensors on the same backend, but found {tensor_of(a)} and "
        f"{tensor_of(b)}; convert one with pg.tensor(..., backend=...)"
    )


def binary_operands(x: Any, y: Any, broadcast: bool = True) -> tuple[Any, Any, Any, Any, Any]:
    """Unwrap two operands of an elementwise op: (x_data, y_data, backend, x, y).

    Python scalars stay scalars (weakly typed, as the standard says); raw arrays
    become constants; tensors of two different backends are a TypeError. A 0-d
    tensor promotes like any other, as the standard says, on torch too.
    """
    if isinstance(x, Tensor):
        backend = x._backend
        if isinstance(y, Tensor):
            if y._backend is not backend:
                raise TypeError(mixed_backends_message(backend, y._backend))
        elif isinstance(y, _SCALARS):
            return x._data, y, backend, x, None
        else:
            y = operand(y, x)
    elif isinstance(y, Tensor):
        if isinstance(x, _SCALARS):
            return x, y._data, y._backend, None, y
        backend = y._backend
        x = operand(x, y)
    else:
        return binary_operands(operand(x), y, broadcast)
    if broadcast:  # elementwise: torch's error for shapes that do not broadcast
        xs, ys = x._data.shape, y._data.shape
        if xs != ys:
            check_broadcast(xs, ys)
    if not backend.promotes_as_standard:
        return (*backend.promote(x._data, y._data), backend, x, y)
    return x._data, y._data, backend, x, y


def check_broadcast(a: Any, b: Any) -> None:
    """torch's error for shapes ``a`` and ``b`` that do not broadcast, raised before the
    backend sees them (each library words it differently). Sizes that are not known
    (Dask's NaN after a boolean mask) are left to the backend."""
    ndim = max(len(a), len(b))
    for i in range(1, min(len(a), len(b)) + 1):
        n, m = a[-i], b[-i]
        if n != m and n != 1 and m != 1 and n == n and m == m:
            raise RuntimeError(
                f"The size of tensor a ({n}) must match the size of tensor b ({m}) at "
                f"non-singleton dimension {ndim - i}"
            )


def needs_grad(*inputs: Any) -> bool:
    """Grad mode is on and some input tensor requires grad."""
    if not _grad_enabled.get():
        return False
    for t in inputs:
        if t is not None and t._requires_grad:
            return True
    return False


def _mark_saved(t: Tensor) -> None:
    vc = t._vc
    vc[1] = vc[0]


def record(
    cls: type[Node],
    inputs: tuple[Any, ...],
    out: Any,
    backend: Any,
    broadcast: bool = False,
    numbers: tuple[Any, ...] | None = None,
) -> Tensor:
    """Wrap ``out`` and attach a ``cls`` node when grad is needed.

    ``inputs`` are the op's differentiable operands in order (Tensors, or None for a
    Python scalar, whose value ``numbers`` gives where the rule needs it); with
    ``broadcast`` the engine sums each gradient back to its input's shape and
    casts it to the input's dtype.
    """
    if _dual_hook is not None:
        dual = _dual_hook(cls, inputs, out, backend, broadcast, numbers)
        if dual is not None:
            return dual
    if not _grad_enabled.get():
        return _make_without_grad(out, backend)
    edges: list[tuple[Any, int]] = []
    needed = False
    # with ``broadcast``, whether an input's gradient needs a fix-up (found in this loop:
    # most have the output's shape and dtype, and then ``_broadcast_fix`` is not called)
    refit = False
    for t in inputs:
        if t is None or not t._requires_grad:
            edges.append(_NO_EDGE)
        else:
            needed = True
            fn = t._grad_fn
            edges.append((fn, t._output_nr) if fn is not None else _edge(t))
            if broadcast and not refit:
                data = t._data
                refit = data.shape != out.shape or data.dtype != out.dtype
    if not needed:
        return _make(out, backend)
    result = _new(Tensor)
    result._data = out
    result._backend = backend
    result._output_nr = 0
    result._requires_grad = True
    result._grad = None
    result._extra = None
    node = _new(cls)
    node._seq = next_sequence_number()
    node.next_functions = tuple(edges)
    node._backend = backend
    node._hooks = None
    saved_from = cls._saved_from
    if saved_from:
        saved = []
        out_vc = -1
        for source in saved_from:
            if source >= 0:
                t = inputs[source]
                if t is None:
                    saved.append(None if numbers is None else numbers[source])
                    continue
                vc = t._vc
                vc[1] = vc[0]
                saved.append(t._data)
            else:
                out_vc = 0
                saved.append(out)
        node._saved = tuple(saved)
        result._vc = [0, out_vc]
    else:
        node._saved = ()
        result._vc = [0, -1]
    node._fix = _broadcast_fix(inputs, out) if refit else None
    result._grad_fn = node
    if on_record is not None:
        on_record(node)
    return result


def _broadcast_fix(inputs: tuple[Any, ...], out: Any) -> tuple[Any, ...] | None:
    shape, dtype = out.shape, out.dtype
    fix: list[Any] | None = None
    for i, t in enumerate(inputs):
        if t is None or not t._requires_grad:
            continue
        data = t._data
        if data.shape != shape or data.dtype != dtype:
            if fix is None:
                fix = [None] * len(inputs)
            fix[i] = (
                tuple(data.shape) if data.shape != shape else None,
                data.dtype if data.dtype != dtype else None,
            )
    return tuple(fix) if fix is not None else None


def record_multi(
    cls: type[Node],
    inputs: tuple[Any, ...],
    outs: tuple[Any, ...],
    backend: Any,
    differentiable: tuple[bool, ...] | None = None,
) -> tuple[Tensor, ...]:
    """Like ``record`` for ops with several outputs (``unbind``, ``eigh``...).

    ``differentiable`` marks outputs that take part in the graph (integer outputs
    such as indices never do).
    """
    if differentiable is None:
        differentiable = (True,) * len(outs)
    if _dual_hook_multi is not None:
        duals = _dual_hook_multi(cls, inputs, outs, backend, differentiable)
        if duals is not None:
            return duals
    if not needs_grad(*inputs):
        return tuple(_make_without_grad(o, backend) for o in outs)
    edges = tuple([_edge(t) if t is not None else (None, 0) for t in inputs])
    results = tuple(
        _make(o, backend, None, i, True) if d else _make(o, backend)
        for i, (o, d) in enumerate(zip(outs, differentiable))
    )
    saved = []
    for source in cls._saved_from:
        if source >= 0:
            t = inputs[source]
            if t is not None:
                _mark_saved(t)
            saved.append(None if t is None else t._data)
        else:
            results[-1 - source]._vc[1] = 0
            saved.append(outs[-1 - source])
    node = new_node(cls, edges, tuple(saved), backend)
    node._num_outputs = len(outs)
    node._output_meta = tuple((tuple(o.shape), o.dtype) for o in outs)
    node._output_device = backend.device_of(outs[0])
    for r, d in zip(results, differentiable):
        if d:
            r._grad_fn = node
    if on_record is not None:
        on_record(node)
    return results


class MultiOutputNode(Node):
    """Base of nodes with several outputs; unused ones receive zeros in backward."""

    __slots__ = ("_num_outputs", "_output_meta", "_output_device")


def keep_for_backward(result: Tensor, **params: Any) -> Tensor:
    """Store the op's parameters its rule reads (``axis=1``) on ``result``'s node, if it
    has one; returns ``result``. An op's function calls it right after ``record``."""
    node = result._grad_fn
    if node is not None:
        for name, value in params.items():
            setattr(node, name, value)
    return result
