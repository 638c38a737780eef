"""Constant hoisting: what a trace computes from no input is computed once, while tracing.

A step that reads no array (``zeros(shape)``), only arrays of earlier such steps, or an
input for its shape only (``ones_like(loss)``, the seed of ``backward``) gives the same
value on every call of a signature: ``mean``'s gradient (seed, divide,
broadcast, reshape), ``zeros`` filled in by a rule, scalars cast to arrays. Such steps
leave the replay; their values, from the tracing run, become constants of it. Results
are unchanged bit for bit: the replay reads the very arrays the traced run computed.

Mutation is what could make a value seen at the end of tracing differ from the one a
step read, so a group of hoisted values that share memory (found through the steps that
join them) stays in the replay when a step that stays writes into it, when a step that
stays reads it before the group's last write, or when it is a result (a caller could
write into it and change later calls). Random draws are never hoisted, nor what reads
an array from outside the arguments (a closure's NumPy array, which the caller may change
between calls: the replay reads it by reference).
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ._tracer import Slot, Step, Trace, slots_in

#: Factories that read their first argument's shape, dtype and device only.
_SHAPE_ONLY = frozenset(("ones_like", "zeros_like", "empty_like", "full_like"))
#: In-place operators: they write into their first operand.
_IN_PLACE = frozenset(
    getattr(operator, f"i{name}")
    for name in "add sub mul truediv floordiv mod pow matmul and or xor lshift rshift".split()
)


def hoist_constants(trace: Trace, results: set[int]) -> None:
    """Move the steps that depend on no input out of ``trace.steps`` into its constants."""
    steps = trace.steps
    known: set[int] = set()  # slots whose values depend on no input and no outside array
    hoisted: list[int] = []
    groups = _Groups()
    for index, step in enumerate(steps):
        read = _read_slots(step)  # first: most steps read an input
        if not all(slot in known for slot in read):
            continue
        if _is_random(step.fn) or not (step.outs or _written(step)) or _outside_data(step):
            continue
        known.update(step.outs)
        hoisted.append(index)
        groups.join([*read, *_written(step), *step.outs])
    blocked = _blocked_groups(trace, hoisted, groups, results)
    kept = [i for i in hoisted if groups.find(_any_slot(steps[i])) not in blocked]
    for index in kept:
        for slot in steps[index].outs:
            trace.constants[slot] = trace.values[slot]
    drop = set(kept)
    trace.steps = [step for index, step in enumerate(steps) if index not in drop]


def _blocked_groups(
    trace: Trace, hoisted: list[int], groups: _Groups, results: set[int]
) -> set[int]:
    """Roots of the groups that must stay in the replay (see the module's docstring)."""
    steps, values = trace.steps, trace.values
    candidates = set(hoisted)
    last_write: dict[int, int] = {}
    writes: dict[int, list[Any]] = {}  # a group's arrays that hoisted steps write into
    for index in hoisted:
        for slot in _written(steps[index]):
            last_write[groups.find(slot)] = index
            writes.setdefault(groups.find(slot), []).append(values[slot])
    blocked = {groups.find(slot) for slot in results if slot in groups.parent}
    written_outside: list[int] = []
    for index, step in enumerate(steps):
        if index in candidates:
            continue
        written = _written(step)
        written_outside += written
        blocked.update(groups.find(s) for s in written if s in groups.parent)
        if not last_write:
            continue  # no hoisted step writes: no read can come before a write
        for slot in _read_slots(step):
            root = groups.find(slot) if slot in groups.parent else None
            if root is not None and last_write.get(root, -1) > index:
                if any(_may_share(values[slot], w) for w in writes[root]):
                    blocked.add(root)
    # Memory shared with an array written by a step that stays (NumPy says which).
    outside = {id(values[s]): values[s] for s in written_outside}  # each array once
    outside_arrays = [o for o in outside.values() if type(o) is np.ndarray]
    for slot in groups.parent:
        value = values[slot]
        if type(value) is np.ndarray and any(np.may_share_memory(value, o) for o in outside_arrays):
            blocked.add(groups.find(slot))
    return blocked


def _may_share(a: Any, b: Any) -> bool:
    """Whether two arrays may share memory: NumPy says; of other libraries, assume so."""
    if type(a) is np.ndarray and type(b) is np.ndarray:
        return bool(np.may_share_memory(a, b))
    return True


def _any_slot(step: Step) -> int:
    return (step.outs or _written(step))[0]


def _name(fn: Any) -> str:
    return str(getattr(fn, "__name__", ""))


def _is_random(fn: Any) -> bool:
    name, module = _name(fn), str(getattr(fn, "__module__", "") or "")
    return name in ("uniform", "normal") or "rand" in name or "random" in module


def _outside_data(step: Step) -> bool:
    """Whether ``step`` reads an array that is no slot (a closure's, passed by reference)."""
    return _holds_data(step.args) or _holds_data(step.kwargs)


#: Argument types that hold no array.
_NO_DATA = frozenset((Slot, int, float, bool, complex, str, slice, type(None), type(Ellipsis)))


def _holds_data(obj: Any) -> bool:
    kind = type(obj)
    if kind in _NO_DATA:
        return False
    if kind is tuple or kind is list:
        return any(_holds_data(o) for o in obj)
    if kind is dict:
        return any(_holds_data(o) for o in obj.values())
    if isinstance(obj, (np.dtype, type)):
        return False
    return any(hasattr(obj, name) for name in ("shape", "__array__", "__dlpack__"))


def _written(step: Step) -> list[int]:
    """Slots whose arrays ``step`` writes into."""
    out = step.kwargs.get("out") if step.kwargs else None
    written = [out.index] if isinstance(out, Slot) else []
    args = step.args
    if args and isinstance(args[0], Slot) and _writes_first(step.fn):
        written.append(args[0].index)
    if not step.outs:  # a call made for its effect: assume it writes what it is given
        written += [a.index for a in args if isinstance(a, Slot)]
    return written


def _writes_first(fn: Any) -> bool:
    """Whether ``fn`` writes into its first operand."""
    if fn is operator.setitem or fn in _IN_PLACE:
        return True
    name = _name(fn)
    return name == "setitem" or (name.endswith("_") and not name.startswith("_"))


def _read_slots(step: Step) -> list[int]:
    """The slots whose values ``step`` depends on (not those it reads the shape of)."""
    if _name(step.fn) in _SHAPE_ONLY:
        return slots_in((step.args[1:], step.kwargs))
    return step.reads


class _Groups:
    """Union-find over slots: the hoisted values joined by a step (operands and results
    of one call may share memory)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, slot: int) -> int:
        root = self.parent.setdefault(slot, slot)
        while self.parent[root] != root:
            root = self.parent[root]
        return root

    def join(self, slots: list[int]) -> None:
        roots = [self.find(s) for s in slots]
        for root in roots[1:]:
            self.parent[root] = roots[0]
