"""Forward-mode AD's bookkeeping: which tensor carries which tangent, and ops whose
output tangents are still to be computed (see ``forward_ad`` for how they are used).

Tangents live in a table keyed by tensor identity (entries vanish with their tensor);
an op recorded under a level leaves a ``_Pending`` whose ``materialize`` computes its
outputs' tangents with ``_tangent_rules.output_tangents`` once the op has set its
parameters on the node.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

from .._core._grad_mode import _grad_enabled
from .._core._node import Node
from .._core._tensor import Tensor
from ..array_api._namespace import namespace_for
from ._tangent_rules import all_slots, output_tangents

#: id(tensor) -> (weakref to the tensor, its tangent Tensor)
_tangents: dict[int, tuple[Any, Tensor]] = {}
#: id(result) -> the _Pending that will compute its tangent
_pending: dict[int, _Pending] = {}
#: node -> tangents of its saved values (for create_graph backwards run under a level)
_saved_specs: weakref.WeakKeyDictionary[Node, tuple[Any, ...]] = weakref.WeakKeyDictionary()
_local = threading.local()  # .busy: this thread is computing a tangent (ops are plain)


# -- the tangent store -----------------------------------------------------------------------


def _set_tangent(t: Tensor, tangent: Tensor | None) -> None:
    key = id(t)
    if tangent is None:
        _tangents.pop(key, None)
        return

    def forget(ref: Any, key: int = key) -> None:
        entry = _tangents.get(key)
        if entry is not None and entry[0] is ref:
            del _tangents[key]

    _tangents[key] = (weakref.ref(t, forget), tangent)


def _tangent_of(t: Tensor) -> Tensor | None:
    pending = _pending.get(id(t))
    if pending is not None and any(r is t for r in pending.outputs()):
        pending.materialize()
    entry = _tangents.get(id(t))
    if entry is not None and entry[0]() is t:
        return entry[1]
    return None


def _enter_busy() -> bool:
    busy = getattr(_local, "busy", False)
    _local.busy = True
    return busy


def _flush() -> None:
    """Compute the tangents of finished ops (those whose node has all its parameters)."""
    for pending in list(_pending.values()):
        if pending.ready():
            pending.materialize()


class _Pending:
    """An op whose output tangents are still to be computed."""

    __slots__ = (
        "node",
        "inputs",
        "tangents",
        "results",
        "differentiable",
        "hidden",
        "grad_mode",
        "found",
    )

    def __init__(
        self,
        node: Node,
        inputs: tuple[Any, ...],
        numbers: tuple[Any, ...] | None,
        tangents: tuple[Any, ...],
        results: tuple[Tensor, ...],
        differentiable: tuple[bool, ...],
        hidden: bool,
    ) -> None:
        self.node = node
        # Python-number operands stand in for their missing tensors (``2 * x``)
        self.inputs = tuple(
            t if t is not None or numbers is None else numbers[i] for i, t in enumerate(inputs)
        )
        self.tangents = tangents
        self.results = results
        self.differentiable = differentiable
        self.hidden = hidden
        self.grad_mode = _grad_enabled.get()
        self.found: list[Tensor | None] | None = None  # output tangents, once computed
        for r in self.outputs():
            _pending[id(r)] = self
        if not hidden:  # a saved output's tangent comes from here (the output may be gone)
            _saved_specs[node] = tuple(
                tangents[s] if s >= 0 else (self, -1 - s) if differentiable[-1 - s] else None
                for s in type(node)._saved_from
            )

    def outputs(self) -> list[Tensor]:
        """The results that take part in differentiation (not integer indices)."""
        return [r for r, d in zip(self.results, self.differentiable) if d]

    def ready(self) -> bool:
        node = self.node
        return all(hasattr(node, name) for name in _param_slots(type(node)))

    def unhide(self) -> None:
        if self.hidden:
            for r in self.outputs():
                if r._grad_fn is self.node and not r._requires_grad:
                    r._grad_fn = None
                    r._output_nr = 0

    def materialize(self) -> None:
        for r in self.outputs():
            if _pending.get(id(r)) is self:
                del _pending[id(r)]
        self.unhide()
        busy = _enter_busy()
        token = _grad_enabled.set(self.grad_mode)
        try:
            outs = output_tangents(self, namespace_for(self.node._backend))
        finally:
            _grad_enabled.reset(token)
            _local.busy = busy
        self.found = []
        tangents = iter(outs)
        for r, d in zip(self.results, self.differentiable):
            tangent = next(tangents) if d else None
            self.found.append(tangent)
            if d:
                _set_tangent(r, tangent)

    def tangent(self, k: int) -> Tensor | None:
        """The tangent of result ``k`` (computed now if it is still pending)."""
        if self.found is None:
            self.materialize()
        return self.found[k] if self.found is not None else None


_SLOTS_CACHE: dict[type, tuple[str, ...]] = {}
_BASE_SLOTS = frozenset(Node.__slots__) | {"_num_outputs", "_output_meta", "_output_device"}


def _param_slots(cls: type) -> tuple[str, ...]:
    """The op parameters a node class declares (set by the op right after ``record``)."""
    found = _SLOTS_CACHE.get(cls)
    if found is None:
        found = _SLOTS_CACHE[cls] = tuple(n for n in all_slots(cls) if n not in _BASE_SLOTS)
    return found
