"""Moving a tensor to another device of its backend (``to_device``), in the graph.

The gradient moves back to the input's device (torch's ``ToCopyBackward0``).
"""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._record import keep_for_backward, operand, record
from .._core._tensor import Tensor


def _move(data: Any, device: Any, stream: Any = None) -> Any:
    from array_api_compat import to_device as compat_to_device

    return compat_to_device(data, device, stream=stream)


class ToCopyBackward0(Node):
    """A device move: the gradient goes back to the input's device."""

    __slots__ = ("input_device",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (
            to_device(g, self.input_device)
            if isinstance(g, Tensor)
            else _move(g, self.input_device),
        )

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return to_device(t[0], outputs[0].device)


def to_device(x: Any, device: Any, /, *, stream: Any = None) -> Tensor:
    """``x`` on ``device`` (the same tensor when it is already there)."""
    x = operand(x)
    backend = x._backend
    device = backend.parse_device(device)
    here = backend.device_of(x._data)
    if device is None or device == here:
        return x
    result = record(ToCopyBackward0, (x,), _move(x._data, device, stream), backend)
    return keep_for_backward(result, input_device=here)
