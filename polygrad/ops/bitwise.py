"""Bitwise operations on integer and boolean tensors (``& | ^ ~ << >>``). Their inputs cannot require grad, so nothing is ever recorded.

Python numbers are accepted on either side, as the standard allows.
"""

from __future__ import annotations

from typing import Any

from .._core._record import binary_operands, operand
from .._core._tensor import Tensor, _make
from ._support import scalar_array


def _bitwise(name: str, x1: Any, x2: Any) -> Tensor:
    a, b, backend, ta, tb = binary_operands(x1, x2)
    if ta is None:
        a = scalar_array(backend, a, b)
    elif tb is None:
        b = scalar_array(backend, b, a)
    return _make(getattr(backend.xp, name)(a, b), backend)


def bitwise_and(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise AND of the bits (logical AND for booleans)."""
    return _bitwise("bitwise_and", x1, x2)


def bitwise_or(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise OR of the bits (logical OR for booleans)."""
    return _bitwise("bitwise_or", x1, x2)


def bitwise_xor(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise XOR of the bits (logical XOR for booleans)."""
    return _bitwise("bitwise_xor", x1, x2)


def bitwise_left_shift(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``x1 << x2`` (integers)."""
    return _bitwise("bitwise_left_shift", x1, x2)


def bitwise_right_shift(x1: Any, x2: Any, /) -> Tensor:
    """Elementwise ``x1 >> x2`` (integers)."""
    return _bitwise("bitwise_right_shift", x1, x2)


def bitwise_invert(x: Any, /) -> Tensor:
    """Elementwise NOT of the bits (logical NOT for booleans)."""
    x = operand(x)
    return _make(x._backend.xp.bitwise_invert(x._data), x._backend)
