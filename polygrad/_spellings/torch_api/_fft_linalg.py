"""torch's spellings of ``pg.fft.*`` and ``pg.linalg.*``: ``fft(x, n, dim, norm)``,
``fft2``, ``fftshift(x, dim)``, ``eigh(A, UPLO="U")``, ``cross(a, b, dim=)``,
``matrix_norm(A, ord, dim, keepdim)``, ``linalg.norm``, ``multi_dot``...

Each adapter takes torch's arguments *and* the standard's (``axis=``/``axes=``,
``keepdims=``), so replacing the module's function keeps every array-API call working;
the op underneath is the same.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ... import fft as fft_module
from ... import linalg as linalg_module
from ... import ops
from ..._core._tensor import Tensor
from ...ops import fourier, linalg_factor
from ...ops.linalg_factor import EighResult
from ...ops.linalg_inverse import torch_solve
from ._out import accepts_out


def _named_as(fn: Callable[..., Any], adapter: Callable[..., Any]) -> Callable[..., Any]:
    """``adapter`` under ``fn``'s name and docstring. Not ``functools.wraps``: the
    signature ``help()`` and the type stubs show is the adapter's own (torch's), not
    the standard's it calls."""
    adapter.__name__ = adapter.__qualname__ = fn.__name__
    adapter.__doc__ = fn.__doc__
    return adapter


def _one_axis(fn: Callable[..., Any]) -> Callable[..., Any]:
    def transform(
        input: Tensor,  # noqa: A002 - torch's name
        n: int | None = None,
        dim: int = -1,
        norm: str | None = None,
        *,
        axis: int | None = None,
        out: Tensor | None = None,
    ) -> Tensor:
        return fn(input, n=n, axis=dim if axis is None else axis, norm=norm or "backward")

    return accepts_out(_named_as(fn, transform))


def _many_axes(fn: Callable[..., Any], default: Any = None) -> Callable[..., Any]:
    def transform(
        input: Tensor,  # noqa: A002 - torch's name
        s: Sequence[int] | None = None,
        dim: int | Sequence[int] | None = default,
        norm: str | None = None,
        *,
        axes: int | Sequence[int] | None = None,
        out: Tensor | None = None,
    ) -> Tensor:
        axes = dim if axes is None else axes
        if isinstance(axes, int):
            axes = (axes,)
        if s is not None and axes is None:
            axes = tuple(range(-len(s), 0))
        return fn(input, s=s, axes=axes, norm=norm or "backward")

    return accepts_out(_named_as(fn, transform))


def _shift(fn: Callable[..., Any]) -> Callable[..., Any]:
    def shift(
        input: Tensor,  # noqa: A002 - torch's name
        dim: int | Sequence[int] | None = None,
        *,
        axes: int | Sequence[int] | None = None,
    ) -> Tensor:
        return fn(input, axes=dim if axes is None else axes)

    return _named_as(fn, shift)


FFT = {name: _one_axis(getattr(fourier, name)) for name in "fft ifft rfft irfft hfft ihfft".split()}
FFT |= {
    name: _many_axes(getattr(fourier, name))
    for name in "fftn ifftn rfftn irfftn hfftn ihfftn".split()
}
FFT |= {
    f"{name}2": _many_axes(getattr(fourier, f"{name}n"), (-2, -1))
    for name in "fft ifft rfft irfft hfft ihfft".split()
}
FFT |= {name: _shift(getattr(fourier, name)) for name in ("fftshift", "ifftshift")}


def _uplo(uplo: str) -> str:
    if uplo.upper() not in ("L", "U"):
        raise RuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {uplo}")
    return uplo.upper()


@accepts_out
def eigh(
    A: Tensor,  # noqa: N803 - torch's names
    UPLO: str = "L",  # noqa: N803
    *,
    out: tuple[Tensor, Tensor] | None = None,
) -> EighResult:
    """Eigenvalues (ascending) and eigenvectors of Hermitian matrices, reading the ``UPLO``
    triangle (torch.linalg.eigh)."""
    return linalg_factor.eigh_of_triangle(A, _uplo(UPLO))


@accepts_out
def eigvalsh(A: Tensor, UPLO: str = "L", *, out: Tensor | None = None) -> Tensor:  # noqa: N803
    """Eigenvalues (ascending) of Hermitian matrices, reading the ``UPLO`` triangle
    (torch.linalg.eigvalsh)."""
    return linalg_factor.eigh_of_triangle(A, _uplo(UPLO)).eigenvalues


def _moved(A: Any, dim: Any) -> Any:
    dim = tuple(dim)
    return A if dim in ((-2, -1), (A.ndim - 2, A.ndim - 1)) else ops.moveaxis(A, dim, (-2, -1))


@accepts_out
def matrix_norm(
    A: Tensor,  # noqa: N803 - torch's name
    ord: Any = "fro",  # noqa: A002
    dim: Any = (-2, -1),
    keepdim: bool = False,
    *,
    dtype: Any = None,
    keepdims: bool | None = None,
    out: Tensor | None = None,
) -> Tensor:
    """The ``ord`` norm of the matrices over dimensions ``dim`` (torch.linalg.matrix_norm)."""
    keep = keepdim if keepdims is None else keepdims
    x = A if dtype is None else ops.astype(A, dtype)
    result = _MATRIX_NORM(_moved(x, dim), ord=ord, keepdims=keep)
    if keep and tuple(dim) not in ((-2, -1),):
        result = ops.moveaxis(result, (-2, -1), tuple(dim))
    return result


@accepts_out
def vector_norm(
    x: Tensor,
    ord: Any = 2,  # noqa: A002
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    axis: Any = None,
    keepdims: bool | None = None,
    out: Tensor | None = None,
) -> Tensor:
    """The ``ord`` norm of the entries over ``dim`` (all entries when None;
    torch.linalg.vector_norm)."""
    axis = dim if axis is None else axis
    x = x if dtype is None else ops.astype(x, dtype)
    axis = tuple(axis) if isinstance(axis, list) else axis
    return _VECTOR_NORM(x, axis=axis, ord=ord, keepdims=keepdim if keepdims is None else keepdims)


@accepts_out
def norm(
    A: Tensor,  # noqa: N803
    ord: Any = None,  # noqa: A002
    dim: Any = None,
    keepdim: bool = False,
    *,
    dtype: Any = None,
    out: Tensor | None = None,
) -> Tensor:
    """torch.linalg.norm: a matrix norm for a 2-tuple ``dim`` (or a 2-D input with
    ``ord`` given), else a vector norm (of the flattened input when ``dim`` is None)."""
    if isinstance(dim, int):
        dim = (dim,)
    matrix = (dim is not None and len(dim) == 2) or (
        dim is None and ord is not None and A.ndim == 2
    )
    if matrix:
        return matrix_norm(A, "fro" if ord is None else ord, dim or (-2, -1), keepdim, dtype=dtype)
    if dim is None and ord is not None and A.ndim != 1:
        raise RuntimeError(
            "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D."
        )
    return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)


def _with_dim(fn: Callable[..., Any], default: int) -> Callable[..., Any]:
    def product(
        x1: Tensor,
        x2: Tensor,
        *,
        dim: int = default,
        axis: int | None = None,
        out: Tensor | None = None,
    ) -> Tensor:
        return fn(x1, x2, axis=dim if axis is None else axis)

    return accepts_out(_named_as(fn, product))


@accepts_out
def multi_dot(tensors: Sequence[Tensor], *, out: Tensor | None = None) -> Tensor:
    """The product of the matrices in order (1-D ends as a row / column vector).

    Recorded as torch does: the ends made matrices, matrix products, then one view to
    the result's shape (``ViewBackward0`` of ``MmBackward0``, empty shapes included).
    """
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    first, last = tensors[0], tensors[-1]
    matrices = list(tensors)
    if first.ndim == 1:
        matrices[0] = ops.expand_dims(first, axis=0)
    if last.ndim == 1:
        matrices[-1] = ops.expand_dims(last, axis=-1)
    result = matrices[0]
    for t in matrices[1:]:
        result = ops.matmul(result, t)
    shape = tuple(first.shape[:-1]) + tuple(last.shape[1:])
    return ops.reshape(result, shape)


_MATRIX_NORM, _VECTOR_NORM = linalg_module.matrix_norm, linalg_module.vector_norm
LINALG: dict[str, Callable[..., Any]] = {
    "matrix_norm": matrix_norm,
    "vector_norm": vector_norm,
    "norm": norm,
    "cross": _with_dim(linalg_module.cross, -1),
    "vecdot": _with_dim(linalg_module.vecdot, -1),
    "pinv": accepts_out(linalg_module.pinv),
    "matrix_rank": accepts_out(linalg_module.matrix_rank),
    "multi_dot": multi_dot,
    "eigh": eigh,
    "eigvalsh": eigvalsh,
    "inv_ex": accepts_out(linalg_module.inv_ex),
    "cholesky_ex": accepts_out(linalg_module.cholesky_ex),
    "solve_triangular": accepts_out(linalg_module.solve_triangular),
    "matrix_exp": accepts_out(linalg_module.matrix_exp),
    "solve": accepts_out(torch_solve),
    **{
        name: accepts_out(getattr(linalg_module, name))
        for name in (
            "lstsq",
            "lu",
            "lu_factor",
            "lu_factor_ex",
            "lu_solve",
            "solve_ex",
            "householder_product",
            "tensorinv",
            "tensorsolve",
            "cond",
            "ldl_factor",
            "ldl_factor_ex",
            "ldl_solve",
        )
    },
}


def install() -> None:
    """Put the adapters on ``polygrad.fft`` / ``polygrad.linalg`` (once)."""
    if getattr(fft_module, "_torch_spellings", False):
        return
    for module, adapters in ((fft_module, FFT), (linalg_module, LINALG)):
        for name, adapter in adapters.items():
            setattr(module, name, adapter)
        public = vars(module)
        public["__all__"] = sorted(set(public["__all__"]) | set(adapters))  # fft2... are public
    fft_module._torch_spellings = True  # type: ignore[attr-defined]
