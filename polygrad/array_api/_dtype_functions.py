"""The standard's data type functions on polygrad dtypes: ``isdtype``, ``result_type``,
``can_cast``, ``finfo`` and ``iinfo``.

They accept polygrad dtypes (``pg.float32``), dtype names, a backend's own dtypes,
Tensors and (``result_type``) Python numbers, and answer with polygrad dtypes.
Promotion and casting ask the backend's own array-API namespace, so
``result_type(a, b)`` is always the dtype that ``a + b`` produces on that backend
(NumPy promotes ``int64`` with ``float32`` to ``float64``, torch to ``float32``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._core._backend import backend_of_array, current
from .._core._dtypes import DTYPES, DType, dtype_name
from .._core._tensor import Tensor

_SCALARS = (bool, int, float, complex)

#: The standard's kind names and the dtype kinds each covers.
_KIND_GROUPS = {
    "bool": ("bool",),
    "signed integer": ("signed integer",),
    "unsigned integer": ("unsigned integer",),
    "integral": ("signed integer", "unsigned integer"),
    "real floating": ("real floating",),
    "complex floating": ("complex floating",),
    "numeric": ("signed integer", "unsigned integer", "real floating", "complex floating"),
}


def as_dtype(dtype: Any) -> DType:
    """A polygrad dtype for a polygrad/library dtype or a standard dtype name."""
    name = dtype_name(dtype)
    if name is None:
        raise TypeError(f"{dtype!r} is not a data type")
    return DTYPES[name]


def isdtype(dtype: Any, kind: Any) -> bool:
    """Whether ``dtype`` is of ``kind``: a dtype, a kind name (``"real floating"``,
    ``"integral"``, ``"numeric"``...) or a tuple of them."""
    dtype = as_dtype(dtype)
    if isinstance(kind, tuple):
        return any(isdtype(dtype, k) for k in kind)
    if isinstance(kind, str):
        if kind in _KIND_GROUPS:
            return dtype.kind in _KIND_GROUPS[kind]
        if kind not in DTYPES:
            raise ValueError(f"unknown dtype kind {kind!r}; expected one of {list(_KIND_GROUPS)}")
    return dtype is as_dtype(kind)


def _native(backend: Any, value: Any) -> Any:
    """What the backend's namespace accepts for a dtype argument: its own dtype."""
    if isinstance(value, Tensor):
        return value._data.dtype
    if isinstance(value, _SCALARS):
        return value
    if backend.is_array(value):
        return value.dtype
    return backend.dtype(value)


def backend_of(values: tuple[Any, ...], backend: Any) -> Any:
    """The backend of the first Tensor among ``values``, else ``backend``, else the current one."""
    for v in values:
        if isinstance(v, Tensor):
            return v._backend
    if backend is not None:
        return backend
    for v in values:
        found = backend_of_array(v)
        if found is not None:
            return found
    return current()[0]


def result_type(*arrays_and_dtypes: Any, backend: Any = None) -> DType:
    """The dtype that combining these arrays, dtypes and Python numbers gives."""
    backend = backend_of(arrays_and_dtypes, backend)
    if not arrays_and_dtypes:
        raise ValueError("at least one array or dtype is required")
    if all(isinstance(v, _SCALARS) for v in arrays_and_dtypes):
        raise ValueError("at least one array or dtype is required")
    natives = [_native(backend, v) for v in arrays_and_dtypes]
    return backend.pg_dtype(backend.xp.result_type(*natives))


def can_cast(from_: Any, to: Any, /, *, backend: Any = None) -> bool:
    """Whether ``from_`` (a dtype or array) can be cast to ``to`` by the promotion rules."""
    backend = backend_of((from_,), backend)
    return bool(backend.xp.can_cast(_native(backend, from_), backend.dtype(to)))


@dataclass(frozen=True)
class finfo_object:  # noqa: N801 - the standard's name for it
    """Machine limits of a floating dtype (a complex dtype reports its real part's)."""

    bits: int
    eps: float
    max: float
    min: float
    smallest_normal: float
    dtype: DType


@dataclass(frozen=True)
class iinfo_object:  # noqa: N801 - the standard's name for it
    """Machine limits of an integer dtype."""

    bits: int
    max: int
    min: int
    dtype: DType


_REAL_OF_COMPLEX = {"complex64": "float32", "complex128": "float64"}


def finfo(type: Any, /, *, backend: Any = None) -> finfo_object:  # noqa: A002 - standard name
    """Limits of a floating dtype (or of an array's dtype)."""
    backend = backend_of((type,), backend)
    dtype = as_dtype(type.dtype if isinstance(type, Tensor) else type)
    if not dtype.differentiable:
        raise TypeError(f"finfo needs a floating dtype, got {dtype.name}")
    info = backend.xp.finfo(backend.dtype(dtype))
    real = DTYPES[_REAL_OF_COMPLEX.get(dtype.name, dtype.name)]
    return finfo_object(
        int(info.bits),
        float(info.eps),
        float(info.max),
        float(info.min),
        float(info.smallest_normal),
        real,
    )


def iinfo(type: Any, /, *, backend: Any = None) -> iinfo_object:  # noqa: A002 - standard name
    """Limits of an integer dtype (or of an array's dtype)."""
    backend = backend_of((type,), backend)
    dtype = as_dtype(type.dtype if isinstance(type, Tensor) else type)
    if dtype.kind not in ("signed integer", "unsigned integer"):
        raise TypeError(f"iinfo needs an integer dtype, got {dtype.name}")
    info = backend.xp.iinfo(backend.dtype(dtype))
    return iinfo_object(int(info.bits), int(info.max), int(info.min), dtype)
