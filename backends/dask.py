"""Dask backend: lazy, chunked arrays, so graphs over arrays larger than memory run on a cluster.

Forward values and gradients stay lazy ``dask.array`` graphs until something asks
for numbers (``.numpy()``, ``.item()``, printing, or ``pg.compute(x.grad)``);
with a ``dask.distributed.Client`` active, that computation runs on its cluster.
Writes are functional (``mutable = False``): ``x[i] = v`` and in-place ops build a
new graph and rebind the tensor, so nodes that saved the old value keep it; a write
whose graph has grown past ``max_pending_layers`` is persisted (``bounded``), so a
hand-written update loop stays as fast as its first step. Sizes after boolean-mask
indexing are unknown (NaN) until ``sized`` computes them, which polygrad does when
a size is asked for or a gradient needs it. The gradient of
integer-array indexing is one ``bincount`` whose result (the input's size) is
materialised on one worker. ``linalg`` ops hold each matrix in one chunk (batches of
matrices stay chunked), ``fft`` the transformed axes (``_dask_namespace``).
"""

from __future__ import annotations

import math
from typing import Any

import dask
import dask.array as da
import numpy as np

from polygrad._core._dtypes import dtype_name

from ._base import Backend
from ._dask_namespace import namespace


def _lone_mask(key: Any) -> Any:
    """The boolean array when ``key`` is one (alone or in a 1-tuple), else None."""
    if isinstance(key, tuple) and len(key) == 1:
        key = key[0]
    return key if hasattr(key, "dtype") and np.dtype(key.dtype) == np.bool_ else None


def _sized(array: Any) -> Any:
    if any(math.isnan(n) for n in array.shape):
        array.compute_chunk_sizes()  # in place: every holder of this array sees them
    return array


def _selects_nothing(shape: tuple[int, ...], key: Any) -> bool:
    """Whether the basic index ``key`` selects no element of an array of ``shape`` (read
    off a zero-strided NumPy view of that shape: nothing is allocated)."""
    parts = key if isinstance(key, tuple) else (key,)
    if not all(k is None or k is Ellipsis or isinstance(k, (int, slice)) for k in parts):
        return False  # index arrays: left to dask (reading them here would compute them)
    try:
        return np.broadcast_to(np.empty((), dtype=np.int8), shape)[key].size == 0
    except (IndexError, TypeError, ValueError):
        return False  # an index NumPy reads otherwise: dask decides


def _write_masked(array: Any, mask: Any, value: Any) -> Any:
    """``array`` with ``value`` written where ``mask`` (over its leading axes) is True.

    dask writes a mask only of ``array``'s own shape and a value that does not depend
    on the count of True entries; a value with one row per selected element (NumPy's
    ``x[mask] = rows``) is gathered here: the i-th selected element takes row i.
    """
    trailing = tuple(array.shape[mask.ndim :])
    where = mask.reshape(tuple(mask.shape) + (1,) * len(trailing))
    value = da.asarray(value)
    if value.ndim <= len(trailing):  # the same value in every selected slot
        return da.where(where, value, array)
    rows = _sized(value).reshape((-1,) + trailing)  # take needs to know the row count
    flat = mask.ravel()
    order = da.where(flat, da.cumsum(flat) - 1, 0)
    picked = da.take(rows, order, axis=0).reshape(tuple(mask.shape) + trailing)
    return da.where(where, picked, array).astype(array.dtype)


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
    #: The most task-graph layers an in-place write leaves pending before ``bounded``
    #: persists the written value (a training step adds about one).
    max_pending_layers = 100

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
        return list(dask.persist(*arrays))

    def bounded(self, array: Any) -> Any:
        if len(array.__dask_graph__().layers) <= self.max_pending_layers:
            return array
        return self.persist([array])[0]

    def sized(self, array: Any) -> Any:
        return _sized(array)

    def setitem(self, array: Any, key: Any, value: Any) -> Any:
        mask = _lone_mask(key)
        if mask is not None:
            return _write_masked(array, mask, value)
        positions = _integer_positions(tuple(array.shape), key)
        if positions is None:
            out = array.copy()  # dask's __setitem__ rewrites the handle's graph: use a fresh one
            if not _selects_nothing(tuple(array.shape), key):  # dask refuses empty writes
                out[key] = value
            return out
        # dask assigns through at most one index array: write the flat view instead
        flat = array.ravel()
        flat[positions.ravel()] = da.broadcast_to(value, positions.shape).ravel()
        return flat.reshape(array.shape)

    def scatter_add(
        self, shape: tuple[int, ...], dtype: Any, key: Any, values: Any, device: Any = None
    ) -> Any:
        mask = _lone_mask(key)
        if mask is not None:  # a mask selects each element once: nothing to add up
            return _write_masked(da.zeros(shape, dtype=dtype), mask, values)
        size = math.prod(shape)
        positions = _integer_positions(shape, key)
        if positions is None:
            positions = da.arange(size).reshape(shape)[key]
        if 0 in positions.shape:  # nothing to add (dask's bincount of nothing has no size)
            return da.zeros(shape, dtype=dtype)
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
