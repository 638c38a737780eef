"""The out-of-place halves of ``zero_``, ``fill_`` and ``copy_`` (the in-place
machinery commits them), with torch's node names.
"""

from __future__ import annotations

from typing import Any

from .._core import _callbacks
from .._core._node import Node
from .._core._record import operand, record
from .._core._tensor import Tensor


class ZeroBackward0(Node):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.zeros_like(g),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return None  # a zero tangent


class FillBackward2(ZeroBackward0):
    __slots__ = ()


class CopyBackwards(Node):
    """``dst.copy_(src)``: the old value of ``dst`` gets nothing, ``src`` gets ``g``."""

    __slots__ = ()

    def name(self) -> str:
        return "torch::autograd::CopyBackwards"

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.zeros_like(g), g)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[1]  # the source's, broadcast and cast to the destination's


def zero_like_recorded(x: Tensor) -> Tensor:
    return record(ZeroBackward0, (x,), x._backend.xp.zeros_like(x._data), x._backend)


def fill_like_recorded(x: Tensor, value: Any) -> Tensor:
    xp = x._backend.xp
    if isinstance(value, Tensor):  # broadcast, never .item(): stays traceable under jax.jit
        value = operand(value, x)._data
        data = xp.asarray(
            xp.broadcast_to(xp.astype(value, x._data.dtype), tuple(x._data.shape)), copy=True
        )
    else:
        data = xp.full_like(x._data, value)
    return record(FillBackward2, (x,), data, x._backend)


def copy_from_recorded(x: Tensor, src: Any) -> Tensor:
    src = operand(src, x)
    xp = x._backend.xp
    data = xp.broadcast_to(xp.astype(src._data, x._data.dtype), tuple(x._data.shape))
    data = xp.asarray(data, copy=True)
    return record(CopyBackwards, (x, src), data, x._backend, broadcast=True)


_callbacks.recorded_copy = copy_from_recorded  # how the engine stores a graph gradient
