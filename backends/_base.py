"""What every backend adapter provides: the standard's gaps, filled once per library.

An adapter holds the library's array-API namespace (``xp``, from array-api-compat)
and adds only what the standard lacks: random numbers, scatter-add with repeated
indices, item assignment (functional where arrays are immutable), complex arrays from
two real ones, devices, dtype names, and conversion to NumPy for printing and tests.
The defaults here are written against the standard; a library's module overrides
what it does better.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from importlib import metadata
from typing import Any

import numpy as np

from polygrad._core._backend import register_adapter_base
from polygrad._core._dtypes import DTYPES, DType, dtype_name

from . import _factorizations


class Backend:
    """Base adapter. Subclasses set ``name``, ``xp`` and the array type checks."""

    name = "abstract"
    #: The library's array-API namespace (array-api-compat's where the library needs one).
    xp: Any
    #: Distribution name of the library (for its version in ``pg.backends.available()``).
    distribution = ""
    #: False where arrays cannot be written in place (JAX): writes rebind instead.
    mutable = True
    #: Python-level array types of this library, for ``is_array`` and inference.
    array_types: tuple[type, ...] = ()
    #: False where the library's own promotion departs from the standard's (torch lets
    #: a 0-d operand leave the result dtype alone and refuses ``f32 @ f64``); binary ops
    #: then call ``promote`` on operands of two dtypes, so every backend gives one dtype.
    promotes_as_standard = True
    #: The library's own special functions (``erf``, ``gammaln``...), imported on first
    #: use; None runs SciPy's on a NumPy copy of the data (``polygrad.special``).
    special_module: str | None = None
    #: True where ``pg.autograd.graph.save_on_cpu`` moves saved values off a device
    #: (torch on CUDA); elsewhere data is on the CPU already, or the library places it.
    saves_on_cpu = False
    #: True where arrays are task graphs computed on demand (Dask): ``persist`` then
    #: computes them, ``bounded`` keeps a loop of writes from growing one graph, and
    #: ``sized`` finds sizes that depend on values (after a boolean mask).
    lazy = False
    #: True only on pg.compile's tracing adapter, which stands in for a real one.
    tracing = False
    #: True where pg.compile's replay may let an elementwise operator's kernel write into
    #: an input buffer nothing reads afterwards (NumPy: operators are ufuncs with ``out=``).
    replays_in_place = False
    #: True where the library's arrays are plain host data any backend can take (NumPy):
    #: ``pg.tensor(ndarray)`` then goes to the backend the user selected, as Python data
    #: does, instead of keeping the array's library (``torch.tensor(ndarray)``'s rule).
    host_data = False

    def __init__(self) -> None:
        self._dtype_cache: dict[Any, DType] = {}
        self._native: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<polygrad backend {self.name!r}>"

    @property
    def version(self) -> str:
        return metadata.version(self.distribution or self.name)

    # -- arrays and dtypes ---------------------------------------------------------
    def is_array(self, obj: Any) -> bool:
        return isinstance(obj, self.array_types)

    def shapes_are_traced(self) -> bool:
        """Whether the library is tracing the code that runs now (``jax.jit``): shapes
        that depend on values (``x[mask]``, ``nonzero``) cannot exist then."""
        return False

    def compile_replay(self, replay: Callable[..., Any], native: bool) -> Callable[..., Any]:
        """pg.compile's replay of a trace (a function of arrays), handed to the library's
        own compiler where it has one; ``native`` asks for one that is optional."""
        return replay

    def persist(self, arrays: list[Any]) -> list[Any]:
        """``arrays`` computed and kept (lazy libraries); eager ones return them as they are."""
        return arrays

    def owns(self, array: Any) -> bool:
        """Whether ``array`` is a writable array with memory of its own (no view); only
        then may the engine hand it to a rule that overwrites its gradient."""
        return False

    def add_into(self, total: Any, g: Any) -> bool:
        """Add ``g`` into ``total`` in place when that equals ``total + g`` (same shape and
        dtype, ``total`` owns its memory); False to let the engine add out of place.

        The engine calls it only for a gradient buffer nothing else references, so a
        large sum of gradients does not allocate a new array per contribution.
        """
        return False

    def promote(self, a: Any, b: Any) -> tuple[Any, Any]:
        """Two operands cast to their common dtype by the standard's rules."""
        return a, b

    def ones_like(self, array: Any) -> Any:
        """Ones of ``array``'s shape, dtype and device: the implicit seed of ``backward()``
        (an adapter method, so pg.compile's tracing adapter records it like any call)."""
        return self.xp.ones_like(array)

    def adopt(self, array: Any) -> Any:
        """A library array made fit to wrap (torch: detached, so torch records nothing)."""
        return array

    def dtype(self, dtype: Any) -> Any:
        """The library's dtype for a polygrad dtype, a name or a library dtype."""
        name = dtype_name(dtype)
        if name is None:
            raise TypeError(f"unknown dtype {dtype!r}")
        native = self._native.get(name)
        if native is None:
            native = getattr(self.xp, name, None)
            if native is None:
                raise TypeError(f"dtype {name} is not supported by the {self.name} backend")
            self._native[name] = native
        return native

    def pg_dtype(self, native: Any) -> DType:
        """The polygrad dtype of a library dtype (cached: called on every ``.dtype``)."""
        found = self._dtype_cache.get(native)
        if found is None:
            name = dtype_name(native)
            if name is None:
                raise TypeError(f"unsupported dtype {native!r}")
            found = self._dtype_cache[native] = DTYPES[name]
        return found

    def asarray(
        self, obj: Any, dtype: Any = None, device: Any = None, copy: bool | None = None
    ) -> Any:
        kwargs: dict[str, Any] = {}
        if dtype is not None:
            kwargs["dtype"] = self.dtype(dtype)
        if device is not None:
            kwargs["device"] = device
        if copy is not None:
            kwargs["copy"] = copy
        return self.xp.asarray(obj, **kwargs)

    def to_numpy(self, array: Any) -> np.ndarray:
        return np.asarray(array)

    # -- lazy arrays (the defaults are for eager libraries, whose values exist) ------------
    def bounded(self, array: Any) -> Any:
        """``array`` about to replace a tensor's data in place: computed when its pending
        work has grown past a bound, so a loop of writes does not chain without end."""
        return array

    def sized(self, array: Any) -> Any:
        """``array`` with every dimension known (lazy sizes that depend on values computed)."""
        return array

    # -- devices -------------------------------------------------------------------
    def device_of(self, array: Any) -> Any:
        return array.device

    def default_device(self) -> Any:
        return self.xp.__array_namespace_info__().default_device()

    def devices(self) -> list[Any]:
        return list(self.xp.__array_namespace_info__().devices())

    def parse_device(self, device: Any) -> Any:
        """A user's device spec (None, a string like ``"cpu"``, a device) as a device."""
        return device

    # -- the standard's gaps ---------------------------------------------------------
    def quiet_floating_point(self) -> AbstractContextManager[Any]:
        """A block in which the library computes inf and nan without warning, as torch
        does; the engine runs each backward pass in one (``sqrt``'s rule at 0)."""
        return nullcontext()

    def seed(self, seed: int) -> None:
        raise NotImplementedError

    def uniform(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        """Samples from U[0, 1)."""
        raise NotImplementedError

    def normal(self, shape: tuple[int, ...], dtype: Any, device: Any) -> Any:
        """Samples from N(0, 1)."""
        raise NotImplementedError

    def setitem(self, array: Any, key: Any, value: Any) -> Any:
        """``array[key] = value``; returns the written array (a new one if immutable)."""
        array[key] = value
        return array

    def scatter_add(
        self, shape: tuple[int, ...], dtype: Any, key: Any, values: Any, device: Any = None
    ) -> Any:
        """A zero array of ``shape`` with ``values`` added at ``key`` (repeats add up)."""
        raise NotImplementedError

    def copy(self, array: Any) -> Any:
        return self.xp.asarray(array, copy=True)

    def complex(self, real: Any, imag: Any) -> Any:
        """``real + i imag`` from two arrays of one real floating dtype, broadcast.

        The standard has no such constructor, so this default computes it, which turns
        an infinite or NaN imaginary part into a NaN real part; libraries with one
        override it.
        """
        xp = self.xp
        dtype = self.dtype("complex64" if dtype_name(real.dtype) == "float32" else "complex128")
        return xp.astype(real, dtype) + xp.astype(imag, dtype) * 1j

    # -- factorizations with LAPACK's info ---------------------------------------------
    def lu_factor_ex(self, a: Any) -> tuple[Any, Any, Any]:
        """``(LU, pivots, info)`` as LAPACK's ``getrf`` (1-based int32 pivots and info)."""
        return _factorizations.pivoted_lu(self.xp, a, self.device_of(a))

    def values_readable(self) -> bool:
        """Whether values can be read now (to raise on a singular matrix, or to look for
        ``info`` only where the library's routine failed): not while tracing or lazy."""
        return not (self.lazy or self.shapes_are_traced())

    def inv_ex(self, a: Any) -> tuple[Any, Any]:
        """``(inverse, info)``, ``info`` the first zero pivot of ``a``'s LU factorization.

        The library's inverse runs first; only where it raises (NumPy's LinAlgError) or is
        not finite (JAX returns inf/NaN) is ``info`` found by an LU factorization, and
        singular matrices get a NaN inverse (torch's is unspecified there).
        """
        xp = self.xp
        batch = tuple(a.shape[:-2])
        if self.values_readable():
            try:
                inverse = xp.linalg.inv(a)
            except np.linalg.LinAlgError:
                inverse = None
            if inverse is not None and bool(xp.all(xp.isfinite(inverse))):
                return inverse, xp.zeros(batch, dtype=xp.int32, device=self.device_of(a))
        info = self.lu_factor_ex(a)[2]
        singular = xp.expand_dims(xp.expand_dims(info != 0, axis=-1), axis=-1)
        eye = xp.eye(a.shape[-1], dtype=a.dtype, device=self.device_of(a))
        inverse = xp.linalg.inv(xp.where(singular, eye, a))
        return xp.where(singular, xp.full_like(inverse, float("nan")), inverse), info

    def eigh_of_triangle(self, a: Any, uplo: str) -> tuple[Any, Any]:
        """``(eigenvalues, eigenvectors)`` of the Hermitian matrix whose lower (``"L"``) or
        upper (``"U"``) triangle is ``a``'s, the other never read. Eigenvectors are only
        defined up to sign (phase); a library whose routine reads one triangle passes
        ``uplo`` on, so its choice is LAPACK's for that triangle, as torch's."""
        xp = self.xp
        if uplo == "L":
            kept, strict = xp.tril(a), xp.tril(a, k=-1)
        else:
            kept, strict = xp.triu(a), xp.triu(a, k=1)
        return tuple(xp.linalg.eigh(kept + xp.conj(xp.matrix_transpose(strict))))

    def matrix_exp(self, a: Any) -> Any:
        """The exponential of each square matrix (scaling and squaring, Padé 13)."""
        return _factorizations.pade_matrix_exp(self.xp, a, self.device_of(a))

    def cholesky_ex(self, a: Any) -> tuple[Any, Any]:
        """``(L, info)``: the lower Cholesky factor, ``info`` the order of the first
        leading minor that is not positive-definite (0 when none), as torch's.

        The library's factorization runs first; where it raises or is not finite, the
        column-by-column factorization gives ``info`` and MKL's partial factor.
        """
        xp = self.xp
        if self.values_readable():
            try:
                lower = xp.linalg.cholesky(a)
            except np.linalg.LinAlgError:
                lower = None
            if lower is not None and bool(xp.all(xp.isfinite(lower))):
                batch = tuple(a.shape[:-2])
                return lower, xp.zeros(batch, dtype=xp.int32, device=self.device_of(a))
        return _factorizations.partial_cholesky(xp, a, self.device_of(a))


register_adapter_base(Backend)
