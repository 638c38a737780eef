"""Adding into zeros by index: ``index_add``, differentiable, with repeated indices adding up.

It is the transpose of reading by index, so it is the gradient of ``x[key]``
(``indexing``), ``take`` and ``take_along_axis`` (``take``): ``scatter_add`` runs it
on raw arrays in a backward pass, and records ``index_add`` (torch's
``IndexPutBackward0``, accumulating) when the backward is itself recorded. Its own
gradient reads ``g[key]`` back.
"""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._record import keep_for_backward, record
from .._core._tensor import Tensor
from ._index_keys import advanced_plan, gather


class IndexPutBackward0(Node):
    """Gradient of scattering ``values`` into zeros at ``key`` (accumulating)."""

    __slots__ = ("key",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        if isinstance(g, Tensor):
            return (g[self.key],)
        # by the indexing plan (a flat take for one index array per axis), which every
        # library can run: Dask indexes with one index array at most
        plan = advanced_plan(xp, self.key, tuple(g.shape), self._backend.device_of(g))
        return (gather(xp, g, plan),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return index_add(tuple(outputs[0].shape), self.key, t[0])


def index_add(shape: tuple[int, ...], key: Any, values: Tensor) -> Tensor:
    """Zeros of ``shape`` with ``values`` added at ``key`` (repeated indices add up)."""
    backend = values._backend
    data = backend.scatter_add(
        shape, values._data.dtype, key, values._data, backend.device_of(values._data)
    )
    result = record(IndexPutBackward0, (values,), data, backend)
    return keep_for_backward(result, key=key)


def scatter_add(node: Node, xp: Any, g: Any, key: Any, shape: tuple[int, ...]) -> Any:
    """Zeros of ``shape`` with ``g`` added at ``key``, in ``node``'s rule: on raw arrays,
    or recorded (``index_add``) when ``g`` is a Tensor of a recorded backward."""
    if isinstance(g, Tensor):
        return index_add(shape, key, g)
    backend = node._backend
    return backend.scatter_add(shape, g.dtype, key, g, backend.device_of(g))
