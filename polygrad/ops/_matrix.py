"""Small helpers the matrix rules share: the conjugate transpose, and constant masks
(identity, triangles) built on the backend as plain arrays, so rules can mix them
with gradients in both raw and recorded mode without the masks joining the graph.
"""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._tensor import Tensor
from ._support import conj


def mH(xp: Any, a: Any) -> Any:
    """The conjugate transpose of the last two axes."""
    return xp.matrix_transpose(conj(xp, a))


def _device(node: Node, like: Any) -> Any:
    return like.device if isinstance(like, Tensor) else node._backend.device_of(like)


def grid(node: Node, like: Any, rows: int, cols: int | None = None) -> tuple[Any, Any]:
    """Row and column index arrays of shape (rows, 1) and (1, cols), on ``like``'s device."""
    raw = node._backend.xp
    device = _device(node, like)
    cols = rows if cols is None else cols
    return (
        raw.reshape(raw.arange(rows, device=device), (rows, 1)),
        raw.reshape(raw.arange(cols, device=device), (1, cols)),
    )


def eye_mask(node: Node, like: Any, n: int) -> Any:
    """A boolean (n, n) identity."""
    i, j = grid(node, like, n)
    return i == j


def lower_mask(node: Node, like: Any, n: int, strict: bool = False) -> Any:
    """A boolean (n, n) lower triangle (below the diagonal only when ``strict``)."""
    i, j = grid(node, like, n)
    return i > j if strict else i >= j


def diag_embed(xp: Any, eye: Any, values: Any, off_diagonal: Any) -> Any:
    """``off_diagonal`` with its diagonal replaced by ``values`` (the last axis)."""
    return xp.where(eye, xp.expand_dims(values, axis=-2), off_diagonal)


def column(xp: Any, v: Any) -> Any:
    """``v[..., :, None]``."""
    return xp.expand_dims(v, axis=-1)


def row(xp: Any, v: Any) -> Any:
    """``v[..., None, :]``."""
    return xp.expand_dims(v, axis=-2)
