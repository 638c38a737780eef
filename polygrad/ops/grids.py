"""Creation functions that take arrays: ``tril``, ``triu`` and ``meshgrid``, differentiable.

``tril``/``triu`` keep one triangle (``TrilBackward0``/``TriuBackward0``: the gradient
is the same triangle of ``g``); ``meshgrid`` is a reshape then a broadcast per input,
the nodes torch records (``ViewBackward0`` under ``ExpandBackward0``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .._core._node import Node
from .._core._record import keep_for_backward, operand, record
from .._core._tensor import Tensor
from .shape import broadcast_to, reshape


class TrilBackward0(Node):
    __slots__ = ("k",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.tril(g, k=self.k),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.tril(t[0], k=self.k)


class TriuBackward0(Node):
    __slots__ = ("k",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.triu(g, k=self.k),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.triu(t[0], k=self.k)


def _triangle(cls: type[Node], name: str, x: Any, k: int) -> Tensor:
    x = operand(x)
    if x.ndim < 2:
        raise ValueError(f"{name}: input tensor must have at least 2 dimensions")
    result = record(cls, (x,), getattr(x._backend.xp, name)(x._data, k=k), x._backend)
    return keep_for_backward(result, k=k)


def tril(x: Any, /, *, k: int = 0) -> Tensor:
    """The lower triangle of the last two axes (on and below diagonal ``k``), zeros elsewhere."""
    return _triangle(TrilBackward0, "tril", x, int(k))


def triu(x: Any, /, *, k: int = 0) -> Tensor:
    """The upper triangle of the last two axes (on and above diagonal ``k``), zeros elsewhere."""
    return _triangle(TriuBackward0, "triu", x, int(k))


def meshgrid(*arrays: Any, indexing: str = "xy") -> tuple[Tensor, ...]:
    """Coordinate grids from 1-d arrays (``"xy"``: Cartesian, ``"ij"``: matrix indexing).

    Returns a tuple, as torch does and the standard's 2025.12 revision says (a list before).
    """
    if indexing not in ("xy", "ij"):
        raise ValueError(f"indexing must be 'xy' or 'ij', got {indexing!r}")
    if len(arrays) == 1 and isinstance(arrays[0], Sequence) and not hasattr(arrays[0], "shape"):
        arrays = tuple(arrays[0])  # torch also takes one list of tensors
    tensors = [operand(a) for a in arrays]
    for t in tensors:
        if t.ndim != 1:
            raise ValueError("meshgrid expects 1-dimensional arrays")
    shape = [t.shape[0] for t in tensors]
    if indexing == "xy" and len(tensors) >= 2:
        shape[0], shape[1] = shape[1], shape[0]
    grids = []
    for i, t in enumerate(tensors):
        axis = i
        if indexing == "xy" and len(tensors) >= 2 and i < 2:
            axis = 1 - i
        view = [1] * len(tensors)
        view[axis] = -1
        grids.append(broadcast_to(reshape(t, tuple(view)), tuple(shape)))
    return tuple(grids)
