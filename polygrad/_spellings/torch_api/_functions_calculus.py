"""torch's numerical calculus and binning functions over polygrad's ops:
``pg.gradient(f, spacing=, dim=, edge_order=)`` (central differences, as a tuple per
dimension), ``pg.cumulative_trapezoid(y, x, dx=, dim=)``, ``pg.histogramdd(x, bins)``
as ``(hist, bin_edges)`` and ``pg.polygamma(n, x)`` (torch's argument order).

``gradient`` and ``cumulative_trapezoid`` compose differentiable ops with torch's
formulas (coordinates given as tensors get gradients too); ``histogramdd`` has no
gradient in torch, and its result never requires grad.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from ... import ops, special
from ..._core._dtypes import get_default_dtype
from ..._core._record import operand
from ..._core._tensor import Tensor, _make
from ..._core._torch_type_names import scalar_type_name
from . import _return_types as return_types
from ._methods_counting import _bins_of, _counts, _even_edges


def polygamma(n: int, input: Any) -> Tensor:  # noqa: A002 - torch's name
    """The ``n``-th derivative of the digamma function (torch.polygamma)."""
    return special.polygamma(n, input)


# -- gradient ---------------------------------------------------------------------------------
def _axis_slice(ndim: int, axis: int, start: int | None, stop: int | None) -> tuple:
    return (slice(None),) * axis + (slice(start, stop),)


def _gradient_dims(ndim: int, dim: Any) -> list[int]:
    if dim is None:
        return list(range(ndim))
    dims = [dim] if isinstance(dim, int) else list(dim)
    for d in dims:
        if not -ndim <= d < ndim:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], "
                f"but got {d})"
            )
    wrapped = [d % ndim for d in dims]
    for d in wrapped:
        if wrapped.count(d) > 1:
            raise RuntimeError(f"dim {d} appears multiple times in the list of dims")
    return wrapped


def _spacings(spacing: Any, dims: list[int], ndim: int, dim: Any) -> list[Any]:
    if spacing is None:
        return [1.0] * len(dims)
    if not isinstance(spacing, (list, tuple)):
        return [spacing] * len(dims)
    if len(spacing) != len(dims):
        if dim is None:
            raise RuntimeError(
                "torch.gradient expected spacing to be unspecified, a scalar, or a list of "
                f"length equal to 'self.dim() = {ndim}', since dim argument was not given, "
                f"but got a list of length {len(spacing)}"
            )
        raise RuntimeError(
            "torch.gradient expected spacing to be unspecified, a scalar or it's spacing "
            "and dim arguments to have the same length, but got a spacing argument of "
            f"length {len(spacing)} and a dim argument of length {len(dims)}."
        )
    for s in spacing:
        if isinstance(s, Tensor) and s.ndim != 1:
            raise RuntimeError(
                "torch.gradient expected each element of spacing to have one dimension, "
                f"but got an element with {s.ndim} dimensions!"
            )
    return list(spacing)


def _uniform_gradient(f: Tensor, axis: int, h: Any, edge_order: int) -> Tensor:
    def part(start: int | None, stop: int | None) -> Tensor:
        return f[_axis_slice(f.ndim, axis, start, stop)]

    center = ops.divide(ops.divide(ops.subtract(part(2, None), part(0, -2)), h), 2)
    if edge_order == 1:
        first = ops.divide(ops.subtract(part(1, 2), part(0, 1)), h)
        last = ops.divide(ops.subtract(part(-1, None), part(-2, -1)), h)
    else:
        first = ops.divide(
            ops.add(
                ops.subtract(ops.multiply(part(1, 2), 2), ops.multiply(part(0, 1), 1.5)),
                ops.multiply(part(2, 3), -0.5),
            ),
            h,
        )
        last = ops.divide(
            ops.add(
                ops.subtract(ops.multiply(part(-3, -2), 0.5), ops.multiply(part(-2, -1), 2)),
                ops.multiply(part(-1, None), 1.5),
            ),
            h,
        )
    return ops.concat([first, center, last], axis=axis)


def _weighted(terms: Sequence[tuple[Any, Tensor]]) -> Tensor:
    total = ops.multiply(terms[0][0], terms[0][1])
    for weight, value in terms[1:]:
        total = ops.add(total, ops.multiply(weight, value))
    return total


def _coordinate_gradient(f: Tensor, axis: int, x: Tensor, edge_order: int) -> Tensor:
    """torch's (and NumPy's) second-order differences on the coordinates ``x``."""

    def part(start: int | None, stop: int | None) -> Tensor:
        return f[_axis_slice(f.ndim, axis, start, stop)]

    shape = [1] * f.ndim
    shape[axis] = -1
    dx = ops.diff(x)
    d1, d2 = dx[:-1], dx[1:]
    s = ops.add(d1, d2)
    a = ops.reshape(ops.divide(ops.negative(d2), ops.multiply(d1, s)), tuple(shape))
    b = ops.reshape(ops.divide(ops.subtract(d2, d1), ops.multiply(d1, d2)), tuple(shape))
    c = ops.reshape(ops.divide(d1, ops.multiply(d2, s)), tuple(shape))
    center = _weighted([(a, part(0, -2)), (b, part(1, -1)), (c, part(2, None))])
    h0, hl = dx[0], dx[-1]
    if edge_order == 1:
        first = ops.divide(ops.subtract(part(1, 2), part(0, 1)), h0)
        last = ops.divide(ops.subtract(part(-1, None), part(-2, -1)), hl)
    else:
        h1, hm = dx[1], dx[-2]
        s0, sl = ops.add(h0, h1), ops.add(hl, hm)
        first = _weighted(
            [
                (
                    ops.negative(
                        ops.divide(ops.add(ops.multiply(h0, 2.0), h1), ops.multiply(h0, s0))
                    ),
                    part(0, 1),
                ),
                (ops.divide(s0, ops.multiply(h0, h1)), part(1, 2)),
                (ops.divide(ops.negative(h0), ops.multiply(h1, s0)), part(2, 3)),
            ]
        )
        last = _weighted(
            [
                (ops.divide(hl, ops.multiply(hm, sl)), part(-3, -2)),
                (ops.negative(ops.divide(sl, ops.multiply(hl, hm))), part(-2, -1)),
                (
                    ops.divide(ops.add(ops.multiply(hl, 2.0), hm), ops.multiply(hl, sl)),
                    part(-1, None),
                ),
            ]
        )
    return ops.concat([first, center, last], axis=axis)


def gradient(
    input: Any,  # noqa: A002 - torch's name
    *,
    spacing: Any = None,
    dim: int | Sequence[int] | None = None,
    edge_order: int = 1,
) -> tuple[Tensor, ...]:
    """The derivative of ``input`` along each of ``dim`` (all when None) by central
    differences, one-sided differences of order ``edge_order`` (1 or 2) at the ends;
    ``spacing`` a number, one number per dimension or one coordinate tensor per
    dimension (torch.gradient)."""
    f = operand(input)
    if edge_order not in (1, 2):
        raise RuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    dims = _gradient_dims(f.ndim, dim)
    spacings = _spacings(spacing, dims, f.ndim, dim)
    for d in dims:
        if f.shape[d] < edge_order + 1:
            raise RuntimeError(
                "torch.gradient expected each dimension size to be at least edge_order+1"
            )
    if not f.dtype.differentiable:
        f = ops.astype(f, get_default_dtype())
    out = []
    for d, h in zip(dims, spacings):
        if isinstance(h, Tensor):
            out.append(_coordinate_gradient(f, d, h, edge_order))
        else:
            out.append(_uniform_gradient(f, d, h, edge_order))
    return tuple(out)


# -- cumulative_trapezoid ----------------------------------------------------------------------
def cumulative_trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The running integral of ``y`` along ``dim`` by the trapezoid rule: one value
    fewer than ``y`` there; sample points ``x`` (1-D, or broadcasting with ``y``) or the
    spacing ``dx`` (default 1) (torch.cumulative_trapezoid)."""
    y = operand(y)
    if y.ndim == 0:
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")
    if x is not None and dx is not None:
        raise TypeError(
            "cumulative_trapezoid() received an invalid combination of arguments - got "
            "(Tensor, Tensor, dx=...), but expected one of:\n * (Tensor y, Tensor x, *, "
            "int dim = -1)\n * (Tensor y, *, Number dx = 1, int dim = -1)"
        )
    axis = dim % y.ndim
    left = y[_axis_slice(y.ndim, axis, 0, -1)]
    right = y[_axis_slice(y.ndim, axis, 1, None)]
    if x is None:
        return ops.cumulative_sum(
            ops.multiply(ops.add(left, right), (1 if dx is None else dx) / 2.0), axis=axis
        )
    x = operand(x, y)
    if x.ndim == 1:
        if x.shape[0] != y.shape[axis]:
            raise RuntimeError(
                "cumulative_trapezoid: There must be one `x` value for each sample point"
            )
        shape = [1] * y.ndim
        shape[axis] = x.shape[0]
        x = ops.reshape(x, tuple(shape))
    elif x.ndim < y.ndim:
        x = ops.reshape(x, (1,) * (y.ndim - x.ndim) + tuple(x.shape))
    widths = ops.subtract(
        x[_axis_slice(x.ndim, axis, 1, None)], x[_axis_slice(x.ndim, axis, 0, -1)]
    )
    return ops.divide(
        ops.cumulative_sum(ops.multiply(ops.add(left, right), widths), axis=axis), 2.0
    )


# -- histogramdd -------------------------------------------------------------------------------
def histogramdd(
    input: Any,  # noqa: A002 - torch's name
    bins: Any = 10,
    *,
    range: Sequence[float] | None = None,  # noqa: A002
    weight: Any = None,
    density: bool = False,
) -> return_types.histogramdd:
    """Counts (or summed ``weight``) of the points in the rows of ``input`` (the last
    dimension holds each point's ``D`` coordinates) in a ``D``-dimensional grid of bins:
    ``bins`` a number, one number per dimension or one edge tensor per dimension;
    ``range`` the flat ``[min_0, max_0, min_1, ...]`` (torch.histogramdd)."""
    x = operand(input)
    backend = x._backend
    xp = backend.xp
    if x.dtype.kind != "real floating":
        raise NotImplementedError(
            f"\"histogramdd\" not implemented for '{scalar_type_name(x.dtype.name)}'"
        )
    if x.ndim < 2:
        raise RuntimeError("torch.histogramdd: input tensor should have at least 2 dimensions")
    d = x.shape[-1]
    points = xp.reshape(x._data, (-1, d))
    device = backend.device_of(points)
    edges = []
    if isinstance(bins, (list, tuple)) and len(bins) != d:
        raise RuntimeError(
            "histogramdd: The size of bins must be equal to the innermost dimension of the input."
        )
    if isinstance(bins, (list, tuple)) and bins and isinstance(bins[0], Tensor):
        edges = [xp.astype(operand(b, x)._data, points.dtype) for b in bins]
    else:
        counts = [int(bins)] * d if isinstance(bins, int) else [int(b) for b in bins]
        for i, n in enumerate(counts):
            if n <= 0:
                raise RuntimeError(
                    f"torch.histogramdd(): bins must be > 0, but got {n} for dimension {i}"
                )
            low, high = _outer_edges(xp, points[:, i], range, i)
            edges.append(_even_edges(xp, low, high, n, points.dtype, device))
    sizes = [e.shape[0] - 1 for e in edges]
    flat = xp.zeros(points.shape[:1], dtype=xp.int64, device=device)
    inside = xp.ones(points.shape[:1], dtype=xp.bool, device=device)
    for i, e in enumerate(edges):
        position, within = _bins_of(xp, points[:, i], e)
        flat = flat * sizes[i] + xp.astype(position, xp.int64)
        inside = inside & within
    if weight is None:
        values = xp.astype(inside, points.dtype)
    else:
        w = xp.reshape(operand(weight, x)._data, (-1,))
        values = xp.where(inside, xp.astype(w, points.dtype), xp.zeros_like(w, dtype=points.dtype))
    hist = _counts(x, xp.where(inside, flat, 0), values, math.prod(sizes), points.dtype)
    hist = xp.reshape(hist, tuple(sizes))
    if density:
        hist = hist / xp.sum(hist)
        for i, e in enumerate(edges):
            shape = [1] * d
            shape[i] = sizes[i]
            hist = hist / xp.reshape(e[1:] - e[:-1], tuple(shape))
    return return_types.histogramdd(_make(hist, backend), tuple(_make(e, backend) for e in edges))


def _outer_edges(xp: Any, column: Any, range: Any, i: int) -> tuple[float, float]:  # noqa: A002
    if range is not None:
        low, high = float(range[2 * i]), float(range[2 * i + 1])
    elif column.shape[0]:
        low, high = float(xp.min(column)), float(xp.max(column))
    else:
        low, high = 0.0, 0.0
    if not (math.isfinite(low) and math.isfinite(high)):
        raise RuntimeError(
            f"torch.histogramdd: dimension {i}'s range [{low}, {high}] is not finite"
        )
    if low > high:
        raise RuntimeError(
            "torch.histogramdd: min should not exceed max, but got min "
            f"{low} max {high} for dimension {i}"
        )
    if low == high:
        low, high = low - 0.5, high + 0.5
    return low, high


FUNCTIONS_CALCULUS: dict[str, Callable[..., Any]] = {
    "polygamma": polygamma,
    "gradient": gradient,
    "cumulative_trapezoid": cumulative_trapezoid,
    "histogramdd": histogramdd,
}
