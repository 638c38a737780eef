"""``pg.compile(fn)`` (``polygrad.tracing``): trace a loss, its gradient or a whole training step once, replay it flat.

The first call with a new signature (argument structure, each array's backend, shape,
dtype and device, ``requires_grad``, whether it has a ``.grad``, grad mode, the default
backend, and the values of static arguments) runs ``fn`` once on traced arrays
(``_tracer``) and records every backend call, forward ops and the rules ``backward``
runs alike. Later calls with that signature replay the record (``_replay``): plain
backend calls with no Tensor, node or hook, on NumPy writing into buffers nothing
reads any more. On JAX the replay runs under ``jax.jit``; on torch it can be handed
to ``torch.compile`` (``torch_compile=True``).

Semantics follow ``jax.jit``: Python sees the data only while tracing, so a value it
needs (``bool(x)``, ``float(x)``, ``.item()``) raises ``TracerError`` naming the line,
unless the argument it comes from is static (``static_argnums`` / ``static_argnames``,
hashable, part of the signature). Python numbers and strings in the arguments are part
of the signature too. Tensors passed in (and their ``.grad``) may be updated inside:
in-place writes, ``backward()`` filling ``.grad``, ``zero_grad(set_to_none=True)``
happen on every call as they did while tracing. Anything else Python does (printing,
appending to a list, a counter) happens only while tracing, except where it asked to
run on every call: ``pg.optim``'s optimizers bind their state tensors, feed their step
counts' scalars and guard their hyperparameters through the tracing adapter
(``_backend``), so ``opt.step()`` works inside a compiled training step.
"""

from __future__ import annotations

import collections
import contextvars
import functools
import inspect
from collections.abc import Callable, Sequence
from typing import Any

from .._core._backend import _substitutes, backend_of_array, current, register_adapter_base
from .._core._grad_mode import _grad_enabled
from .._core._tensor import Tensor, _make
from .._core._views import write_through
from ._backend import TracingBackend
from ._replay import build
from ._tracer import Trace, Traced, TracerError

# a traced tensor's backend is the tracing adapter: factories given it (pg.zeros_like(x)) accept it
register_adapter_base(TracingBackend)

__all__ = ["compile", "CompiledFunction", "TracerError", "is_tracing"]

_tracing: contextvars.ContextVar[bool] = contextvars.ContextVar("pg_compile_tracing", default=False)
_STATIC_LEAVES = (bool, int, float, complex, str, type(None))


def is_tracing() -> bool:
    """Whether ``pg.compile`` is tracing a function in this thread right now."""
    return _tracing.get()


class _Entry:
    """One compiled signature: the replay and how to rebuild results and state."""

    __slots__ = ("replay", "backend", "outputs", "writes", "result_tree", "extras", "guards")

    def __init__(self) -> None:
        self.replay: Any = None
        self.backend: Any = None
        self.outputs: list[Any] = []  # per result leaf: ("array"|"tensor", index) or constant
        self.writes: list[tuple[int, str, Any]] = []  # (tensor, "data"|"grad"|"flag", value)
        self.result_tree: Any = None
        self.extras: list[tuple[str, Any]] = []  # ("tensor", t) / ("feed", fn): outside state
        self.guards: list[tuple[Any, Any]] = []  # (fn, value): valid while fn() == value


def _flatten(obj: Any, leaves: list[Any]) -> Any:
    """The structure of ``obj`` with each leaf replaced by its index in ``leaves``."""
    kind = type(obj)
    if kind is list or kind is tuple:  # list comprehensions: cheaper than generators here
        return (kind, tuple([_flatten(o, leaves) for o in obj]))
    if kind is dict:
        return (dict, tuple([(k, _flatten(v, leaves)) for k, v in obj.items()]))
    leaves.append(obj)
    return len(leaves) - 1


def _unflatten(tree: Any, leaves: Sequence[Any]) -> Any:
    if type(tree) is int:
        return leaves[tree]
    kind, parts = tree
    if kind is dict:
        return {k: _unflatten(v, leaves) for k, v in parts}
    return kind(_unflatten(p, leaves) for p in parts)


class CompiledFunction:
    """``fn`` traced once per signature and replayed; made by ``pg.compile``."""

    def __init__(
        self,
        fn: Callable[..., Any],
        static_argnums: Sequence[int],
        static_argnames: Sequence[str],
        cache_size: int,
        torch_compile: bool,
    ) -> None:
        if cache_size < 1:
            raise ValueError(f"cache_size must be at least 1, got {cache_size}")
        self.fn = fn
        self.static_argnums = frozenset(static_argnums)
        self.static_argnames = frozenset(static_argnames)
        self.cache_size = cache_size
        self.torch_compile = torch_compile
        self._cache: collections.OrderedDict[Any, _Entry] = collections.OrderedDict()
        self.traces = 0  # how many times fn was traced (retraces included)
        functools.update_wrapper(self, fn)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        static_positions: set[int] = set()
        static: tuple[Any, ...] = ()
        dynamic: tuple[Any, Any] = (args, kwargs)
        if self.static_argnums or self.static_argnames:
            nargs = len(args)
            static_positions = {i % nargs for i in self.static_argnums if -nargs <= i < nargs}
            static = tuple((i, args[i]) for i in sorted(static_positions)) + tuple(
                sorted((k, v) for k, v in kwargs.items() if k in self.static_argnames)
            )
            dynamic = (
                tuple(a for i, a in enumerate(args) if i not in static_positions),
                {k: v for k, v in kwargs.items() if k not in self.static_argnames},
            )
        leaves: list[Any] = []
        tree = _flatten(dynamic, leaves)
        tensors, inputs, signature = _describe(leaves)
        adapter, device = current()
        key = (tree, signature, static, _grad_enabled.get(), adapter.name, device)
        try:
            entry = self._cache.get(key)
        except TypeError as error:
            raise TypeError(
                f"static arguments of a compiled function must be hashable: {error}"
            ) from None
        if entry is None or entry.guards and any(fn() != value for fn, value in entry.guards):
            call = _Call(args, kwargs, static_positions, tree, leaves)
            return self._trace(key, call, tensors)
        self._cache.move_to_end(key)
        if entry.extras:
            for kind, obj in entry.extras:
                if kind == "tensor":
                    inputs.append(obj._data)
                    tensors.append(obj)
                else:
                    inputs.extend(obj())
        return _finish(entry, tensors, entry.replay(*inputs))

    def _trace(self, key: Any, call: _Call, tensors: list[Tensor]) -> Any:
        leaves = call.leaves
        real = _backend_of(leaves, tensors)
        trace = Trace(real.array_types)
        backend = TracingBackend(real, trace)
        entry = _Entry()
        entry.backend = real
        saved = [(t._grad, t._backend, t._vc) for t in tensors]
        traced_leaves = {
            i: trace.input(leaf) for i, leaf in enumerate(leaves) if _is_raw_array(leaf)
        }
        for t in tensors:
            if t._grad_fn is not None:
                raise TypeError(
                    "a compiled function's tensor arguments must be leaves (no grad_fn): "
                    "a replay cannot extend the graph they come from; pass t.detach() or "
                    "compute the loss inside the compiled function"
                )
            t._data = trace.input(t._data)
            t._backend = backend
            t._vc = t._vc[:2]  # data shared with views or detach()ed tensors: the trace
            # writes the argument's own data (into the same buffer where the library can)
            grad = t._grad
            if grad is not None:
                grad._data = trace.input(grad._data)
                grad._backend = backend
        stand_ins = [
            (t._data, t._grad, None if t._grad is None else t._grad._data, t._requires_grad)
            for t in tensors
        ]
        call_args, call_kwargs = call.with_leaves(
            [traced_leaves.get(i, leaf) for i, leaf in enumerate(leaves)]
        )
        token = _tracing.set(True)
        substituted = _substitutes.set({real.name: backend})
        try:
            result = self.fn(*call_args, **call_kwargs)
            bound = [(obj, data) for kind, obj, data in trace.extras if kind == "tensor"]
            tensors += [t for t, _ in bound]
            stand_ins += [(data, None, None, t._requires_grad) for t, data in bound]
            slots, concrete = _outputs(entry, result, trace, tensors, stand_ins)
        except TypeError as error:
            if "expected all tensors on the same backend" in str(error):
                raise TypeError(
                    "a Tensor that is not an argument of the compiled function (a closure "
                    "or global) was combined with traced values; pass it in as an argument"
                ) from error
            raise
        finally:
            _substitutes.reset(substituted)
            _tracing.reset(token)
            trace.finished = True
            for t, (grad, original, versions) in zip(tensors, saved):
                for state in {id(x): x for x in (t, t._grad, grad) if x is not None}.values():
                    _restore(state, original)
                versions[:2] = t._vc[:2]  # views made while tracing are gone
                t._vc = versions
                if len(versions) > 2 and t._data is not versions[2].data:
                    write_through(t, t._data, None)  # rebound: what shares it follows
            for kind, obj, _ in trace.extras:
                if kind == "tensor":
                    _restore(obj, real)
        entry.extras = [(kind, obj) for kind, obj, _ in trace.extras]
        entry.guards = trace.guards
        entry.replay = real.compile_replay(build(trace, slots), self.torch_compile)
        trace.values.clear()
        self.traces += 1
        self._cache[key] = entry
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return _finish(entry, tensors, concrete)


def _restore(t: Tensor, original: Any) -> None:
    """Back to the real adapter, keeping what the traced run wrote (as eager would)."""
    if isinstance(t._data, Traced):
        t._data = t._data._value
    t._backend = original


class _Call:
    """One call's arguments: static ones as given, the rest flattened into ``leaves``."""

    def __init__(
        self,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        static_positions: set[int],
        tree: Any,
        leaves: list[Any],
    ) -> None:
        self.args, self.kwargs = args, kwargs
        self.static_positions = static_positions
        self.tree, self.leaves = tree, leaves

    def with_leaves(self, leaves: list[Any]) -> tuple[list[Any], dict[str, Any]]:
        """The arguments with the dynamic leaves replaced by ``leaves``."""
        dynamic_args, dynamic_kwargs = _unflatten(self.tree, leaves)
        rest = iter(dynamic_args)
        args = [a if i in self.static_positions else next(rest) for i, a in enumerate(self.args)]
        return args, {k: dynamic_kwargs.get(k, v) for k, v in self.kwargs.items()}


def _is_raw_array(obj: Any) -> bool:
    return not isinstance(obj, (Tensor, *_STATIC_LEAVES)) and backend_of_array(obj) is not None


def _describe(leaves: list[Any]) -> tuple[list[Tensor], list[Any], tuple[Any, ...]]:
    """The distinct tensors, the replay's inputs (in the order a trace meets them: raw
    arrays, then each tensor's data and .grad), and the signature of the argument leaves."""
    tensors: list[Tensor] = []
    seen: dict[int, int] = {}
    arrays: list[Any] = []
    tensor_inputs: list[Any] = []
    signature: list[Any] = []
    for leaf in leaves:
        if isinstance(leaf, Tensor):
            index = seen.get(id(leaf))
            if index is None:
                index = seen[id(leaf)] = len(tensors)
                tensors.append(leaf)
                tensor_inputs.append(leaf._data)
                if leaf._grad is not None:
                    tensor_inputs.append(leaf._grad._data)
            data, grad = leaf._data, leaf._grad
            signature.append(
                (
                    "tensor",
                    index,
                    leaf._backend.name,
                    tuple(data.shape),
                    data.dtype,
                    leaf._backend.device_of(data),
                    leaf._requires_grad,
                    None if grad is None else (tuple(grad._data.shape), grad._data.dtype),
                )
            )
        elif isinstance(leaf, _STATIC_LEAVES):
            signature.append((type(leaf), leaf))
        else:
            backend = backend_of_array(leaf)
            if backend is None:
                raise TypeError(
                    f"a compiled function's arguments must be tensors, arrays, Python numbers "
                    f"or strings (in tuples, lists and dicts); got {type(leaf).__name__}: "
                    "mark it static (static_argnums / static_argnames)"
                )
            arrays.append(leaf)
            signature.append(
                ("array", backend.name, tuple(leaf.shape), leaf.dtype, backend.device_of(leaf))
            )
    return tensors, arrays + tensor_inputs, tuple(signature)


def _backend_of(leaves: list[Any], tensors: list[Tensor]) -> Any:
    found = {t._backend for t in tensors}
    found |= {backend_of_array(a) for a in leaves if _is_raw_array(a)}
    if len(found) > 1:
        names = ", ".join(sorted(b.name for b in found))
        raise TypeError(f"a compiled function's arrays must share one backend; got {names}")
    return found.pop() if found else current()[0]


def _outputs(
    entry: _Entry, result: Any, trace: Trace, tensors: list[Tensor], stand_ins: list[Any]
) -> tuple[list[int], list[Any]]:
    """Record how to rebuild the results and the arguments' new state from replay slots;
    returns the slots the replay returns and their values in this (traced) run."""
    slots: list[int] = []

    def slot_of(data: Any) -> int:
        if not isinstance(data, Traced):
            data = trace.constant(data)
        slots.append(data._slot)
        return len(slots) - 1

    leaves: list[Any] = []
    entry.result_tree = _flatten(result, leaves)
    for leaf in leaves:
        if isinstance(leaf, Tensor):
            entry.outputs.append(("tensor", slot_of(leaf._data)))
        elif isinstance(leaf, Traced):
            entry.outputs.append(("array", slot_of(leaf)))
        else:
            entry.outputs.append(("constant", leaf))
    for index, (t, (data, grad, grad_data, flag)) in enumerate(zip(tensors, stand_ins)):
        if t._data is not data:
            entry.writes.append((index, "data", slot_of(t._data)))
        if t._grad is None:
            if grad is not None:
                entry.writes.append((index, "grad", None))
        elif t._grad is not grad or t._grad._data is not grad_data:
            entry.writes.append((index, "grad", slot_of(t._grad._data)))
        if t._requires_grad != flag:  # the flag is part of the signature: same on each call
            entry.writes.append((index, "flag", t._requires_grad))
    return slots, [trace.values[s] for s in slots]


def _finish(entry: _Entry, tensors: list[Tensor], values: Sequence[Any]) -> Any:
    """Apply the recorded state writes and rebuild the result from replayed values."""
    backend = entry.backend
    for index, what, value in entry.writes:
        t = tensors[index]
        if what == "flag":
            t._requires_grad = value
        elif what == "data":
            if len(t._vc) > 2:
                write_through(t, values[value], None)  # what shares its data follows
            else:
                t._data = values[value]
        elif value is None:
            t._grad = None
        elif t._grad is None:
            t._grad = _make(values[value], backend)
        else:
            t._grad._data = values[value]
    leaves = [
        _make(values[v], backend) if kind == "tensor" else values[v] if kind == "array" else v
        for kind, v in entry.outputs
    ]
    return _unflatten(entry.result_tree, leaves)


def compile(
    fn: Callable[..., Any] | None = None,
    *,
    static_argnums: int | Sequence[int] = (),
    static_argnames: str | Sequence[str] = (),
    cache_size: int = 64,
    torch_compile: bool = False,
) -> Any:
    """Compile ``fn``: trace it once per signature, then replay its backend calls.

    Use as ``pg.compile(fn)``, ``@pg.compile`` or ``@pg.compile(static_argnums=1)``.
    ``static_argnums`` / ``static_argnames`` mark arguments Python may branch on (hashable;
    a new value traces again). ``cache_size`` bounds the signatures kept (least recently
    used dropped first). ``torch_compile`` hands the torch replay to ``torch.compile``.
    Results are new tensors without history: differentiate inside the compiled function.
    """
    nums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)
    names = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
    if fn is None:
        return lambda f: CompiledFunction(f, nums, names, cache_size, torch_compile)
    if not callable(fn):
        raise TypeError(f"pg.compile expects a function, got {type(fn).__name__}")
    if inspect.isgeneratorfunction(fn):
        raise TypeError("pg.compile cannot compile a generator function")
    return CompiledFunction(fn, nums, names, cache_size, torch_compile)
