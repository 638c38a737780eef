"""Op table: manipulation functions (reshape, transposes, squeeze, broadcasting, joins,
flips, rolls, tiling), compared with torch's equivalents."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..samples import Sample, fixed
from ._entry import function


def _torch(name: str) -> Any:
    def call(*args: Any, **kwargs: Any) -> Any:
        import torch

        return getattr(torch, name)(*args, **kwargs)

    return call


function(
    "reshape",
    lambda x, shape, **kw: x.reshape(tuple(shape)),
    fixed(
        lambda m: Sample((m(3, 4), (4, 3)), label="3x4 -> 4x3"),
        lambda m: Sample((m(3, 4), (-1,)), label="-1"),
        lambda m: Sample((m(2, 3, 2), [6, 2]), label="list shape"),
        lambda m: Sample((m(), (1, 1)), label="0-d"),
        lambda m: Sample((m(0, 3), (3, 0)), label="empty"),
        lambda m: Sample((m(4, 3), (2, 6)), label="transposed", noncontiguous=(0,)),
    ),
)
function(
    "permute_dims",
    _torch("permute"),
    fixed(
        lambda m: Sample((m(2, 3, 4), (2, 0, 1)), label="3-d"),
        lambda m: Sample((m(2, 3, 4), (-1, 0, 1)), label="negative axis"),
        lambda m: Sample((m(), ()), label="0-d"),
        lambda m: Sample((m(4, 3), (1, 0)), label="transposed", noncontiguous=(0,)),
    ),
)
function(
    "transpose",
    _torch("transpose"),
    fixed(
        lambda m: Sample((m(2, 3, 4), 0, 2), label="3-d"),
        lambda m: Sample((m(3, 4), -1, -2), label="negative dims"),
        lambda m: Sample((m(4, 3), 0, 1), label="transposed", noncontiguous=(0,)),
    ),
)
function(
    "matrix_transpose",
    lambda x: x.mT,
    fixed(
        lambda m: Sample((m(3, 4),), label="2-d"),
        lambda m: Sample((m(2, 3, 4),), label="batched"),
        lambda m: Sample((m(4, 3),), label="transposed", noncontiguous=(0,)),
    ),
)
function(
    "t",
    _torch("t"),
    fixed(
        lambda m: Sample((m(3, 4),), label="2-d"),
        lambda m: Sample((m(4),), label="1-d"),
        lambda m: Sample((m(),), label="0-d"),
    ),
)
function(
    "squeeze",
    lambda x, axis=None: x.squeeze() if axis is None else x.squeeze(axis),
    fixed(
        lambda m: Sample((m(3, 1, 4), 1), label="axis=1"),
        lambda m: Sample((m(1, 3, 1), (0, -1)), label="tuple axis"),
        lambda m: Sample((m(1, 1),), {"axis": -1}, label="negative axis"),
        lambda m: Sample((m(0, 1), 1), label="empty"),
    ),
)
function(
    "expand_dims",
    lambda x, axis=0: x.unsqueeze(axis),
    fixed(
        lambda m: Sample((m(3, 4),), {"axis": 1}, label="axis=1"),
        lambda m: Sample((m(3, 4),), {"axis": -1}, label="axis=-1"),
        lambda m: Sample((m(),), {"axis": 0}, label="0-d"),
        lambda m: Sample((m(4, 3),), {"axis": 0}, label="transposed", noncontiguous=(0,)),
    ),
)
function(
    "broadcast_to",
    _torch("broadcast_to"),
    fixed(
        lambda m: Sample((m(4), (3, 4)), label="(4,) -> (3,4)"),
        lambda m: Sample((m(3, 1), (2, 3, 5)), label="(3,1) -> (2,3,5)"),
        lambda m: Sample((m(), (2, 2)), label="0-d"),
        lambda m: Sample((m(1, 3), (0, 3)), label="to empty"),
    ),
)


def _torch_concat(*xs: Any, axis: int | None = 0) -> Any:
    import torch

    if axis is None:
        return torch.cat([x.reshape(-1) for x in xs])
    return torch.cat(list(xs), dim=axis)


function(
    "concat",
    _torch_concat,
    fixed(
        lambda m: Sample((m(2, 3), m(4, 3)), label="axis=0"),
        lambda m: Sample((m(2, 3), m(2, 1), m(2, 2)), {"axis": -1}, label="three, axis=-1"),
        lambda m: Sample((m(2, 3), m(3, 2)), {"axis": None}, label="axis=None"),
        lambda m: Sample((m(0, 3), m(2, 3)), label="with empty"),
        lambda m: Sample((m(3, 2), m(3, 2)), {"axis": 1}, label="transposed", noncontiguous=(0,)),
    ),
    pg=lambda *xs, **kw: __import__("polygrad").concat(list(xs), **kw),
)
function(
    "stack",
    lambda *xs, axis=0: __import__("torch").stack(list(xs), dim=axis),
    fixed(
        lambda m: Sample((m(2, 3), m(2, 3)), label="axis=0"),
        lambda m: Sample((m(2, 3), m(2, 3), m(2, 3)), {"axis": -1}, label="axis=-1"),
        lambda m: Sample((m(), m()), label="0-d"),
        lambda m: Sample((m(3, 2), m(3, 2)), {"axis": 1}, label="transposed", noncontiguous=(1,)),
    ),
    pg=lambda *xs, **kw: __import__("polygrad").stack(list(xs), **kw),
)


def _torch_flip(x: Any, axis: Any = None) -> Any:
    import torch

    dims = tuple(range(x.ndim)) if axis is None else (axis if isinstance(axis, tuple) else (axis,))
    return torch.flip(x, dims)


function(
    "flip",
    _torch_flip,
    fixed(
        lambda m: Sample((m(3, 4),), label="all axes"),
        lambda m: Sample((m(2, 3, 4),), {"axis": -1}, label="axis=-1"),
        lambda m: Sample((m(2, 3, 4),), {"axis": (0, 2)}, label="tuple axis"),
        lambda m: Sample((m(),), label="0-d"),
    ),
)
function(
    "moveaxis",
    _torch("moveaxis"),
    fixed(
        lambda m: Sample((m(2, 3, 4), 0, -1), label="0 -> -1"),
        lambda m: Sample((m(2, 3, 4), (0, 1), (2, 0)), label="tuples"),
    ),
)


def _torch_roll(x: Any, shift: Any, axis: Any = None) -> Any:
    import torch

    if axis is None:
        return torch.roll(x, shift)
    return torch.roll(x, shift, axis)


function(
    "roll",
    _torch_roll,
    fixed(
        lambda m: Sample((m(3, 4), 2), label="flattened"),
        lambda m: Sample((m(3, 4), -1), {"axis": 1}, label="axis=1"),
        lambda m: Sample((m(2, 3, 4), (1, 2)), {"axis": (0, 2)}, label="tuple"),
    ),
)
function(
    "tile",
    _torch("tile"),
    fixed(
        lambda m: Sample((m(2, 3), (2, 1)), label="(2,1)"),
        lambda m: Sample((m(3), (2, 2)), label="more reps than dims"),
    ),
)


def _torch_repeat(x: Any, repeats: Any, axis: int | None = None) -> Any:
    import torch

    if not isinstance(repeats, int):
        repeats = torch.as_tensor(repeats)
    return torch.repeat_interleave(x, repeats, dim=axis)


function(
    "repeat",
    _torch_repeat,
    fixed(
        lambda m: Sample((m(2, 3), 2), {"axis": 1}, label="int repeats"),
        lambda m: Sample(
            (m(3, 2), np.array([1, 0, 2])), {"axis": 0}, label="per-element repeats (int array)"
        ),
        lambda m: Sample((m(2, 2), 3), label="flattened"),
    ),
)
function(
    "unstack",
    lambda x, axis=0: __import__("torch").unbind(x, dim=axis),
    fixed(
        lambda m: Sample((m(3, 4),), label="axis=0"),
        lambda m: Sample((m(2, 3, 4),), {"axis": -1}, label="axis=-1"),
    ),
)
function(
    "broadcast_arrays",
    lambda *xs: __import__("torch").broadcast_tensors(*xs),
    fixed(
        lambda m: Sample((m(3, 1), m(1, 4)), label="(3,1) (1,4)"),
        lambda m: Sample((m(), m(2, 3), m(3)), label="three"),
    ),
    pg=lambda *xs: __import__("polygrad").broadcast_arrays(*xs),
)


def _torch_method(name: str) -> Any:
    return lambda x, *args, **kwargs: tuple(getattr(x, name)(*args, **kwargs))


function(
    "unbind",
    _torch_method("unbind"),
    fixed(
        lambda m: Sample((m(3, 4),), label="dim=0"),
        lambda m: Sample((m(2, 3, 4), -1), label="dim=-1"),
    ),
)
function(
    "split",
    _torch_method("split"),
    fixed(
        lambda m: Sample((m(5, 3), 2), label="size 2 (uneven)"),
        lambda m: Sample((m(3, 6), [1, 2, 3], 1), label="sections, dim=1"),
    ),
)
function(
    "chunk",
    _torch_method("chunk"),
    fixed(
        lambda m: Sample((m(5, 3), 2), label="2 chunks"),
        lambda m: Sample((m(3, 6), 3, -1), label="3 chunks, dim=-1"),
    ),
)
