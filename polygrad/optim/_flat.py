"""Flat optimizer state for a compiled step: one update for all of a group's parameters.

A replay makes one backend call per operation and parameter; Adam's update is 13 calls a
parameter. As torch's ``foreach`` implementations do, a step traced by ``pg.compile``
updates a group's parameters together where the library can write through views (NumPy,
torch, array-api-strict): each state entry (``exp_avg``...) of all the parameters lies
end to end in one flat buffer, each parameter's state tensor is a view of its part (so
``optimizer.state``, ``state_dict()`` and an eager step see and write the same memory),
the gradients are concatenated once, the elementwise update runs once over the flat
buffers and writes its result into a flat scratch buffer, and each parameter adds its
view of it. The operations and their operands are those of the per-parameter update,
element by element, so the results are the same bit for bit.

Something that rebinds a state tensor to other data (``load_state_dict``, an assignment
into ``optimizer.state``, an in-place write that cannot write in place) breaks the
layout: ``current`` says so, and the optimizer's guard traces the step again, which lays
the state out anew from its current values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .._core._tensor import Tensor, _make


class FlatState:
    """The named state of ``params`` (all of one dtype and device) in flat buffers.

    ``states`` are the parameters' state dicts; a missing entry starts at zeros, as
    Adam's first step makes it. ``backend`` is the real backend of the parameters."""

    def __init__(
        self,
        backend: Any,
        params: list[Tensor],
        states: list[dict[str, Any]],
        names: tuple[str, ...],
    ) -> None:
        xp = backend.xp
        data = params[0]._data
        dtype, device = data.dtype, backend.device_of(data)
        self.params = params
        self.names = names
        shapes = [tuple(p.shape) for p in params]
        ends = [0]
        for shape in shapes:
            ends.append(ends[-1] + math.prod(shape))

        def flat(name: str | None) -> Any:
            if name is None or name not in states[0]:  # a first step: zeros
                return xp.zeros((ends[-1],), dtype=dtype, device=device)
            return xp.concat([xp.reshape(state[name]._data, (-1,)) for state in states])

        def views(buffer: Any) -> list[Any]:
            parts = zip(ends[:-1], ends[1:], shapes)
            return [xp.reshape(buffer[a:b], shape) for a, b, shape in parts]

        self.buffers: dict[str, Tensor] = {}
        #: Per parameter, (name, view) of each of its state tensors' data.
        self.views: list[list[tuple[str, Any]]] = [[] for _ in params]
        for name in names:
            buffer = flat(name)
            self.buffers[name] = _make(buffer, backend)
            for state, view, mine in zip(states, views(buffer), self.views):
                mine.append((name, view))
                if name in state:  # the same values, now in the flat buffer
                    state[name]._data = view
                else:
                    state[name] = _make(view, backend)
        #: Where the update is written, and each parameter's part of it.
        self.update = _make(flat(None), backend)
        self.update_parts = [_make(v, backend) for v in views(self.update._data)]

    def current(self, state: Mapping[Tensor, dict[str, Any]], same: str) -> bool:
        """Whether every parameter's state tensors in ``state`` are still the views, and
        its entry ``same`` (Adam's step count) equals the first parameter's."""
        first = state.get(self.params[0], {}).get(same)
        for param, views in zip(self.params, self.views):
            entries = state.get(param)
            if entries is None or entries.get(same) != first:
                return False
            for name, view in views:
                tensor = entries.get(name)
                if tensor is None or tensor._data is not view:
                    return False
        return True

    def bind(self, tracing: Any) -> None:
        """Make the flat buffers and the update's parts inputs of the trace."""
        for tensor in (*self.buffers.values(), self.update, *self.update_parts):
            tracing.bind(tensor)

    def bound_to(self, backend: Any) -> bool:
        """Whether this layout is bound to the trace of ``backend`` (a tracing adapter)."""
        return self.update._backend is backend


def can_flatten(
    backend: Any, params: list[Tensor], states: list[dict[str, Any]], names: tuple[str, ...]
) -> bool:
    """Whether ``params`` (tracing) can share flat buffers: two or more, of one real
    floating dtype and one device, on a library that writes through views, with no state
    tensors yet or exactly ``names``, each of its parameter's shape and dtype and shared
    with no other tensor."""
    if len(params) < 2 or not backend.real.mutable:
        return False
    first = params[0]
    dtype, device = first._data.dtype, backend.device_of(first._data)
    keys = _tensor_keys(states[0])
    if not first.dtype.is_floating_point or keys and keys != set(names):
        return False
    for param, state in zip(params, states):
        if _tensor_keys(state) != keys:
            return False
        data = param._data
        if data.dtype != dtype or backend.device_of(data) != device:
            return False
        for value in state.values():
            if isinstance(value, Tensor) and not (
                value._backend is backend.real
                and len(value._vc) == 2
                and tuple(value.shape) == tuple(param.shape)
                and value._data.dtype == dtype
            ):
                return False
    return True


def _tensor_keys(state: dict[str, Any]) -> set[str]:
    return {key for key, value in state.items() if isinstance(value, Tensor)}
