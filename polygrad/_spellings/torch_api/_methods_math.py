"""torch's arithmetic, comparison and product methods written over polygrad's ops:
``x.eq(y)``, ``x.equal(y)``, ``x.rsqrt()``, ``x.lerp(y, 0.5)``, ``x.addmm(a, b)``,
``x.bmm(y)``, ``x.norm()``, ``x.dist(y)``, ``x.std_mean()``...

Each is a composition of ops that already record their own nodes, so gradients come
from the ops' rules; none of these is a second implementation of an op.
"""

from __future__ import annotations

import math
from typing import Any

from ... import ops
from ..._core._tensor import Tensor
from ...array_api._dtype_functions import finfo, result_type
from ...linalg import matrix_norm, vector_norm
from . import _return_types as return_types


def _is_float(x: Any) -> bool:
    return x.dtype.kind in ("real floating", "complex floating")


class MathMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    # -- comparisons ------------------------------------------------------------------
    def eq(self: Any, other: Any) -> Tensor:
        """Elementwise ``self == other`` as booleans (torch's ``x.eq()``; ``pg.equal``)."""
        return ops.equal(self, other)

    def ne(self: Any, other: Any) -> Tensor:
        """Elementwise ``self != other`` as booleans (torch's ``x.ne()``; ``pg.not_equal``)."""
        return ops.not_equal(self, other)

    def lt(self: Any, other: Any) -> Tensor:
        """Elementwise ``self < other`` as booleans (torch's ``x.lt()``; ``pg.less``)."""
        return ops.less(self, other)

    def le(self: Any, other: Any) -> Tensor:
        """Elementwise ``self <= other`` as booleans (torch's ``x.le()``; ``pg.less_equal``)."""
        return ops.less_equal(self, other)

    def gt(self: Any, other: Any) -> Tensor:
        """Elementwise ``self > other`` as booleans (torch's ``x.gt()``; ``pg.greater``)."""
        return ops.greater(self, other)

    def ge(self: Any, other: Any) -> Tensor:
        """Elementwise ``self >= other`` as booleans (torch's ``x.ge()``; ``pg.greater_equal``)."""
        return ops.greater_equal(self, other)

    greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

    def equal(self: Any, other: Any) -> bool:
        """True when both have the same shape and elements (torch.equal)."""
        if tuple(self.shape) != tuple(other.shape):
            return False
        return bool(ops.all(ops.equal(self, other)))

    def isclose(
        self: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> Tensor:
        """Elementwise ``|self - other| <= atol + rtol * |other|`` (torch's ``x.isclose()``)."""
        difference = ops.abs(ops.subtract(self, other))
        close = ops.less_equal(difference, ops.add(ops.multiply(ops.abs(other), rtol), atol))
        close = ops.logical_or(close, ops.equal(self, other))
        if equal_nan:
            close = ops.logical_or(close, ops.logical_and(ops.isnan(self), ops.isnan(other)))
        return close

    def allclose(
        self: Any, other: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
    ) -> bool:
        """Whether every element is close to ``other`` (torch's ``x.allclose()``)."""
        return bool(ops.all(MathMethods.isclose(self, other, rtol, atol, equal_nan)))

    # -- elementwise functions torch has and the standard has not ------------------------
    def rsqrt(self: Any) -> Tensor:
        """Elementwise ``1 / sqrt(self)`` (torch's ``x.rsqrt()``)."""
        return ops.reciprocal(ops.sqrt(self))

    def exp2(self: Any) -> Tensor:
        """Elementwise ``2 ** self`` (torch's ``x.exp2()``)."""
        return ops.pow(2.0, self)

    def frac(self: Any) -> Tensor:
        """Elementwise fractional part, ``self - trunc(self)`` (torch's ``x.frac()``)."""
        return ops.subtract(self, ops.trunc(self))

    def deg2rad(self: Any) -> Tensor:
        """Elementwise degrees to radians (torch's ``x.deg2rad()``)."""
        return ops.multiply(self, math.pi / 180)

    def rad2deg(self: Any) -> Tensor:
        """Elementwise radians to degrees (torch's ``x.rad2deg()``)."""
        return ops.multiply(self, 180 / math.pi)

    def fmod(self: Any, other: Any) -> Tensor:
        """The remainder with the dividend's sign (C's fmod): ``x - trunc(x / y) * y``."""
        return ops.subtract(self, ops.multiply(ops.trunc(ops.divide(self, other)), other))

    def fmax(self: Any, other: Any) -> Tensor:
        """The larger of the two, ignoring a NaN on one side (torch.fmax)."""
        larger = ops.maximum(self, other)
        return ops.where(ops.isnan(other), self, ops.where(ops.isnan(self), other, larger))

    def fmin(self: Any, other: Any) -> Tensor:
        """Elementwise minimum that ignores NaN (torch's ``x.fmin(other)``)."""
        smaller = ops.minimum(self, other)
        return ops.where(ops.isnan(other), self, ops.where(ops.isnan(self), other, smaller))

    def float_power(self: Any, exponent: Any) -> Tensor:
        """``x ** exponent`` in double precision (complex128 for complex inputs)."""
        wide = "complex128" if self.dtype.kind == "complex floating" else "float64"
        if hasattr(exponent, "dtype"):
            exponent = ops.astype(exponent, result_type(exponent, wide))
        return ops.pow(ops.astype(self, wide), exponent)

    def logaddexp2(self: Any, other: Any) -> Tensor:
        """Elementwise ``log2(2**self + 2**other)`` (torch's ``x.logaddexp2()``)."""
        return ops.divide(
            ops.logaddexp(ops.multiply(self, math.log(2)), ops.multiply(other, math.log(2))),
            math.log(2),
        )

    def ldexp(self: Any, other: Any) -> Tensor:
        """Elementwise ``self * 2 ** other`` (torch's ``x.ldexp(other)``)."""
        return ops.multiply(self, ops.pow(2.0, other))

    def lerp(self: Any, end: Any, weight: Any) -> Tensor:
        """Elementwise ``self + weight * (end - self)`` (torch's ``x.lerp(end, weight)``)."""
        return ops.add(self, ops.multiply(weight, ops.subtract(end, self)))

    def addcmul(self: Any, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self + value * tensor1 * tensor2`` (torch's ``x.addcmul()``)."""
        return ops.add(self, ops.multiply(value, ops.multiply(tensor1, tensor2)))

    def addcdiv(self: Any, tensor1: Any, tensor2: Any, *, value: Any = 1) -> Tensor:
        """``self + value * tensor1 / tensor2`` (torch's ``x.addcdiv()``)."""
        return ops.add(self, ops.multiply(value, ops.divide(tensor1, tensor2)))

    def rsub(self: Any, other: Any, *, alpha: Any = 1) -> Tensor:
        """``other - alpha * self`` (torch's ``x.rsub(other, alpha=)``)."""
        return ops.subtract(other, self if alpha == 1 else ops.multiply(self, alpha))

    def nan_to_num(
        self: Any, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
    ) -> Tensor:
        """NaN, +inf and -inf replaced by ``nan``, ``posinf`` and ``neginf`` (defaults: 0 and the
        dtype's extremes; torch's ``x.nan_to_num()``)."""
        if not _is_float(self):
            return ops.clone(self)
        info = finfo(self.dtype)
        high = info.max if posinf is None else posinf
        low = info.min if neginf is None else neginf
        out = ops.where(ops.isnan(self), nan, self)
        out = ops.where(ops.logical_and(ops.isinf(out), ops.greater(out, 0)), high, out)
        return ops.where(ops.logical_and(ops.isinf(out), ops.less(out, 0)), low, out)

    # -- products -----------------------------------------------------------------------
    def bmm(self: Any, mat2: Any) -> Tensor:
        """Batched matrix product of two 3-d tensors (torch's ``x.bmm(mat2)``)."""
        if self.ndim != 3 or getattr(mat2, "ndim", 0) != 3:
            raise RuntimeError("batch1 must be a 3D tensor")
        return ops.matmul(self, mat2)

    def mv(self: Any, vec: Any) -> Tensor:
        """Matrix-vector product (torch's ``x.mv(vec)``)."""
        return ops.matmul(self, vec)

    def dot(self: Any, other: Any) -> Tensor:
        """Dot product of two 1-d tensors (torch's ``x.dot(other)``)."""
        if self.ndim != 1 or getattr(other, "ndim", 0) != 1:
            raise RuntimeError(
                f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors"
            )
        return ops.matmul(self, other)

    def vdot(self: Any, other: Any) -> Tensor:
        """Dot product of 1-d tensors, ``self`` conjugated (torch's ``x.vdot(other)``)."""
        return ops.matmul(ops.conj(self), other)

    def inner(self: Any, other: Any) -> Tensor:
        """Inner product over the last dimensions (torch's ``x.inner(other)``)."""
        if self.ndim == 0 or getattr(other, "ndim", 0) == 0:
            return ops.multiply(self, other)
        return ops.tensordot(self, other, axes=([-1], [-1]))

    def outer(self: Any, vec2: Any) -> Tensor:
        """Outer product of two 1-d tensors (torch's ``x.outer(vec2)``)."""
        return ops.multiply(ops.expand_dims(self, axis=-1), vec2)

    ger = outer

    def addmm(self: Any, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha * (mat1 @ mat2)`` (torch's ``x.addmm()``)."""
        return _scaled_sum(self, ops.matmul(mat1, mat2), beta, alpha)

    def addmv(self: Any, mat: Any, vec: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha * (mat @ vec)`` (torch's ``x.addmv()``)."""
        return _scaled_sum(self, ops.matmul(mat, vec), beta, alpha)

    def addr(self: Any, vec1: Any, vec2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha * outer(vec1, vec2)`` (torch's ``x.addr()``)."""
        return _scaled_sum(self, MathMethods.outer(vec1, vec2), beta, alpha)

    def baddbmm(self: Any, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha * (batch1 @ batch2)`` per batch (torch's ``x.baddbmm()``)."""
        return _scaled_sum(self, ops.matmul(batch1, batch2), beta, alpha)

    def addbmm(self: Any, batch1: Any, batch2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
        """``beta * self + alpha *`` the sum of ``batch1 @ batch2`` over the batch (torch's
        ``x.addbmm()``)."""
        return _scaled_sum(self, ops.sum(ops.matmul(batch1, batch2), axis=0), beta, alpha)

    # -- norms and statistics -----------------------------------------------------------
    def norm(
        self: Any, p: Any = "fro", dim: Any = None, keepdim: bool = False, dtype: Any = None
    ) -> Tensor:
        """torch.norm: a vector norm over ``dim`` (every entry when None), or the
        Frobenius / nuclear norm of a matrix."""
        x = self if dtype is None else ops.astype(self, dtype)
        axis = tuple(dim) if isinstance(dim, list) else dim
        if p == "nuc" or (p == "fro" and isinstance(axis, tuple) and len(axis) == 2):
            if axis is not None and tuple(axis) != (-2, -1):
                x = ops.moveaxis(x, tuple(axis), (-2, -1))
            out = matrix_norm(x, ord=p, keepdims=keepdim)
            return out
        return vector_norm(x, axis=axis, keepdims=keepdim, ord=2 if p == "fro" else p)

    def dist(self: Any, other: Any, p: Any = 2) -> Tensor:
        """The ``p``-norm of ``self - other`` (torch's ``x.dist(other, p)``)."""
        return vector_norm(ops.subtract(self, other), ord=p)

    def renorm(self: Any, p: Any, dim: int, maxnorm: Any) -> Tensor:
        """Each slice along ``dim`` whose ``p``-norm exceeds ``maxnorm`` scaled down to it
        (torch's ``x.renorm()``; torch's ``maxnorm / (norm + 1e-7)`` factor)."""
        if self.ndim < 2:
            raise RuntimeError(
                f"renorm: input needs at least 2 dimensions, got {self.ndim} dimensions"
            )
        axis = dim % self.ndim
        others = tuple(a for a in range(self.ndim) if a != axis)
        norms = vector_norm(self, axis=others, keepdims=True, ord=p)
        factor = ops.where(norms > maxnorm, ops.divide(maxnorm, ops.add(norms, 1e-7)), 1.0)
        return ops.multiply(self, factor)

    def aminmax(self: Any, *, dim: Any = None, keepdim: bool = False) -> return_types.aminmax:
        """A ``(min, max)`` named tuple over ``dim`` or all elements (torch's ``x.aminmax()``)."""
        return return_types.aminmax(
            ops.min(self, axis=dim, keepdims=keepdim), ops.max(self, axis=dim, keepdims=keepdim)
        )

    def nansum(self: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Sum over ``dim`` treating NaN as zero (torch's ``x.nansum()``)."""
        zeroed = ops.where(ops.isnan(self), 0, self) if _is_float(self) else self
        return ops.sum(zeroed, axis=_axes(dim), keepdims=keepdim, dtype=dtype)

    def nanmean(self: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
        """Mean over ``dim`` of the elements that are not NaN (torch's ``x.nanmean()``)."""
        present = ops.logical_not(ops.isnan(self))
        total = MathMethods.nansum(self, dim, keepdim, dtype=dtype)
        return ops.divide(
            total, ops.sum(ops.astype(present, total.dtype), axis=_axes(dim), keepdims=keepdim)
        )

    def all(self: Any, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Whether every element over ``dim`` is true (nonzero) (torch's ``x.all()``; ``pg.all``)."""
        return ops.all(self, axis=_axes(dim), keepdims=keepdim)

    def any(self: Any, dim: Any = None, keepdim: bool = False) -> Tensor:
        """Whether some element over ``dim`` is true (nonzero) (torch's ``x.any()``; ``pg.any``)."""
        return ops.any(self, axis=_axes(dim), keepdims=keepdim)

    def std_mean(
        self: Any,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> tuple[Tensor, Tensor]:
        """``(std, mean)`` over ``dim`` with ``correction`` or ``unbiased`` (torch's
        ``torch.std_mean``; ``std_mean(x, False)`` is torch's ``(input, unbiased)`` form)."""
        if isinstance(dim, bool):
            dim, unbiased = None, dim
        return self.std(dim, unbiased, keepdim, correction=correction), self.mean(dim, keepdim)

    def var_mean(
        self: Any,
        dim: Any = None,
        unbiased: bool | None = None,
        keepdim: bool = False,
        *,
        correction: Any = None,
    ) -> tuple[Tensor, Tensor]:
        """``(var, mean)`` over ``dim`` with ``correction`` or ``unbiased`` (torch's
        ``torch.var_mean``; ``var_mean(x, False)`` is torch's ``(input, unbiased)`` form)."""
        if isinstance(dim, bool):
            dim, unbiased = None, dim
        return self.var(dim, unbiased, keepdim, correction=correction), self.mean(dim, keepdim)

    def count_nonzero(self: Any, dim: Any = None) -> Tensor:
        """Number of nonzero elements over ``dim`` (every axis when None) (torch's
        ``x.count_nonzero()``; ``pg.count_nonzero``)."""
        return ops.count_nonzero(self, axis=_axes(dim))


def _axes(dim: Any) -> Any:
    return tuple(dim) if isinstance(dim, list) else dim


def _scaled_sum(base: Any, product: Any, beta: Any, alpha: Any) -> Any:
    """``beta * base + alpha * product``; ``beta == 0`` ignores ``base`` (NaNs included)."""
    scaled = product if alpha == 1 else ops.multiply(product, alpha)
    if beta == 0:
        shape = ops.broadcast_shapes(tuple(base.shape), tuple(scaled.shape))
        return ops.broadcast_to(scaled, shape)
    return ops.add(base if beta == 1 else ops.multiply(base, beta), scaled)
