"""Data types that mean the same on every backend.

``pg.float32`` is one object whatever the array library; ``tensor.dtype`` returns
these objects, so ``x.dtype == pg.float32`` holds on NumPy, torch and JAX alike.
A ``DType`` also compares equal to the backend's own dtype of the same name
(``np.float32``, ``torch.float32``). ``set_default_dtype`` sets the dtype of
torch-style factories (``pg.randn``, ``pg.tensor([1.5])``), float32 as in torch.
"""

from __future__ import annotations

from typing import Any

_KINDS = {
    "bool": "bool",
    "int8": "signed integer",
    "int16": "signed integer",
    "int32": "signed integer",
    "int64": "signed integer",
    "uint8": "unsigned integer",
    "uint16": "unsigned integer",
    "uint32": "unsigned integer",
    "uint64": "unsigned integer",
    "float16": "real floating",
    "bfloat16": "real floating",
    "float32": "real floating",
    "float64": "real floating",
    "complex32": "complex floating",
    "complex64": "complex floating",
    "complex128": "complex floating",
}


class DType:
    """A backend-neutral dtype, known by its standard name (``"float32"``)."""

    __slots__ = ("name", "kind")

    def __init__(self, name: str) -> None:
        self.name = name
        self.kind = _KINDS[name]

    @property
    def is_floating_point(self) -> bool:
        return self.kind == "real floating"

    @property
    def is_complex(self) -> bool:
        return self.kind == "complex floating"

    @property
    def differentiable(self) -> bool:
        """Only floating and complex tensors can require gradients."""
        return self.kind in ("real floating", "complex floating")

    def __repr__(self) -> str:
        return f"polygrad.{self.name}"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, DType):
            return other is self
        name = dtype_name(other)
        return name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    def __reduce__(self) -> Any:
        return (by_name, (self.name,))


DTYPES: dict[str, DType] = {name: DType(name) for name in _KINDS}


def by_name(name: str) -> DType:
    return DTYPES[name]


def dtype_name(dtype: Any) -> str | None:
    """The standard name of a polygrad, NumPy, torch, JAX or array-api-strict dtype (or None)."""
    if isinstance(dtype, DType):
        return dtype.name
    if isinstance(dtype, str):
        return dtype if dtype in DTYPES else None
    if dtype is float or dtype is int or dtype is bool or dtype is complex:
        return None  # (``np.dtype('float64') == float`` is True, hence identity)
    name = getattr(dtype, "name", None)
    if isinstance(name, str) and name in DTYPES:
        return name
    text = str(dtype)
    for prefix in (
        "torch.",
        "dtype('",
        "<class 'numpy.",
        "array_api_strict.",
        "<class 'jax.numpy.",
    ):
        if text.startswith(prefix):
            text = text[len(prefix) :].rstrip("')>")
    aliases = {
        "float": "float32",
        "double": "float64",
        "half": "float16",
        "long": "int64",
        "int": "int32",
        "short": "int16",
        "cfloat": "complex64",
        "cdouble": "complex128",
    }
    text = aliases.get(text, text)
    return text if text in DTYPES else None


#: id of a library dtype -> (the dtype, its standard name), for ``native_dtype_name``
_native_names: dict[int, tuple[Any, str | None]] = {}


def native_dtype_name(dtype: Any) -> str | None:
    """``dtype_name`` of a library dtype, cached for hot paths: NumPy's ``dtype.name`` is a
    Python property that costs more than a ufunc on a small array. Keyed by identity, as
    ``_is_complex_dtype`` (the stored dtype keeps its id from being reused)."""
    found = _native_names.get(id(dtype))
    if found is None:
        found = _native_names[id(dtype)] = (dtype, dtype_name(dtype))
    return found[1]


_default_float = DTYPES["float32"]


def get_default_dtype() -> DType:
    """The float dtype of torch-style factories (float32 unless changed)."""
    return _default_float


def set_default_dtype(dtype: Any) -> None:
    """Set the float dtype of torch-style factories (``float32`` or ``float64``)."""
    global _default_float
    name = dtype_name(dtype)
    if name not in ("float16", "bfloat16", "float32", "float64"):
        raise TypeError(f"only floating-point types are supported as the default type, got {dtype}")
    _default_float = DTYPES[name]


_complex_dtypes: dict[int, tuple[Any, bool]] = {}


#: exact types, tested by one set lookup (``isinstance`` of a tuple tries each in turn);
#: NumPy's scalars subclass them but carry a dtype and take the array path
PYTHON_NUMBERS = frozenset((int, float, bool, complex))


def is_complex(value: Any) -> bool:
    """Whether an array, Tensor or Python number is complex (cached per dtype)."""
    if type(value) in PYTHON_NUMBERS:
        return type(value) is complex
    dtype = getattr(value, "dtype", None)
    if dtype is None:  # a subclass of a Python number
        return isinstance(value, complex)
    found = _complex_dtypes.get(id(dtype))  # the hot case: one lookup
    return found[1] if found is not None else _is_complex_dtype(dtype)


def real_if_complex_to_real(xp: Any, g: Any, dtype: Any) -> Any:
    """The real part of a complex gradient bound for a real input (torch's rule)."""
    if is_complex(g) and not _is_complex_dtype(dtype):
        return xp.real(g)
    return g


def _is_complex_dtype(dtype: Any) -> bool:
    # keyed by identity: dtypes of different libraries may compare (with warnings) or
    # hash alike; the stored dtype keeps its id from being reused
    found = _complex_dtypes.get(id(dtype))
    if found is None:
        name = dtype_name(dtype)
        found = _complex_dtypes[id(dtype)] = (
            dtype,
            name is not None and name.startswith("complex"),
        )
    return found[1]
