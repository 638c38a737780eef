"""In-place operations: ``add_``, ``+=``, ``x[i] = v``..., safe for saved values.

An in-place op is recorded like its out-of-place twin (so ``y.add_(1)`` makes
``y.grad_fn`` an ``AddBackward0`` whose first edge is the old node, as in torch),
then its result is written into the tensor and the version counter bumped.
When a node saved the tensor's current buffer (or the library's arrays are
immutable, as in JAX), the tensor is rebound to the new buffer instead of being
overwritten, so the node keeps the value the forward used and the gradient is
right where torch would raise. Tensors sharing the data (views, ``detach()``,
``.data``) follow the write: see ``_views``.
"""

from __future__ import annotations

from typing import Any

from . import _callbacks
from ._grad_mode import _grad_enabled
from ._node import Node
from ._tensor import Tensor
from ._views import check_writable, write_through

LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation."


def check_inplace(t: Tensor, through_view: bool = False) -> None:
    """torch's refusal to modify a leaf that requires grad while recording, directly or
    through a view of it (``x[0] = v`` writes through a view of ``x``, and torch says so)."""
    if not _grad_enabled.get():
        return
    extra = t._extra
    if extra is not None and extra.base is not None:
        if extra.base._requires_grad:
            check_writable(t)  # torch names the kind of view before the leaf
        t, through_view = extra.base, True
    if t._requires_grad and t._grad_fn is None:
        raise RuntimeError("a view of " + LEAF_MESSAGE if through_view else LEAF_MESSAGE)


def write(t: Tensor, new: Any, recorded: Node | None = None) -> None:
    """Put ``new`` into ``t``: in the same buffer when no live node saved it, else rebind.

    When ``t`` shares its data (a view, a base with views, ``detach()``, ``.data``) the
    write goes to the shared data and every tensor showing it follows (``_views``);
    ``recorded`` is then the op's node, which the base's history wraps.
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
    if len(vc) > 2:
        write_through(t, new, recorded)
        return
    if backend.mutable and vc[1] != vc[0] and new is not data:
        try:
            data[...] = new
            vc[0] += 1
            return
        except (TypeError, ValueError):
            pass  # a read-only or scalar buffer: rebind below
    t._data = backend.bounded(new)
    vc[0] += 1


def commit_inplace(t: Tensor, result: Tensor) -> Tensor:
    """Finish an in-place op on ``t`` whose out-of-place ``result`` was just recorded."""
    if _callbacks.forward_ad is not None:  # forward AD: t takes over result's tangent
        _callbacks.forward_ad._commit_tangent(t, result)
    node = result._grad_fn
    if len(t._vc) > 2:  # the data is shared: the write and its history go to the base
        if node is not None and t._extra is not None and t._extra.base is not None:
            check_writable(t)
        write(t, result._data, node)
        return t
    write(t, result._data)
    if node is not None:
        t._grad_fn = node
        t._output_nr = result._output_nr
        t._requires_grad = True
    return t


def inplace(t: Any, op: Any, *args: Any) -> Any:  # t: a Tensor (Any: called from its mixins)
    """Run ``op(t, *args)`` out of place, then commit it into ``t``."""
    check_inplace(t)
    return commit_inplace(t, op(t, *args))
