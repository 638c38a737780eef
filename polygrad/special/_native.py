"""Runs a special function on raw arrays with the backend's own implementation.

``scipy.special`` for NumPy, ``torch.special`` for torch, ``jax.scipy.special`` for
JAX; other backends go through NumPy and ``scipy.special`` and back. ``_unary``
records one node around such a call; ``_call`` is the same call inside a rule.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .._core._node import Node
from .._core._record import _SCALARS, operand, record
from .._core._tensor import Tensor

_found: dict[tuple[str, str], Callable[..., Any]] = {}


def native(backend: Any, name: str) -> Callable[..., Any]:
    """The backend's own ``name`` on raw arrays (through NumPy/SciPy where it has none)."""
    key = (backend.name, name)
    fn = _found.get(key)
    if fn is None:
        module = backend.special_module
        fn = getattr(importlib.import_module(module), name, None) if module else None
        if fn is None:
            fn = _via_numpy(backend, getattr(importlib.import_module("scipy.special"), name))
        _found[key] = fn
    return fn


def _via_numpy(backend: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        like = next(a for a in args if not isinstance(a, _SCALARS))
        out = fn(*[a if isinstance(a, _SCALARS) else backend.to_numpy(a) for a in args])
        return backend.asarray(out, device=backend.device_of(like))

    return run


def _compute(backend: Any, name: str, *args: Any) -> Any:
    """Run the native function; keep the floating input's dtype (SciPy may widen it)."""
    out = native(backend, name)(*args)
    like = next((a for a in args if not isinstance(a, _SCALARS)), None)
    if like is not None and type(out) is not type(like):
        out = backend.xp.asarray(out)  # NumPy ufuncs return scalars for 0-d input
    if like is not None and out.dtype != like.dtype and backend.pg_dtype(like.dtype).differentiable:
        out = backend.xp.astype(out, like.dtype)
    return out


def _call(node: Node, name: str, *args: Any) -> Any:
    """A special function inside a rule: recorded on Tensors, native on raw arrays."""
    if any(isinstance(a, Tensor) for a in args):
        return getattr(importlib.import_module(__package__), name)(*args)
    return _compute(node._backend, name, *args)


def _unary(cls: type[Node], name: str, x: Any) -> Tensor:
    x = operand(x)
    return record(cls, (x,), _compute(x._backend, name, x._data), x._backend)
