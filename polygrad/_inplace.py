"""In-place operations: ``add_``, ``+=``, ``x[i] = v``..., safe for saved values.

An in-place op is recorded like its out-of-place twin (so ``y.add_(1)`` makes
``y.grad_fn`` an ``AddBackward0`` whose first edge is the old node, as in torch),
then its result is written into the tensor and the version counter bumped.
When a node saved the tensor's current buffer (or the library's arrays are
immutable, as in JAX), the tensor is rebound to the new buffer instead of being
overwritten, so the node keeps the value the forward used and the gradient is
right where torch would raise. Tensors sharing the buffer through ``detach()`` are
rebound with it.
"""

from __future__ import annotations

import weakref
from typing import Any

from . import _record
from ._grad_mode import _grad_enabled
from ._tensor import Tensor

LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation."


def check_inplace(t: Tensor, through_view: bool = False) -> None:
    """torch's refusal to modify a leaf that requires grad while recording (``x[0] = v``
    writes through a view of the leaf, and torch says so)."""
    if t._requires_grad and t._grad_fn is None and _grad_enabled.get():
        raise RuntimeError("a view of " + LEAF_MESSAGE if through_view else LEAF_MESSAGE)


def share_version(base: Tensor, view: Tensor) -> None:
    """A view (``x[0]``, ``x.reshape(...)``, ``x.T``...) shares its base's version counter,
    as in torch: a value saved through either is protected from writes through both.

    The third slot marks the buffer as shared, so a recorded in-place write copies
    instead of changing the other tensors' values behind their graph (see ``write``).
    """
    vc = base._vc
    if len(vc) == 2:
        vc.append(None)  # shared; the alias list (for detach/.data rebinding) comes later
    view._vc = vc


def register_alias(original: Tensor, alias: Tensor, share_version: bool = True) -> None:
    """Remember that ``alias`` shares ``original``'s buffer (for rebinding on write).

    ``detach()`` also shares the version counter; ``.data`` (``share_version=False``)
    gets its own, as in torch, but is still rebound with the buffer.
    """
    vc = original._vc
    if len(vc) == 2:
        vc.append([weakref.ref(original)])
    elif vc[2] is None:  # shared with views only so far
        vc[2] = [weakref.ref(original)]
    group = vc[2]
    size = len(group)
    if size >= 16 and size & (size - 1) == 0:  # drop dead aliases now and then (p.data in loops)
        group[:] = [ref for ref in group if ref() is not None]
    group.append(weakref.ref(alias))
    alias._vc = vc if share_version else [0, -1, group]


def write(t: Tensor, new: Any, recorded: bool = False) -> None:
    """Put ``new`` into ``t``: in the same buffer when that is safe, else rebind.

    Safe means: no live node saved the buffer, and, for a write the graph records,
    no view or alias shares it (their values would change behind their graph; after
    the write they keep what they had). Unrecorded writes (``no_grad``, plain tensors,
    ``.data``, ``detach()``) go through to every alias, as in torch.
    """
    data = t._data
    backend = t._backend
    if tuple(new.shape) != tuple(data.shape):
        raise RuntimeError(
            f"output with shape {list(data.shape)} doesn't match the broadcast shape "
            f"{list(new.shape)}"
        )
    if new.dtype != data.dtype:
        new = backend.xp.astype(new, data.dtype)
    vc = t._vc
    if backend.mutable and vc[1] != vc[0] and new is not data and not (recorded and len(vc) > 2):
        try:
            data[...] = new
            vc[0] += 1
            return
        except (TypeError, ValueError):
            pass  # a read-only or scalar buffer: rebind below
    if len(vc) > 2 and vc[2]:
        for ref in vc[2]:
            alias = ref()
            if alias is not None and alias._data is data:
                alias._data = new
    t._data = new
    vc[0] += 1


def commit_inplace(t: Tensor, result: Tensor) -> Tensor:
    """Finish an in-place op on ``t`` whose out-of-place ``result`` was just recorded."""
    if _record._dual_hook is not None:  # forward AD: t takes over result's tangent
        from .autograd.forward_ad import _commit_tangent

        _commit_tangent(t, result)
    write(t, result._data, result._grad_fn is not None)
    if result._grad_fn is not None:
        t._grad_fn = result._grad_fn
        t._output_nr = result._output_nr
        t._requires_grad = True
    return t


def inplace(t: Any, op: Any, *args: Any) -> Any:  # t: a Tensor (Any: called from its mixins)
    """Run ``op(t, *args)`` out of place, then commit it into ``t``."""
    check_inplace(t)
    return commit_inplace(t, op(t, *args))
