"""The backward engine: ``backward()`` and ``autograd.grad()`` over the recorded graph.

Iterative (no recursion limit): one walk counts each node's incoming edges, then
nodes run as soon as every gradient for them has arrived. Without
``create_graph`` rules run on raw backend arrays (the fast path); with it they run
on Tensors through polygrad's namespace, so the backward is itself recorded.
Saved values are released as each node finishes unless ``retain_graph``.
"""

from __future__ import annotations

import sys
from sys import getrefcount
from typing import Any

from . import _callbacks
from ._dtypes import real_if_complex_to_real
from ._grad_mode import _grad_enabled
from ._hooks import call_node_posthooks, call_node_prehooks, call_tensor_hook
from ._node import FREED_MESSAGE, AccumulateGrad, Node
from ._tensor import Tensor, _make

#: CPython before 3.14 counts every reference, frame locals included; 3.14 may skip
#: some (borrowed stack references), so a low count no longer proves sole ownership
_COUNTS_EVERY_REFERENCE = sys.implementation.name == "cpython" and sys.version_info < (3, 14)


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


def _count_dependencies(roots: list[tuple[Node, int]]) -> dict[Node, int]:
    """How many edges lead into each node reachable from the roots (one iterative walk)."""
    first = list(dict.fromkeys(node for node, _ in roots))
    # roots start at 0, so a root below another root is walked once, not again as a child
    deps: dict[Node, int] = dict.fromkeys(first, 0)
    stack = list(first)
    while stack:
        for child, _ in stack.pop().next_functions:
            if child is not None:
                count = deps.get(child)
                if count is None:
                    deps[child] = 1
                    stack.append(child)
                else:
                    deps[child] = count + 1
    for node in first:
        if not deps[node]:
            del deps[node]  # only roots that no other root reaches start ready
    return deps


def _restrict_to_targets(
    roots: list[tuple[Node, int]],
    deps: dict[Node, int],
    capture: dict[Node, set[int]],
    accumulate: bool,
) -> tuple[set[Node], dict[Node, int]]:
    """The nodes that lead to a target, and dependency counts among them only."""
    remaining = dict(deps)
    order = []
    ready = [n for n in dict.fromkeys(node for node, _ in roots) if n not in remaining]
    while ready:  # Kahn's order: parents before children
        node = ready.pop()
        order.append(node)
        for child, _ in node.next_functions:
            if child is not None:
                remaining[child] -= 1
                if remaining[child] == 0:
                    ready.append(child)
    runs: set[Node] = set()
    for node in reversed(order):  # children before parents
        if any(c is not None and (c in runs or c in capture) for c, _ in node.next_functions):
            runs.add(node)
    if accumulate:
        runs.update(n for n in capture if type(n) is AccumulateGrad)
    restricted: dict[Node, int] = {}
    for node in order:
        if node in runs:
            for child, _ in node.next_functions:
                if child is not None:
                    restricted[child] = restricted.get(child, 0) + 1
    return runs, restricted


def execute(
    roots: list[tuple[Node, int]],
    grads: list[Any],
    *,
    retain_graph: bool,
    create_graph: bool,
    targets: list[tuple[Node, int]] | None = None,
    accumulate: bool = True,
) -> dict[tuple[Node, int], Any]:
    """Run the graph backward from ``roots`` seeded with ``grads``.

    With ``targets`` only the part of the graph that leads to them runs, and the
    gradient arriving at each target edge is returned (for ``autograd.grad`` and
    ``backward(inputs=...)``); otherwise every leaf accumulates into ``.grad``.
    """
    deps = _count_dependencies(roots)
    capture: dict[Node, set[int]] = {}
    runs: set[Node] | None = None
    if targets is not None:
        for node, nr in targets:
            capture.setdefault(node, set()).add(nr)
        runs, deps = _restrict_to_targets(roots, deps, capture, accumulate)

    buffers: dict[Node, Any] = {}
    for (node, nr), g in zip(roots, grads):
        _add_to_buffer(buffers, node, nr, g)
    captured: dict[tuple[Node, int], Any] = {}
    ready = [node for node in dict.fromkeys(n for n, _ in roots) if node not in deps]
    previous_mode = _grad_enabled.get()
    _grad_enabled.set(create_graph)
    try:
        while ready:
            node = ready.pop()
            buffer = buffers.pop(node, None)
            input_grads = None
            if buffer is not None:
                if node._hooks is not None or capture or type(node) is AccumulateGrad:
                    buffer = _prepare_inputs(node, buffer, create_graph, captured, capture)
                if runs is None or node in runs:
                    if type(node) is AccumulateGrad:
                        if accumulate:
                            _accumulate(node, buffer, create_graph)
                        continue
                    if (
                        create_graph
                        or node._num_outputs != 1
                        or node._fix is not None
                        or node._hooks is not None
                    ):
                        input_grads = _call_node(node, buffer, create_graph, retain_graph)
                    else:  # the fast path, inlined: raw arrays, no hooks, no fix-ups
                        saved = node._saved
                        if saved is None:
                            raise RuntimeError(FREED_MESSAGE)
                        backend = node._backend
                        # a rule that can reuse its incoming gradient gets it when only this
                        # frame holds it (refs: buffer, the call's argument)
                        if (
                            node._reuses_gradient
                            and _COUNTS_EVERY_REFERENCE
                            and getrefcount(buffer) == 2
                            and backend.owns(buffer)
                        ):
                            input_grads = node.vjp_into(backend.xp, buffer, *saved)
                        else:
                            input_grads = node.vjp(backend.xp, buffer, *saved)
                        if not retain_graph and saved:
                            node._saved = None
            if input_grads is None:  # nothing flows on, but children still wait for us
                for child, _ in node.next_functions:
                    if child is None:
                        continue
                    remaining = deps.get(child)
                    if remaining is not None:
                        deps[child] = remaining - 1
                        if remaining == 1:
                            ready.append(child)
                continue
            for (child, nr), g in zip(node.next_functions, input_grads):
                if child is None:
                    continue
                remaining = deps.get(child)
                if remaining is None:
                    continue  # not on a path to a target
                if g is not None:
                    if child._num_outputs == 1:
                        old = buffers.get(child)
                        if old is None:
                            buffers[child] = g
                        # in place when only the buffer holds it (refs: dict, old, the
                        # call's argument), as torch's InputBuffer does
                        elif (
                            create_graph
                            or not _COUNTS_EVERY_REFERENCE
                            or getrefcount(old) != 3
                            or not child._backend.add_into(old, g)
                        ):
                            buffers[child] = old + g
                    else:
                        _add_to_buffer(buffers, child, nr, g)
                deps[child] = remaining - 1
                if remaining == 1:
                    ready.append(child)
    finally:
        _grad_enabled.set(previous_mode)
    return captured


def _add_to_buffer(buffers: dict[Node, Any], node: Node, nr: int, g: Any) -> None:
    if node._num_outputs == 1:
        old = buffers.get(node)
        buffers[node] = g if old is None else old + g
        return
    slots = buffers.get(node)
    if slots is None:
        slots = buffers[node] = [None] * node._num_outputs
    old = slots[nr]
    slots[nr] = g if old is None else old + g


def _prepare_inputs(
    node: Node,
    buffer: Any,
    create_graph: bool,
    captured: dict[tuple[Node, int], Any],
    capture: dict[Node, set[int]],
) -> Any:
    """Tensor hooks, retain_grad and captures on the gradients a node is about to receive."""
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
        if hooks.pre:
            slots = call_node_prehooks(node, hooks.pre, slots, create_graph)
        for nr, ref in hooks.retain.items():
            tensor = ref()
            if tensor is not None and slots[nr] is not None:
                _retain(tensor, slots[nr], create_graph)
        buffer = slots[0] if single else slots
    if type(node) is AccumulateGrad:
        leaf = node.variable
        if leaf is not None and leaf._extra is not None and leaf._extra.hooks:
            buffer = _run_hooks(leaf._extra.hooks, buffer, create_graph, node._backend)
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


def _call_node(node: Node, buffer: Any, create_graph: bool, retain_graph: bool) -> Any:
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


def _accumulate(node: AccumulateGrad, g: Any, create_graph: bool) -> None:
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
            grad._data = grad._data + g  # same Tensor object, new buffer (safe on all backends)
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
