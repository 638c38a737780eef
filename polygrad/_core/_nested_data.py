"""Nested Python lists as tensors: where they are not rectangular, torch's words say so.

``pg.tensor([[1.0, 2.0], [3.0]])`` raises torch's "expected sequence of length 2 at dim 1
(got 1)" on every backend, instead of each library's own message.
"""

from __future__ import annotations

from typing import Any


def check_rectangular(data: list[Any] | tuple[Any, ...]) -> None:
    """Raise torch's error where nested data is not rectangular; return if it is."""
    _check_nesting(data, _nested_lengths(data), 0)


def _nested_lengths(data: Any) -> list[int]:
    """The shape nested Python data promises: the lengths along its first elements."""
    lengths = []
    while isinstance(data, (list, tuple)):
        lengths.append(len(data))
        data = data[0] if data else None
    return lengths


def _check_nesting(data: Any, lengths: list[int], dim: int) -> None:
    """Raise torch's error where nested data is not rectangular."""
    if dim == len(lengths):
        if isinstance(data, (list, tuple)):
            raise TypeError(f"must be real number, not {type(data).__name__}")
        return
    if not isinstance(data, (list, tuple)):
        raise TypeError("not a sequence")
    if len(data) != lengths[dim]:
        raise ValueError(
            f"expected sequence of length {lengths[dim]} at dim {dim} (got {len(data)})"
        )
    for item in data:
        _check_nesting(item, lengths, dim + 1)
