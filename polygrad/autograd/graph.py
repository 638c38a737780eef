"""Graph utilities: saved-tensor hooks, gradient edges, the node type.

``saved_tensors_hooks(pack, unpack)`` calls ``pack(tensor)`` once for every value
a node saves in the forward and ``unpack(packed)`` each time the backward uses
it (e.g. to offload or compress activations); ``save_on_cpu`` moves saved values
to the CPU on torch CUDA and is a no-op elsewhere. polygrad already keeps the
forward's value when a saved tensor is later modified in place, so
``allow_mutation_on_saved_tensors`` is accepted and changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from .._core._node import Node, _edge
from .._core._tensor import Tensor
from . import _watch


class saved_tensors_hooks:
    """Context manager installing ``pack``/``unpack`` hooks for values saved by nodes."""

    def __init__(self, pack_hook: Any, unpack_hook: Any) -> None:
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self) -> saved_tensors_hooks:
        if _watch.disabled_message:
            raise RuntimeError(_watch.disabled_message[-1])
        _watch.hook_stack.append((self.pack_hook, self.unpack_hook))
        _watch.refresh()
        return self

    def __exit__(self, *exc: object) -> None:
        _watch.hook_stack.pop()
        _watch.refresh()


@contextmanager
def disable_saved_tensors_hooks(error_message: str) -> Iterator[None]:
    """Inside this block, installing saved-tensor hooks raises ``RuntimeError(error_message)``."""
    _watch.disabled_message.append(error_message)
    try:
        yield
    finally:
        _watch.disabled_message.pop()


class save_on_cpu(saved_tensors_hooks):
    """Keep saved values on the CPU (torch CUDA tensors); a no-op for CPU-only backends."""

    def __init__(self, pin_memory: bool = False, device_type: str = "cuda") -> None:
        def pack(t: Tensor) -> Any:
            device = t.device
            if not t._backend.saves_on_cpu or str(device).startswith("cpu"):
                return (device, t)
            return (device, t._backend.to_device(t, "cpu"))

        def unpack(packed: Any) -> Tensor:
            device, t = packed
            return t if t.device == device else t._backend.to_device(t, device)

        super().__init__(pack, unpack)


@contextmanager
def allow_mutation_on_saved_tensors() -> Iterator[None]:
    """Accepted for torch compatibility: polygrad always allows this (it copies on write)."""
    yield


class GradientEdge(NamedTuple):
    """A point in the graph a gradient flows into: ``(node, output_nr)``."""

    node: Node | None
    output_nr: int


def get_gradient_edge(tensor: Tensor) -> GradientEdge:
    """The edge ``tensor``'s gradient flows into (its grad_fn, or its leaf accumulator)."""
    if not tensor.requires_grad:
        raise RuntimeError(
            "It is not possible to get the gradient edge for a Tensor that does "
            "not require gradients"
        )
    return GradientEdge(*_edge(tensor))


def increment_version(tensor: Tensor) -> None:
    """Bump the version counter as an in-place op would."""
    tensor._vc[0] += 1


__all__ = [
    "GradientEdge",
    "Node",
    "allow_mutation_on_saved_tensors",
    "disable_saved_tensors_hooks",
    "get_gradient_edge",
    "increment_version",
    "save_on_cpu",
    "saved_tensors_hooks",
]
