"""Elementwise functions a first user needs: exp, log, trig, tanh, sigmoid, relu, abs,
sqrt and where, each with its rule next to it (clamping: ops/clamp.py).

Rules that can reuse the forward result (exp, tanh, sigmoid, sqrt, relu) save the
output instead of the input, so no extra array is kept alive.
"""

from __future__ import annotations

from typing import Any

from .._core._dtypes import dtype_name
from .._core._node import Node
from .._core._record import binary_operands, check_broadcast, keep_for_backward, operand, record
from .._core._tensor import Tensor
from .._core._torch_type_names import scalar_type_name
from ._complex_values import standard_tanh
from ._elementwise_node import elementwise_node
from ._rule_ops import tanh_backward
from ._support import conj, is_complex, times, zeros_where


def _unary(cls: type[Node], name: str, x: Any) -> Tensor:
    x = operand(x)
    backend = x._backend
    return record(cls, (x,), getattr(backend.xp, name)(x._data), backend)


class ExpBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    _reuses_gradient = True

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        # conj(): torch's convention for complex inputs, a no-op on real ones
        return (g * conj(xp, result),)

    def vjp_into(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        if g.dtype != result.dtype or g.shape != result.shape:
            return self.vjp(xp, g, result)
        g *= conj(xp, result)
        return (g,)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0] * outputs[0]


LogBackward0 = elementwise_node("LogBackward0", over=lambda xp, x: x)


class SinBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (times(self, g, conj(xp, xp.cos(x))),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0] * xp.cos(inputs[0])


CosBackward0 = elementwise_node("CosBackward0", times=lambda xp, x: -xp.sin(x))


class TanhBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        return (tanh_backward(self, xp, g, result),)  # one node under create_graph, as torch

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0] * (1 - outputs[0] * outputs[0])


SigmoidBackward0 = elementwise_node(
    "SigmoidBackward0", times=lambda xp, y: y * (1 - y), of_result=True
)


class ReluBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        return (zeros_where(xp, result <= 0, g),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return zeros_where(xp, outputs[0] <= 0, t[0])


class AbsBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * sgn(xp, x),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        # |x| is real: on complex x its tangent is Re(conj(sgn x) t), as in torch
        x = inputs[0]
        if is_complex(x):
            return xp.real(conj(xp, sgn(xp, x)) * t[0])
        return t[0] * sgn(xp, x)


def sgn(xp: Any, x: Any) -> Any:
    """torch's ``sgn``: the sign, with 0 at NaN for real ``x`` (the library's sign gives NaN),
    so abs's gradient at NaN is 0 as in torch; ``x / |x|`` for complex ``x``."""
    sign = xp.sign(x)
    return sign if is_complex(x) else zeros_where(xp, xp.isnan(x), sign)


SqrtBackward0 = elementwise_node("SqrtBackward0", over=lambda xp, y: 2 * y, of_result=True)


def exp(x: Any, /) -> Tensor:
    """Elementwise e ** x."""
    return _unary(ExpBackward0, "exp", x)


def log(x: Any, /) -> Tensor:
    """Elementwise natural logarithm."""
    return _unary(LogBackward0, "log", x)


def sin(x: Any, /) -> Tensor:
    """Elementwise sine."""
    return _unary(SinBackward0, "sin", x)


def cos(x: Any, /) -> Tensor:
    """Elementwise cosine."""
    return _unary(CosBackward0, "cos", x)


def tanh(x: Any, /) -> Tensor:
    """Elementwise hyperbolic tangent (complex infinities: the standard's signed zeros)."""
    x = operand(x)
    return record(TanhBackward0, (x,), standard_tanh(x._backend, x._data), x._backend)


def abs(x: Any, /) -> Tensor:
    """Elementwise absolute value (gradient 0 at 0, as in torch)."""
    return _unary(AbsBackward0, "abs", x)


def sqrt(x: Any, /) -> Tensor:
    """Elementwise square root."""
    return _unary(SqrtBackward0, "sqrt", x)


def sigmoid(x: Any, /) -> Tensor:
    """Elementwise logistic function 1 / (1 + e**-x), computed without overflow."""
    x = operand(x)
    xp = x._backend.xp
    # 0.5 * tanh(x / 2) + 0.5 equals the logistic function and never overflows
    return record(SigmoidBackward0, (x,), xp.tanh(x._data * 0.5) * 0.5 + 0.5, x._backend)


def relu(x: Any, /) -> Tensor:
    """Elementwise max(x, 0) (gradient 0 at 0, as in torch)."""
    x = operand(x)
    data = x._data
    xp = x._backend.xp
    # ``<= 0`` rather than ``> 0``: NaN stays NaN, as in torch
    return record(ReluBackward0, (x,), xp.where(data <= 0, xp.zeros_like(data), data), x._backend)


class WhereBackward0(Node):
    """The gradient goes only to the selected branch (torch's convention)."""

    __slots__ = ("condition",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        c = self.condition
        return (xp.where(c, g, xp.zeros_like(g)), zeros_where(xp, c, g))

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        zero = xp.zeros_like(outputs[0])
        return xp.where(
            self.condition, zero if t[0] is None else t[0], zero if t[1] is None else t[1]
        )


def _bool_condition(c: Any) -> Any:
    """torch's refusal of a condition that is not boolean (uint8 is deprecated there, and
    still accepted with a warning: nonzero is True)."""
    import warnings

    name = dtype_name(c.dtype) or str(c.dtype)
    if name == "uint8":
        warnings.warn(
            "where received a uint8 condition tensor. This behavior is deprecated "
            "and will be removed in a future version of PyTorch. Use a boolean "
            "condition instead.",
            UserWarning,
            stacklevel=3,
        )
        return c != 0
    raise RuntimeError(
        "where expected condition to be a boolean tensor, but got a tensor "
        f"with dtype {scalar_type_name(name)}"
    )


def where(condition: Any, x1: Any, x2: Any, /) -> Tensor:
    """Elements of ``x1`` where ``condition`` holds, else of ``x2`` (broadcasting)."""
    a, b, backend, ta, tb = binary_operands(x1, x2)
    like = ta if ta is not None else tb
    c = operand(condition, like)._data
    xp = backend.xp
    if c.dtype != xp.bool:
        c = _bool_condition(c)
    if not hasattr(a, "shape"):
        a = xp.asarray(a, dtype=b.dtype, device=backend.device_of(b))
    if not hasattr(b, "shape"):
        b = xp.asarray(b, dtype=a.dtype, device=backend.device_of(a))
    if c.shape != a.shape:
        check_broadcast(c.shape, a.shape)
    if c.shape != b.shape:
        check_broadcast(c.shape, b.shape)
    result = record(WhereBackward0, (ta, tb), xp.where(c, a, b), backend, broadcast=True)
    return keep_for_backward(result, condition=c)
