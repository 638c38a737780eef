"""Forward-mode AD: Jacobian-vector products carried along with the forward pass.

torch's ``torch.autograd.forward_ad``, on every backend::

    import polygrad.autograd.forward_ad as fwAD

    with fwAD.dual_level():
        x = fwAD.make_dual(primal, tangent)     # a tensor that carries a tangent
        y = f(x)                                # any polygrad code
        value, jvp = fwAD.unpack_dual(y)        # jvp = J_f(primal) @ tangent

How it works. While a level is open, ``record``/``record_multi`` (polygrad/_core/_record.py)
hand each op to ``_on_record``; when no level is open that costs the per-op path one
``is not None`` test. When an input carries a tangent, the op's node is built (a
hidden one when nothing requires grad) and the output's tangent is computed a moment
later: at the next op, ``unpack_dual``, an in-place commit or when the output is used,
because ops set their parameters (``exponent``, ``axes``...) on the node after
``record`` returns. A tangent comes from:

1. the node class's ``jvp(self, xp, tangents, inputs, outputs)``, written next to its
   ``vjp`` in ``polygrad/ops`` (``tangents`` has one entry per input, None where the
   input has none; ``inputs`` are the op's operands, tensors or the Python numbers that
   stood for them; ``outputs`` its results; returning None means a zero tangent). A
   one-input elementwise op gets both from one derivative (``ops/_elementwise_node``);
2. for the few ops without one, the double-vjp fallback: ``J v = d/du <vjp(u), v>``,
   exact for every op whose ``vjp`` is differentiable (it is linear in ``u``), at the
   price of two small backward passes. ``tests/autograd/test_forward_ad.py`` keeps the
   list of those ops, each with the reason, and fails on any other op without a ``jvp``.

Tangent computations are polygrad ops, so they are recorded when something needs
grad (reverse-over-forward: ``pg.grad`` of a ``jvp``), and values saved for a
``create_graph`` backward keep their tangents (forward-over-reverse:
``jacfwd(jacrev(f))``). One level at a time, as in torch; the functional ``jvp`` uses
reverse-mode double-vjp when a level is already open, so ``jacfwd(jacfwd(f))`` works.
A custom ``Function`` gets its outputs' tangents from its ``jvp(ctx, *tangents)``
staticmethod (torch's ``NotImplementedError`` when it has none).
"""

from __future__ import annotations

import sys
from collections import namedtuple
from typing import Any, cast

from .._core import _callbacks, _record
from .._core._grad_mode import _DecoratorContextManager, _inference
from .._core._node import Node, new_node
from .._core._record import operand
from .._core._storage import path_of
from .._core._tensor import Tensor, _make
from .._core._view_steps import get_path, put_path
from .._core._views import fw_base_of
from ..array_api._namespace import namespace_for
from ..ops import reshape
from ._dual_store import (
    _enter_busy,
    _flush,
    _local,
    _Pending,
    _pending,
    _saved_specs,
    _set_tangent,
    _tangent_of,
    _tangents,
)

__all__ = [
    "UnpackedDualTensor",
    "dual_level",
    "enter_dual_level",
    "exit_dual_level",
    "make_dual",
    "unpack_dual",
]

UnpackedDualTensor = namedtuple("UnpackedDualTensor", ["primal", "tangent"])
UnpackedDualTensor.__doc__ = "What ``unpack_dual`` returns: the primal and its tangent (or None)."

_NO_LEVEL = "Trying to create a dual Tensor for forward AD but no level exists, make sure to enter_dual_level() first."

_level = -1


# -- levels ------------------------------------------------------------------------------


def enter_dual_level() -> int:
    """Open a forward grad level (returns it: always 0, as only one can be open)."""
    global _level
    if _level != -1:
        raise RuntimeError("Nested forward mode AD is not supported at the moment")
    _level = 0
    _record._dual_hook = _on_record
    _record._dual_hook_multi = _on_record_multi
    _callbacks.forward_ad = sys.modules[__name__]
    return _level


def exit_dual_level(*, level: int | None = None) -> None:
    """Close the level: every tangent made inside it is dropped."""
    global _level
    if level is None:
        level = _level
    if level < 0:
        raise RuntimeError("Dual level must be a positive number.")
    if level != _level:
        raise RuntimeError(
            "Trying to exit a forward AD level that was not the last one that was created. "
            "This is not supported."
        )
    _record._dual_hook = None
    _record._dual_hook_multi = None
    _callbacks.forward_ad = None
    for pending in list(_pending.values()):
        pending.unhide()
    _pending.clear()
    _tangents.clear()
    _saved_specs.clear()
    _level = -1


def is_active() -> bool:
    """True while a forward grad level is open."""
    return _level != -1


class dual_level(_DecoratorContextManager):
    """``with dual_level():`` opens a forward grad level and closes it on exit."""

    def __enter__(self) -> int:  # type: ignore[override]  # the level, as torch returns it
        return enter_dual_level()

    def __exit__(self, *exc: object) -> None:
        exit_dual_level()

    def _clone(self) -> dual_level:
        return self.__class__()


# -- dual tensors --------------------------------------------------------------------------


def _check_level(level: int | None) -> None:
    if _level == -1:
        raise RuntimeError(_NO_LEVEL)
    if level is not None and level != _level:
        raise RuntimeError(f"Invalid level given: {level}; the open level is {_level}")


def make_dual(tensor: Any, tangent: Any, *, level: int | None = None) -> Tensor:
    """A view of ``tensor`` that carries ``tangent`` (same shape) through every op."""
    _check_level(level)
    tensor = operand(tensor)
    tangent = operand(tangent, tensor)
    if not tensor.dtype.differentiable:
        raise ValueError(
            f"Expected primal to be floating point or complex, but got: {tensor.dtype}"
        )
    if not tangent.dtype.differentiable:
        raise ValueError(
            f"Expected tangent to be floating point or complex, but got: {tangent.dtype}"
        )
    if tuple(tangent.shape) != tuple(tensor.shape):
        raise RuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            f"original Tensor, this is not supported. Tensor is of size {list(tensor.shape)} "
            f"while the given forward gradient is of size {list(tangent.shape)}."
        )
    if _tangent_of(tensor) is not None:
        raise RuntimeError(
            "Making a dual Tensor based on a Tensor that already has a forward gradient at "
            f"the same level {_level} is not supported."
        )
    dual = _plain_alias(tensor)
    _set_tangent(dual, tangent)
    return dual


def unpack_dual(tensor: Any, *, level: int | None = None) -> UnpackedDualTensor:
    """``(primal, tangent)``: the tangent is None for a tensor that is not dual."""
    if _level == -1 or not isinstance(tensor, Tensor):
        return UnpackedDualTensor(tensor, None)
    _check_level(level)
    tangent = _tangent_of(tensor)
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    return UnpackedDualTensor(_plain_alias(tensor), tangent)


def _plain_alias(tensor: Tensor) -> Tensor:
    """A view of ``tensor`` in the backward graph that carries no tangent."""
    busy = _enter_busy()
    try:
        alias = reshape(tensor, tuple(tensor.shape))
    finally:
        _local.busy = busy
    if alias._extra is not None and alias._extra.base is not None:
        alias._extra.fw_base = True  # a view whose tangent is its own (torch's _fw_primal)
    return alias


def tangent_of(t: Any) -> Tensor | None:
    """The tangent ``t`` carries at the open level, or None (for polygrad's functional API)."""
    if _level == -1 or not isinstance(t, Tensor):
        return None
    return _tangent_of(t)


# -- what record() calls while a level is open -----------------------------------------------


def _input_tangents(inputs: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The tangents the op's inputs carry (None where one has none), or None when the op
    has nothing to carry: no input has one, or tangents are being computed, or inference."""
    if getattr(_local, "busy", False) or _inference.get():
        return None
    if _pending:
        _flush()
    found: list[Any] | None = None
    for i, t in enumerate(inputs):
        if t is None:
            continue
        tangent = _tangent_of(t)
        if tangent is not None:
            if found is None:
                found = [None] * len(inputs)
            found[i] = tangent
    return None if found is None else tuple(found)


def _on_record(
    cls: type[Node],
    inputs: tuple[Any, ...],
    out: Any,
    backend: Any,
    broadcast: bool,
    numbers: tuple[Any, ...] | None,
) -> Tensor | None:
    """``record`` for an op under a level: None lets ``record`` go on as usual."""
    tangents = _input_tangents(inputs)
    if tangents is None:
        return None
    busy = _enter_busy()
    try:
        if _record.needs_grad(*inputs):
            result = _record.record(cls, inputs, out, backend, broadcast, numbers)
            node, hidden = cast(Node, result._grad_fn), False
        else:
            node, hidden = new_node(cls, ((None, 0),) * len(inputs), (), backend), True
            result = _make(out, backend, node, 0, False)
    finally:
        _local.busy = busy
    _Pending(node, inputs, numbers, tangents, (result,), (True,), hidden)
    return result


def _on_record_multi(
    cls: type[Node],
    inputs: tuple[Any, ...],
    outs: tuple[Any, ...],
    backend: Any,
    differentiable: tuple[bool, ...],
) -> tuple[Tensor, ...] | None:
    """``record_multi`` for an op under a level: None lets it go on as usual."""
    tangents = _input_tangents(inputs)
    if tangents is None:
        return None
    busy = _enter_busy()
    try:
        if _record.needs_grad(*inputs):
            results = _record.record_multi(cls, inputs, outs, backend, differentiable)
            node = cast(Node, next(r._grad_fn for r, d in zip(results, differentiable) if d))
            hidden = False
        else:
            node = new_node(cls, ((None, 0),) * len(inputs), (), backend)
            node._num_outputs = len(outs)
            node._output_meta = tuple((tuple(o.shape), o.dtype) for o in outs)
            node._output_device = backend.device_of(outs[0])
            results = tuple(
                _make(o, backend, node, i, False) if d else _make(o, backend)
                for i, (o, d) in enumerate(zip(outs, differentiable))
            )
            hidden = True
    finally:
        _local.busy = busy
    _Pending(node, inputs, None, tangents, results, tuple(differentiable), hidden)
    return results


# -- hooks into the engine, in-place ops -------------------------------------------------------


def _saved_with_tangents(node: Node, tensors: list[Any]) -> None:
    """A ``create_graph`` backward rebuilt ``node``'s saved values: give them their tangents."""
    if getattr(_local, "busy", False):
        return
    spec = _saved_specs.get(node)
    if spec is None:
        return
    for t, source in zip(tensors, spec):
        if not isinstance(t, Tensor) or source is None:
            continue
        tangent = source[0].tangent(source[1]) if isinstance(source, tuple) else source
        if tangent is not None and _tangent_of(t) is None:
            _set_tangent(t, tangent)


def _commit_tangent(t: Tensor, result: Tensor) -> None:
    """An in-place op wrote ``result`` into ``t``: ``t`` now carries its tangent."""
    if getattr(_local, "busy", False):
        return
    tangent = _tangent_of(result)
    if len(t._vc) > 2:  # t shares its data: the write goes into its forward base's tangent
        _commit_shared_tangent(t, tangent)
    elif tangent is not None or _tangent_of(t) is not None:
        _set_tangent(t, tangent)


def _commit_shared_tangent(t: Tensor, tangent: Tensor | None) -> None:
    """A write into ``t``, which shares its data, with new values carrying ``tangent``:
    as in torch, the tangent of a view is a view of its base's, so the write goes into
    the base's tangent (zeros where the base had none) and every view of the base,
    made before or after, shows its part of the new tangent."""
    base = fw_base_of(t)
    storage = t._vc[2]
    family = []
    for ref in storage.members:
        m = ref()
        if m is not None and len(m._vc) > 2 and m._vc[2] is storage and m is not base:
            if fw_base_of(m) is base:
                family.append(m)
    base_tangent = _tangent_of(base)
    carried = [_tangent_of(m) is not None for m in family]  # (computes pending ones first)
    if tangent is None and base_tangent is None and not any(carried):
        return
    backend = base._backend
    xp = namespace_for(backend)
    skip = len(path_of(base))
    busy = _enter_busy()
    try:
        if tangent is None:
            tangent = xp.zeros(tuple(t.shape), dtype=t.dtype, device=t.device)
        if t is base:
            new = tangent
        else:
            if base_tangent is None:
                base_tangent = xp.zeros(tuple(base.shape), dtype=base.dtype, device=base.device)
            new = put_path(xp, backend, base_tangent, path_of(t)[skip:], tangent)
        _set_tangent(base, new)
        for m in family:
            _set_tangent(m, get_path(xp, new, path_of(m)[skip:]))
    finally:
        _local.busy = busy


def _function_tangents(cls: Any, ctx: Any, args: tuple[Any, ...], outputs: tuple[Any, ...]) -> None:
    """A custom ``Function`` ran on dual inputs: its outputs' tangents come from ``cls.jvp``."""
    if getattr(_local, "busy", False):
        return
    tangents = tuple(_tangent_of(a) if isinstance(a, Tensor) else None for a in args)
    if all(t is None for t in tangents):
        return
    jvp = getattr(cls, "jvp", None)
    if jvp is None:
        raise NotImplementedError(
            "You must implement the jvp function for custom autograd.Function to use it with "
            "forward mode AD."
        )
    for o in outputs:  # tangents traced through forward's own ops are not the Function's
        if isinstance(o, Tensor):
            _pending.pop(id(o), None)
    busy = _enter_busy()
    try:
        found = jvp(ctx, *tangents)
    finally:
        _local.busy = busy
    found = found if isinstance(found, tuple) else (found,)
    for o, tangent in zip(outputs, found):
        if isinstance(o, Tensor) and o.dtype.differentiable:
            _set_tangent(
                o,
                tangent
                if tangent is None or isinstance(tangent, Tensor)
                else _make(tangent, o._backend),
            )
