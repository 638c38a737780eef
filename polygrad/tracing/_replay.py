"""Replay: a recorded trace as one generated Python function of flat backend calls.

The steps become straight-line code (``v7 = f3(v2, v5)``), each local deleted after its
last use so intermediates are freed as early as in the eager run. On NumPy, an
elementwise kernel whose input buffer nothing reads afterwards (no later step, no
view of it, not an argument, constant or result) writes its result into that buffer
(``out=``): the same kernel in the same order, so results equal the eager ones bit for
bit, with fewer allocations.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from ._hoist import hoist_constants
from ._tracer import Slot, Step, Trace, slots_in


def _numpy_kernels() -> dict[Any, Any]:
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
    kernels = _numpy_kernels()
    values = trace.values
    uses: dict[int, int] = {}
    for step in trace.steps:
        for slot in slots_in((step.args, step.kwargs)):
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
        if isinstance(kernels.get(step.fn, step.fn), np.ufunc) and not step.kwargs:
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
    if len(step.outs) != 1 or not step.args or not isinstance(step.args[0], Slot):
        return None
    source, out = values[step.args[0].index], values[step.outs[0]]
    if type(source) is not np.ndarray or type(out) is not np.ndarray:
        return None
    if source.shape != out.shape or source.dtype != out.dtype:
        return None
    fn, extra = step.fn, step.args[1:]
    if step.kwargs == {} and len(extra) == 1:
        if fn is np.broadcast_to or fn is np.ndarray.reshape:
            return "view"
        if fn is np.ndarray.astype:
            return "copy"
    compat = str(getattr(fn, "__module__", "")).startswith("array_api_compat.")
    if compat and getattr(fn, "__name__", "") == "asarray" and step.kwargs == {"copy": True}:
        return "copy" if not extra else None
    return None


def _drop_copies(trace: Trace, outputs: set[int]) -> None:
    """A step that returns its operand's values unchanged (``_unchanged``) leaves the
    replay; later steps read the operand instead. A view always can (nothing writes
    through a broadcast; a reshape to the same shape is the same memory); a copy where
    the operand is its own buffer that nothing reads after the copy (then the copy's
    reads and writes are the operand's). ``x.copy_(a * b)`` replays as one kernel
    writing into ``x`` (with ``_fuse_writes``)."""
    values = trace.values
    last_use = _last_uses(trace.steps)
    pinned = set(trace.inputs) | set(trace.constants) | outputs
    sharing = _BufferIndex(values)
    alias: dict[int, Slot] = {}  # dropped result -> the slot read instead
    kept: list[Step] = []
    for index, step in enumerate(trace.steps):
        if alias:
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
    kernels = _numpy_kernels()
    steps, values = trace.steps, trace.values
    last_use = _last_uses(steps)
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


def _numpy_reuse(trace: Trace, outputs: set[int]) -> dict[int, int]:
    """Step index -> slot whose buffer the step's elementwise kernel may write into."""
    if not trace.backend.real.replays_in_place:
        return {}
    _direct_reductions(trace)
    _direct_methods(trace)
    _drop_copies(trace, outputs)
    _fuse_writes(trace, outputs)
    _drop_broadcasts(trace, outputs)
    kernels = _numpy_kernels()
    values = trace.values
    last_use = _last_uses(trace.steps)
    pinned = set(trace.inputs) | set(trace.constants) | outputs
    sharing = _BufferIndex(values)
    chosen: dict[int, int] = {}
    for index, step in enumerate(trace.steps):
        kernel = kernels.get(step.fn, step.fn)
        if not isinstance(kernel, np.ufunc) or step.kwargs or step.paths != [()]:
            continue
        out = values[step.outs[0]]
        if type(out) is not np.ndarray or out.ndim == 0:
            continue
        for arg in step.args:
            if not isinstance(arg, Slot) or arg.index in pinned:
                continue
            buffer = values[arg.index]
            if (
                type(buffer) is np.ndarray
                and buffer.base is None
                and buffer.flags.writeable
                and buffer.shape == out.shape
                and buffer.dtype == out.dtype
                and last_use.get(arg.index) == index
                and not any(
                    other != arg.index and (other in pinned or last_use.get(other, -1) > index)
                    for other in sharing.sharing(arg.index)
                )
            ):
                step.fn = kernel
                chosen[index] = arg.index
                pinned.add(arg.index)  # one step owns it now
                break
    return chosen


class _BufferIndex:
    """Which slots may share memory with a slot's buffer, found through ``.base`` (NumPy
    points a view at the array owning the memory) instead of comparing every pair."""

    def __init__(self, values: list[Any]) -> None:
        self.values = values
        self.views: dict[int, list[int]] = {}
        self.unknown: list[int] = []  # memory owned by something that is not an ndarray
        for slot, value in enumerate(values):
            if type(value) is not np.ndarray:
                continue
            owner = value
            while isinstance(owner.base, np.ndarray):
                owner = owner.base
            if owner.base is None:
                self.views.setdefault(id(owner), []).append(slot)
            else:
                self.unknown.append(slot)

    def sharing(self, slot: int) -> list[int]:
        """Slots whose arrays may share memory with the (owning) array of ``slot``."""
        buffer = self.values[slot]
        candidates = self.views.get(id(buffer), []) + self.unknown
        return [s for s in candidates if np.may_share_memory(self.values[s], buffer)]


def _last_uses(steps: list[Step]) -> dict[int, int]:
    last: dict[int, int] = {}
    for index, step in enumerate(steps):
        for slot in slots_in((step.args, step.kwargs)):
            last[slot] = index
    return last


class _Source:
    """Renders arguments as Python source; objects without a literal become globals."""

    def __init__(self) -> None:
        self.globals: dict[str, Any] = {}
        self._names: dict[int, str] = {}

    def bind(self, obj: Any, prefix: str = "k") -> str:
        name = self._names.get(id(obj))
        if name is None:
            name = self._names[id(obj)] = f"{prefix}{len(self._names)}"
            self.globals[name] = obj
        return name

    def render(self, obj: Any) -> str:
        if isinstance(obj, Slot):
            return f"v{obj.index}"
        kind = type(obj)
        if obj is None or kind in (bool, int, str) or obj is Ellipsis:
            return repr(obj)
        if kind is float and math.isfinite(obj):
            return repr(obj)
        if kind is tuple:
            inner = ", ".join(self.render(o) for o in obj)
            return f"({inner},)" if len(obj) == 1 else f"({inner})"
        if kind is list:
            return "[" + ", ".join(self.render(o) for o in obj) + "]"
        if kind is dict and all(type(k) is str for k in obj):
            return "{" + ", ".join(f"{k!r}: {self.render(v)}" for k, v in obj.items()) + "}"
        if kind is slice:
            parts = (obj.start, obj.stop, obj.step)
            return "slice(" + ", ".join(self.render(o) for o in parts) + ")"
        return self.bind(obj)


def build(trace: Trace, results: list[int]) -> Any:
    """A function of the input arrays (in ``trace.inputs`` order) returning the values of
    ``results`` (slots) as a tuple, running every recorded step once."""
    source = _Source()
    kept = set(results)
    hoist_constants(trace, kept)
    for slot, value in trace.constants.items():
        source.globals[f"v{slot}"] = value
    reuse = _numpy_reuse(trace, kept)  # first: it may fuse steps
    last_use = _last_uses(trace.steps)
    params = ", ".join(f"v{i}" for i in trace.inputs)
    lines = [f"def replay({params}):"]
    for index, step in enumerate(trace.steps):
        fn = source.bind(step.fn, "f")
        args = [source.render(a) for a in step.args]
        args += [f"{k}={source.render(v)}" for k, v in step.kwargs.items()]
        if index in reuse:
            args.append(f"out=v{reuse[index]}")
        call = f"{fn}({', '.join(args)})"
        if not step.outs:
            lines.append(f"    {call}")
        elif step.paths == [()]:
            lines.append(f"    v{step.outs[0]} = {call}")
        else:
            lines.append(f"    _r = {call}")
            for slot, path in zip(step.outs, step.paths):
                lines.append(f"    v{slot} = _r" + "".join(f"[{i}]" for i in path))
        dead = [
            s
            for s in {*slots_in((step.args, step.kwargs)), *step.outs}
            if s not in kept and s not in trace.constants and last_use.get(s, -1) <= index
        ]
        if dead:
            lines.append("    del " + ", ".join(f"v{s}" for s in sorted(dead)))
    returned = ", ".join(f"v{s}" for s in results)
    lines.append(f"    return ({returned}{',' if len(results) == 1 else ''})")
    code = "\n".join(lines)
    namespace = dict(source.globals)
    exec(compile(code, "<pg.compile replay>", "exec"), namespace)  # noqa: S102 - our own source
    replay = namespace["replay"]
    replay.source = code
    return replay
