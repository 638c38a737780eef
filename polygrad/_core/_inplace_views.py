"""In-place view ops: ``x.t_()``, ``x.transpose_(0, 1)``, ``x.squeeze_()``,
``x.unsqueeze_(0)``, ``x.as_strided_(...)`` change ``x``'s own shape, not its data.

As in torch, such an op is recorded like its out-of-place view (``x.grad_fn`` becomes
``TBackward0``, ``SqueezeBackward1``... whose edge is ``x``'s old history), bumps the
version counter (so views of ``x`` made before take their history from their base
again) and refuses a leaf that requires grad. Tensors sharing ``x``'s data keep their
own shapes: ``x`` gets the view's path from the shared data, and a view of ``x`` made
before reaches ``x``'s new shape through ``_view_steps.Undo`` (``_views._relative_path``).
"""

from __future__ import annotations

import math
from typing import Any

from . import _callbacks
from ._storage import Storage, path_of, storage_of
from ._tensor import Tensor
from ._view_steps import Index, Reshape, Step, get_path
from ._views import rebase_history


def commit_view_inplace(t: Tensor, result: Tensor, had_storage: bool) -> Tensor:
    """Make ``t`` show ``result`` (a view of ``t`` just recorded) in place of its old shape.

    ``had_storage``: whether ``t`` shared its data before the op (else the record of
    sharing that making ``result`` started is dropped, and ``t`` stays a plain tensor).
    """
    vc = t._vc
    t._data = result._data
    if had_storage:
        t._get_extra().path = path_of(result)
        storage = vc[2]
        storage.members = [ref for ref in storage.members if ref() is not result]
    else:
        del vc[2:]
    if _callbacks.forward_ad is not None:  # forward AD: t takes over result's tangent
        _callbacks.forward_ad._commit_tangent(t, result)
    node = result._grad_fn
    if node is not None and result._requires_grad:
        t._grad_fn = node
        t._output_nr = result._output_nr
        t._requires_grad = True
    _bump(t, had_storage)
    return t


def _bump(t: Tensor, shared: bool) -> None:
    """Count the in-place op; views of the same data then take their history anew."""
    vc = t._vc
    vc[0] += 1
    if shared:
        for ref in vc[2].members:
            member = ref()
            if member is not None and member is not t and member._vc is vc:
                rebase_history(member)


def storage_positions(t: Tensor) -> Any:
    """Where each of ``t``'s elements sits in the data it shares, counted in elements from
    its start (an integer array of ``t``'s shape), or None when ``t`` shares no data."""
    path = path_of(t)
    if not path or len(t._vc) < 3:
        return None
    data = t._vc[2].data
    backend = t._backend
    xp = backend.xp
    shape = tuple(data.shape)
    device = backend.device_of(data)
    return get_path(xp, xp.reshape(xp.arange(math.prod(shape), device=device), shape), path)


def storage_offset(t: Tensor) -> int:
    """Where ``t``'s first element sits in the data it shares, counted in elements
    (torch's ``storage_offset()``; 0 for a tensor that shares none)."""
    positions = storage_positions(t)
    if positions is None or 0 in tuple(positions.shape):
        return 0
    return int(positions[(0,) * positions.ndim])


def flatten_shared(t: Tensor, needed: int) -> Storage:
    """Make the data ``t`` shares (starting to share it if it did not) 1-D with at least
    ``needed`` elements, zeros past the old ones (torch grows a storage so, its new
    elements uninitialized): every tensor sharing it reaches its part the same way."""
    storage = storage_of(t)
    data = storage.data
    backend = t._backend
    xp = backend.xp
    shape = tuple(data.shape)
    count = math.prod(shape)
    if len(shape) == 1 and count >= needed:
        return storage
    flat = xp.reshape(data, (-1,))
    if needed > count:
        pad = xp.zeros((needed - count,), dtype=flat.dtype, device=backend.device_of(flat))
        flat = xp.concat([flat, pad])
    prefix: tuple[Step, ...] = (Index((slice(0, count),)), Reshape(shape))
    storage.data = flat
    for ref in storage.members:
        member = ref()
        if member is not None and len(member._vc) > 2 and member._vc[2] is storage:
            member._get_extra().path = prefix + path_of(member)
            member._data = get_path(xp, flat, member._extra.path)  # type: ignore[union-attr]
    return storage


def set_shared_path(t: Tensor, path: tuple[Step, ...], recorded: Any = None) -> Tensor:
    """``t`` (sharing 1-D data: ``flatten_shared``) shows that data through ``path`` from
    now on (``resize_``, ``as_strided_``); ``recorded``: the op's out-of-place result,
    whose history ``t`` takes."""
    t._get_extra().path = path
    t._data = get_path(t._backend.xp, t._vc[2].data, path)
    if recorded is not None and recorded._requires_grad and recorded._grad_fn is not None:
        t._grad_fn = recorded._grad_fn
        t._output_nr = recorded._output_nr
        t._requires_grad = True
    _bump(t, True)
    return t
