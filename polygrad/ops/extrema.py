"""Largest and smallest elements, differentiable: ``max`` and ``min`` over axes (ties
share the gradient evenly, as in torch), and torch's ``x.max(dim)``/``x.min(dim)``
returning ``(values, indices)`` (the gradient goes to the returned index).
"""

from __future__ import annotations

from typing import Any

from .._core._record import MultiOutputNode, operand, record_multi
from .._core._tensor import Tensor
from .reduction import _normalize_axes, _reduce, _Reduction, _renamed, _with_params, check_nonempty


class MaxBackward1(_Reduction):
    """max/min over axes: the gradient is split evenly among the tied extremes."""

    __slots__ = ()
    _saved_from = (0, -1)
    _nan_chosen = True

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        chosen = self.chosen(xp, x, result)
        flags = xp.astype(chosen, x.dtype)
        share = self.kept(xp, g) / xp.sum(flags, axis=self.axes, keepdims=True)
        if not self._nan_chosen:  # amax: torch multiplies by the mask (0 / 0 -> NaN)
            return (flags * share,)
        return (xp.where(chosen, share, xp.zeros_like(share)),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        (x,), result = inputs, outputs[0]
        chosen = self.chosen(xp, x, result)
        count = self.reduced(xp, xp.sum, xp.astype(chosen, x.dtype), result)
        return self.reduced(xp, xp.sum, xp.where(chosen, t[0], xp.zeros_like(t[0])), result) / count

    def chosen(self, xp: Any, x: Any, result: Any) -> Any:
        """Where ``x`` is the slice's extreme (ties all count)."""
        # kept shapes broadcast against x: nothing is expanded to x's size but the mask
        chosen = x == self.kept(xp, result)
        if self._nan_chosen:
            # a NaN extreme came from NaN inputs (max propagates NaN): they get the
            # gradient (torch's max()); v != v tests for NaN with operators only
            chosen = chosen | (x != x)
        return chosen


MinBackward1 = _renamed(MaxBackward1, "MinBackward1")


class AmaxBackward0(MaxBackward1):
    """amax/amin over given axes: torch compares with ``==`` only, so a NaN extreme
    selects nothing and its slice's gradient is NaN (max() gives it to the NaNs)."""

    __slots__ = ()
    _nan_chosen = False


AminBackward0 = _renamed(AmaxBackward0, "AminBackward0")


def max(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Largest element over ``axis``; ties share the gradient evenly."""
    check_nonempty("max", x, axis)
    return _reduce(MaxBackward1, AmaxBackward0, "max", x, axis, keepdims)


def min(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Smallest element over ``axis``; ties share the gradient evenly."""
    check_nonempty("min", x, axis)
    return _reduce(MinBackward1, AminBackward0, "min", x, axis, keepdims)


class MaxBackward0(MultiOutputNode):
    """torch's ``x.max(dim)``: the gradient goes only to the returned (first) index."""

    __slots__ = ("shape", "axis", "keepdim")
    shape: tuple[int, ...]
    axis: int
    keepdim: bool
    _saved_from = (-2,)

    def vjp(self, xp: Any, grads: Any, indices: Any) -> tuple[Any, ...]:
        g = grads[0]
        if not self.shape:
            return (g,)
        if not self.keepdim:
            g, indices = xp.expand_dims(g, axis=self.axis), xp.expand_dims(indices, axis=self.axis)
        along = [1] * len(self.shape)
        along[self.axis] = self.shape[self.axis]
        device = g.device if isinstance(g, Tensor) else self._backend.device_of(g)
        positions = xp.reshape(xp.arange(self.shape[self.axis], device=device), tuple(along))
        g = xp.broadcast_to(g, self.shape)
        return (xp.where(positions == indices, g, xp.zeros_like(g)),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        indices = outputs[1]
        if not self.shape:
            return (t[0], None)
        if not self.keepdim:
            indices = xp.expand_dims(indices, axis=self.axis)
        picked = xp.take_along_axis(t[0], indices, axis=self.axis)
        return (picked if self.keepdim else xp.squeeze(picked, axis=self.axis), None)


MinBackward0 = _renamed(MaxBackward0, "MinBackward0")


def _with_indices(
    cls: type[MaxBackward0], fn: str, arg_fn: str, x: Any, dim: int, keepdim: bool
) -> tuple[Tensor, Tensor]:
    x = operand(x)
    check_nonempty(fn, x, dim)
    data, backend = x._data, x._backend
    xp = backend.xp
    (axis,) = _normalize_axes(dim, data.ndim) or (None,)
    values = getattr(xp, fn)(data, axis=axis, keepdims=keepdim)
    indices = getattr(xp, arg_fn)(data, axis=axis, keepdims=keepdim)
    results = record_multi(cls, (x,), (values, indices), backend, (True, False))
    return _with_params(results, shape=tuple(data.shape), axis=axis, keepdim=keepdim)


def max_with_indices(x: Any, dim: int, keepdim: bool = False) -> tuple[Tensor, Tensor]:
    """torch's ``x.max(dim)``: ``(values, indices)`` of the first maximum along ``dim``."""
    return _with_indices(MaxBackward0, "max", "argmax", x, dim, keepdim)


def min_with_indices(x: Any, dim: int, keepdim: bool = False) -> tuple[Tensor, Tensor]:
    """torch's ``x.min(dim)``: ``(values, indices)`` of the first minimum along ``dim``."""
    return _with_indices(MinBackward0, "min", "argmin", x, dim, keepdim)
