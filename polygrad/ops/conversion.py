"""Copies and dtype conversions that stay in the graph (``clone``, ``astype``), and
``sign``, whose gradient is zero like torch's.
"""

from __future__ import annotations

from typing import Any

from .._core._dtypes import real_if_complex_to_real
from .._core._node import Node
from .._core._record import keep_for_backward, operand, record
from .._core._tensor import Tensor, _make
from ._support import is_complex
from .complex import sgn


class CloneBackward0(Node):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g,)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0]


class ToCopyBackward0(Node):
    """A dtype change: the gradient goes back in the input's dtype."""

    __slots__ = ("input_dtype",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.astype(real_if_complex_to_real(xp, g, self.input_dtype), self.input_dtype),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.astype(t[0], outputs[0].dtype)


class SignBackward0(Node):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.zeros_like(g),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return None  # a zero tangent


def clone(x: Any, /) -> Tensor:
    """A copy of ``x`` that stays connected to the graph (``CloneBackward0``)."""
    x = operand(x)
    return record(CloneBackward0, (x,), x._backend.copy(x._data), x._backend)


def astype(x: Any, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Tensor:
    """``x`` converted to ``dtype``; differentiable between float/complex dtypes."""
    x = operand(x)
    backend = x._backend
    native = backend.dtype(dtype)
    if native == x._data.dtype:
        return clone(x) if copy else x
    data = backend.xp.astype(x._data, native)
    if not backend.pg_dtype(native).differentiable:
        return _make(data, backend)
    result = record(ToCopyBackward0, (x,), data, backend)
    return keep_for_backward(result, input_dtype=x._data.dtype)


def common_dtype(a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """``a`` and ``b`` in their promoted dtype (recorded casts where they differ).

    For products whose backward multiplies one operand by the other's gradient
    (matmul, solve): torch's kernels refuse two dtypes there, the standard promotes.
    """
    if a._data.dtype == b._data.dtype:
        return a, b
    dtype = a._backend.xp.result_type(a._data, b._data)
    return astype(a, dtype, copy=False), astype(b, dtype, copy=False)


def sign(x: Any, /) -> Tensor:
    """Elementwise sign (-1, 0 or 1); its gradient is zero everywhere, as in torch."""
    x = operand(x)
    if is_complex(x._data):
        return sgn(x)  # z / |z|, differentiable (torch's sgn)
    return record(SignBackward0, (x,), x._backend.xp.sign(x._data), x._backend)
