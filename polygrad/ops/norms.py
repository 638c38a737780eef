"""Norms for ``polygrad.linalg``: ``vector_norm`` (``LinalgVectorNormBackward0``) and
``matrix_norm``, composed the way torch composes it so the outermost node matches.

The rules follow torch's ``norm_backward`` term for term: at a zero norm the gradient
is the subgradient 0 and its derivative torch's NaN, the max/min norms share the gradient evenly among tied entries,
``ord=0`` has a zero gradient, and complex entries use ``sgn(x) = x / |x|``.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._record import operand, record
from .._core._tensor import Tensor
from ._support import is_complex, zero_at_kink
from .elementwise import abs as abs_op
from .extrema import max as max_op
from .extrema import min as min_op
from .linalg_factor import svdvals
from .reduction import _backend_axis, _normalize_axes, _Reduction
from .shape import expand_dims, permute_dims
from .sums import sum as sum_op


def _sgn(xp: Any, x: Any) -> Any:
    """``x / |x|`` (0 at 0); the sign for real ``x``."""
    if not is_complex(x):
        return xp.sign(x)
    magnitude = xp.abs(x)
    is_zero = magnitude == 0
    return xp.where(is_zero, xp.zeros_like(x), x / xp.where(is_zero, 1.0, magnitude))


class LinalgVectorNormBackward0(_Reduction):
    """torch's ``norm_backward``, term for term (see ``zero_at_kink``)."""

    __slots__ = ("ord",)
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, norm: Any) -> tuple[Any, ...]:
        p = self.ord
        g, norm = self.kept(xp, g), self.kept(xp, norm)
        if p == 0:
            return (xp.zeros_like(x),)
        if p == 1:
            return (_sgn(xp, x) * g,)
        is_zero = norm == 0
        if p == 2:
            return (g * zero_at_kink(xp, is_zero, lambda n: x / n, norm),)
        magnitude = xp.abs(x)
        if math.isinf(p):
            chosen = (magnitude == norm) | (magnitude != magnitude)  # NaNs take part (torch)
            count = xp.sum(xp.astype(chosen, magnitude.dtype), axis=self.axes, keepdims=True)
            return (_sgn(xp, x) * xp.where(chosen, g / count, 0.0),)
        if p < 1:
            powered = zero_at_kink(xp, x == 0, lambda m: m ** (p - 1), magnitude)
            return (_sgn(xp, x) * powered * g * norm ** (1 - p),)
        scale = zero_at_kink(xp, is_zero, lambda n: g / n ** (p - 1), norm)
        if p < 2:
            return (_sgn(xp, x) * magnitude ** (p - 1) * scale,)
        return (x * magnitude ** (p - 2) * scale,)


def vector_norm(
    x: Any, /, *, axis: int | tuple[int, ...] | None = None, keepdims: bool = False, ord: float = 2
) -> Tensor:
    """The ``ord``-norm of the entries over ``axis`` (all entries when None)."""
    x = operand(x)
    data, backend = x._data, x._backend
    axes = _normalize_axes(axis, data.ndim)
    out = backend.xp.linalg.vector_norm(
        data, axis=_backend_axis(axes, data.ndim), keepdims=keepdims, ord=ord
    )
    result = record(LinalgVectorNormBackward0, (x,), out, backend)
    node = result._grad_fn
    if node is not None:
        node.shape, node.axes, node.ord = tuple(data.shape), axes, float(ord)
    return result


def matrix_norm(x: Any, /, *, keepdims: bool = False, ord: Any = "fro") -> Tensor:
    """Frobenius, nuclear, spectral (2, -2) or max row/column-sum (inf, 1...) norm of each matrix."""
    x = operand(x)
    if x.ndim < 2:
        raise RuntimeError(
            "linalg.matrix_norm: The input tensor A must have at least 2 dimensions."
        )
    if ord == "fro":
        return vector_norm(x, axis=(-2, -1), keepdims=keepdims, ord=2)
    if ord in ("nuc", 2, -2):
        values = svdvals(x)
        reduce = sum_op if ord == "nuc" else max_op if ord == 2 else min_op
        out = reduce(values, axis=-1, keepdims=keepdims)
        if keepdims:  # torch restores the two matrix axes with a permute
            batch = tuple(range(x.ndim - 2))
            out = permute_dims(expand_dims(out, axis=-1), batch + (x.ndim - 1, x.ndim - 2))
        return out
    if ord in (1, -1, math.inf, -math.inf):
        summed_axis = -2 if ord in (1, -1) else -1
        sums = sum_op(abs_op(x), axis=summed_axis, keepdims=keepdims)
        reduce = max_op if ord > 0 else min_op
        # the other matrix axis: last, unless the summed last axis was kept
        return reduce(sums, axis=-2 if keepdims and summed_axis == -1 else -1, keepdims=keepdims)
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
