"""array-api-strict backend: the standard and nothing else, to prove the core needs nothing more.

array-api-strict rejects every call outside the array API standard, so the core's
tests passing on it show polygrad speaks only the standard. The gaps the standard
leaves are filled here with standard functions only: scatter-add and integer-array
item assignment match each value's flat target position against every element
(a one-hot matrix, then a matrix product), which is exact but takes
O(values x elements) memory: this backend is for checking, not for speed. A scatter-add
whose one-hot matrix would pass ``ONE_HOT_LIMIT`` entries sorts the values by target
instead and takes differences of their running sum (memory O(values + elements), exact
for integers, within a rounding of the running sum for floating point).
Random numbers are drawn with NumPy and handed over (the standard has none).
"""

from __future__ import annotations

import math
from contextlib import AbstractContextManager
from typing import Any

import array_api_strict as xp
import numpy as np

from ._base import Backend

_CPU = xp.Device("CPU_DEVICE")
#: Entries of the largest one-hot matrix a scatter-add builds (16 M: 128 MB as float64)
ONE_HOT_LIMIT = 1 << 24


class StrictBackend(Backend):
    name = "array_api_strict"
    distribution = "array-api-strict"
    xp = xp
    array_types = (type(xp.asarray(0)),)

    def __init__(self) -> None:
        super().__init__()
        self._rng = np.random.default_rng()

    def quiet_floating_point(self) -> AbstractContextManager[Any]:
        return np.errstate(all="ignore")

    def to_numpy(self, array: Any) -> np.ndarray:
        return np.asarray(array.to_device(_CPU))

    # -- devices -------------------------------------------------------------------
    def parse_device(self, device: Any) -> Any:
        if device is None or isinstance(device, xp.Device):
            return device
        try:
            return xp.Device({"cpu": "CPU_DEVICE"}.get(str(device), str(device)))
        except ValueError:
            raise RuntimeError(
                f"array_api_strict has no device {device!r}; it has {self.devices()}"
            ) from None

    # -- random numbers ----------------------------------------------------------------
    def seed(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)

    def uniform(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        return xp.asarray(self._rng.random(shape), dtype=self.dtype(dtype), device=device)

    def normal(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        return xp.asarray(self._rng.standard_normal(shape), dtype=self.dtype(dtype), device=device)

    # -- scatter and item assignment ----------------------------------------------------
    def _one_hot(self, shape: tuple[int, ...], key: Any, values: Any, device: Any) -> Any:
        """(flat values, one-hot rows: value i -> its flat element) for ``array[key]``."""
        size = math.prod(shape)
        elements = xp.arange(size, device=device)
        positions = xp.reshape(elements, shape)[key]
        values = xp.reshape(xp.broadcast_to(values, positions.shape), (-1,))
        hits = xp.reshape(positions, (-1, 1)) == xp.reshape(elements, (1, -1))
        return values, hits

    def scatter_add(
        self, shape: tuple[int, ...], dtype: Any, key: Any, values: Any, device: Any = None
    ) -> Any:
        size = math.prod(shape)
        positions = xp.reshape(xp.arange(size, device=values.device), shape)[key]
        if positions.size * size > ONE_HOT_LIMIT:
            return xp.reshape(_sorted_sums(size, positions, values), shape)
        values, hits = self._one_hot(shape, key, values, values.device)
        return xp.reshape(values @ xp.astype(hits, values.dtype), shape)

    def setitem(self, array: Any, key: Any, value: Any) -> Any:
        keys = key if isinstance(key, tuple) else (key,)
        if not any(isinstance(k, self.array_types) and k.dtype != xp.bool for k in keys):
            array[key] = value  # the standard's basic and boolean-mask assignment
            return array
        if not isinstance(value, self.array_types):
            value = xp.asarray(value, dtype=array.dtype, device=array.device)
        values, hits = self._one_hot(tuple(array.shape), key, value, array.device)
        written = values @ xp.astype(hits, array.dtype)  # repeated indices: undefined, as in torch
        flat = xp.where(xp.any(hits, axis=0), written, xp.reshape(array, (-1,)))
        return xp.reshape(flat, tuple(array.shape))


def _sorted_sums(size: int, positions: Any, values: Any) -> Any:
    """Sums of ``values`` by flat target ``positions`` into ``size`` elements, through a
    sort: each target's sum is the difference of the running sum at its run's two ends."""
    values = xp.reshape(xp.broadcast_to(values, positions.shape), (-1,))
    positions = xp.reshape(positions, (-1,))
    order = xp.argsort(positions, stable=True)
    targets = xp.take(positions, order)
    running = xp.cumulative_sum(xp.take(values, order), include_initial=True)
    elements = xp.arange(size, device=values.device)
    ends = xp.searchsorted(targets, elements, side="right")
    starts = xp.searchsorted(targets, elements, side="left")
    return xp.take(running, ends) - xp.take(running, starts)


backend = StrictBackend()
