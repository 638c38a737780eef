"""Dask backend: lazy, chunked arrays, so graphs over arrays larger than memory run on a cluster.

Forward values and gradients stay lazy ``dask.array`` graphs until something asks
for numbers (``.numpy()``, ``.item()``, printing, or ``x.grad._data.compute()``);
with a ``dask.distributed.Client`` active, that computation runs on its cluster.
Writes are functional (``mutable = False``): ``x[i] = v`` and in-place ops build a
new graph and rebind the tensor, so nodes that saved the old value keep it.
Limits: arrays of unknown size (after boolean-mask indexing) have NaN in their
shape and cannot go through shape-dependent gradients; the gradient of
integer-array indexing is one ``bincount`` whose result (the input's size) is
materialised on one worker. ``linalg`` ops hold each matrix in one chunk (batches of
matrices stay chunked), ``fft`` the transformed axes (``_dask_namespace``).
"""

from __future__ import annotations

import math
from typing import Any

import dask.array as da
import numpy as np

from polygrad._core._dtypes import dtype_name

from ._base import Backend
from ._dask_namespace import namespace


def _integer_positions(shape: tuple[int, ...], key: Any) -> Any:
    """Flat element positions for a key of integers and integer arrays on every axis
    (the standard's form, which dask cannot index with), else None."""
    keys = key if isinstance(key, tuple) else (key,)
    if len(keys) != len(shape) or not all(
        isinstance(k, int) or (hasattr(k, "dtype") and np.dtype(k.dtype).kind in "iu") for k in keys
    ):
        return None
    positions, stride = 0, 1
    for k, size in reversed(list(zip(keys, shape))):
        positions = positions + da.where(da.asarray(k) < 0, k + size, k) * stride
        stride *= size
    return da.asarray(positions)


class DaskBackend(Backend):
    name = "dask"
    distribution = "dask"
    xp = namespace  # array-api-compat's, with linalg, fft and take_along_axis completed
    mutable = False
    lazy = True
    array_types = (da.Array,)

    def __init__(self) -> None:
        super().__init__()
        self._rng = da.random.default_rng()

    def dtype(self, dtype: Any) -> Any:
        name = dtype_name(dtype)
        if name is None or name == "bfloat16":
            raise TypeError(f"dtype {dtype!r} is not supported by the dask backend")
        return np.dtype(name)  # NumPy's dtypes, float16 included (the compat namespace lacks it)

    def to_numpy(self, array: Any) -> np.ndarray:
        return np.asarray(array.compute())

    def copy(self, array: Any) -> Any:
        return array.copy()  # a new graph handle; dask never shares written blocks

    def persist(self, arrays: list[Any]) -> list[Any]:
        """Compute ``arrays`` together and keep the results (on the cluster, with a
        Client), so a loop that updates them (``pg.optim``) does not grow one graph."""
        import dask

        return list(dask.persist(*arrays))

    def setitem(self, array: Any, key: Any, value: Any) -> Any:
        positions = _integer_positions(tuple(array.shape), key)
        if positions is None:
            out = array.copy()  # dask's __setitem__ rewrites the handle's graph: use a fresh one
            out[key] = value
            return out
        # dask assigns through at most one index array: write the flat view instead
        flat = array.ravel()
        flat[positions.ravel()] = da.broadcast_to(value, positions.shape).ravel()
        return flat.reshape(array.shape)

    def scatter_add(
        self, shape: tuple[int, ...], dtype: Any, key: Any, values: Any, device: Any = None
    ) -> Any:
        size = math.prod(shape)
        positions = _integer_positions(shape, key)
        if positions is None:
            positions = da.arange(size).reshape(shape)[key]
        flat = da.broadcast_to(values, positions.shape).ravel()
        positions = positions.ravel()
        flat = flat.rechunk(positions.chunks)  # bincount pairs them chunk by chunk
        if np.dtype(dtype).kind == "c":  # bincount's weights are real
            total = da.bincount(positions, weights=flat.real, minlength=size) + 1j * da.bincount(
                positions, weights=flat.imag, minlength=size
            )
        else:
            total = da.bincount(positions, weights=flat, minlength=size)
        return total.astype(dtype).reshape(shape)

    # -- devices -------------------------------------------------------------------
    def device_of(self, array: Any) -> Any:
        return "cpu"

    def default_device(self) -> Any:
        return "cpu"

    def devices(self) -> list[Any]:
        return ["cpu"]

    def parse_device(self, device: Any) -> Any:
        if device not in (None, "cpu"):
            raise RuntimeError(f"the dask backend has only the 'cpu' device, got {device!r}")
        return "cpu" if device is not None else None

    # -- random numbers ----------------------------------------------------------------
    def seed(self, seed: int) -> None:
        self._rng = da.random.default_rng(seed)

    def uniform(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        return self._rng.random(shape, dtype=np.float64).astype(self.dtype(dtype))

    def normal(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        return self._rng.standard_normal(shape, dtype=np.float64).astype(self.dtype(dtype))


backend = DaskBackend()
