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

from ._grad_mode import _grad_enabled
from ._tensor import Tensor

LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation."


def check_inplace(t: Tensor) -> None:
    """torch's refusal to modify a leaf that requires grad while recording."""
    if t._requires_grad and t._grad_fn is None and _grad_enabled.get():
        raise RuntimeError(LEAF_MESSAGE)


def register_alias(original: Tensor, alias: Tensor, share_version: bool = True) -> None:
    """Remember that ``alias`` shares ``original``'s buffer (for rebinding on write).

    ``detach()`` also shares the version counter; ``.data`` (``share_version=False``)
    gets its own, as in torch, but is still rebound with the buffer.
    """
    vc = original._vc
    if len(vc) == 2:
        vc.append([weakref.ref(original)])
    group = vc[2]
    size = len(group)
    if size >= 16 and size & (size - 1) == 0:  # drop dead aliases now and then (p.data in loops)
        group[:] = [ref for ref in group if ref() is not None]
    group.append(weakref.ref(alias))
    alias._vc = vc if share_version else [0, -1, group]


def write(t: Tensor, new: Any) -> None:
    """Put ``new`` into ``t``: in the same buffer when that is safe, else rebind."""
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
    if backend.mutable and vc[1] != vc[0] and new is not data:
        try:
            data[...] = new
            vc[0] += 1
            return
        except (TypeError, ValueError):
            pass  # a read-only or scalar buffer: rebind below
    if len(vc) > 2:
        for ref in vc[2]:
            alias = ref()
            if alias is not None and alias._data is data:
                alias._data = new
    t._data = new
    vc[0] += 1


def commit_inplace(t: Tensor, result: Tensor) -> Tensor:
    """Finish an in-place op on ``t`` whose out-of-place ``result`` was just recorded."""
    write(t, result._data)
    if result._grad_fn is not None:
        t._grad_fn = result._grad_fn
        t._output_nr = result._output_nr
        t._requires_grad = True
    return t


def inplace(t: Any, op: Any, *args: Any) -> Any:  # t: a Tensor (Any: called from its mixins)
    """Run ``op(t, *args)`` out of place, then commit it into ``t``."""
    check_inplace(t)
    return commit_inplace(t, op(t, *args))
