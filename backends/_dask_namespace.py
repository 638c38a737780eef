"""The Dask backend's array namespace: array-api-compat's, with the standard's gaps filled.

``array_api_compat.dask.array`` re-exports ``dask.array``, which departs from the
standard where polygrad's rules need it:

- ``linalg``: ``dask.array.linalg`` works on single 2-D matrices only, and its
  ``cholesky`` gives the upper factor where the standard asks for the lower one,
  ``inv``/``solve`` return float64 for float32 input, and ``det``, ``slogdet``,
  ``eigh``, ``eig``, ``pinv`` and ``cross`` do not exist. Here each matrix op is a
  generalized ufunc (``dask.array.apply_gufunc``) running NumPy's batched routine
  (through ``array_api_compat.numpy``, so the standard's conventions) on every block:
  the matrix axes are held in one chunk, the batch axes stay chunked, so batches of
  matrices run in parallel and the input's dtype is kept. ``svd`` and ``qr`` of one
  2-D matrix keep dask's own (tall-and-skinny, chunked along rows) algorithms.
- ``take_along_axis`` is missing: a gufunc over the taken axis (held in one chunk).
- ``fft``: ``dask.array.fft`` transforms only an axis held in one chunk; the
  transformed axes are rechunked to one chunk first.
- ``searchsorted`` takes no ``sorter`` and fails on a 0-d or empty ``x2``.
- ``max``/``min`` of an array with no elements raise in dask even where the result is
  empty too (no reduced slice is empty, e.g. the rows of a (0, 3) array): such a
  result is an empty array here, as in NumPy.

Everything stays lazy: nothing here computes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import array_api_compat.dask.array as compat
import array_api_compat.numpy as cnp
import dask.array as da
import numpy as np

_linalg = compat.linalg
_fft = compat.fft


def _real_dtype(dtype: Any) -> np.dtype:
    return np.empty((), dtype=dtype).real.dtype


def _complex_dtype(dtype: Any) -> np.dtype:
    return np.result_type(dtype, np.complex64)


def _gufunc(
    func: Callable[..., Any],
    signature: str,
    *args: Any,
    output_dtypes: Any,
    output_sizes: dict[str, int] | None = None,
) -> Any:
    """``func`` (batched over leading axes, like NumPy's linalg) on every block; the core
    axes of ``signature`` are rechunked to one chunk.

    Empty inputs run at once (there is nothing to compute): ``apply_gufunc`` divides by
    the chunk size of an empty axis.
    """
    if any(0 in arg.shape for arg in args):
        results = func(*(np.asarray(arg) for arg in args))
        if isinstance(results, tuple):
            return tuple(da.from_array(r) for r in results)
        return da.from_array(results)
    return da.apply_gufunc(
        func,
        signature,
        *args,
        output_dtypes=output_dtypes,
        output_sizes=output_sizes,
        allow_rechunk=True,
        vectorize=False,
    )


class _Forwarding:
    """Attributes not defined on the class come from ``self._base``."""

    _base: Any

    def __getattr__(self, name: str) -> Any:
        return getattr(self._base, name)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(self._base)) | set(dir(type(self))))


# -- linalg ------------------------------------------------------------------------------


def _one_chunk_matrices(x: Any) -> Any:
    return x.rechunk({x.ndim - 2: -1, x.ndim - 1: -1})


class _Linalg(_Forwarding):
    _base = _linalg

    @staticmethod
    def cholesky(x: Any, /, *, upper: bool = False) -> Any:
        return _gufunc(
            lambda a: cnp.linalg.cholesky(a, upper=upper),
            "(m,m)->(m,m)",
            x,
            output_dtypes=x.dtype,
        )

    @staticmethod
    def inv(x: Any, /) -> Any:
        return _gufunc(cnp.linalg.inv, "(m,m)->(m,m)", x, output_dtypes=x.dtype)

    @staticmethod
    def solve(x1: Any, x2: Any, /) -> Any:
        dtype = np.result_type(x1.dtype, x2.dtype)
        # the standard: x2 is one vector only when it is 1-d, else a (batch of) matrices
        signature = "(m,m),(m)->(m)" if x2.ndim == 1 else "(m,m),(m,n)->(m,n)"
        return _gufunc(cnp.linalg.solve, signature, x1, x2, output_dtypes=dtype)

    @staticmethod
    def det(x: Any, /) -> Any:
        return _gufunc(cnp.linalg.det, "(m,m)->()", x, output_dtypes=x.dtype)

    @staticmethod
    def slogdet(x: Any, /) -> Any:
        sign, logabsdet = _gufunc(
            lambda a: tuple(cnp.linalg.slogdet(a)),
            "(m,m)->(),()",
            x,
            output_dtypes=(x.dtype, _real_dtype(x.dtype)),
        )
        return _linalg.SlogdetResult(sign, logabsdet)

    @staticmethod
    def eigh(x: Any, /) -> Any:
        values, vectors = _gufunc(
            lambda a: tuple(cnp.linalg.eigh(a)),
            "(m,m)->(m),(m,m)",
            x,
            output_dtypes=(_real_dtype(x.dtype), x.dtype),
        )
        return _linalg.EighResult(values, vectors)

    @staticmethod
    def eigvalsh(x: Any, /) -> Any:
        return _gufunc(cnp.linalg.eigvalsh, "(m,m)->(m)", x, output_dtypes=_real_dtype(x.dtype))

    @staticmethod
    def eig(x: Any, /) -> Any:
        dtype = _complex_dtype(x.dtype)

        def eig(a: Any) -> tuple[Any, Any]:  # the standard's results are always complex
            values, vectors = np.linalg.eig(a)
            return values.astype(dtype, copy=False), vectors.astype(dtype, copy=False)

        values, vectors = _gufunc(eig, "(m,m)->(m),(m,m)", x, output_dtypes=(dtype, dtype))
        return values, vectors

    @staticmethod
    def eigvals(x: Any, /) -> Any:
        dtype = _complex_dtype(x.dtype)
        return _gufunc(
            lambda a: np.linalg.eigvals(a).astype(dtype, copy=False),
            "(m,m)->(m)",
            x,
            output_dtypes=dtype,
        )

    @staticmethod
    def pinv(x: Any, /, *, rtol: Any = None) -> Any:
        if isinstance(rtol, da.Array):
            raise TypeError("the dask backend's pinv takes rtol as a number or a NumPy array")
        return _gufunc(
            lambda a: cnp.linalg.pinv(a, rtol=rtol), "(m,n)->(n,m)", x, output_dtypes=x.dtype
        )

    @staticmethod
    def svd(x: Any, /, *, full_matrices: bool = True) -> Any:
        if x.ndim == 2 and not full_matrices and 0 not in x.shape:
            return _linalg.svd(x, full_matrices=False)  # dask's chunked tall-and-skinny SVD
        m, n = x.shape[-2:]
        k_u, k_v = (m, n) if full_matrices else (min(m, n), min(m, n))
        u, s, vh = _gufunc(
            lambda a: tuple(cnp.linalg.svd(a, full_matrices=full_matrices)),
            "(m,n)->(m,p),(k),(q,n)",
            x,
            output_dtypes=(x.dtype, _real_dtype(x.dtype), x.dtype),
            output_sizes={"p": k_u, "k": min(m, n), "q": k_v},
        )
        return _linalg.SVDResult(u, s, vh)

    @staticmethod
    def svdvals(x: Any, /) -> Any:
        if x.ndim == 2 and 0 not in x.shape:
            return _linalg.svdvals(x)
        m, n = x.shape[-2:]
        return _gufunc(
            cnp.linalg.svdvals,
            "(m,n)->(k)",
            x,
            output_dtypes=_real_dtype(x.dtype),
            output_sizes={"k": min(m, n)},
        )

    @staticmethod
    def qr(x: Any, /, *, mode: str = "reduced") -> Any:
        if x.ndim == 2 and mode == "reduced" and 0 not in x.shape:
            return _linalg.qr(x)  # dask's chunked tall-and-skinny QR
        m, n = x.shape[-2:]
        k = m if mode == "complete" else min(m, n)
        q, r = _gufunc(
            lambda a: tuple(cnp.linalg.qr(a, mode=mode)),
            "(m,n)->(m,k),(k,n)",
            x,
            output_dtypes=(x.dtype, x.dtype),
            output_sizes={"k": k},
        )
        return _linalg.QRResult(q, r)

    @staticmethod
    def matrix_rank(x: Any, /, *, rtol: Any = None) -> Any:
        if isinstance(rtol, da.Array):
            raise TypeError(
                "the dask backend's matrix_rank takes rtol as a number or a NumPy array"
            )
        return _gufunc(
            lambda a: cnp.linalg.matrix_rank(a, rtol=rtol),
            "(m,n)->()",
            x,
            output_dtypes=np.int64,
        )

    @staticmethod
    def cross(x1: Any, x2: Any, /, *, axis: int = -1) -> Any:
        """Elementwise from the three components (no chunking requirement)."""
        a, b = da.broadcast_arrays(x1, x2)
        if a.shape[axis] != 3:
            raise ValueError(f"cross: axis {axis} must have size 3, got {a.shape[axis]}")
        a, b = da.moveaxis(a, axis, -1), da.moveaxis(b, axis, -1)
        a0, a1, a2 = a[..., 0], a[..., 1], a[..., 2]
        b0, b1, b2 = b[..., 0], b[..., 1], b[..., 2]
        out = da.stack([a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0], axis=-1)
        return da.moveaxis(out, -1, axis)


# -- fft -----------------------------------------------------------------------------------


def _one_chunk(x: Any, axes: Sequence[int]) -> Any:
    x = da.asarray(x)
    return x.rechunk({a % x.ndim: -1 for a in axes}) if x.ndim else x


def _along_axis(name: str) -> Callable[..., Any]:
    base = getattr(_fft, name)

    def transform(
        x: Any, /, *, n: int | None = None, axis: int = -1, norm: str = "backward"
    ) -> Any:
        return base(_one_chunk(x, (axis,)), n=n, axis=axis, norm=norm)

    transform.__name__ = name
    return transform


def _along_axes(name: str) -> Callable[..., Any]:
    base = getattr(_fft, name)

    def transform(
        x: Any,
        /,
        *,
        s: Sequence[int] | None = None,
        axes: Sequence[int] | None = None,
        norm: str = "backward",
    ) -> Any:
        ndim = da.asarray(x).ndim
        if axes is not None:
            chunked = tuple(axes)
        elif s is not None:
            chunked = tuple(range(ndim - len(s), ndim))
        else:
            chunked = tuple(range(ndim))
        return base(_one_chunk(x, chunked), s=s, axes=axes, norm=norm)

    transform.__name__ = name
    return transform


class _Fft(_Forwarding):
    _base = _fft
    fft = staticmethod(_along_axis("fft"))
    ifft = staticmethod(_along_axis("ifft"))
    rfft = staticmethod(_along_axis("rfft"))
    irfft = staticmethod(_along_axis("irfft"))
    hfft = staticmethod(_along_axis("hfft"))
    ihfft = staticmethod(_along_axis("ihfft"))
    fftn = staticmethod(_along_axes("fftn"))
    ifftn = staticmethod(_along_axes("ifftn"))
    rfftn = staticmethod(_along_axes("rfftn"))
    irfftn = staticmethod(_along_axes("irfftn"))


# -- the namespace -------------------------------------------------------------------------


def _extremum(name: str) -> Callable[..., Any]:
    base = getattr(compat, name)

    def reduce(
        x: Any, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False
    ) -> Any:
        if x.size == 0:  # dask raises even where no reduced slice is empty
            axes = range(x.ndim) if axis is None else (axis,) if isinstance(axis, int) else axis
            axes = {a % x.ndim for a in axes}
            if all(x.shape[a] != 0 for a in axes):  # empty slices still raise, as in NumPy
                shape = tuple(
                    1 if i in axes else n
                    for i, n in enumerate(x.shape)
                    if keepdims or i not in axes
                )
                return da.empty(shape, dtype=x.dtype)  # no elements: nothing to compute
        return base(x, axis=axis, keepdims=keepdims)

    reduce.__name__ = name
    return reduce


class _Namespace(_Forwarding):
    _base = compat
    linalg = _Linalg()
    fft = _Fft()
    max = staticmethod(_extremum("max"))
    min = staticmethod(_extremum("min"))

    @staticmethod
    def take_along_axis(x: Any, indices: Any, /, *, axis: int = -1) -> Any:
        """A gufunc over ``axis`` (one chunk); the other axes broadcast, as in NumPy."""
        x, indices = da.asarray(x), da.asarray(indices)
        moved_x, moved_i = da.moveaxis(x, axis, -1), da.moveaxis(indices, axis, -1)
        out = _gufunc(
            lambda a, i: np.take_along_axis(a, i, axis=-1),
            "(n),(k)->(k)",
            moved_x,
            moved_i,
            output_dtypes=x.dtype,
        )
        return da.moveaxis(out, -1, axis)

    @staticmethod
    def searchsorted(x1: Any, x2: Any, /, *, side: str = "left", sorter: Any = None) -> Any:
        """dask's takes no ``sorter`` (here ``x1`` is put in that order first), fails on
        a 0-d ``x2`` (its blocks write into NumPy's scalar result) and computes an empty
        ``x2``'s result in the wrong shape."""
        x1, x2 = da.asarray(x1), da.asarray(x2)
        if sorter is not None:
            x1 = x1[da.asarray(sorter)]
        if x2.size == 0:  # dask's blocks give a wrongly shaped result; nothing to search
            return da.zeros(x2.shape, dtype=np.intp)
        if x2.ndim == 0:
            return da.searchsorted(x1, x2.reshape((1,)), side=side).reshape(())
        return da.searchsorted(x1, x2, side=side)


namespace = _Namespace()
