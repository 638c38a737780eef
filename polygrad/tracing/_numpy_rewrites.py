"""NumPy rewrites of a trace before its replay: fewer Python-level calls, the same kernels.

Each pass keeps the kernels the eager run called, on the same operands in the same
order, so the replay's results equal the eager ones bit for bit: a wrapper is replaced by
the ndarray method or ufunc method it calls, a call that returns its operand unchanged
leaves the replay, and a kernel whose result an in-place op or ``copy_`` writes into a
buffer writes into it itself (``out=``).
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from ._tracer import Slot, Step, Trace


def rewrite(trace: Trace, outputs: set[int]) -> BufferIndex:
    """Apply every pass to ``trace`` (NumPy only); ``outputs`` are the result slots.
    Returns the index of shared memory among its (now final) slots' values."""
    # the adapter's broadcast_to makes np.broadcast_to's view faster: the passes below
    # know NumPy's own, and the replay keeps the adapter's
    adapters = trace.backend.real.xp.broadcast_to
    _replace_fn(trace, adapters, np.broadcast_to)
    _direct_reductions(trace)
    _direct_means(trace)  # the last pass that adds slots
    sharing = BufferIndex(trace.values)
    _direct_methods(trace)
    _drop_copies(trace, outputs, sharing)
    _fuse_writes(trace, outputs)
    _drop_broadcasts(trace, outputs)
    _replace_fn(trace, np.broadcast_to, adapters)
    return sharing


def _replace_fn(trace: Trace, old: Any, new: Any) -> None:
    for step in trace.steps:
        if step.fn is old:
            step.fn = new


def numpy_kernels() -> dict[Any, Any]:
    """Operators whose NumPy kernel is a ufunc (``a * b`` is ``np.multiply(a, b)``)."""
    return {
        operator.add: np.add,
        operator.sub: np.subtract,
        operator.mul: np.multiply,
        operator.truediv: np.divide,
        operator.neg: np.negative,
    }


#: NumPy reductions that, on an ndarray, call one ufunc's ``reduce`` with the same arguments.
_REDUCTIONS = {np.sum: np.add.reduce, np.max: np.maximum.reduce, np.min: np.minimum.reduce}


def _direct_reductions(trace: Trace) -> None:
    """``np.sum(a, axis=...)`` becomes ``np.add.reduce(a, axis=...)``: the call NumPy makes
    for an ndarray, without its Python wrapper."""
    for step in trace.steps:
        reduce = _REDUCTIONS.get(step.fn)
        if (
            reduce is not None
            and len(step.args) == 1
            and isinstance(step.args[0], Slot)
            and set(step.kwargs) <= {"axis", "keepdims", "dtype"}
            and type(trace.values[step.args[0].index]) is np.ndarray
        ):
            step.fn = reduce


def _direct_means(trace: Trace) -> None:
    """``np.mean(a, axis=...)`` of a floating or complex ndarray becomes the calls NumPy's
    ``_mean`` makes for it, without its Python: ``np.add.reduce``, then the division by
    the count (an ``intp``), in place for an array, cast back to the sum's type for a
    scalar."""
    values = trace.values
    steps: list[Step] = []
    for step in trace.steps:
        source = step.args[0] if len(step.args) == 1 else None
        value = values[source.index] if isinstance(source, Slot) else None
        if (
            step.fn is not np.mean
            or type(value) is not np.ndarray
            or value.dtype.kind not in "fc"
            or value.dtype == np.float16  # summed in float32 by _mean
            or value.size == 0
            or not set(step.kwargs) <= {"axis", "keepdims"}
            or step.paths != [()]
        ):
            steps.append(step)
            continue
        axis, keepdims = step.kwargs.get("axis"), step.kwargs.get("keepdims", False)
        axes = range(value.ndim) if axis is None else (axis,) if type(axis) is int else axis
        count = np.intp(math.prod(value.shape[a] for a in axes))
        total = np.add.reduce(value, axis=axis, keepdims=keepdims)
        summed = Slot(len(values))
        values.append(total)
        kwargs = {"axis": axis, "keepdims": keepdims}
        steps.append(Step(np.add.reduce, (source,), kwargs, [summed.index], [()]))
        if type(total) is np.ndarray:
            divide = {"out": summed, "casting": "unsafe"}
            steps.append(Step(np.true_divide, (summed, count), divide, step.outs, [()]))
        else:
            quotient = Slot(len(values))
            values.append(total / count)
            steps.append(Step(operator.truediv, (summed, count), {}, [quotient.index], [()]))
            steps.append(Step(type(total), (quotient,), {}, step.outs, [()]))
    trace.steps = steps


def _direct_methods(trace: Trace) -> None:
    """Wrappers that end in one ndarray method call that method: ``np.reshape(a, s)`` is
    ``a.reshape(s)``, array-api-compat's ``matrix_transpose(a)`` is ``a.swapaxes(-1, -2)``
    and its ``astype(a, t)`` is ``a.astype(t)`` (the same call, without the wrapper)."""
    for step in trace.steps:
        if step.kwargs or not step.args or not isinstance(step.args[0], Slot):
            continue
        if type(trace.values[step.args[0].index]) is not np.ndarray:
            continue
        name = getattr(step.fn, "__name__", "")
        compat = str(getattr(step.fn, "__module__", "")).startswith("array_api_compat.")
        if step.fn is np.reshape and len(step.args) == 2:
            step.fn = np.ndarray.reshape
        elif compat and name == "matrix_transpose" and len(step.args) == 1:
            step.fn, step.args = np.ndarray.swapaxes, (step.args[0], -1, -2)
        elif compat and name == "astype" and len(step.args) == 2:
            step.fn = np.ndarray.astype


def _drop_broadcasts(trace: Trace, outputs: set[int]) -> None:
    """``b = broadcast_to(a, s); c = ufunc(b, x)`` becomes ``c = ufunc(a, x)`` where ``b``
    has no other use and ``c`` has shape ``s``: the ufunc broadcasts ``a`` itself, to the
    same values element by element."""
    kernels = numpy_kernels()
    values = trace.values
    uses: dict[int, int] = {}
    for step in trace.steps:
        for slot in step.reads:
            uses[slot] = uses.get(slot, 0) + 1
    sources: dict[int, Slot] = {}  # slot of a broadcast -> the slot it broadcasts
    replaced: set[int] = set()
    kept: list[Step] = []
    for step in trace.steps:
        if (
            step.fn is np.broadcast_to
            and len(step.args) == 2
            and not step.kwargs
            and isinstance(step.args[0], Slot)
            and type(values[step.args[0].index]) is np.ndarray
            and step.paths == [()]
            and step.outs[0] not in outputs
            and uses.get(step.outs[0]) == 1
        ):
            sources[step.outs[0]] = step.args[0]
            kept.append(step)
            continue
        if (
            sources
            and isinstance(kernels.get(step.fn, step.fn), np.ufunc)
            and not step.kwargs
            and any(slot in sources for slot in step.reads)
        ):
            shape = getattr(values[step.outs[0]], "shape", None) if step.outs else None
            args = []
            for arg in step.args:
                source = sources.get(arg.index) if isinstance(arg, Slot) else None
                if source is not None and values[arg.index].shape == shape:
                    replaced.add(arg.index)
                    arg = source
                args.append(arg)
            step.args = tuple(args)
        kept.append(step)
    trace.steps = [s for s in kept if not (s.outs and s.outs[0] in replaced)]


def _unchanged(step: Step, values: list[Any]) -> str | None:
    """``"view"`` or ``"copy"`` where ``step`` returns its first operand's values as they
    are (``broadcast_to`` or ``reshape`` to its own shape; ``astype`` to its own dtype,
    ``asarray(copy=True)``: what ``copy_`` makes before writing), else None."""
    fn, extra = step.fn, step.args[1:]
    if fn is np.broadcast_to or fn is np.ndarray.reshape or fn is np.ndarray.astype:
        kind = "view" if fn is not np.ndarray.astype else "copy"
        if step.kwargs != {} or len(extra) != 1:
            return None
    elif (
        getattr(fn, "__name__", "") == "asarray"
        and str(getattr(fn, "__module__", "")).startswith("array_api_compat.")
        and step.kwargs == {"copy": True}
        and not extra
    ):
        kind = "copy"
    else:
        return None
    if len(step.outs) != 1 or not step.args or not isinstance(step.args[0], Slot):
        return None
    source, out = values[step.args[0].index], values[step.outs[0]]
    if type(source) is not np.ndarray or type(out) is not np.ndarray:
        return None
    if source.shape != out.shape or source.dtype != out.dtype:
        return None
    return kind


def _drop_copies(trace: Trace, outputs: set[int], sharing: BufferIndex) -> None:
    """A step that returns its operand's values unchanged (``_unchanged``) leaves the
    replay; later steps read the operand instead. A view always can (nothing writes
    through a broadcast; a reshape to the same shape is the same memory); a copy where
    the operand is its own buffer that nothing reads after the copy (then the copy's
    reads and writes are the operand's). ``x.copy_(a * b)`` replays as one kernel
    writing into ``x`` (with ``_fuse_writes``)."""
    values = trace.values
    last_use = last_uses(trace.steps)
    pinned = set(trace.inputs) | set(trace.constants) | outputs
    alias: dict[int, Slot] = {}  # dropped result -> the slot read instead
    kept: list[Step] = []
    for index, step in enumerate(trace.steps):
        if alias and any(slot in alias for slot in step.reads):
            step.args = _substitute(step.args, alias)
            step.kwargs = _substitute(step.kwargs, alias)
        kind = _unchanged(step, values)
        if kind is not None and step.outs[0] not in outputs:
            source = step.args[0].index
            buffer = values[source]
            if kind == "view" or (
                source not in pinned
                and buffer.base is None
                and last_use[source] == index
                and not any(
                    other != source and (other in pinned or last_use.get(other, -1) > index)
                    for other in sharing.sharing(source)
                )
            ):
                alias[step.outs[0]] = step.args[0]
                last_use[source] = max(last_use[source], last_use.get(step.outs[0], index))
                continue
        kept.append(step)
    trace.steps = kept


def _substitute(obj: Any, alias: dict[int, Slot]) -> Any:
    """``obj`` (a step's arguments) with each slot in ``alias`` replaced."""
    if isinstance(obj, Slot):
        return alias.get(obj.index, obj)
    if type(obj) in (tuple, list):
        return type(obj)(_substitute(o, alias) for o in obj)
    if type(obj) is dict:
        return {k: _substitute(v, alias) for k, v in obj.items()}
    return obj


def _fuse_writes(trace: Trace, outputs: set[int]) -> None:
    """``r = f(a, b); t[...] = r`` (an in-place tensor op, ``t`` being ``a``, or a
    ``copy_``) becomes ``f(a, b, out=t)``: NumPy's ufuncs give the same values when the
    output overlaps an operand."""
    kernels = numpy_kernels()
    steps, values = trace.steps, trace.values
    last_use = last_uses(steps)
    fused: list[Step] = []
    for index, step in enumerate(steps):
        if fused and step.fn is operator.setitem and not step.kwargs and len(step.args) == 3:
            target, key, new = step.args
            before = fused[-1]
            kernel = kernels.get(before.fn, before.fn)
            if (
                key is Ellipsis
                and isinstance(target, Slot)
                and isinstance(new, Slot)
                and isinstance(kernel, np.ufunc)
                and not before.kwargs
                and before.outs == [new.index]
                and before.paths == [()]
                and new.index not in outputs
                and last_use.get(new.index) == index
                and type(values[target.index]) is np.ndarray
                and values[target.index].shape == values[new.index].shape
                and values[target.index].dtype == values[new.index].dtype
            ):
                before.fn = kernel
                before.kwargs = {"out": target}
                continue
        fused.append(step)
    trace.steps = fused


class BufferIndex:
    """Which slots may share memory with a slot's buffer, found through ``.base`` (NumPy
    points a view at the array owning the memory) instead of comparing every pair."""

    def __init__(self, values: list[Any]) -> None:
        self.values = values
        self._views: dict[int, list[int]] | None = None  # built on the first question
        self.unknown: list[int] = []  # memory owned by something that is not an ndarray

    def _index(self) -> dict[int, list[int]]:
        views: dict[int, list[int]] = {}
        for slot, value in enumerate(self.values):
            if type(value) is not np.ndarray:
                continue
            owner = value
            while isinstance(owner.base, np.ndarray):
                owner = owner.base
            if owner.base is None:
                views.setdefault(id(owner), []).append(slot)
            else:
                self.unknown.append(slot)
        return views

    def sharing(self, slot: int) -> list[int]:
        """Slots whose arrays may share memory with the (owning) array of ``slot``."""
        if self._views is None:
            self._views = self._index()
        buffer = self.values[slot]
        candidates = self._views.get(id(buffer), []) + self.unknown
        return [s for s in candidates if np.may_share_memory(self.values[s], buffer)]


def last_uses(steps: list[Step]) -> dict[int, int]:
    last: dict[int, int] = {}
    for index, step in enumerate(steps):
        for slot in step.reads:
            last[slot] = index
    return last
