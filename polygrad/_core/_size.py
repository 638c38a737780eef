"""Shapes that read like torch's: ``x.shape`` is a ``Size`` and ``x.size`` an int you can call.

``x.shape`` prints as ``polygrad.Size([3, 4])`` and has ``numel()``; ``x.size`` is the
element count (the array API's int attribute) and, called like torch's method,
``x.size()`` gives the shape and ``x.size(d)`` one dimension.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, SupportsIndex


def _numel(shape: Iterable[int | None]) -> int:
    n = 1
    for d in shape:
        n *= int(d) if d is not None else 0
    return n


class Size(tuple):
    """A shape tuple, as ``torch.Size``: ints, or ``None`` for an unknown dimension."""

    def __new__(cls, dims: Iterable[Any] = ()) -> Size:
        return super().__new__(cls, (None if d is None else int(d) for d in dims))

    def numel(self) -> int:
        """The number of elements: the product of the dimensions."""
        return _numel(self)

    def __repr__(self) -> str:
        return f"polygrad.Size({list(self)!r})"

    __str__ = __repr__

    def __getitem__(self, key: Any) -> Any:
        out = super().__getitem__(key)
        return Size(out) if isinstance(key, slice) else out

    def __add__(self, other: Any) -> Size:
        return Size(tuple(self) + tuple(other))

    def __radd__(self, other: Any) -> Size:
        return Size(tuple(other) + tuple(self))

    def __mul__(self, n: SupportsIndex) -> Size:
        return Size(tuple(self) * n)

    __rmul__ = __mul__

    def __reduce__(self) -> Any:
        return (Size, (tuple(self),))


class CallableSize(int):
    """The element count as an int that, called, answers like ``torch.Tensor.size``."""

    _shape: tuple[int | None, ...]

    def __new__(cls, shape: Iterable[Any]) -> CallableSize:
        dims = tuple(None if d is None else int(d) for d in shape)
        self = super().__new__(cls, _numel(dims))
        self._shape = dims
        return self

    def __call__(self, dim: SupportsIndex | None = None) -> Any:
        if dim is None:
            return Size(self._shape)
        d, n = int(dim), len(self._shape)
        if n == 0:
            raise IndexError(f"Dimension specified as {d} but tensor has no dimensions")
        if not -n <= d < n:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-n}, {n - 1}], but got {d})"
            )
        return self._shape[d]

    def __repr__(self) -> str:
        return int.__repr__(self)

    __str__ = __repr__

    def __reduce__(self) -> Any:
        return (int, (int(self),))
