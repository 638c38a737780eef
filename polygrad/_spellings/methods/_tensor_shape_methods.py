"""Torch-style shape methods and indexing of ``Tensor``: ``x[i]``, ``x[mask] = v``,
``x.reshape(2, 3)``, ``x.view(-1)``, ``x.permute(1, 0)``, ``x.T``, ``x.squeeze()``,
``x.unsqueeze(0)``, ``x.expand(4, 3)``, ``x.split(2)``, ``x.chunk(3)``, ``x.unbind()``...

Every method forwards to the one function that implements the op (``pg.reshape``,
``pg.permute_dims``...), so a method and its function always record the same node.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

from ... import ops
from ..._core._tensor import Tensor


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
    def __getitem__(self, key: Any) -> Tensor:
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

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):  # type: ignore[arg-type]
            yield self[i]

    # -- torch-style shape methods --------------------------------------------------------
    def reshape(self, *shape: Any) -> Tensor:
        """A tensor with the same data in shape ``*shape`` (one entry may be -1); torch's
        ``x.reshape()``/``x.view()``,."""
        return ops.reshape(self, _shape_from(shape))

    view = reshape

    def view_as(self, other: Any) -> Tensor:
        """``self.reshape(other.shape)`` (torch's ``x.view_as(other)``)."""
        return ops.reshape(self, tuple(other.shape))

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Dimensions ``start_dim`` to ``end_dim`` merged into one (torch's ``x.flatten()``)."""
        shape = tuple(self.shape)  # type: ignore[attr-defined]
        if not shape:
            return ops.reshape(self, (1,))
        start, end = start_dim % len(shape), end_dim % len(shape)
        if start > end:
            raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
        if start == end:
            return cast(Tensor, self)
        return ops.reshape(self, shape[:start] + (-1,) + shape[end + 1 :])

    def permute(self, *dims: Any) -> Tensor:
        """The dimensions reordered as ``*dims`` (torch's ``x.permute()``; ``pg.permute_dims``)."""
        return ops.permute_dims(self, _shape_from(dims))

    def transpose(self, dim0: int, dim1: int) -> Tensor:
        """Dimensions ``dim0`` and ``dim1`` swapped (torch's ``x.transpose()``)."""
        return ops.transpose(self, dim0, dim1)

    def t(self) -> Tensor:
        """The transpose of a tensor of at most 2 dimensions (torch's ``x.t()``)."""
        return ops.t(self)

    @property
    def T(self) -> Tensor:
        # PermuteBackward0 at every rank, as torch records it (``x.t()`` is TBackward0)
        """The dimensions reversed (torch's ``x.T``)."""
        return ops.permute_dims(self, tuple(reversed(range(self.ndim))))  # type: ignore[attr-defined]

    @property
    def mT(self) -> Tensor:
        """The last two dimensions swapped (torch's and the standard's ``x.mT``)."""
        return ops.matrix_transpose(self)

    @property
    def mH(self: Any) -> Tensor:
        """The last two dimensions swapped and conjugated (torch's ``x.mH``, the adjoint
        of each matrix)."""
        if self.ndim < 2:
            raise RuntimeError(
                "tensor.mH is only supported on matrices or batches of matrices. "
                f"Got {self.ndim}-D tensor."
            )
        return _conjugated(ops.matrix_transpose(self))

    @property
    def H(self: Any) -> Tensor:
        """The conjugate transpose of a matrix (torch's ``x.H``; a 0-d tensor's conjugate)."""
        if self.ndim == 0:
            return _conjugated(self)
        if self.ndim != 2:
            hint = " For batches of matrices, consider using tensor.mH" if self.ndim > 2 else ""
            raise RuntimeError(
                "tensor.H is only supported on matrices (2-D tensors). "
                f"Got {self.ndim}-D tensor.{hint}"
            )
        return _conjugated(ops.matrix_transpose(self))

    def squeeze(self, dim: Any = None) -> Tensor:
        """Size-1 dimensions removed (all, or ``dim``'s when it has size 1), as torch's
        ``x.squeeze()``."""
        return ops.squeeze(self, _dims(dim))

    def unsqueeze(self, dim: int) -> Tensor:
        """A new size-1 dimension at ``dim`` (torch's ``x.unsqueeze()``; ``pg.expand_dims``)."""
        return ops.expand_dims(self, axis=dim)

    def expand(self, *sizes: Any) -> Tensor:
        """A broadcast view to ``*sizes`` (-1 keeps a size), as torch's ``x.expand()``."""
        return ops.broadcast_to(self, _shape_from(sizes))

    def broadcast_to(self, shape: Any) -> Tensor:
        """This tensor broadcast to ``shape`` (torch's ``x.broadcast_to()``)."""
        return ops.broadcast_to(self, shape)

    def expand_as(self, other: Any) -> Tensor:
        """``self.expand(other.shape)`` (torch's ``x.expand_as(other)``)."""
        return ops.broadcast_to(self, tuple(other.shape))

    def split(self, split_size_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """A tuple of pieces along ``dim``: of size ``split_size_or_sections``, or of the sizes it
        lists (torch's ``x.split()``)."""
        return ops.split(self, split_size_or_sections, dim)

    def chunk(self, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """A tuple of ``chunks`` nearly equal pieces along ``dim`` (torch's ``x.chunk()``)."""
        return ops.chunk(self, chunks, dim)

    def unbind(self, dim: int = 0) -> tuple[Tensor, ...]:
        """A tuple of the slices along ``dim``, that dimension removed (torch's ``x.unbind()``)."""
        return ops.unbind(self, dim)


def _conjugated(x: Tensor) -> Tensor:
    """``x`` conjugated when complex (a real tensor is its own conjugate, unrecorded)."""
    return ops.conj(x) if x.dtype.kind == "complex floating" else x
