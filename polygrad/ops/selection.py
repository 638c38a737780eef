"""Reading one element per slice at positions found elsewhere, recorded under torch's name
for the op that found them: ``cummax``/``cummin`` (``CummaxBackward0``...), ``median``
and ``nanmedian`` along a dimension, ``mode``.

The positions come from the caller (the torch front door finds them on raw arrays);
the gradient goes back to the selected elements, adding up where one element is
selected several times (a running maximum that stays put), as torch's
``value_selecting_reduction_backward`` and ``cummaxmin_backward`` do.
"""

from __future__ import annotations

from typing import Any

from .._core._record import operand
from .._core._tensor import Tensor
from .take import GatherBackward0, _record_gather, axis_positions


class CummaxBackward0(GatherBackward0):
    __slots__ = ()


class CumminBackward0(GatherBackward0):
    __slots__ = ()


class MedianBackward1(GatherBackward0):
    __slots__ = ()


class NanmedianBackward1(GatherBackward0):
    __slots__ = ()


class ModeBackward0(GatherBackward0):
    __slots__ = ()


NODES = {
    "cummax": CummaxBackward0,
    "cummin": CumminBackward0,
    "median": MedianBackward1,
    "nanmedian": NanmedianBackward1,
    "mode": ModeBackward0,
}


def select_along(op: str, x: Any, index: Any, axis: int, keepdim: bool = True) -> Tensor:
    """``x`` at the raw integer positions ``index`` along ``axis`` (``index`` has ``x``'s
    rank, other axes lining up; of size 1 along ``axis`` and removed unless ``keepdim``
    for a reduction), recorded as ``op``'s node."""
    x = operand(x)
    backend = x._backend
    xp = backend.xp
    data = xp.take_along_axis(x._data, index, axis=axis)
    if not keepdim:
        data, index = xp.squeeze(data, axis=axis), xp.squeeze(index, axis=axis)
    device = backend.device_of(x._data)
    others = [d for d in range(x.ndim) if d != axis or keepdim]
    rank = len(others)
    key = tuple(
        index
        if d == axis
        else axis_positions(xp, x._data.shape[d], d if keepdim else others.index(d), rank, device)
        for d in range(x.ndim)
    )
    return _record_gather(NODES[op], x, data, key)
