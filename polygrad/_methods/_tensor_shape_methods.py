"""Torch-style shape methods and indexing of ``Tensor``: ``x[i]``, ``x[mask] = v``,
``x.reshape(2, 3)``, ``x.view(-1)``, ``x.permute(1, 0)``, ``x.T``, ``x.squeeze()``,
``x.unsqueeze(0)``, ``x.expand(4, 3)``, ``x.split(2)``, ``x.chunk(3)``, ``x.unbind()``...

Every method forwards to the one function that implements the op (``pg.reshape``,
``pg.permute_dims``...), so a method and its function always record the same node.
"""

from __future__ import annotations

from typing import Any

from .. import ops


def _traced_mask_error(error: Exception, what: str) -> Exception | None:
    """JAX's error for a boolean mask it traces (inside ``jax.jit``, ``jax.vmap``...),
    restated with its cause and the fixed-shape alternative; None for other errors."""
    if type(error).__name__ != "NonConcreteBooleanIndexError":
        return None
    alternative = (
        "xp.where(mask, x, 0) or a sum weighted by the mask"
        if what == "x[mask]"
        else "x = xp.where(mask, value, x)"
    )
    return IndexError(
        f"polygrad: {what} with a boolean mask that JAX is tracing (inside jax.jit, "
        "jax.vmap or another JAX transformation): the result's shape would depend on the "
        "mask's values, and a traced JAX computation cannot have data-dependent shapes. "
        f"Index outside the transformation, or keep the shape fixed: {alternative}. "
        "(xp.__array_namespace_info__().capabilities()['boolean indexing'] is False while "
        "JAX traces, so array-API libraries that check it take such paths themselves.)"
    )


def _dims(dim: Any) -> Any:
    return tuple(dim) if isinstance(dim, list) else dim


def _shape_from(args: tuple[Any, ...]) -> Any:
    """torch accepts ``x.reshape(2, 3)`` and ``x.reshape((2, 3))``."""
    return args[0] if len(args) == 1 and not isinstance(args[0], int) else args


class TensorShapeMethods:
    __slots__ = ()

    # -- indexing ------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        try:
            return ops.getitem(self, key)  # type: ignore[arg-type]
        except IndexError as error:
            clearer = _traced_mask_error(error, "x[mask]")
            if clearer is None:
                raise
            raise clearer from error

    def __setitem__(self, key: Any, value: Any) -> None:
        try:
            ops.setitem(self, key, value)  # type: ignore[arg-type]
        except IndexError as error:
            clearer = _traced_mask_error(error, "x[mask] = value")
            if clearer is None:
                raise
            raise clearer from error

    def __iter__(self) -> Any:
        for i in range(len(self)):  # type: ignore[arg-type]
            yield self[i]

    # -- torch-style shape methods --------------------------------------------------------
    def reshape(self, *shape: Any) -> Any:
        return ops.reshape(self, _shape_from(shape))

    view = reshape

    def view_as(self, other: Any) -> Any:
        return ops.reshape(self, tuple(other.shape))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Any:
        shape = tuple(self.shape)  # type: ignore[attr-defined]
        if not shape:
            return ops.reshape(self, (1,))
        start, end = start_dim % len(shape), end_dim % len(shape)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if start == end:
            return self
        return ops.reshape(self, shape[:start] + (-1,) + shape[end + 1 :])

    def permute(self, *dims: Any) -> Any:
        return ops.permute_dims(self, _shape_from(dims))

    def transpose(self, dim0: int, dim1: int) -> Any:
        return ops.transpose(self, dim0, dim1)

    def t(self) -> Any:
        return ops.t(self)

    @property
    def T(self) -> Any:
        # PermuteBackward0 at every rank, as torch records it (``x.t()`` is TBackward0)
        return ops.permute_dims(self, tuple(reversed(range(self.ndim))))  # type: ignore[attr-defined]

    @property
    def mT(self) -> Any:
        return ops.matrix_transpose(self)

    def squeeze(self, dim: Any = None) -> Any:
        return ops.squeeze(self, _dims(dim))

    def unsqueeze(self, dim: int) -> Any:
        return ops.expand_dims(self, axis=dim)

    def expand(self, *sizes: Any) -> Any:
        return ops.broadcast_to(self, _shape_from(sizes))

    def broadcast_to(self, shape: Any) -> Any:
        return ops.broadcast_to(self, shape)

    def expand_as(self, other: Any) -> Any:
        return ops.broadcast_to(self, tuple(other.shape))

    def split(self, split_size_or_sections: Any, dim: int = 0) -> Any:
        return ops.split(self, split_size_or_sections, dim)

    def chunk(self, chunks: int, dim: int = 0) -> Any:
        return ops.chunk(self, chunks, dim)

    def unbind(self, dim: int = 0) -> Any:
        return ops.unbind(self, dim)
