"""torch's ``grid_sampler_2d``/``grid_sampler_3d`` (and ``grid_sampler``) over polygrad's
ops: ``pg.grid_sampler_2d(input, grid, interpolation_mode, padding_mode, align_corners)``
samples ``input`` (N, C, H, W) (or (N, C, D, H, W)) at the points ``grid`` (N, ..., 2)
(or 3) holds in [-1, 1] coordinates, ``x`` first.

``interpolation_mode``: 0 bilinear (trilinear in 3-d), 1 nearest, 2 bicubic (2-d only);
``padding_mode``: 0 zeros, 1 border, 2 reflection; as torch's ``GridSampler.h``. Every
sample is a weighted sum of taps: the taps' positions are integers (no gradient), read
from the flattened input by one ``take_along_axis`` (whose gradient scatters back into
``input``), and their weights are polygrad arithmetic on the grid's coordinates, so the
gradient reaching ``grid`` is the weights' derivative, as torch's backward kernels
compute it (borders count as outside for the clipped coordinate's gradient, as there).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

from ... import ops
from ..._core._tensor import Tensor, _make
from ._aliases import _torch_name

_CUBIC_A = -0.75


def _constant(like: Tensor, data: Any) -> Tensor:
    return _make(data, like._backend)


def _unnormalize(coordinate: Tensor, size: int, align_corners: bool) -> Tensor:
    if align_corners:
        return ops.multiply(ops.divide(ops.add(coordinate, 1), 2), size - 1)
    return ops.divide(ops.subtract(ops.multiply(ops.add(coordinate, 1), size), 1), 2)


def _clip(coordinate: Tensor, size: int) -> Tensor:
    """torch's ``clip_coordinates``: the gradient is 0 at and beyond the borders."""
    data = coordinate._data
    low = ops.where(_constant(coordinate, data <= 0), 0.0, coordinate)
    return ops.where(_constant(coordinate, data >= size - 1), float(size - 1), low)


def _reflect(coordinate: Tensor, twice_low: int, twice_high: int) -> Tensor:
    """torch's ``reflect_coordinates``: ``coordinate`` folded into [low, high]."""
    if twice_low == twice_high:
        return ops.multiply(coordinate, 0.0)
    xp = coordinate._backend.xp
    low = twice_low / 2
    span = (twice_high - twice_low) / 2
    shifted = ops.subtract(coordinate, low)
    shifted = ops.where(_constant(shifted, shifted._data < 0), ops.negative(shifted), shifted)
    extra = ops.remainder(shifted, span)
    flips = xp.floor(shifted._data / span)
    even = _constant(shifted, xp.remainder(flips, 2) == 0)
    return ops.where(even, ops.add(extra, low), ops.add(ops.negative(extra), span + low))


def _pad(coordinate: Tensor, size: int, padding_mode: int, align_corners: bool) -> Tensor:
    """torch's ``compute_coordinates``: ``coordinate`` after border or reflection padding."""
    if padding_mode == 1:
        return _clip(coordinate, size)
    if padding_mode == 2:
        if align_corners:
            reflected = _reflect(coordinate, 0, 2 * (size - 1))
        else:
            reflected = _reflect(coordinate, -1, 2 * size - 1)
        return _clip(reflected, size)
    return coordinate


def _cubic_weights(t: Tensor) -> list[Tensor]:
    """torch's ``get_cubic_upsample_coefficients`` for the fraction ``t``."""
    a = _CUBIC_A

    def near(x: Tensor) -> Tensor:  # ((A + 2) x - (A + 3)) x^2 + 1, for |x| <= 1
        return ops.add(ops.multiply(ops.subtract(ops.multiply(x, a + 2), a + 3), ops.square(x)), 1)

    def far(x: Tensor) -> Tensor:  # ((A x - 5A) x + 8A) x - 4A, for 1 < |x| < 2
        inner = ops.add(ops.multiply(ops.subtract(ops.multiply(x, a), 5 * a), x), 8 * a)
        return ops.subtract(ops.multiply(inner, x), 4 * a)

    return [far(ops.add(t, 1)), near(t), near(ops.subtract(1, t)), far(ops.subtract(2, t))]


def _axis_taps(
    coordinate: Tensor, size: int, mode: int, padding_mode: int, align_corners: bool
) -> list[tuple[Any, Tensor | None]]:
    """Along one axis: each tap's integer position (a backend array, perhaps outside
    [0, size)) and weight (None: 1)."""
    xp = coordinate._backend.xp
    if mode == 2:
        source = _unnormalize(coordinate, size, align_corners)
        first = xp.floor(source._data)
        weights = _cubic_weights(ops.subtract(source, _constant(source, first)))
        taps: list[tuple[Any, Tensor | None]] = []
        for k, weight in enumerate(weights):
            position = _pad(_constant(source, first + (k - 1)), size, padding_mode, align_corners)
            taps.append((position._data, weight))
        return taps
    source = _pad(_unnormalize(coordinate, size, align_corners), size, padding_mode, align_corners)
    if mode == 1:
        return [(xp.round(source._data), None)]
    west = xp.floor(source._data)
    east_weight = ops.subtract(source, _constant(source, west))
    west_weight = ops.subtract(_constant(source, west + 1), source)
    return [(west, west_weight), (west + 1, east_weight)]


def _check(input: Tensor, grid: Tensor, mode: int, padding_mode: int, spatial: int) -> None:  # noqa: A002
    if input.ndim != spatial + 2 or grid.ndim != spatial + 2:
        raise RuntimeError(
            f"grid_sampler(): expected {spatial + 2}D input and grid with same number of "
            f"dimensions, but got input with sizes {list(input.shape)} and grid with sizes "
            f"{list(grid.shape)}"
        )
    if input.dtype != grid.dtype:
        raise RuntimeError(
            "grid_sampler(): expected input and grid to have same dtype, but input has "
            f"{_torch_name(input.dtype)} and grid has {_torch_name(grid.dtype)}"
        )
    if input.shape[0] != grid.shape[0]:
        raise RuntimeError(
            "grid_sampler(): expected grid and input to have same batch size, but got input "
            f"with sizes {list(input.shape)} and grid with sizes {list(grid.shape)}"
        )
    if grid.shape[-1] != spatial:
        raise RuntimeError(
            f"grid_sampler(): expected grid to have size {spatial} in last dimension, but got "
            f"grid with sizes {list(grid.shape)}"
        )
    if any(n == 0 for n in input.shape[2:]):
        raise RuntimeError(
            "grid_sampler(): expected input to have non-empty spatial dimensions, but input "
            f"has sizes {list(input.shape)} with dimension {2 + list(input.shape[2:]).index(0)} "
            "being empty"
        )
    if mode not in (0, 1, 2) or padding_mode not in (0, 1, 2):
        raise RuntimeError(
            f"grid_sampler(): unknown interpolation mode {mode} or padding mode {padding_mode}"
        )
    if mode == 2 and spatial != 2:
        raise RuntimeError("grid_sampler(): bicubic interpolation only supports 4D input")


def _grid_sample(
    input: Tensor,  # noqa: A002 - torch's name
    grid: Tensor,
    mode: int,
    padding_mode: int,
    align_corners: bool,
    spatial: int,
) -> Tensor:
    _check(input, grid, mode, padding_mode, spatial)
    xp = input._backend.xp
    n, c = input.shape[:2]
    sizes = tuple(input.shape[2:])  # (D,) H, W
    points = tuple(grid.shape[1:-1])
    count = math.prod(points)
    flat_grid = ops.reshape(grid, (n, count, spatial))
    # the grid's k-th coordinate indexes the k-th axis from the last (x: width)
    per_axis = [
        _axis_taps(
            flat_grid[:, :, spatial - 1 - axis], sizes[axis], mode, padding_mode, align_corners
        )
        for axis in range(spatial)
    ]
    linear, weights = [], []
    for combination in itertools.product(*per_axis):
        inside = None
        position = None
        weight: Tensor | None = None
        for axis, (where, factor) in enumerate(combination):
            ok = (where >= 0) & (where <= sizes[axis] - 1)
            inside = ok if inside is None else inside & ok
            index = xp.astype(xp.clip(where, 0, sizes[axis] - 1), xp.int64)
            position = index if position is None else position * sizes[axis] + index
            if factor is not None:
                weight = factor if weight is None else ops.multiply(weight, factor)
        keep = _constant(flat_grid, inside)
        if weight is None:  # nearest: no gradient reaches the grid
            weight = ops.astype(keep, flat_grid.dtype)
        else:
            weight = ops.where(keep, weight, 0.0)
        linear.append(position)
        weights.append(weight)
    taps = len(linear)
    positions = xp.concat(linear, axis=1)  # (n, taps * count)
    positions = xp.broadcast_to(positions[:, None, :], (n, c, taps * count))
    values = ops.take_along_axis(
        ops.reshape(input, (n, c, math.prod(sizes))), _constant(input, positions), axis=2
    )
    values = ops.reshape(values, (n, c, taps, count))
    weight_grid = ops.expand_dims(ops.stack(weights, axis=1), axis=1)  # (n, 1, taps, count)
    out = ops.sum(ops.multiply(values, weight_grid), axis=2)
    return ops.reshape(out, (n, c) + points)


def grid_sampler_2d(
    input: Any,  # noqa: A002 - torch's name
    grid: Any,
    interpolation_mode: int,
    padding_mode: int,
    align_corners: bool,
) -> Tensor:
    """``input`` (N, C, H, W) sampled at ``grid`` (N, H_out, W_out, 2) (torch.grid_sampler_2d)."""
    return _grid_sample(input, grid, interpolation_mode, padding_mode, align_corners, 2)


def grid_sampler_3d(
    input: Any,  # noqa: A002 - torch's name
    grid: Any,
    interpolation_mode: int,
    padding_mode: int,
    align_corners: bool,
) -> Tensor:
    """``input`` (N, C, D, H, W) sampled at ``grid`` (N, D_out, H_out, W_out, 3)
    (torch.grid_sampler_3d)."""
    return _grid_sample(input, grid, interpolation_mode, padding_mode, align_corners, 3)


def grid_sampler(
    input: Any,  # noqa: A002 - torch's name
    grid: Any,
    interpolation_mode: int,
    padding_mode: int,
    align_corners: bool,
) -> Tensor:
    """``grid_sampler_2d`` for 4-d ``input``, else ``grid_sampler_3d`` (torch.grid_sampler)."""
    spatial = 2 if input.ndim == 4 else 3
    return _grid_sample(input, grid, interpolation_mode, padding_mode, align_corners, spatial)


FUNCTIONS_GRID: dict[str, Callable[..., Any]] = {
    "grid_sampler": grid_sampler,
    "grid_sampler_2d": grid_sampler_2d,
    "grid_sampler_3d": grid_sampler_3d,
}
