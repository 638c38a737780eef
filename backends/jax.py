"""JAX backend: immutable arrays, and polygrad's engine inside ``jax.jit`` and ``jax.vmap``.

Arrays cannot be written in place (``mutable = False``): polygrad's in-place ops and
``x[i] = v`` rebind the tensor (and its ``detach()``/``.data`` aliases) to a new
array, so the difference never shows. Everything here is trace-safe (no reads of
array values), so ``jax.jit`` and ``jax.vmap`` trace polygrad's engine.

Without ``jax_enable_x64`` (JAX's default) the default float dtype is float32, as
polygrad's always is; asking for float64/complex128 is a ``TypeError`` saying how
to enable 64-bit JAX (never a silent loss of precision), while int64 requests
(torch's default integer type, e.g. ``pg.arange(3)``) quietly give int32, which is
what JAX itself does with integers.
"""

from __future__ import annotations

import secrets
from typing import Any

import jax
import jax.numpy as jnp
import jax.scipy.linalg
import numpy as np

from polygrad._core._dtypes import dtype_name

from ._base import Backend
from ._factorizations import first_zero

_WIDE_FLOATS = ("float64", "complex128")
_NARROWED_INTS = {"int64": "int32", "uint64": "uint32"}


class JaxBackend(Backend):
    name = "jax"
    distribution = "jax"
    xp = jnp
    mutable = False
    array_types = (jax.Array,)
    special_module = "jax.scipy.special"

    def __init__(self) -> None:
        super().__init__()
        self._key: Any = None
        self._seed = secrets.randbits(32)

    def compile_replay(self, replay: Any, native: bool) -> Any:
        """pg.compile on JAX: the replay under ``jax.jit`` (one XLA program)."""
        return jax.jit(replay)

    def shapes_are_traced(self) -> bool:
        """Under ``jax.jit``, ``jax.vmap``, ``lax.scan``... (and ``jax.grad``, though masks
        happen to work there); eagerly JAX arrays have values."""
        try:
            from jax._src import core

            return not core.trace_ctx.is_top_level()
        except (ImportError, AttributeError):  # JAX's internals moved: detect jit's staging
            return isinstance(jnp.zeros(()), jax.core.Tracer)

    def dtype(self, dtype: Any) -> Any:
        name = dtype_name(dtype)
        if name is not None and not jax.config.read("jax_enable_x64"):
            if name in _WIDE_FLOATS:
                raise TypeError(
                    f"{name} needs 64-bit JAX: run jax.config.update('jax_enable_x64', True) "
                    "(or set JAX_ENABLE_X64=1) before creating arrays"
                )
            name = _NARROWED_INTS.get(name, name)
        if name is None:
            raise TypeError(f"unknown dtype {dtype!r}")
        native = self._native.get(name)
        if native is None:
            native = self._native[name] = jnp.dtype(name)
        return native

    def asarray(
        self, obj: Any, dtype: Any = None, device: Any = None, copy: bool | None = None
    ) -> Any:
        native = None if dtype is None else self.dtype(dtype)
        out = jnp.asarray(obj, dtype=native)  # immutable: a copy is never needed
        return out if device is None else jax.device_put(out, device)

    def to_numpy(self, array: Any) -> np.ndarray:
        if array.dtype == jnp.bfloat16:  # keep printing and tests on plain NumPy dtypes
            array = array.astype(jnp.float32)
        return np.asarray(array)

    def copy(self, array: Any) -> Any:
        return array  # immutable: sharing is safe

    def complex(self, real: Any, imag: Any) -> Any:
        return jax.lax.complex(*jnp.broadcast_arrays(real, imag))

    def setitem(self, array: Any, key: Any, value: Any) -> Any:
        if (
            isinstance(key, tuple)
            and len(key) == 1
            and getattr(key[0], "dtype", None) == jnp.bool_
            and jnp.ndim(value) == 0
        ):
            # x[mask] = scalar as a where: the same values, and a fixed shape, so it also
            # works with a mask that jax.jit or jax.vmap traces
            mask = key[0]
            mask = jnp.reshape(mask, tuple(mask.shape) + (1,) * (array.ndim - mask.ndim))
            return jnp.where(mask, jnp.asarray(value, dtype=array.dtype), array)
        return array.at[key].set(value)

    def scatter_add(
        self, shape: tuple[int, ...], dtype: Any, key: Any, values: Any, device: Any = None
    ) -> Any:
        return jnp.zeros(shape, dtype=dtype, device=device).at[key].add(values)

    # -- devices -------------------------------------------------------------------
    def device_of(self, array: Any) -> Any:
        # Tracers inside jit/vmap have no device: None lets JAX place the result.
        return getattr(array, "device", None)

    def default_device(self) -> Any:
        return jax.devices()[0]

    def devices(self) -> list[Any]:
        found = list(jax.devices())
        return found + [d for d in jax.devices("cpu") if d not in found]

    def parse_device(self, device: Any) -> Any:
        if device is None or isinstance(device, jax.Device):
            return device
        platform, _, index = str(device).partition(":")
        platform = {"cuda": "gpu", "rocm": "gpu"}.get(platform, platform)
        try:
            return jax.devices(platform)[int(index or 0)]
        except (RuntimeError, IndexError, ValueError) as error:
            raise RuntimeError(f"JAX has no device {device!r}: {error}") from None

    # -- random numbers ----------------------------------------------------------------
    def seed(self, seed: int) -> None:
        self._seed = seed
        self._key = None

    def _next_key(self) -> Any:
        # Concrete even inside jit: the stored key must never become a tracer.
        with jax.ensure_compile_time_eval():
            if self._key is None:
                self._key = jax.random.key(self._seed)
            self._key, key = jax.random.split(self._key)
        return key

    def uniform(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        out = jax.random.uniform(self._next_key(), shape, dtype=self.dtype(dtype))
        return out if device is None else jax.device_put(out, device)

    def normal(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        out = jax.random.normal(self._next_key(), shape, dtype=self.dtype(dtype))
        return out if device is None else jax.device_put(out, device)

    # -- factorizations with LAPACK's info ------------------------------------------------
    def lu_factor_ex(self, a: Any) -> tuple[Any, Any, Any]:
        lu, pivots, _ = jax.lax.linalg.lu(a)
        k = min(a.shape[-2], a.shape[-1])
        info = first_zero(self.xp, jnp.diagonal(lu, axis1=-2, axis2=-1)[..., :k], None)
        return lu, pivots.astype(jnp.int32) + 1, info

    def matrix_exp(self, a: Any) -> Any:
        return jax.scipy.linalg.expm(a)  # no value read: also under jax.jit


backend = JaxBackend()
