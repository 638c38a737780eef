"""Softmax and its relatives: ``logsumexp``, ``softmax`` and ``log_softmax``, one node
each like torch, computed without overflow (the slice's max is subtracted first).
"""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._record import operand, record
from .._core._tensor import Tensor
from .reduction import _backend_axis, _normalize_axes, _Reduction, _with_params


def _shift(xp: Any, data: Any, axes: tuple[int, ...], keep_inf: bool = False) -> Any:
    """The max over ``axes`` (kept), 0 where it is not finite or the slice is empty:
    subtracting it keeps ``exp`` from overflowing without turning inf - inf into nan.
    With ``keep_inf`` a +inf max is subtracted too (softmax: torch's NaN slice)."""
    axis = _backend_axis(axes, data.ndim)
    if any(data.shape[a] == 0 for a in axes):
        return xp.zeros_like(xp.sum(data, axis=axis, keepdims=True))
    m = xp.max(data, axis=axis, keepdims=True)
    kept = xp.isfinite(m) | (m > 0) if keep_inf else xp.isfinite(m)
    return xp.where(kept, m, xp.zeros_like(m))


class LogsumexpBackward0(_Reduction):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        return (self.expand(xp, g) * xp.exp(x - self.expand(xp, result)),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        (x,), result = inputs, outputs[0]
        weights = xp.exp(x - self.kept(xp, result))
        return self.reduced(xp, xp.sum, weights * t[0], result)


def logsumexp(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """``log(sum(exp(x)))`` over ``axis``, computed without overflow."""
    x = operand(x)
    data, backend, xp = x._data, x._backend, x._backend.xp
    axes = _normalize_axes(axis, data.ndim)
    m = _shift(xp, data, axes)
    out = xp.log(xp.sum(xp.exp(data - m), axis=_backend_axis(axes, data.ndim), keepdims=True)) + m
    if not keepdims:
        out = xp.reshape(out, tuple(n for i, n in enumerate(data.shape) if i not in axes))
    result = record(LogsumexpBackward0, (x,), out, backend)
    return _with_params(result, shape=tuple(data.shape), axes=axes)


class SoftmaxBackward0(Node):
    __slots__ = ("axis",)
    axis: int | None
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, y: Any) -> tuple[Any, ...]:
        return (y * (g - xp.sum(g * y, axis=self.axis, keepdims=True)),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        y = outputs[0]
        return y * (t[0] - xp.sum(y * t[0], axis=self.axis, keepdims=True))


class LogSoftmaxBackward0(Node):
    __slots__ = ("axis",)
    axis: int | None
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, y: Any) -> tuple[Any, ...]:
        return (g - xp.exp(y) * xp.sum(g, axis=self.axis, keepdims=True),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return t[0] - xp.sum(xp.exp(outputs[0]) * t[0], axis=self.axis, keepdims=True)


def _softmax(cls: type[Node], x: Any, axis: int, log: bool) -> Tensor:
    x = operand(x)
    data, backend, xp = x._data, x._backend, x._backend.xp
    axes = _normalize_axes(axis, data.ndim)
    backend_axis = axes[0] if axes else None  # 0-d: the one element is its own slice
    shifted = data - _shift(xp, data, axes, keep_inf=True)
    if log:
        out = shifted - xp.log(xp.sum(xp.exp(shifted), axis=backend_axis, keepdims=True))
    else:
        e = xp.exp(shifted)
        out = e / xp.sum(e, axis=backend_axis, keepdims=True)
    return _with_params(record(cls, (x,), out, backend), axis=backend_axis)


def softmax(x: Any, /, axis: int) -> Tensor:
    """``exp(x) / sum(exp(x))`` along ``axis``, computed without overflow."""
    return _softmax(SoftmaxBackward0, x, axis, log=False)


def log_softmax(x: Any, /, axis: int) -> Tensor:
    """``x - logsumexp(x)`` along ``axis``, computed without overflow."""
    return _softmax(LogSoftmaxBackward0, x, axis, log=True)
