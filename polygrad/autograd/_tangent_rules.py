"""Applying an op's tangent (Jacobian-vector product) rule, and the double-vjp fallback.

``output_tangents(pending, xp)`` computes the tangents of one recorded op's outputs
from its inputs' tangents with the node class's ``jvp(self, xp, tangents, inputs,
outputs)``, written next to its ``vjp`` in ``polygrad/ops`` (``tangents`` has one
entry per input, None where an input carries none; ``inputs`` are the op's operands,
tensors or the Python numbers that stood for them; ``outputs`` its results). A class
without one gets the double-vjp ``J v = d/du <vjp(u), v>`` (exact: a vjp is linear in
``u``; ``<,>`` is the real inner product, ``Re(conj(a) b)`` on complex values);
``tests/autograd/test_forward_ad.py`` lists the few ops allowed to rely on it, and
checks every rule against torch.func.jvp and against that fallback.
"""

from __future__ import annotations

from typing import Any

from .._core._backward_step import fix_grad
from .._core._grad_mode import _grad_enabled
from .._core._node import Node, new_node
from .._core._tensor import Tensor, _make
from ..ops._support import add_tangents, conj
from ._entry import grad

_NEEDED = new_node(Node, (), (), None)  # an edge that tells a vjp "this input needs a gradient"


def tangent_rule(cls: type) -> Any:
    """The node class's own ``jvp``, or None (then the double-vjp is used)."""
    return getattr(cls, "jvp", None)


def _saved(pending: Any) -> tuple[Any, ...]:
    """The values ``_saved_from`` names, as tensors (or numbers), for ``jvp``/``vjp``."""
    return tuple(
        pending.inputs[s] if s >= 0 else pending.results[-1 - s]
        for s in type(pending.node)._saved_from
    )


def _conform(xp: Any, tangent: Any, like: Tensor) -> Tensor:
    """A rule's tangent in its output's shape and dtype (zeros where it gave none)."""
    if tangent is None:
        return xp.zeros_like(like)
    if not isinstance(tangent, Tensor):
        tangent = xp.asarray(tangent)
    if tuple(tangent.shape) != tuple(like.shape):
        tangent = xp.broadcast_to(tangent, tuple(like.shape))
    if tangent.dtype != like.dtype:
        tangent = xp.astype(tangent, like.dtype)
    return tangent


def output_tangents(pending: Any, xp: Any) -> list[Tensor]:
    """Tangents of ``pending``'s differentiable outputs (in order)."""
    node = pending.node
    outputs = pending.outputs()
    rule = tangent_rule(type(node))
    if rule is None:
        return double_vjp(pending, xp)
    found = rule(node, xp, pending.tangents, pending.inputs, tuple(pending.results))
    if len(pending.results) == 1:
        found = (found,)
    else:
        found = tuple(f for f, d in zip(found, pending.differentiable) if d)
    return [_conform(xp, f, r) for f, r in zip(found, outputs)]


def all_slots(cls: type) -> tuple[str, ...]:
    """Every slot of a node class, in the order its classes declare them (to copy a node
    with its parameters)."""
    names: list[str] = []
    for klass in cls.__mro__:
        for name in klass.__dict__.get("__slots__", ()):
            if not name.startswith("__") and name not in names:
                names.append(name)
    return tuple(names)


def _shadow(node: Any) -> Any:
    """A copy of ``node`` whose vjp computes a gradient for every input."""
    cls = type(node)
    copy = object.__new__(cls)
    for name in all_slots(cls):
        if hasattr(node, name):
            setattr(copy, name, getattr(node, name))
    copy.next_functions = tuple((_NEEDED, 0) for _ in node.next_functions)
    copy._hooks = None
    copy._fix = None
    copy._saved = ()
    return copy


def double_vjp(pending: Any, xp: Any) -> list[Tensor]:
    """``J v = d/du <vjp(u), v>``: tangents from the op's vjp alone."""
    node = pending.node
    backend = node._backend
    seeds = []
    for r, d in zip(pending.results, pending.differentiable):
        zeros = backend.xp.zeros_like(r._data)
        seeds.append(_make(zeros, backend, None, 0, True) if d else _make(zeros, backend))
    outputs = pending.outputs()
    token = _grad_enabled.set(True)
    try:
        g = _shadow(node).vjp(xp, seeds[0] if len(seeds) == 1 else tuple(seeds), *_saved(pending))
        total = None
        for gi, ti, x in zip(g, pending.tangents, pending.inputs):
            if gi is None or ti is None:
                continue
            if not isinstance(gi, Tensor):
                gi = _make(gi, backend)
            gi = fix_grad(xp, gi, (tuple(x.shape), x.dtype))
            # the real inner product: on complex values, Re(conj(gi) ti)
            total = add_tangents(total, xp.real(xp.sum(conj(xp, gi) * ti)))
    finally:
        _grad_enabled.reset(token)
    if total is None or not total.requires_grad:
        return [xp.zeros_like(r) for r in outputs]
    seeds_used = [s for s, d in zip(seeds, pending.differentiable) if d]
    found = grad(
        total, seeds_used, allow_unused=True, materialize_grads=True, create_graph=pending.grad_mode
    )
    return [_conform(xp, f, r) for f, r in zip(found, outputs)]
