"""Op table: indexing (``getitem`` with every key kind, repeated indices included),
item assignment on a tensor in the graph, ``take`` and ``take_along_axis``."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..samples import Maker, Sample, fixed
from ._entry import function, program


def _key_samples(m: Maker) -> list[Sample]:
    """Basic keys as Python values; integer and boolean arrays as tensors (arg 1)."""
    return [
        Sample((m(3, 4), 1), label="int"),
        Sample((m(3, 4), (-1, 2)), label="negative int pair (0-d result)"),
        Sample((m(4, 5), (slice(1, None), slice(None, None, 2))), label="slices with step"),
        Sample((m(3, 4), (None, Ellipsis, 0)), label="None and Ellipsis"),
        Sample((m(3, 4), [0, 0, 2]), label="list with repeated index"),
        Sample((m(4, 3), (slice(None), 1)), label="transposed", noncontiguous=(0,)),
        Sample((m(2, 3), ()), label="empty tuple (alias)"),
        Sample((m(3, 0), (slice(None), slice(0, 0))), label="empty"),
    ]


def _array_key_samples(m: Maker) -> list[Sample]:
    return [
        Sample((m(4, 3), np.array([0, 2, 2, 3])), label="int array, repeated"),
        Sample((m(3, 4), m.mask(3, 4)), label="boolean mask"),
        Sample((m(3, 4), np.array([[0, 1], [2, 2]])), label="2-d int array"),
    ]


function("getitem", lambda x, key: x[key], _key_samples, variant="basic keys", covers=("getitem",))
function(
    "getitem",
    lambda x, key: x[key],
    _array_key_samples,
    variant="array keys",
    covers=("getitem", "index_add"),
    notes="index_add is the scatter-add that this rule records under create_graph",
)
program(
    "getitem[mixed advanced]",
    lambda x, i: x[i, 1:],
    lambda x, i: x[i, 1:],
    fixed(lambda m: Sample((m(4, 3), np.array([3, 0, 3])), label="int array then slice")),
    covers=("getitem",),
)


def _setitem_program(lib: str) -> Any:
    def call(x: Any, v: Any, key: Any) -> Any:
        y = x.clone()
        if lib == "polygrad":
            import polygrad

            polygrad.setitem(y, key, v)
        else:
            y[key] = v
        return y

    return call


def _setitem_samples(m: Maker) -> list[Sample]:
    return [
        Sample((m(3, 4), m(4), 1), label="row from tensor"),
        Sample((m(3, 4), m(3, 1), (slice(None), slice(1, 3))), label="broadcast value"),
        Sample((m(3, 4), m(), (0, 0)), label="0-d value"),
        Sample((m(4, 3), m(2, 3), [0, 2]), label="advanced key"),
        Sample((m(3, 4), 2.5, 0), label="python number"),
    ]


program(
    "setitem",
    _setitem_program("polygrad"),
    _setitem_program("torch"),
    _setitem_samples,
    covers=("setitem",),
)


def _torch_take(x: Any, indices: Any, axis: int | None = None) -> Any:
    import torch

    if axis is None:
        return torch.take(x, indices)
    return torch.index_select(x, axis, indices)


function(
    "take",
    _torch_take,
    fixed(
        lambda m: Sample((m(3, 4), np.array([0, 2, 2])), {"axis": 1}, label="axis=1, repeated"),
        lambda m: Sample((m(3, 4), np.array([1, 1])), {"axis": -2}, label="negative axis"),
        lambda m: Sample((m(5), np.array([4, 0, 4])), label="1-d"),
    ),
)


def _torch_take_along(x: Any, indices: Any, axis: int = -1) -> Any:
    import torch

    return torch.take_along_dim(x, indices, dim=axis)


function(
    "take_along_axis",
    _torch_take_along,
    fixed(
        lambda m: Sample((m(3, 4), np.array([[0, 0], [3, 1], [2, 2]])), label="last axis"),
        lambda m: Sample((m(3, 4), np.array([[2, 0, 1, 1]])), {"axis": 0}, label="axis=0"),
    ),
)
function(  # interpolation_mode 0/1/2: bilinear, nearest, bicubic; padding 0/1/2: zeros, border, reflection
    "grid_sampler",
    "grid_sampler",
    fixed(
        lambda m: Sample((m(1, 2, 4, 5), m(1, 3, 3, 2, domain="unit"), 0, 0, False)),
        lambda m: Sample(
            (m(2, 1, 4, 5), m(2, 2, 3, 2, domain="unit"), 2, 1, True), label="bicubic, border"
        ),
        lambda m: Sample(
            (m(1, 1, 3, 4, 5), m(1, 2, 2, 2, 3, domain="unit"), 0, 2, False),
            label="3-d, reflection",
        ),
    ),
)
