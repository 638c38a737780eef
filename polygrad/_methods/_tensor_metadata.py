"""What a ``Tensor`` is, without computing on it: ``x.shape``, ``x.dtype``, ``x.device``,
``x.ndim``, ``x.backend``, ``x.size`` (an int that is also torch's ``x.size()``),
``x.numel()``, ``x.dim()``, ``len(x)`` and ``repr(x)``.
"""

from __future__ import annotations

from typing import Any

from .._core import _dtypes
from .._core._size import CallableSize, Size
from ._format import tensor_repr


class TensorMetadata:
    __slots__ = ()

    _data: Any  # the slots of ``Tensor``
    _backend: Any

    # -- metadata ------------------------------------------------------------------------

    @property
    def shape(self) -> Any:
        return Size(self._data.shape)

    @property
    def dtype(self) -> _dtypes.DType:
        return self._backend.pg_dtype(self._data.dtype)

    @property
    def device(self) -> Any:
        return self._backend.device_of(self._data)

    @property
    def ndim(self) -> int:
        return len(self._data.shape)

    @property
    def backend(self) -> str:
        """Name of the array library holding the data (``"numpy"``, ``"torch"``...)."""
        return self._backend.name

    @property
    def size(self) -> Any:
        """The element count as an int (array API) that is also callable (torch).

        ``x.size == 12`` and ``x.size * 2`` treat it as the standard's int attribute;
        ``x.size()`` returns the shape and ``x.size(0)`` one dimension, as in torch.
        """
        return CallableSize(self._data.shape)

    def numel(self) -> int:
        from math import prod

        return prod(self._data.shape)

    def dim(self) -> int:
        return self.ndim

    def __len__(self) -> int:
        shape = self._data.shape
        if not shape:
            raise TypeError("len() of a 0-d tensor")
        return shape[0]

    def __repr__(self) -> str:
        return tensor_repr(self)
