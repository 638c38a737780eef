"""torch's C++ names of dtypes, as its error messages quote them.

``cpp_name("float64")`` is ``'double'`` (the C++ type) and ``scalar_type_name("float64")``
is ``'Double'`` (the ScalarType), and ``legacy_type_name(x)`` is ``'torch.DoubleTensor'``,
so messages read exactly like torch's.
"""

from __future__ import annotations

from typing import Any

_NAMES = {
    "float16": ("c10::Half", "Half"),
    "bfloat16": ("c10::BFloat16", "BFloat16"),
    "float32": ("float", "Float"),
    "float64": ("double", "Double"),
    "complex64": ("c10::complex<float>", "ComplexFloat"),
    "complex128": ("c10::complex<double>", "ComplexDouble"),
    "int8": ("signed char", "Char"),
    "int16": ("short int", "Short"),
    "int32": ("int", "Int"),
    "int64": ("long int", "Long"),
    "uint8": ("unsigned char", "Byte"),
    "bool": ("bool", "Bool"),
}


def cpp_name(dtype_name: str) -> str:
    return _NAMES.get(dtype_name, (dtype_name, dtype_name))[0]


def scalar_type_name(dtype_name: str) -> str:
    return _NAMES.get(dtype_name, (dtype_name, dtype_name))[1]


def legacy_type_name(t: Any) -> str:
    """torch's legacy type name of ``t``'s dtype (``torch.FloatTensor``), as in its errors."""
    return f"torch.{scalar_type_name(t.dtype.name)}Tensor"
