"""The adapter traced Tensors carry: the real backend, with every call recorded.

Besides recording, it lets code that keeps state outside a compiled function's
arguments (``pg.optim``'s optimizers: moment buffers, step counts, a learning rate a
scheduler changes) take part in a trace the way ``jax.jit`` users pass such state
explicitly, without the caller doing so:

- ``bind(tensor)``: an outside tensor becomes an input of the trace, read anew and
  written back on every call (a moment buffer updated in place);
- ``feed(fn)``: ``fn()`` (a list of arrays, computed by Python on the host) runs on
  every call and its arrays become inputs (a step count's bias corrections);
- ``guard(fn)``: the replay stays valid while ``fn()`` returns what it returned while
  tracing; otherwise the call traces again (a hyperparameter that changes the update).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core._record import mixed_backends_message
from ._tracer import Trace, Traced, value_needed


class RecordingNamespace:
    """A backend namespace (or one of its extensions) whose functions record their calls."""

    def __init__(self, namespace: Any, trace: Trace) -> None:
        self._namespace = namespace
        self._trace = trace
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        found = self._cache.get(name)
        if found is not None:
            return found
        value = getattr(self._namespace, name)
        if isinstance(value, type) or not callable(value) and not hasattr(value, "__dict__"):
            found = value  # dtypes, constants
        elif not callable(value):
            found = RecordingNamespace(value, self._trace)  # linalg, fft
        else:
            trace = self._trace

            def found(*args: Any, **kwargs: Any) -> Any:
                return trace.call(value, args, kwargs)

        self._cache[name] = found
        return found


#: Adapter methods that answer from metadata: called on the real values, not recorded.
_ADAPTER_METADATA = frozenset(
    ("dtype", "pg_dtype", "parse_device", "default_device", "devices", "seed", "version")
)


class TracingBackend:
    """The backend adapter the traced Tensors carry: the real one, with recorded calls."""

    def __init__(self, real: Any, trace: Trace) -> None:
        self.real = real
        self.trace = trace
        self.name = real.name
        self.xp = RecordingNamespace(real.xp, trace)
        self.array_types = (Traced, *real.array_types)
        self.mutable = real.mutable
        self.promotes_as_standard = real.promotes_as_standard
        self.tracing = True
        trace.backend = self

    def __repr__(self) -> str:
        return f"<polygrad backend {self.name!r} (tracing)>"

    def bind(self, tensor: Any) -> None:
        """Make ``tensor`` (state kept outside the arguments) an input of the trace: each
        call reads its current data, and what the trace writes into it is written back."""
        if tensor._backend is self:
            return  # an argument, or bound already
        if tensor._backend is not self.real:
            raise TypeError(mixed_backends_message(self, tensor._backend))
        if tensor._grad is not None or tensor._grad_fn is not None:
            raise TypeError("pg.compile binds state tensors without gradient or history only")
        tensor._data = self.trace.input(tensor._data)
        tensor._backend = self
        self.trace.extras.append(("tensor", tensor, tensor._data))

    def feed(self, fn: Callable[[], list[Any]]) -> list[Traced]:
        """``fn()``'s arrays, as inputs of the trace that every call computes anew."""
        self.trace.extras.append(("feed", fn, None))
        return [self.trace.input(a) for a in fn()]

    def guard(self, fn: Callable[[], Any]) -> None:
        """Trace again on a call where ``fn()`` no longer equals its value now."""
        self.trace.guards.append((fn, fn()))

    def is_array(self, obj: Any) -> bool:
        return isinstance(obj, Traced) or self.real.is_array(obj)

    def adopt(self, array: Any) -> Any:
        return self.trace.lift(self.real.adopt(array) if not isinstance(array, Traced) else array)

    def owns(self, array: Any) -> bool:
        return False  # the replay reuses buffers itself, from the whole trace's liveness

    def add_into(self, total: Any, g: Any) -> bool:
        return False

    def device_of(self, array: Any) -> Any:
        return self.real.device_of(array._value if isinstance(array, Traced) else array)

    def to_numpy(self, array: Any) -> Any:
        raise value_needed("reading a traced tensor's values (.item(), .numpy(), float(), bool())")

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.real, name)
        if name in _ADAPTER_METADATA or not callable(value):
            return value
        trace = self.trace
        return lambda *args, **kwargs: trace.call(value, args, kwargs)
