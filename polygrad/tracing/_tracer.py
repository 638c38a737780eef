"""Tracing: run a function once on stand-ins for its arrays and write down every backend call.

``pg.compile`` hands the function Tensors whose data are ``Traced`` arrays instead of the
backend's own. A ``Traced`` array holds the real value (so every shape, dtype and
branch on them resolves as in an eager run) and its slot in a ``Trace``; each operator,
method, namespace function or adapter method applied to one computes the real result
and appends a ``Step`` (the callable and its arguments, with slots in place of traced
arrays). Forward ops and the rules the engine runs on raw arrays during ``backward``
reach arrays only through these doors, so the steps are the whole computation: a flat
list of backend calls that replays with no Tensor, node or hook.

A value Python needs from the data (``bool``, ``float``, ``int``, ``.item()``, ``len``
of a data-dependent size, conversion to NumPy) cannot be replayed: it raises
``TracerError`` naming the user's line.
"""

from __future__ import annotations

import operator
import os
import sys
from typing import Any

_POLYGRAD_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
#: Libraries whose frames are not the user's line in an error.
_LIBRARY_MODULES = (
    "numpy",
    "torch",
    "jax",
    "jaxlib",
    "array_api_compat",
    "array_api_strict",
    "dask",
)
#: Array attributes that are metadata, equal on every call with the same signature.
_METADATA = frozenset(
    ("shape", "dtype", "ndim", "size", "device", "itemsize", "nbytes", "is_cuda", "layout")
)


#: Argument types that hold no array: passed as they are.
_PLAIN = frozenset((int, float, bool, complex, str, type(None), type(Ellipsis)))


class TracerError(RuntimeError):
    """A traced array's value was needed while tracing (``pg.compile``)."""


class Step:
    """One backend call: ``fn(*args, **kwargs)``, with ``Slot`` markers for arrays, whose
    result (``outs[i]`` is the slot of the part at path ``paths[i]``) fills slots."""

    __slots__ = ("fn", "_args", "_kwargs", "outs", "paths", "_reads")

    def __init__(
        self,
        fn: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        outs: list[int] | None = None,
        paths: list[tuple[int, ...]] | None = None,
        reads: list[int] | None = None,
    ) -> None:
        self.fn = fn
        self._args, self._kwargs = args, kwargs
        self.outs: list[int] = [] if outs is None else outs
        self.paths: list[tuple[int, ...]] = [] if paths is None else paths
        self._reads = reads

    @property
    def args(self) -> tuple[Any, ...]:
        return self._args

    @args.setter
    def args(self, args: tuple[Any, ...]) -> None:
        self._args, self._reads = args, None

    @property
    def kwargs(self) -> dict[str, Any]:
        return self._kwargs

    @kwargs.setter
    def kwargs(self, kwargs: dict[str, Any]) -> None:
        self._kwargs, self._reads = kwargs, None

    @property
    def reads(self) -> list[int]:
        """The slots in the arguments, in order (found once per ``args`` and ``kwargs``)."""
        if self._reads is None:
            self._reads = slots_in((self._args, self._kwargs))
        return self._reads


class Slot:
    """Where a traced array's value lives in the replay (its index)."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __repr__(self) -> str:
        return f"v{self.index}"


def user_line() -> str:
    """``file:line`` of the innermost frame outside polygrad and the array libraries."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = frame.f_code.co_filename
        module = str(frame.f_globals.get("__name__", "")).partition(".")[0]
        if not filename.startswith(_POLYGRAD_DIR) and module not in _LIBRARY_MODULES:
            return f"{filename}:{frame.f_lineno} ({frame.f_code.co_name})"
        frame = frame.f_back  # type: ignore[assignment]
    return "<unknown>"


def value_needed(what: str) -> TracerError:
    return TracerError(
        f"{what} needs the value of a traced array while pg.compile traces the function, at "
        f"{user_line()}; a compiled function replays without Python seeing the data. Compute "
        "it outside the compiled function, or mark the argument it depends on static "
        "(static_argnums / static_argnames)"
    )


class Trace:
    """The slots (real values while tracing) and the steps recorded so far."""

    def __init__(self, array_types: tuple[type, ...]) -> None:
        self.array_types = array_types
        self.values: list[Any] = []
        self.steps: list[Step] = []
        self.inputs: list[int] = []
        self.constants: dict[int, Any] = {}
        self.finished = False
        self.backend: Any = None  # the TracingBackend, set once it exists
        #: Inputs from outside the arguments, in the order the trace met them: tensors
        #: (``TracingBackend.bind``) and host functions (``TracingBackend.feed``).
        self.extras: list[tuple[str, Any, Any]] = []  # (kind, tensor or fn, stand-in)
        #: ``(fn, value)``: a replay is valid while ``fn()`` still returns ``value``.
        self.guards: list[tuple[Any, Any]] = []

    def new_slot(self, value: Any) -> Traced:
        self.values.append(value)
        return Traced(value, len(self.values) - 1, self)

    def input(self, value: Any) -> Traced:
        traced = self.new_slot(value)
        self.inputs.append(traced._slot)
        return traced

    def constant(self, value: Any) -> Traced:
        """An array from outside the arguments (a closure's): replayed by reference."""
        traced = self.new_slot(value)
        self.constants[traced._slot] = value
        return traced

    def lift(self, obj: Any) -> Any:
        """``obj`` with raw arrays of the backend made constants (operands of a call)."""
        if isinstance(obj, Traced) or type(obj) not in self.array_types:
            return obj
        return self.constant(obj)

    def call(self, fn: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Run ``fn`` on the real values and record it; traced arrays in the result."""
        reads: list[int] = []
        raw_args, template = self._unwrap_args(args, reads)
        if kwargs:
            raw_kwargs, template_kwargs = self._unwrap(kwargs, reads)
        else:
            raw_kwargs, template_kwargs = kwargs, {}
        result = fn(*raw_args, **raw_kwargs)
        if isinstance(result, self.array_types):  # most calls: one array, as _wrap would
            slot = len(self.values)
            self.values.append(result)
            self.steps.append(Step(fn, template, template_kwargs, [slot], [()], reads))
            return Traced(result, slot, self)
        step = Step(fn, template, template_kwargs, reads=reads)
        wrapped = self._wrap(result, step, (), bool(reads))
        if step.outs or reads:
            self.steps.append(step)
        return wrapped

    def _unwrap_args(self, args: tuple[Any, ...], reads: list[int]) -> tuple[Any, Any]:
        """``_unwrap`` of a call's positional arguments, traced arrays and scalars inline."""
        raw, template = [], []
        for arg in args:
            kind = type(arg)
            if kind is Traced:
                arg._check_live()
                reads.append(arg._slot)
                raw.append(arg._value)
                template.append(Slot(arg._slot))
            elif kind in _PLAIN:
                raw.append(arg)
                template.append(arg)
            else:
                raw_arg, template_arg = self._unwrap(arg, reads)
                raw.append(raw_arg)
                template.append(template_arg)
        return raw, tuple(template)

    def _unwrap(self, obj: Any, reads: list[int]) -> tuple[Any, Any]:
        """``obj`` with real values for traced arrays, and as the replay sees it (``Slot``
        for each); the slots read are appended to ``reads``."""
        kind = type(obj)
        if kind is Traced:
            obj._check_live()
            reads.append(obj._slot)
            return obj._value, Slot(obj._slot)
        if kind is tuple or kind is list:
            pairs = [self._unwrap(o, reads) for o in obj]
            return kind(p[0] for p in pairs), kind(p[1] for p in pairs)
        if kind is dict:
            raw, template = {}, {}
            for k, v in obj.items():
                raw[k], template[k] = self._unwrap(v, reads)
            return raw, template
        if kind is slice:
            (start, stop, step), parts = self._unwrap((obj.start, obj.stop, obj.step), reads)
            return slice(start, stop, step), slice(*parts)
        return obj, obj

    def _wrap(self, result: Any, step: Step, path: tuple[int, ...], from_traced: bool) -> Any:
        if isinstance(result, self.array_types):
            traced = self.new_slot(result)
            step.outs.append(traced._slot)
            step.paths.append(path)
            return traced
        if type(result) in (tuple, list) or _is_namedtuple(result):
            parts = [self._wrap(r, step, (*path, i), from_traced) for i, r in enumerate(result)]
            return type(result)(*parts) if _is_namedtuple(result) else type(result)(parts)
        if from_traced and isinstance(result, (bool, int, float, complex)):
            raise value_needed(f"a call returning a Python {type(result).__name__}")
        return result


def _is_namedtuple(obj: Any) -> bool:
    return isinstance(obj, tuple) and hasattr(type(obj), "_fields")


def slots_in(obj: Any) -> list[int]:
    """The slots in a step's arguments (nested in tuples, lists, dicts and slices)."""
    found: list[int] = []
    _collect_slots(obj, found)
    return found


def _collect_slots(obj: Any, found: list[int]) -> None:
    kind = type(obj)
    if kind is Slot:
        found.append(obj.index)
    elif kind is tuple or kind is list:
        for o in obj:
            _collect_slots(o, found)
    elif kind is dict:
        for o in obj.values():
            _collect_slots(o, found)
    elif kind is slice:
        _collect_slots((obj.start, obj.stop, obj.step), found)


class Traced:
    """A backend array seen by the traced function: real value, recorded operations."""

    __slots__ = ("_value", "_slot", "_trace")
    #: NumPy defers binary operators with an ndarray on the left to our reflected ones.
    __array_ufunc__ = None

    def __init__(self, value: Any, slot: int, trace: Trace) -> None:
        self._value = value
        self._slot = slot
        self._trace = trace

    def _check_live(self) -> None:
        if self._trace.finished:
            raise TracerError(
                "a traced array escaped the compiled function (kept in state that is "
                "neither an argument nor a result) and was used after tracing ended; "
                "return it from the compiled function or pass it in as an argument"
            )

    @property
    def shape(self) -> Any:
        self._check_live()
        return self._value.shape

    @property
    def dtype(self) -> Any:
        self._check_live()
        return self._value.dtype

    def __repr__(self) -> str:
        return f"Traced(shape={tuple(self._value.shape)}, dtype={self._value.dtype})"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # NumPy's __array_interface__ would read the data
            raise AttributeError(name)
        self._check_live()
        value = getattr(self._value, name)
        if name in _METADATA:
            return value
        if isinstance(value, self._trace.array_types):  # .T, .mT, .real ...
            return self._trace.call(operator.attrgetter(name), (self,), {})
        if callable(value):
            method = getattr(type(self._value), name)
            trace = self._trace
            return lambda *args, **kwargs: trace.call(
                method, (self, *(trace.lift(a) for a in args)), kwargs
            )
        return value

    def __array_namespace__(self, api_version: str | None = None) -> Any:
        return self._trace.backend.xp

    @property
    def __polygrad_backend__(self) -> Any:
        """The tracing adapter: ``backend_of_array`` reads it (raw arrays in ``pg.grad``)."""
        return self._trace.backend

    def __len__(self) -> int:
        return int(self._value.shape[0])

    def __iter__(self) -> Any:
        return (self[i] for i in range(len(self)))

    def __getitem__(self, key: Any) -> Any:
        return self._trace.call(operator.getitem, (self, key), {})

    def __setitem__(self, key: Any, value: Any) -> None:
        self._trace.call(operator.setitem, (self, key, self._trace.lift(value)), {})

    def __bool__(self) -> bool:
        raise value_needed("bool()")

    def __float__(self) -> float:
        raise value_needed("float()")

    def __int__(self) -> int:
        raise value_needed("int()")

    def __complex__(self) -> complex:
        raise value_needed("complex()")

    def __index__(self) -> int:
        raise value_needed("using an array as an index")

    def __array__(self, *args: Any, **kwargs: Any) -> Any:
        raise value_needed("conversion to a NumPy array")

    def item(self, *args: Any) -> Any:
        raise value_needed(".item()")

    def tolist(self) -> Any:
        raise value_needed(".tolist()")


def _operand(trace: Trace, other: Any) -> Any:
    """``other`` as an operand of a traced array, or None when it is not one (a Tensor:
    its own reflected operator records it)."""
    if isinstance(other, (Traced, int, float, complex, bool)):
        return other
    if type(other) in trace.array_types:
        return trace.lift(other)
    return None


def _forward(op: Any) -> Any:
    def method(self: Traced, *others: Any) -> Any:
        trace = self._trace
        operands = [_operand(trace, o) for o in others]
        if any(o is None for o in operands):
            return NotImplemented
        return trace.call(op, (self, *operands), {})

    return method


def _reflected(op: Any) -> Any:
    def method(self: Traced, other: Any) -> Any:
        trace = self._trace
        operand = _operand(trace, other)
        if operand is None:
            return NotImplemented
        return trace.call(op, (operand, self), {})

    return method


_BINARY = "add sub mul truediv floordiv mod pow matmul and or xor lshift rshift".split()
for _name in _BINARY:
    _op = getattr(operator, _name + "_" if _name in ("and", "or") else _name)
    setattr(Traced, f"__{_name}__", _forward(_op))
    setattr(Traced, f"__r{_name}__", _reflected(_op))
    setattr(Traced, f"__i{_name}__", _forward(getattr(operator, f"i{_name}")))
for _name in ("lt", "le", "eq", "ne", "gt", "ge", "neg", "pos", "abs", "invert"):
    setattr(Traced, f"__{_name}__", _forward(getattr(operator, _name)))
Traced.__hash__ = object.__hash__  # type: ignore[method-assign]  # __eq__ records; identity hashes
