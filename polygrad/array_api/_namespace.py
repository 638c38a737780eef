"""polygrad's array-API namespace, bound to one backend and device.

``x.__array_namespace__()`` returns it, so code written as
``xp = array_namespace(x); xp.sum(xp.exp(x))`` runs on polygrad tensors and records
a graph. Functions come from ``polygrad.ops`` (``xp.special``: ``polygrad.special``);
creation functions are bound to the namespace's backend and device so new arrays
mix with ``x``, and their default dtypes are the backend's own (float64 on NumPy,
as its standard namespace says). ``asarray`` of a polygrad tensor, also with
``copy=True`` or a new dtype, stays in the graph. The engine also runs rules
through it when ``create_graph=True``. One function departs from ``polygrad``'s own
(torch's) spelling: ``floor_divide`` passes a zero gradient where torch has none
(docs/differences.md).
"""

from __future__ import annotations

import importlib
import math
import types
from typing import Any

from .. import ops
from .._core import _callbacks
from .._core._backend import backend_of_array, current, per_backend_and_device
from .._core._dtypes import DTYPES, DType
from .._core._record import _SCALARS, mixed_backends_message, operand
from .._core._tensor import Tensor, _make
from ..ops.rounding import floor_quotient
from . import _dtype_functions as dtype_functions

_MISSING = object()
#: Extensions and polygrad's additions reached as ``xp.<name>``.
_SUBMODULES = ("special", "linalg", "fft")
#: Revisions whose semantics this namespace meets (``__array_namespace__(api_version=)``).
SUPPORTED_VERSIONS = ("2021.12", "2022.12", "2023.12", "2024.12", "2025.12")


class NamespaceInfo:
    """``xp.__array_namespace_info__()``: what the namespace's backend offers."""

    __slots__ = ("_backend", "_device")

    def __init__(self, backend: Any, device: Any) -> None:
        self._backend = backend
        self._device = device

    def _info(self) -> Any:
        return self._backend.xp.__array_namespace_info__()

    def capabilities(self) -> dict[str, Any]:
        """Boolean indexing and data-dependent shapes work, and are differentiable; on JAX,
        only outside its transformations (the adapter's ``shapes_are_traced``)."""
        try:
            dims = self._info().capabilities().get("max dimensions")
        except AttributeError:
            dims = None
        dynamic = not self._backend.shapes_are_traced()
        return {
            "boolean indexing": dynamic,
            "data-dependent shapes": dynamic,
            "max dimensions": dims,
        }

    def default_device(self) -> Any:
        """The device new arrays get: the namespace's own, else the backend's default."""
        return self._device if self._device is not None else self._backend.default_device()

    def devices(self) -> tuple[Any, ...]:
        """The backend's devices, as a tuple (the standard's 2025.12 revision; a list before)."""
        return tuple(self._backend.devices())

    def default_dtypes(self, *, device: Any = None) -> dict[str, DType]:
        """The backend's defaults: ``{"real floating": pg.float64, ...}`` on NumPy."""
        found = self._info().default_dtypes(device=device)
        return {kind: self._backend.pg_dtype(native) for kind, native in found.items()}

    def dtypes(self, *, device: Any = None, kind: Any = None) -> dict[str, DType]:
        """Supported dtypes by name (``kind`` as in ``isdtype``), as polygrad dtypes."""
        found = self._info().dtypes(device=device, kind=kind)
        return {name: DTYPES[name] for name in found}


class Namespace:
    """The standard's functions on polygrad tensors of one backend (and device)."""

    __name__ = "polygrad"
    __array_api_version__ = "2025.12"
    e = math.e
    pi = math.pi
    inf = math.inf
    nan = math.nan
    newaxis = None

    def __init__(self, backend: Any, device: Any = None) -> None:
        self._backend = backend
        self._device = device

    def __repr__(self) -> str:
        return f"<polygrad namespace on {self._backend.name}>"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        value = _MISSING
        if name in _SUBMODULES:
            try:
                value = importlib.import_module(f"polygrad.{name}")
            except ModuleNotFoundError:
                pass
            else:  # an extension with creation functions (fft.fftfreq) binds to our backend
                bind = getattr(value, "bound_to", None)
                value = value if bind is None else bind(self._backend, self._device)
        else:
            value = getattr(ops, name, _MISSING)
            if isinstance(value, types.ModuleType):
                value = _MISSING  # ops' own submodules are not functions of the standard
        if value is _MISSING:
            raise AttributeError(f"polygrad namespace has no attribute {name!r}")
        self.__dict__[name] = value  # looked up once per namespace
        return value

    def __array_namespace_info__(self) -> NamespaceInfo:
        return NamespaceInfo(self._backend, self._device)

    # -- helpers -------------------------------------------------------------------------
    def _wrap(self, data: Any) -> Tensor:
        return _make(data, self._backend)

    def _dev(self, device: Any) -> Any:
        return self._device if device is None else self._backend.parse_device(device)

    def _native(self, dtype: Any) -> Any:
        return None if dtype is None else self._backend.dtype(dtype)

    # -- where the standard's door departs from torch's -------------------------------------
    #: torch's ``floor_divide`` has no derivative; array-API code floors quotients of
    #: tensors it differentiates (JAX, and torch's ``div(rounding_mode="floor")``, give 0).
    floor_divide = staticmethod(floor_quotient)

    # -- data type functions -------------------------------------------------------------
    isdtype = staticmethod(dtype_functions.isdtype)

    def result_type(self, *arrays_and_dtypes: Any) -> DType:
        """The dtype the standard's promotion gives for these arrays and dtypes, on this backend."""
        return dtype_functions.result_type(*arrays_and_dtypes, backend=self._backend)

    def can_cast(self, from_: Any, to: Any, /) -> bool:
        """Whether ``from_`` casts to ``to`` under the standard's rules, on this backend."""
        return dtype_functions.can_cast(from_, to, backend=self._backend)

    def finfo(self, type: Any, /) -> Any:  # noqa: A002 - the standard's name
        """Machine limits of a floating dtype (``bits``, ``eps``, ``max``, ``min``...), on this
        backend."""
        return dtype_functions.finfo(type, backend=self._backend)

    def iinfo(self, type: Any, /) -> Any:  # noqa: A002 - the standard's name
        """Machine limits of an integer dtype (``bits``, ``max``, ``min``), on this backend."""
        return dtype_functions.iinfo(type, backend=self._backend)

    # -- creation ------------------------------------------------------------------------
    def asarray(
        self, obj: Any, /, *, dtype: Any = None, device: Any = None, copy: bool | None = None
    ) -> Tensor:
        """A tensor of ``obj``; a polygrad tensor (or a list of them) stays in the graph."""
        if isinstance(obj, Tensor):
            return self._from_tensor(obj, dtype, device, copy)
        if isinstance(obj, (list, tuple)) and _holds_tensor(obj):
            return self._from_nested(obj, dtype, device)
        return self._wrap(
            self._backend.asarray(obj, dtype=dtype, device=self._dev(device), copy=copy)
        )

    def _from_tensor(self, t: Tensor, dtype: Any, device: Any, copy: bool | None) -> Tensor:
        if t._backend is not self._backend:
            if t._requires_grad:
                raise TypeError(mixed_backends_message(self._backend, t._backend))
            return self.asarray(t._backend.to_numpy(t._data), dtype=dtype, device=device, copy=copy)
        out = t
        if dtype is not None and self._backend.dtype(dtype) != t._data.dtype:
            if copy is False:
                raise ValueError("Unable to avoid copy while creating an array as requested.")
            out = ops.astype(out, dtype)
        if device is not None:
            moved = ops.to_device(out, device)
            if moved is not out and copy is False:
                raise ValueError("Unable to avoid copy while creating an array as requested.")
            out = moved
        if copy and out is t:
            out = ops.clone(t)
        return out

    def _from_nested(self, obj: Any, dtype: Any, device: Any) -> Tensor:
        """``asarray([t1, t2, 3.0])``: stacks the parts, so gradients reach each tensor."""
        leaves: list[Any] = []
        _flatten(obj, leaves)
        for leaf in leaves:
            if isinstance(leaf, Tensor) and leaf._backend is not self._backend:
                raise TypeError(mixed_backends_message(self._backend, leaf._backend))
        if dtype is None:
            kinds = {type(v): v for v in leaves if isinstance(v, _SCALARS)}
            dtype = self.result_type(*[v for v in leaves if isinstance(v, Tensor)], *kinds.values())
        return self._build(obj, dtype, device)

    def _build(self, item: Any, dtype: Any, device: Any) -> Tensor:
        if isinstance(item, Tensor):
            item = item if item.dtype == dtype else ops.astype(item, dtype)
            return item if device is None else ops.to_device(item, device)
        if isinstance(item, (list, tuple)):
            if not _holds_tensor(item):
                return self.asarray(item, dtype=dtype, device=device)
            return ops.stack([self._build(part, dtype, device) for part in item], axis=0)
        return self.asarray(item, dtype=dtype, device=device)

    def arange(
        self,
        start: Any,
        /,
        stop: Any = None,
        step: Any = 1,
        *,
        dtype: Any = None,
        device: Any = None,
    ) -> Tensor:
        """Evenly spaced values in ``[start, stop)`` with ``step`` (the standard's ``arange``)."""
        return self._wrap(
            self._backend.xp.arange(
                start, stop, step, dtype=self._native(dtype), device=self._dev(device)
            )
        )

    def _filled(self, fn: str, shape: Any, dtype: Any, device: Any, *fill: Any) -> Tensor:
        shape = shape if isinstance(shape, int) else tuple(shape)
        return self._wrap(
            getattr(self._backend.xp, fn)(
                shape, *fill, dtype=self._native(dtype), device=self._dev(device)
            )
        )

    def zeros(self, shape: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
        """A new tensor of ``shape`` filled with zeros (the backend's default float dtype)."""
        return self._filled("zeros", shape, dtype, device)

    def ones(self, shape: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
        """A new tensor of ``shape`` filled with ones (the backend's default float dtype)."""
        return self._filled("ones", shape, dtype, device)

    def empty(self, shape: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
        """A new tensor of ``shape`` with unspecified values (the standard's ``empty``)."""
        return self._filled("empty", shape, dtype, device)

    def full(self, shape: Any, fill_value: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
        """A new tensor of ``shape`` filled with ``fill_value`` (its dtype from the value)."""
        if isinstance(fill_value, Tensor):
            fill_value = fill_value.item()
        return self._filled("full", shape, dtype, device, fill_value)

    def _like(self, fn: str, x: Any, dtype: Any, device: Any, *fill: Any) -> Tensor:
        x = operand(x)
        kwargs: dict[str, Any] = {"dtype": self._native(dtype)}
        if device is not None:
            kwargs["device"] = self._backend.parse_device(device)
        return self._wrap(getattr(self._backend.xp, fn)(x._data, *fill, **kwargs))

    def zeros_like(self, x: Any, /, *, dtype: Any = None, device: Any = None) -> Tensor:
        """Zeros with ``x``'s shape, dtype and device unless given."""
        return self._like("zeros_like", x, dtype, device)

    def ones_like(self, x: Any, /, *, dtype: Any = None, device: Any = None) -> Tensor:
        """Ones with ``x``'s shape, dtype and device unless given."""
        return self._like("ones_like", x, dtype, device)

    def empty_like(self, x: Any, /, *, dtype: Any = None, device: Any = None) -> Tensor:
        """An uninitialised tensor with ``x``'s shape, dtype and device unless given."""
        return self._like("empty_like", x, dtype, device)

    def full_like(
        self, x: Any, /, fill_value: Any, *, dtype: Any = None, device: Any = None
    ) -> Tensor:
        """``fill_value`` with ``x``'s shape, dtype and device unless given."""
        if isinstance(fill_value, Tensor):
            fill_value = fill_value.item()
        return self._like("full_like", x, dtype, device, fill_value)

    def eye(
        self,
        n_rows: int,
        n_cols: int | None = None,
        /,
        *,
        k: int = 0,
        dtype: Any = None,
        device: Any = None,
    ) -> Tensor:
        """A 2-d tensor with ones on diagonal ``k`` and zeros elsewhere (the standard's ``eye``)."""
        return self._wrap(
            self._backend.xp.eye(
                n_rows, n_cols, k=k, dtype=self._native(dtype), device=self._dev(device)
            )
        )

    def linspace(
        self,
        start: Any,
        stop: Any,
        /,
        num: int,
        *,
        dtype: Any = None,
        device: Any = None,
        endpoint: bool = True,
    ) -> Tensor:
        """``num`` evenly spaced values from ``start`` to ``stop`` (``endpoint``: included)."""
        return self._wrap(
            self._backend.xp.linspace(
                start,
                stop,
                num,
                dtype=self._native(dtype),
                device=self._dev(device),
                endpoint=endpoint,
            )
        )

    def from_dlpack(self, x: Any, /, *, device: Any = None, copy: bool | None = None) -> Tensor:
        """A tensor sharing ``x``'s memory (a graph exit: refused while ``x`` requires grad)."""
        if isinstance(x, Tensor):
            if x._requires_grad:
                raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
            x = x._data
        kwargs: dict[str, Any] = {}
        if device is not None:
            kwargs["device"] = self._backend.parse_device(device)
        if copy is not None:
            kwargs["copy"] = copy
        return self._wrap(self._backend.xp.from_dlpack(x, **kwargs))


for _name, _dtype in DTYPES.items():
    setattr(Namespace, _name, _dtype)  # xp.float32 is pg.float32


def _holds_tensor(obj: Any) -> bool:
    for item in obj:
        if isinstance(item, Tensor):
            return True
        if isinstance(item, (list, tuple)) and _holds_tensor(item):
            return True
    return False


def _flatten(obj: Any, out: list[Any]) -> None:
    for item in obj:
        if isinstance(item, (list, tuple)):
            _flatten(item, out)
        else:
            out.append(item)


@per_backend_and_device
def namespace_for(backend: Any, device: Any = None) -> Namespace:
    """The namespace of ``backend`` whose creation functions default to ``device``."""
    return Namespace(backend, device)


def default_namespace(*values: Any) -> Namespace:
    """The namespace for top-level ``pg.asarray(obj)``: ``obj``'s backend, else the current one."""
    for value in values:
        if isinstance(value, Tensor):
            return namespace_for(value._backend)
        found = backend_of_array(value)
        if found is not None:
            return namespace_for(found)
        if isinstance(value, (list, tuple)):
            leaves: list[Any] = []
            _flatten(value, leaves)
            for leaf in leaves:
                if isinstance(leaf, Tensor):
                    return namespace_for(leaf._backend)
    backend, device = current()
    return namespace_for(backend, device)


def asarray(
    obj: Any, /, *, dtype: Any = None, device: Any = None, copy: bool | None = None
) -> Tensor:
    """The standard's ``asarray`` (the backend's default dtypes, unlike ``pg.tensor``)."""
    return default_namespace(obj).asarray(obj, dtype=dtype, device=device, copy=copy)


def from_dlpack(x: Any, /, *, device: Any = None, copy: bool | None = None) -> Tensor:
    """The standard's ``from_dlpack``: an array of ``x``'s library, wrapped."""
    return default_namespace(x).from_dlpack(x, device=device, copy=copy)


def __array_namespace_info__() -> NamespaceInfo:  # noqa: N807 - the standard's name
    """Inspection of the current default backend (``pg.__array_namespace_info__()``)."""
    return default_namespace().__array_namespace_info__()


_callbacks.recording_namespace = namespace_for  # the engine runs create_graph rules with it
