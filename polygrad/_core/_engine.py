"""The backward engine: ``backward()`` and ``autograd.grad()`` over the recorded graph.

Iterative (no recursion limit). Nodes are numbered as they are made (``Node._seq``),
after every node they point at, so running the highest number first runs each node
after all the nodes that feed it: that is the whole schedule of a plain ``backward()``,
and torch's order (its ready queue prefers the highest sequence number). Leaves then
accumulate last; torch runs them as soon as they are ready, which only hooks can see,
so once a hook has been registered (``_hook_dict.registered``), and where part of the
graph does not lead to ``autograd.grad``'s targets, the schedule comes from counting
each node's incoming edges (``_count_dependencies``): a node is ready when its count
reaches zero, ready leaves run first, and only the part leading to the targets runs. Each node's
gradients for its inputs are added into their buffers (``_grad_buffer``).
Without ``create_graph`` rules run on raw backend arrays (the fast path, inlined
below); with it they run on Tensors through polygrad's namespace, so the backward is
itself recorded. What happens at one node (hooks, fix-ups, release, accumulation into
``.grad``) is in ``_backward_step``.
"""

from __future__ import annotations

import itertools
from contextlib import nullcontext
from heapq import heapify, heappop, heappush
from sys import getrefcount
from typing import Any

from . import _hook_dict as hook_dict
from ._backward_step import accumulate_into_leaf, call_node, prepare_inputs
from ._grad_buffer import COUNTS_EVERY_REFERENCE, add_gradient
from ._grad_mode import _grad_enabled
from ._node import FREED_MESSAGE, AccumulateGrad, Node


def _count_dependencies(
    roots: list[tuple[Node, int]], capture: dict[Node, set[int]]
) -> tuple[dict[Node, int], bool]:
    """How many edges lead into each node reachable from the roots (one iterative walk),
    and whether every node found leads to a target of ``capture``: whether every path
    ends at a leaf that is one (a graph ends at nodes with no edge onward, leaves'
    ``AccumulateGrad``), found in the same walk."""
    first = list(dict.fromkeys(node for node, _ in roots))
    # roots start at 0, so a root below another root is walked once, not again as a child
    deps: dict[Node, int] = dict.fromkeys(first, 0)
    stack = list(first)
    all_lead = True
    while stack:
        node = stack.pop()
        onward = False
        for child, _ in node.next_functions:
            if child is not None:
                onward = True
                count = deps.get(child)
                if count is None:
                    deps[child] = 1
                    stack.append(child)
                else:
                    deps[child] = count + 1
        if not onward and (type(node) is not AccumulateGrad or node not in capture):
            all_lead = False  # a node with no edge onward that is not a target leaf
    for node in first:
        if not deps[node]:
            del deps[node]  # only roots that no other root reaches start ready
    return deps, all_lead


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
    restricted: dict[Node, int] = {}
    for node in reversed(order):  # children before parents
        edges = node.next_functions
        if any(c is not None and (c in runs or c in capture) for c, _ in edges):
            runs.add(node)
            # counted in the same pass (order does not matter for counts): one walk fewer
            for child, _ in edges:
                if child is not None:
                    restricted[child] = restricted.get(child, 0) + 1
    if accumulate:  # leaves have no children, so the counts stay as they are
        runs.update(n for n in capture if type(n) is AccumulateGrad)
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
    capture: dict[Node, set[int]] = {}
    runs: set[Node] | None = None
    deps: dict[Node, int] | None = None  # None: scheduled by sequence numbers alone
    if targets is not None:
        for node, nr in targets:
            capture.setdefault(node, set()).add(nr)
        counted, all_lead = _count_dependencies(roots, capture)
        if not all_lead:  # else restricting would keep every node
            runs, deps = _restrict_to_targets(roots, counted, capture, accumulate)
        elif hook_dict.registered:  # a hook could tell when leaves run: torch's timing
            deps = counted
    elif hook_dict.registered:
        deps = _count_dependencies(roots, capture)[0]

    buffers: dict[Node, Any] = {}
    for (node, nr), g in zip(roots, grads):
        add_gradient(buffers, node, nr, g, in_place=False)  # seeds may be the caller's
    in_place = not create_graph
    counts_every_reference = COUNTS_EVERY_REFERENCE  # a local: read once per node
    captured: dict[tuple[Node, int], Any] = {}
    # non-leaf nodes run highest sequence number first, as in torch's ready queue;
    # ready leaves run before them, in argument order (torch's priority), from ``leaves``
    ready = [
        (-node._seq, node)
        for node in dict.fromkeys(n for n, _ in roots)
        if deps is None or node not in deps
    ]
    heapify(ready)
    leaves: list[Node] = []
    previous_mode = _grad_enabled.get()
    _grad_enabled.set(create_graph)
    # inf and nan in gradients are values, as in torch: no NumPy warning from a rule
    quiet = roots[0][0]._backend.quiet_floating_point() if roots else nullcontext()
    with quiet:
        try:
            while leaves or ready:
                node = leaves.pop() if leaves else heappop(ready)[1]
                buffer = buffers.pop(node, None)
                if buffer is None:  # nothing arrived (dependency counts only)
                    input_grads = None
                elif (
                    type(node) is not AccumulateGrad
                    and node._hooks is None
                    and node._fix is None
                    and node._num_outputs == 1
                    and not create_graph
                    and (runs is None or node in runs)
                    and node not in capture
                ):  # the fast path, inlined: raw arrays, no hooks, no fix-ups
                    saved = node._saved
                    if saved is None:
                        raise RuntimeError(FREED_MESSAGE)
                    backend = node._backend
                    # a rule that can reuse its incoming gradient gets it when only this
                    # frame holds it (``held_only_by(buffer, 1)`` inlined: getrefcount's
                    # argument and this local)
                    if (
                        node._reuses_gradient
                        and counts_every_reference
                        and getrefcount(buffer) == 2
                        and backend.owns(buffer)
                    ):
                        input_grads = node.vjp_into(backend.xp, buffer, *saved)
                    else:
                        input_grads = node.vjp(backend.xp, buffer, *saved)
                    if not retain_graph and saved:
                        node._saved = None
                else:
                    input_grads = None
                    runs_node = runs is None or node in runs
                    if type(node) is AccumulateGrad:
                        runs_node = runs_node and accumulate
                        buffer = prepare_inputs(
                            node, buffer, create_graph, captured, capture, runs_node
                        )
                        if runs_node:
                            accumulate_into_leaf(node, buffer, create_graph)
                        continue
                    if node._hooks is not None or node in capture:
                        buffer = prepare_inputs(
                            node, buffer, create_graph, captured, capture, runs_node
                        )
                    if runs_node:
                        input_grads = call_node(node, buffer, create_graph, retain_graph)
                if deps is None:
                    # by sequence number: a child is ready when its first gradient
                    # arrives (the nodes feeding it all have higher numbers, so all
                    # run before it); one that receives none never runs
                    if input_grads is None:
                        continue
                    for (child, nr), g in zip(node.next_functions, input_grads):
                        if child is None or g is None:
                            continue
                        if child in buffers:
                            add_gradient(buffers, child, nr, g, in_place)
                            continue
                        if child._num_outputs == 1:
                            buffers[child] = g  # the first gradient to arrive
                        else:
                            add_gradient(buffers, child, nr, g, in_place)
                        heappush(ready, (-child._seq, child))
                    continue
                # by dependency counts: children wait for this node even when nothing
                # flows on (no input_grads)
                flowing = itertools.repeat(None) if input_grads is None else input_grads
                ready_leaves = None
                for (child, nr), g in zip(node.next_functions, flowing):
                    if child is None:
                        continue
                    remaining = deps.get(child)
                    if remaining is None:
                        continue  # not on a path to a target
                    if g is not None:
                        if child._num_outputs == 1 and child not in buffers:
                            buffers[child] = g  # the first gradient to arrive: nothing to add
                        else:
                            add_gradient(buffers, child, nr, g, in_place)
                    deps[child] = remaining - 1
                    if remaining == 1:
                        if type(child) is not AccumulateGrad:
                            heappush(ready, (-child._seq, child))
                        elif ready_leaves is None:
                            ready_leaves = [child]
                        else:
                            ready_leaves.append(child)
                if ready_leaves is not None:
                    leaves.extend(reversed(ready_leaves))  # the first is popped first
        finally:
            _grad_enabled.set(previous_mode)
    return captured
