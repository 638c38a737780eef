"""Rules that ``create_graph`` records as one node, as torch does.

Under ``create_graph`` a rule runs on Tensors and records every op it calls, so tanh's
``g * (1 - y * y)`` would record three nodes (a product, a subtraction, a product)
where torch records one, ``TanhBackwardBackward0`` (its ``tanh_backward`` op). A
higher-order gradient then walks three times the nodes torch's does. ``tanh_backward``
here is that one op: the first-order rule's kernels on raw arrays, recorded as one node
whose own rule (third order and up) is again array-API code.
"""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._record import record
from .._core._tensor import Tensor
from ._support import add_tangents, conj, needs, times, writable


def tanh_slope_times(mutable: bool, xp: Any, g: Any, y: Any) -> Any:
    """``g * conj(1 - y * y)`` on raw arrays, the derivative of tanh at its result ``y``,
    made in one temporary where the backend is ``mutable``."""
    slope = y * y
    if mutable:
        slope -= 1
        slope *= -1
    else:
        slope = 1 - slope
    slope = conj(xp, slope)
    if mutable and slope.dtype == g.dtype and slope.shape == g.shape:
        slope *= g
        return slope
    return g * slope


def tanh_backward(node: Node, xp: Any, g: Any, y: Any) -> Any:
    """tanh's rule ``g * conj(1 - y * y)``: raw arrays for a first-order backward; on
    Tensors (``create_graph``) one recorded ``TanhBackwardBackward0`` node."""
    if not isinstance(g, Tensor):
        return tanh_slope_times(writable(node, g), xp, g, y)
    backend = g._backend
    out = tanh_slope_times(backend.mutable, backend.xp, g._data, y._data)
    return record(TanhBackwardBackward0, (g, y), out, backend, broadcast=True)


class TanhBackwardBackward0(Node):
    """The node of ``tanh_backward(grad_output, y)``, ``grad_output * conj(1 - y * y)``:
    holomorphic in ``grad_output``, anti-holomorphic in ``y`` (``d/d conj(y)`` is
    ``-2 conj(y) grad_output``)."""

    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, grad_output: Any, y: Any) -> tuple[Any, ...]:
        y_conj = conj(xp, y)
        return (
            tanh_backward(self, xp, g, y_conj) if needs(self, 0) else None,
            times(self, conj(xp, g), -2 * y_conj * grad_output) if needs(self, 1) else None,
        )

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        grad_output, y = inputs
        return add_tangents(
            None if t[0] is None else tanh_backward(self, xp, t[0], y),
            None if t[1] is None else grad_output * conj(xp, -2 * y * t[1]),
        )
