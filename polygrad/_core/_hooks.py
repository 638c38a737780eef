"""Calling user hooks during backward, with torch's checks on what they return."""

from __future__ import annotations

from typing import Any

from ._tensor import Tensor, _make
from ._torch_type_names import legacy_type_name


def _hook_name(hook: Any) -> str:
    return getattr(hook, "__name__", type(hook).__name__)


def _torch_type_name(t: Tensor) -> str:
    return legacy_type_name(t)


def check_replacement(hook: Any, old: Tensor, new: Any) -> Tensor:
    """Validate a tensor returned by a hook in place of ``old``."""
    if not isinstance(new, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(new).__name__}'")
    if tuple(new.shape) != tuple(old.shape):
        raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the size of value")
    if new.dtype != old.dtype:
        raise RuntimeError(
            f"hook '{_hook_name(hook)}' has changed the type of value (was "
            f"{_torch_type_name(old)} got {_torch_type_name(new)})"
        )
    return new


def call_tensor_hook(hook: Any, grad: Tensor) -> Tensor:
    result = hook(grad)
    if result is None:
        return grad
    return check_replacement(hook, grad, result)


def _as_tensors(values: Any, backend: Any, create_graph: bool) -> tuple[Any, ...]:
    if create_graph:
        return tuple(values)
    return tuple(None if v is None else _make(v, backend) for v in values)


def _as_raw(values: Any, create_graph: bool) -> list[Any]:
    if create_graph:
        return list(values)
    return [None if v is None else v._data for v in values]


def _replace(hook: Any, old: tuple[Any, ...], new: Any) -> tuple[Any, ...]:
    if new is None:
        return old
    new = tuple(new)
    if len(new) != len(old):
        raise RuntimeError(
            f"hook '{_hook_name(hook)}' has returned an incorrect number of values "
            f"(got {len(new)}, but expected {len(old)})"
        )
    out = []
    for o, n in zip(old, new):
        if o is None and n is not None:
            raise RuntimeError("can't replace a None gradient with a non-None value")
        out.append(n if n is None else check_replacement(hook, o, n))
    return tuple(out)


def call_node_prehooks(node: Any, hooks: Any, slots: list[Any], create_graph: bool) -> list[Any]:
    grads = _as_tensors(slots, node._backend, create_graph)
    for hook in list(hooks.values()):
        grads = _replace(hook, grads, hook(grads))
    return _as_raw(grads, create_graph)


def call_node_posthooks(
    node: Any, hooks: Any, grad_inputs: Any, buffer: Any, create_graph: bool
) -> tuple[Any, ...]:
    outputs = [buffer] if node._num_outputs == 1 else buffer
    grad_outputs = _as_tensors(outputs, node._backend, create_graph)
    grads = _as_tensors(grad_inputs, node._backend, create_graph)
    for hook in list(hooks.values()):
        grads = _replace(hook, grads, hook(grads, grad_outputs))
    return tuple(_as_raw(grads, create_graph))
