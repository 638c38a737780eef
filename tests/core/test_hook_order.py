"""The order in which backward calls hooks, compared with torch.autograd as whole
sequences: every node's pre- and post-hooks, tensor hooks on intermediates and leaves,
and post-accumulate hooks, on several graph shapes and on every backend.

torch runs a node's tensor hooks, then its pre-hooks, the node, then its post-hooks;
at a leaf that is the tensor hook, the ``AccumulateGrad`` pre-hook, the accumulation
(and the post-accumulate hook), then the ``AccumulateGrad`` post-hook. Leaves run as
soon as they are ready (torch gives ``AccumulateGrad`` the highest priority), in the
order of the arguments that reached them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch
from conftest import BACKENDS

import polygrad as pg


def reachable(root: Any) -> list[Any]:
    """Every node reachable from ``root``'s ``grad_fn``, each once."""
    seen: dict[int, Any] = {}
    stack = [root.grad_fn]
    while stack:
        node = stack.pop()
        if node is None or id(node) in seen:
            continue
        seen[id(node)] = node
        stack.extend(child for child, _ in node.next_functions)
    return list(seen.values())


def instrument(root: Any, named: dict[str, Any], leaves: list[str], log: list[str]) -> None:
    """Log every hook the backward of ``root`` can call, by a name that both libraries share."""

    def label(node: Any) -> str:
        if node.name().endswith("AccumulateGrad"):
            return "acc_" + next(k for k, t in named.items() if t is node.variable)
        return node.name()

    for node in reachable(root):
        node.register_prehook(lambda g, node=node: log.append(label(node) + "_pre"))
        node.register_hook(lambda gi, go, node=node: log.append(label(node) + "_post"))
    for name, tensor in named.items():
        tensor.register_hook(lambda g, name=name: log.append(name + "_hook"))
    for name in leaves:
        named[name].register_post_accumulate_grad_hook(
            lambda t, name=name: log.append(name + "_post_accumulate")
        )


Leaf = Callable[[list[float]], Any]


def times_two(lib: Any, leaf: Leaf) -> tuple[dict[str, Any], Any]:
    x = leaf([1.0, 2.0])
    y = x * 2
    return {"x": x, "y": y}, y.sum()


def product_of_two_leaves(lib: Any, leaf: Leaf) -> tuple[dict[str, Any], Any]:
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    return {"x": x, "w": w}, (x * w).sum()


def diamond(lib: Any, leaf: Leaf) -> tuple[dict[str, Any], Any]:
    x = leaf([1.0, 2.0])
    a, b = x.exp(), x * 3
    return {"x": x, "a": a, "b": b}, (a + b).sum()


def affine_squared(lib: Any, leaf: Leaf) -> tuple[dict[str, Any], Any]:
    x, w, b = leaf([1.0, 2.0]), leaf([3.0, 4.0]), leaf([0.5, 0.5])
    h = x * w + b
    return {"x": x, "w": w, "b": b, "h": h}, (h * h).sum()


def square_of_a_leaf(lib: Any, leaf: Leaf) -> tuple[dict[str, Any], Any]:
    x = leaf([1.0, 2.0])
    y = x * x
    return {"x": x, "y": y}, y.sum()


def stack_of_three(lib: Any, leaf: Leaf) -> tuple[dict[str, Any], Any]:
    a, b, c = leaf([1.0]), leaf([2.0]), leaf([3.0])
    return {"a": a, "b": b, "c": c}, lib.stack([a, b, c]).sum()


def two_layers(lib: Any, leaf: Leaf) -> tuple[dict[str, Any], Any]:
    x, w1, w2 = leaf([1.0, -2.0]), leaf([0.5, 0.25]), leaf([2.0, 3.0])
    h = (x * w1).exp()
    out = (h * w2).sum()
    return {"x": x, "w1": w1, "w2": w2, "h": h}, out


SCENARIOS = [
    times_two,
    product_of_two_leaves,
    diamond,
    affine_squared,
    square_of_a_leaf,
    stack_of_three,
    two_layers,
]


def torch_leaf(values: list[float]) -> Any:
    return torch.tensor(values, dtype=torch.float64, requires_grad=True)


def hook_sequence(lib: Any, leaf: Leaf, scenario: Any, run: str) -> list[str]:
    named, root = scenario(lib, leaf)
    leaves = [k for k, t in named.items() if t.is_leaf]
    log: list[str] = []
    instrument(root, named, leaves, log)
    if run == "backward":
        root.backward()
    else:
        lib.autograd.grad(root, [named[k] for k in leaves])
    return log


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("run", ["backward", "autograd.grad"])
@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_hook_order_matches_torch(scenario, run, backend):
    expected = hook_sequence(torch, torch_leaf, scenario, run)

    def pg_leaf(values: list[float]) -> Any:
        return pg.tensor(np.array(values), backend=backend, requires_grad=True)

    with pg.backend(backend):
        assert hook_sequence(pg, pg_leaf, scenario, run) == expected


def test_the_reported_leaf_sequence():
    """``y = x * 2; s = y.sum()``: torch's exact sequence at the leaf."""
    assert hook_sequence(torch, torch_leaf, times_two, "backward")[-4:] == [
        "x_hook",
        "acc_x_pre",
        "x_post_accumulate",
        "acc_x_post",
    ]
