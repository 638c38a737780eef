"""torch's strided windows and real/complex reinterpretations over polygrad's ops:
``x.unfold(0, 3, 1)`` (sliding windows), ``x.as_strided((2, 2), (1, 2))`` and
``pg.view_as_real(z)`` / ``pg.view_as_complex(x)``.

Each of these is a copy that reads the positions the view would (through ``take``: the
gradient adds up where windows overlap, as torch's ``as_strided_backward`` does).
``as_strided`` reads the data the input shares with its base (torch's storage), or the
input's contiguous, row-major layout when it shares none.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from ... import ops
from ..._core._inplace_views import storage_offset as _storage_offset
from ..._core._inplace_views import storage_positions
from ..._core._tensor import Tensor, _make


def _axis(dim: Any, ndim: int) -> int:
    dim = operator.index(dim)
    if not -max(ndim, 1) <= dim < max(ndim, 1):
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-max(ndim, 1)}, "
            f"{max(ndim, 1) - 1}], but got {dim})"
        )
    return dim % max(ndim, 1)


def _itemsize(dtype: Any) -> int:
    """Bytes per element (torch names sizes in bytes in its storage errors)."""
    bits = "".join(c for c in dtype.name if c.isdigit())
    return int(bits) // 8 if bits else 1


class WindowMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def unfold(self: Any, dimension: int, size: int, step: int) -> Tensor:
        """Every window of ``size`` elements along ``dimension``, ``step`` apart, as a new
        last axis (torch's ``x.unfold()``)."""
        axis = _axis(dimension, self.ndim)
        length = self.shape[axis] if self.ndim else 1
        if size > length:
            raise RuntimeError(
                f"maximum size for tensor at dimension {axis} is {length} but size is {size}"
            )
        if step <= 0:
            raise RuntimeError(f"step is {step} but must be > 0")
        if self.ndim == 0:
            return ops.reshape(self, (size,))
        xp = self._backend.xp
        device = self._backend.device_of(self._data)
        count = (length - size) // step + 1
        starts = xp.arange(count, device=device) * step
        positions = xp.reshape(starts[:, None] + xp.arange(size, device=device)[None, :], (-1,))
        taken = ops.take(self, _make(positions, self._backend), axis=axis)
        shape = tuple(self.shape)
        windows = ops.reshape(taken, shape[:axis] + (count, size) + shape[axis + 1 :])
        return ops.moveaxis(windows, axis + 1, -1)

    def as_strided(self: Any, size: Any, stride: Any, storage_offset: int | None = None) -> Tensor:
        """The elements a strided view of ``size`` and ``stride`` (in elements, from
        ``storage_offset``, by default this tensor's own) would see in the data this tensor
        shares with its base (its own contiguous layout when it shares none), as a copy
        (torch's ``x.as_strided()``). Gradients reach this tensor's own elements; elements
        of the shared data outside it are read as constants, as in torch."""
        owned = storage_positions(self)
        if owned is None:
            size, positions = _strided_positions(self, size, stride, storage_offset, self.numel())
            taken = ops.take(ops.reshape(self, (-1,)), positions)
            return ops.reshape(taken, size)
        xp = self._backend.xp
        shared = xp.reshape(self._vc[2].data, (-1,))
        offset = _storage_offset(self) if storage_offset is None else storage_offset
        size, positions = _strided_positions(self, size, stride, offset, shared.shape[0])
        wanted = positions._data
        others = _make(xp.take(shared, wanted), self._backend)
        if self.numel() == 0:
            return ops.reshape(others, size)
        # which of this tensor's elements holds each wanted position (a sorted lookup)
        owned = xp.reshape(owned, (-1,))
        order = xp.argsort(owned)
        ordered = xp.take(owned, order)
        slot = xp.clip(xp.searchsorted(ordered, wanted), 0, ordered.shape[0] - 1)
        found = xp.take(ordered, slot) == wanted
        mine = ops.take(ops.reshape(self, (-1,)), _make(xp.take(order, slot), self._backend))
        return ops.reshape(ops.where(_make(found, self._backend), mine, others), size)

    def as_strided_scatter(
        self: Any, src: Any, size: Any, stride: Any, storage_offset: int | None = None
    ) -> Tensor:
        """A copy of ``self`` whose elements at a strided view's positions (``size``,
        ``stride``, ``storage_offset`` over its contiguous layout) hold ``src`` (torch's
        ``x.as_strided_scatter()``)."""
        size, positions = _strided_positions(self, size, stride, storage_offset, self.numel())
        if tuple(src.shape) != size:
            raise RuntimeError(
                f"expected src to have a size equal to the slice of self. src size = "
                f"{list(src.shape)}, slice size = {list(size)}"
            )
        return ops.clone(self).put(positions, src)


def _strided_positions(
    x: Any, size: Any, stride: Any, storage_offset: int | None, numel: int
) -> tuple[tuple[int, ...], Tensor]:
    """``size`` and the flat positions of a strided view in a storage of ``numel`` of
    ``x``'s elements (torch's checks: lengths, signs, and the storage's bounds)."""
    size, stride = tuple(size), tuple(stride)
    offset = 0 if storage_offset is None else storage_offset
    check_strided(size, stride, offset, numel, x.dtype)
    xp = x._backend.xp
    device = x._backend.device_of(x._data)
    positions = xp.full(size, offset, device=device)
    for axis, (n, step) in enumerate(zip(size, stride)):
        shape = [1] * len(size)
        shape[axis] = n
        positions = positions + xp.reshape(xp.arange(n, device=device) * step, tuple(shape))
    return size, _make(xp.reshape(positions, (-1,)), x._backend)


def check_strided(
    size: tuple[int, ...], stride: tuple[int, ...], offset: int, numel: int, dtype: Any
) -> None:
    """torch's checks of a strided view over a storage of ``numel`` elements: as many
    strides as sizes, none negative, and every element inside the storage."""
    if len(size) != len(stride):
        raise RuntimeError(
            f"mismatch in length of strides and shape: {len(stride)} and {len(size)}"
        )
    if any(s < 0 for s in stride):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment")
    itemsize = _itemsize(dtype)
    reach = offset + sum((n - 1) * s for n, s in zip(size, stride)) + 1
    if 0 not in size and reach > numel:
        raise RuntimeError(
            f"setStorage: sizes {list(size)}, strides {list(stride)}, storage offset "
            f"{offset}, and itemsize {itemsize} requiring a storage size of "
            f"{reach * itemsize} are out of bounds for storage of size "
            f"{numel * itemsize}"
        )


def as_strided_copy(
    input: Any,  # noqa: A002 - torch's name
    size: Any,
    stride: Any,
    storage_offset: int | None = None,
) -> Tensor:
    """``input.as_strided(size, stride, storage_offset)`` as a new tensor (torch's
    ``torch.as_strided_copy``)."""
    return ops.clone(WindowMethods.as_strided(input, size, stride, storage_offset))


def view_as_real(input: Any) -> Tensor:  # noqa: A002 - torch's name
    """A complex tensor as real numbers with a last axis of (real, imaginary) (torch's
    ``view_as_real``, as a copy)."""
    if input.dtype.kind != "complex floating":
        raise RuntimeError("view_as_real is only supported for complex tensors")
    return ops.stack([ops.real(input), ops.imag(input)], axis=-1)


def view_as_complex(input: Any) -> Tensor:  # noqa: A002 - torch's name
    """Real pairs along a last axis of size 2 as complex numbers (torch's
    ``view_as_complex``, as a copy)."""
    if input.dtype.name not in ("float32", "float64"):
        raise RuntimeError(
            "view_as_complex is only supported for float and double tensors, but got a "
            f"tensor of scalar type: {input.dtype.name}"
        )
    if input.ndim == 0 or input.shape[-1] != 2:
        raise RuntimeError("Tensor must have a last dimension of size 2")
    return ops.complex(input[..., 0], input[..., 1])


FUNCTIONS_WINDOWS: dict[str, Callable[..., Any]] = {
    "view_as_real": view_as_real,
    "view_as_complex": view_as_complex,
    "as_strided_copy": as_strided_copy,
}
