"""Which backends the suite can run on, and moving test data onto them and back.

Test inputs are NumPy arrays; ``leaf`` turns one into a polygrad leaf on a backend
(``pg.tensor(data, backend=name)``), ``torch_leaf`` into the torch oracle's leaf.
Both can build a non-contiguous leaf (a transposed view of a contiguous buffer), so
rules are exercised on strided data where the library has strides.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

#: Every backend the suite knows, in report order.
ALL_BACKENDS = ("numpy", "torch", "jax", "array_api_strict", "dask")
#: The library each backend adapter needs.
_LIBRARY = {
    "numpy": "numpy",
    "torch": "torch",
    "jax": "jax",
    "array_api_strict": "array_api_strict",
    "dask": "dask.array",
}


def availability(name: str) -> tuple[bool, str]:
    """(True, version) when polygrad can run on ``name`` here, else (False, why not)."""
    try:
        library = importlib.import_module(_LIBRARY[name])
    except ImportError as error:
        return False, f"{_LIBRARY[name]} is not installed ({error})"
    try:
        from polygrad._core._backend import get_backend

        get_backend(name)
    except (ImportError, ValueError) as error:
        return False, f"no polygrad adapter for {name} yet ({error})"
    version = getattr(library, "__version__", None)
    if version is None and name == "dask":
        version = importlib.import_module("dask").__version__
    return True, str(version)


def supports_float64(name: str, enable: bool) -> tuple[bool, str]:
    """JAX needs ``jax_enable_x64`` for float64; ``enable`` switches it on (process-wide)."""
    if name != "jax":
        return True, ""
    import jax

    if not jax.config.jax_enable_x64:
        if not enable:
            return False, "float64 needs jax_enable_x64 (left off inside pytest)"
        jax.config.update("jax_enable_x64", True)
    return True, ""


def _transposed_buffer(data: np.ndarray) -> np.ndarray:
    """A C-contiguous array whose last-two-axes transpose equals ``data``."""
    return np.ascontiguousarray(np.swapaxes(data, -1, -2))


def leaf(
    pg: Any, data: np.ndarray, backend: str, requires_grad: bool, noncontiguous: bool = False
) -> Any:
    """``data`` as a polygrad leaf on ``backend`` (a transposed view when ``noncontiguous``)."""
    if noncontiguous and data.ndim >= 2:
        base = pg.tensor(_transposed_buffer(data), backend=backend)
        with pg.no_grad():
            out = base.mT
        return out.requires_grad_(requires_grad) if requires_grad else out
    return pg.tensor(data, backend=backend, requires_grad=requires_grad)


def torch_leaf(
    torch: Any, data: np.ndarray, requires_grad: bool, noncontiguous: bool = False
) -> Any:
    """``data`` as a torch leaf (a transposed, non-contiguous view when asked)."""
    if noncontiguous and data.ndim >= 2:
        out = torch.from_numpy(_transposed_buffer(data)).mT
    else:
        out = torch.from_numpy(np.array(data, copy=True))
    return out.requires_grad_(requires_grad)


def to_numpy(value: Any) -> Any:
    """A polygrad or torch tensor's values as a NumPy array (other values unchanged)."""
    if hasattr(value, "detach") and hasattr(value, "numpy"):
        if dtype_name(value) == "bfloat16":  # NumPy has no bfloat16: widened, exactly
            value = value.float()
        elif dtype_name(value) == "complex32":  # nor complex32: widened, exactly
            value = value.cfloat()
        # force=True: torch's lazily conjugated, negated and zero tensors convert too
        return np.asarray(value.detach().numpy(force=True))
    return value


def dtype_name(value: Any) -> str:
    """``"float32"`` for a polygrad, torch or NumPy dtype (or the value's dtype)."""
    dtype = getattr(value, "dtype", value)
    name = getattr(dtype, "name", None)
    if isinstance(name, str):
        return name
    return str(dtype).replace("torch.", "")
