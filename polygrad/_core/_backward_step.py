"""What the backward engine does at one node, around the graph walk (``_engine``).

Before a node runs: tensor hooks, ``retain_grad`` and captured gradients on what it
receives (``prepare_inputs``). Running it: its rule through the right namespace (raw
arrays, or polygrad's namespace when ``create_graph`` records the backward), anomaly
mode's check, the fix-ups that bring each gradient to its input's shape and dtype
(``fix_grad``, the one place broadcasting is undone), post-hooks, and releasing saved
values (``call_node``). At a leaf: accumulating into ``.grad`` and its post-accumulate
hooks (``accumulate``).
"""

from __future__ import annotations

from typing import Any

from . import _callbacks
from ._dtypes import real_if_complex_to_real
from ._hooks import call_node_posthooks, call_node_prehooks, call_tensor_hook
from ._node import AccumulateGrad, Node
from ._tensor import Tensor, _make


def _sum_to(xp: Any, g: Any, shape: tuple[int, ...]) -> Any:
    """Undo broadcasting: sum ``g`` down to ``shape`` (the one place this happens)."""
    gshape = tuple(g.shape)
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and gshape[lead + i] != 1
    )
    if axes:
        g = xp.sum(g, axis=axes, keepdims=True)
    if lead:
        g = xp.reshape(g, shape)
    return g


def fix_grad(xp: Any, g: Any, spec: tuple[Any, ...] | None) -> Any:
    """Bring a rule's gradient to its input's shape and dtype."""
    if spec is None or g is None:
        return g
    shape, dtype = spec
    if shape is not None:
        g = _sum_to(xp, g, shape)
    if dtype is not None and g.dtype != dtype:
        g = xp.astype(real_if_complex_to_real(xp, g, dtype), dtype)
    return g


def _run_hooks(hooks: Any, value: Any, create_graph: bool, backend: Any) -> Any:
    """Tensor hooks see and return Tensors; returns a raw array in fast mode."""
    tensor = value if create_graph else _make(value, backend)
    for hook in list(hooks.values()):
        tensor = call_tensor_hook(hook, tensor)
    return tensor if create_graph else tensor._data


def prepare_inputs(
    node: Node,
    buffer: Any,
    create_graph: bool,
    captured: dict[tuple[Node, int], Any],
    capture: dict[Node, set[int]],
    runs_node: bool,
) -> Any:
    """Tensor hooks, retain_grad and captures on the gradients a node is about to receive.

    torch's order: tensor hooks (a leaf's, on its ``AccumulateGrad``, included), then the
    node's pre-hooks (only when the node runs: not for what ``autograd.grad`` captures),
    then ``retain_grad``.
    """
    if type(node) is AccumulateGrad:
        leaf = node.variable
        if leaf is not None and leaf._extra is not None and leaf._extra.hooks:
            buffer = _run_hooks(leaf._extra.hooks, buffer, create_graph, node._backend)
    hooks = node._hooks
    if hooks is not None:
        single = node._num_outputs == 1
        slots = [buffer] if single else buffer
        for nr, tensor_hooks in hooks.tensor_pre.items():
            if slots[nr] is not None and tensor_hooks:
                slots[nr] = _run_hooks(tensor_hooks, slots[nr], create_graph, node._backend)
            elif tensor_hooks:  # torch calls hooks of an unused output with None
                for hook in list(tensor_hooks.values()):
                    hook(None)
        if hooks.pre and runs_node:
            slots = call_node_prehooks(node, hooks.pre, slots, create_graph)
        for nr, ref in hooks.retain.items():
            tensor = ref()
            if tensor is not None and slots[nr] is not None:
                _retain(tensor, slots[nr], create_graph)
        buffer = slots[0] if single else slots
    wanted = capture.get(node)
    if wanted:
        slots = [buffer] if node._num_outputs == 1 else buffer
        for nr in wanted:
            captured[(node, nr)] = slots[nr]
    return buffer


def _vjp(node: Node, buffer: Any, create_graph: bool) -> tuple[Any, Any]:
    """The namespace the rule ran with, and the gradients it returned."""
    g: Any  # the output gradient, or a tuple of them for a multi-output node
    if create_graph:
        xp = _callbacks.recording_namespace(node._backend)
        if node._num_outputs == 1:
            g = buffer if isinstance(buffer, Tensor) else _make(buffer, node._backend)
        else:
            g = tuple(_materialize(node, i, s, True) for i, s in enumerate(buffer))
        return xp, node.vjp(xp, g, *node._saved_tensors())
    xp = node._backend.xp
    g = (
        buffer
        if node._num_outputs == 1
        else tuple(_materialize(node, i, s, False) for i, s in enumerate(buffer))
    )
    return xp, node.vjp(xp, g, *node._saved_raw())


def call_node(node: Node, buffer: Any, create_graph: bool, retain_graph: bool) -> Any:
    if node._hooks is not None and node._hooks.forward_trace is not None:
        grads = _callbacks.run_checked(node, lambda: _vjp(node, buffer, create_graph)[1])
        xp = namespace_or_raw(node, create_graph)
    else:
        xp, grads = _vjp(node, buffer, create_graph)
    fix = node._fix
    if fix is not None:
        grads = tuple(fix_grad(xp, gi, spec) for gi, spec in zip(grads, fix))
    hooks = node._hooks
    if hooks is not None and hooks.post:
        grads = call_node_posthooks(node, hooks.post, grads, buffer, create_graph)
    if not retain_graph:
        node._release()
    return grads


def namespace_or_raw(node: Node, create_graph: bool) -> Any:
    if create_graph:
        return _callbacks.recording_namespace(node._backend)
    return node._backend.xp


def _materialize(node: Node, index: int, g: Any, create_graph: bool) -> Any:
    """Unused outputs of multi-output nodes receive zeros, as torch's built-ins do."""
    if g is not None:
        return g if not create_graph or isinstance(g, Tensor) else _make(g, node._backend)
    ctx = getattr(node, "ctx", None)  # a custom Function that set_materialize_grads(False)
    if ctx is not None and not ctx.materialize_grads:
        return None
    shape, dtype = node._output_meta[index]
    zeros = node._backend.xp.zeros(shape, dtype=dtype, device=node._output_device)
    return _make(zeros, node._backend) if create_graph else zeros


def _retain(tensor: Tensor, g: Any, create_graph: bool) -> None:
    value = g if create_graph else _make(g, tensor._backend)
    if not create_graph:
        value._vc[1] = 0  # its buffer may be shared: copy on first in-place write
    if tensor._grad is None:
        tensor._grad = value
    else:
        tensor._grad = (
            tensor._grad + value if create_graph else _make(tensor._grad._data + g, tensor._backend)
        )


def _copy_of_graph(g: Tensor) -> Tensor:
    """torch stores a graph gradient as a copy into a fresh buffer: its node is
    ``CopyBackwards`` (edges: none, then g's node), so later in-place accumulations
    without create_graph keep that node."""
    empty = _make(g._backend.xp.zeros_like(g._data), g._backend)
    return _callbacks.recorded_copy(empty, g)


def accumulate_into_leaf(node: AccumulateGrad, g: Any, create_graph: bool) -> None:
    leaf = node.variable
    if leaf is None:
        return
    if create_graph:
        gt = g if isinstance(g, Tensor) else _make(g, leaf._backend)
        gt = fix_grad(gt.__array_namespace__(), gt, (tuple(leaf._data.shape), None))
        if leaf._grad is None:
            leaf._grad = _copy_of_graph(gt) if gt._grad_fn is not None else gt.detach()
        else:
            leaf._grad = leaf._grad + gt
    else:
        grad = leaf._grad
        if grad is None:
            grad = leaf._grad = _make(g, leaf._backend)
            grad._vc[1] = 0  # the buffer may be shared with other grads: copy on write
        else:
            # same Tensor object, new buffer (safe on all backends); bounded: many
            # backward calls without zero_grad must not chain one lazy graph (Dask)
            grad._data = leaf._backend.bounded(grad._data + g)
            grad._vc[0] += 1
    extra = leaf._extra
    if extra is not None and extra.post_acc_hooks:
        for hook in list(extra.post_acc_hooks.values()):
            result = hook(leaf)
            if result is None or result is leaf:
                continue
            if not isinstance(result, Tensor):
                raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
            raise RuntimeError("Tensor post accumulate grad hooks should return None.")
    hooks = node._hooks
    if hooks is not None and hooks.post:  # after the post-accumulate hooks, as torch
        call_node_posthooks(node, hooks.post, (), g, create_graph)
