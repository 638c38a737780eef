"""Replay: a recorded trace as one generated Python function of flat backend calls.

The steps become straight-line code (``v7 = f3(v2, v5)``), each local deleted after its
last use so intermediates are freed as early as in the eager run. On NumPy, an
elementwise kernel whose input buffer nothing reads afterwards (no later step, no
view of it, not an argument, constant or result) writes its result into that buffer
(``out=``): the same kernel in the same order, so results equal the eager ones bit for
bit, with fewer allocations (after ``_numpy_rewrites``' passes).
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from ._hoist import hoist_constants
from ._numpy_rewrites import last_uses, numpy_kernels, rewrite
from ._tracer import Slot, Trace


def _numpy_reuse(trace: Trace, outputs: set[int]) -> dict[int, int]:
    """Step index -> slot whose buffer the step's elementwise kernel may write into."""
    if not trace.backend.real.replays_in_place:
        return {}
    sharing = rewrite(trace, outputs)
    kernels = numpy_kernels()
    values = trace.values
    last_use = last_uses(trace.steps)
    pinned = set(trace.inputs) | set(trace.constants) | outputs
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
    last_use = last_uses(trace.steps)
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
            for s in {*step.reads, *step.outs}
            if s not in kept and s not in trace.constants and last_use.get(s, -1) <= index
        ]
        if dead:
            lines.append("    del " + ", ".join(f"v{s}" for s in sorted(dead)))
    returned = ", ".join(f"v{s}" for s in results)
    lines.append(f"    return ({returned}{',' if len(results) == 1 else ''})")
    code = "\n".join(lines)
    namespace = dict(source.globals)
    exec(_compiled(code), namespace)  # noqa: S102 - our own source
    replay = namespace["replay"]
    replay.source = code
    return replay


@functools.lru_cache(maxsize=256)
def _compiled(code: str) -> Any:
    """``code`` compiled once: a function's traces for other shapes (an epoch's last,
    smaller batch), or a new ``pg.compile`` of it, render the same source (its objects
    and constants are the globals ``exec`` binds)."""
    return compile(code, "<pg.compile replay>", "exec")
