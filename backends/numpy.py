"""NumPy backend: the default, always installed."""

from __future__ import annotations

import warnings
from contextlib import AbstractContextManager
from typing import Any

import numpy as np

from . import _numpy_namespace as xp
from ._base import Backend

# NumPy reports inf and nan results as RuntimeWarnings ("divide by zero encountered in
# log"); torch computes the same values silently, and so does polygrad. The filter matches
# only warnings raised from polygrad's own modules (its ops, rules and engine call the
# kernels), so a user's own NumPy code still warns; it costs nothing per op, where an
# np.errstate around each op would cost microseconds.
warnings.filterwarnings(
    "ignore",
    message=r"(divide by zero|invalid value|overflow|underflow) encountered",
    category=RuntimeWarning,
    module=r"polygrad\.",
)


class NumpyBackend(Backend):
    name = "numpy"
    special_module = "scipy.special"
    host_data = True
    xp = xp  # array-api-compat's, with a faster broadcast_to
    array_types = (np.ndarray, np.generic)
    replays_in_place = True

    def __init__(self) -> None:
        super().__init__()
        self._rng = np.random.default_rng()

    def owns(self, array: Any) -> bool:
        return type(array) is np.ndarray and array.base is None and array.flags.writeable

    def add_into(self, total: Any, g: Any) -> bool:
        if not self.owns(total) or total.shape != g.shape or total.dtype != g.dtype:
            return False
        np.add(total, g, out=total)
        return True

    def ones_like(self, array: Any) -> Any:
        # a quarter of the instructions of array-api-compat's ones_like (its device and
        # dtype handling in Python), paid by every backward() of a scalar
        out = np.empty_like(array)
        out.fill(1)
        return out

    def seed(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)

    def uniform(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        return self._rng.random(shape, dtype=np.float64).astype(self.dtype(dtype), copy=False)

    def normal(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        return self._rng.standard_normal(shape, dtype=np.float64).astype(
            self.dtype(dtype), copy=False
        )

    def scatter_add(
        self, shape: tuple[int, ...], dtype: Any, key: Any, values: Any, device: Any = None
    ) -> Any:
        out = np.zeros(shape, dtype=dtype)
        np.add.at(out, key, values)
        return out

    def complex(self, real: Any, imag: Any) -> Any:
        dtype = np.result_type(real.dtype, np.complex64)
        out = np.empty(np.broadcast_shapes(real.shape, imag.shape), dtype=dtype)
        out.real, out.imag = real, imag
        return out

    def quiet_floating_point(self) -> AbstractContextManager[Any]:
        return np.errstate(all="ignore")

    def to_numpy(self, array: Any) -> np.ndarray:
        return np.asarray(array)

    def device_of(self, array: Any) -> Any:
        return "cpu"

    def default_device(self) -> Any:
        return "cpu"

    def devices(self) -> list[Any]:
        return ["cpu"]

    def parse_device(self, device: Any) -> Any:
        if device not in (None, "cpu"):
            raise RuntimeError(f"the numpy backend has only the 'cpu' device, got {device!r}")
        return "cpu"


backend = NumpyBackend()
