"""What a ``Tensor`` is: ``x.shape``, ``x.dtype``, ``x.device``,
``x.ndim``, ``x.backend``, ``x.size`` (an int that is also torch's ``x.size()``),
``x.numel()``, ``x.dim()``, ``len(x)`` and ``repr(x)``. Sizes a lazy backend knows only
after computing (Dask, after a boolean mask) are computed when asked for.
"""

from __future__ import annotations

from math import prod
from typing import Any

from ..._core import _dtypes
from ..._core._size import CallableSize, Size
from ._format import tensor_repr


class TensorMetadata:
    __slots__ = ()

    _data: Any  # the slots of ``Tensor``
    _backend: Any

    # -- metadata ------------------------------------------------------------------------

    def _known_shape(self) -> tuple[int, ...]:
        """The data's shape; sizes that depend on values (Dask after a boolean mask) are
        computed here, since asking for a size is asking for that computation."""
        backend = self._backend
        return (backend.sized(self._data) if backend.lazy else self._data).shape

    @property
    def shape(self) -> Size:
        """The shape as a ``polygrad.Size`` (a tuple of ints, like ``torch.Size``)."""
        return Size(self._known_shape())

    @property
    def dtype(self) -> _dtypes.DType:
        """The data type, a polygrad dtype such as ``pg.float32`` (see docs/differences.md)."""
        return self._backend.pg_dtype(self._data.dtype)

    @property
    def device(self) -> Any:
        """The device of the data, as the backend names it (``'cpu'``, a torch or JAX device...)."""
        return self._backend.device_of(self._data)

    @property
    def ndim(self) -> int:
        """The number of dimensions (torch's and the standard's ``x.ndim``)."""
        return len(self._data.shape)

    @property
    def backend(self) -> str:
        """Name of the array library holding the data (``"numpy"``, ``"torch"``...)."""
        return self._backend.name

    @property
    def size(self) -> CallableSize:
        """The element count as an int (array API) that is also callable (torch).

        ``x.size == 12`` and ``x.size * 2`` treat it as the standard's int attribute;
        ``x.size()`` returns the shape and ``x.size(0)`` one dimension, as in torch.
        """
        return CallableSize(self._known_shape())

    def numel(self) -> int:
        """The number of elements (torch's ``x.numel()``)."""
        return prod(self._known_shape())

    def dim(self) -> int:
        """The number of dimensions (torch's ``x.dim()``)."""
        return self.ndim

    def __len__(self) -> int:
        shape = self._known_shape()
        if not shape:
            raise TypeError("len() of a 0-d tensor")
        return shape[0]

    def __repr__(self) -> str:
        return tensor_repr(self)
