"""One row of the op table (in the spirit of PyTorch's OpInfo), and the registry.

An ``OpEntry`` names one differentiable polygrad function or Tensor method, how to
call it in polygrad and in torch on the same inputs, the inputs to try, the dtypes
and the tolerances. ``function``/``method``/``operator`` register entries with
little typing; callables may be given as dotted names (``"linalg.inv"``) resolved
when the entry runs, so an entry can be written before the function lands.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..samples import SampleFn

#: dtype -> (rtol, atol) used unless an entry says otherwise (torch.testing's float64
#: defaults; float32 a little looser since gradients chain several roundings).
DEFAULT_TOLERANCES = {"float64": (1e-7, 1e-7), "float32": (1e-4, 1e-5)}


class Absent(Exception):
    """The polygrad (or torch) callable of an entry does not exist (yet)."""


@dataclass
class OpEntry:
    id: str
    #: polygrad callable, or a dotted name under ``polygrad`` (``"linalg.inv"``)
    pg: Callable[..., Any] | str
    #: torch callable taking the same arguments, a dotted name under ``torch``, or None
    #: (then finite differences are the gradient oracle and ``reference`` the value one)
    torch: Callable[..., Any] | str | None
    samples: SampleFn
    #: public names this entry accounts for (completeness test); defaults to ``id``
    covers: tuple[str, ...] = ()
    #: NumPy forward reference used when ``torch`` is None
    reference: Callable[..., Any] | None = None
    dtypes: tuple[str, ...] = ("float64", "float32")
    tolerances: dict[str, tuple[float, float]] = field(default_factory=dict)
    #: check grad of <grad, v> too (off only where torch itself has no second derivative)
    second_order: bool = True
    notes: str = ""

    def tolerance(self, dtype: str) -> tuple[float, float]:
        return self.tolerances.get(dtype, DEFAULT_TOLERANCES[dtype])

    def covered_names(self) -> tuple[str, ...]:
        return self.covers or (self.id,)

    def resolve_pg(self) -> Callable[..., Any]:
        """The entry's function: a name of the standard is checked as the standard
        spells it (``polygrad.array_api``: ``axis=``, ``keepdims=``, correction 0); torch's
        spellings of the same ops are checked by ``conformance.torch_names``."""
        import polygrad
        import polygrad.array_api

        if isinstance(self.pg, str) and "." not in self.pg:
            found = getattr(polygrad.array_api, self.pg, None)
            if found is not None:
                return found  # type: ignore[no-any-return]
        return _resolve(polygrad, self.pg, "polygrad")

    def resolve_torch(self) -> Callable[..., Any] | None:
        if self.torch is None:
            return None
        import torch

        return _resolve(torch, self.torch, "torch")


def extension(root: Any, name: str) -> Any:
    """``polygrad.linalg``/``fft``/``special`` as the submodule of that name (imported if
    need be: ``polygrad/__init__`` may not have imported it), else the attribute."""
    import importlib

    try:
        return importlib.import_module(f"{root.__name__}.{name}")
    except ImportError:
        return getattr(root, name)


def _resolve(root: Any, target: Callable[..., Any] | str, label: str) -> Callable[..., Any]:
    if callable(target):
        return target
    parts = target.split(".")
    obj = root
    if len(parts) > 1 and label == "polygrad":
        try:
            obj = extension(root, parts[0])
        except AttributeError:
            raise Absent(f"{label}.{parts[0]} does not exist") from None
        parts = parts[1:]
    for part in parts:
        try:
            obj = getattr(obj, part)
        except AttributeError:
            raise Absent(f"{label}.{target} does not exist") from None
    return obj  # type: ignore[no-any-return]


ENTRIES: dict[str, OpEntry] = {}


def register(entry: OpEntry) -> OpEntry:
    if entry.id in ENTRIES:
        raise ValueError(f"duplicate op entry {entry.id!r}")
    ENTRIES[entry.id] = entry
    return entry


def function(
    name: str,
    torch: Callable[..., Any] | str | None,
    samples: SampleFn,
    variant: str = "",
    pg: Callable[..., Any] | str | None = None,
    **options: Any,
) -> OpEntry:
    """An entry for ``polygrad.<name>`` (a dotted name reaches ``linalg``/``fft``/``special``).

    ``variant`` names a second entry for the same function (``pow[number exponent]``);
    ``pg`` replaces the plain call (for functions taking sequences or dtypes).
    """
    entry_id = f"{name}[{variant}]" if variant else name
    options.setdefault("covers", (name,))
    return register(OpEntry(entry_id, pg if pg is not None else name, torch, samples, **options))


def _call_method(name: str) -> Callable[..., Any]:
    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            bound = getattr(self, name)
        except AttributeError:
            raise Absent(f"{type(self).__module__}.Tensor.{name} does not exist") from None
        return bound(*args, **kwargs)

    call.__name__ = name
    return call


def method(name: str, samples: SampleFn, variant: str = "", **options: Any) -> OpEntry:
    """An entry for ``Tensor.<name>``: polygrad follows torch, so one call serves both."""
    call = _call_method(name)
    entry_id = f"Tensor.{name}[{variant}]" if variant else f"Tensor.{name}"
    options.setdefault("covers", (f"Tensor.{name}",))
    return register(OpEntry(entry_id, call, call, samples, **options))


def inplace_method(name: str, samples: SampleFn, **options: Any) -> OpEntry:
    """``Tensor.<name>_`` applied to a fresh copy of the first input (a leaf that requires
    grad may not be modified in place), so its gradient reaches the leaf through it."""

    def call(self: Any, *args: Any, **kwargs: Any) -> Any:
        target = self.clone()
        try:
            bound = getattr(target, name)
        except AttributeError:
            raise Absent(f"{type(self).__module__}.Tensor.{name} does not exist") from None
        out = bound(*args, **kwargs)
        if out is not target:
            raise AssertionError(f"{name} did not return self")
        return out

    call.__name__ = name
    options.setdefault("covers", (f"Tensor.{name}",))
    return register(OpEntry(f"Tensor.{name}", call, call, samples, **options))


def program(
    entry_id: str,
    pg: Callable[..., Any],
    torch: Callable[..., Any] | None,
    samples: SampleFn,
    covers: tuple[str, ...],
    **options: Any,
) -> OpEntry:
    """An entry whose calls are written out for each library (dtype objects, sequences,
    in-place steps); ``covers`` says which public names it exercises."""
    return register(OpEntry(entry_id, pg, torch, samples, covers=covers, **options))
