"""Running sums and products along an axis: ``cumulative_sum`` and ``cumulative_prod``
(``include_initial`` as the standard has it; 0-d is returned as is, like torch).

``cumulative_sum``'s gradient is a reversed running sum. ``cumulative_prod`` records
``CumprodBackward0``, whose rule divides by the input only where no zero comes before
an element; the first zero gets the product of the others, and elements after it get
nothing. That is exact to first order; for higher orders (under ``create_graph``) the
rule switches to a quadratic-size formula made of products only, so every derivative
is exact at zeros too, as torch's is.
"""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._record import operand, record
from .._core._tensor import Tensor
from ._support import conj
from .reduction import _normalize_axes, _with_params


def _reverse_cumsum(xp: Any, v: Any, axis: int) -> Any:
    """The running sum from the end: what each element of a running sum sends back."""
    return xp.flip(xp.cumulative_sum(xp.flip(v, axis=axis), axis=axis), axis=axis)


class CumsumBackward0(Node):
    """Each input reaches every later output: the gradient is a reversed cumulative sum."""

    __slots__ = ("axis", "include_initial")
    axis: int | None
    include_initial: bool

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        axis = self.axis
        if axis is None:  # 0-d input
            return (g,)
        if self.include_initial:  # the leading zero depends on no input
            g = g[(slice(None),) * axis + (slice(1, None), ...)]
        return (_reverse_cumsum(xp, g, axis),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        if self.axis is None:
            return t[0]
        return xp.cumulative_sum(t[0], axis=self.axis, include_initial=self.include_initial)


class CumprodBackward0(Node):
    __slots__ = ("axis", "include_initial")
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, out: Any) -> tuple[Any, ...]:
        axis = self.axis
        if axis is None:  # 0-d input: the output is the input
            return (g,)
        if self.include_initial:  # the leading one depends on no input
            rest = (slice(None),) * axis + (slice(1, None), ...)
            g, out = g[rest], out[rest]
        if x.shape[axis] == 0:
            return (g,)
        if isinstance(x, Tensor):
            return (_exact_grad(xp, g, x, axis, self._backend),)
        is_zero = x == 0
        zeros_so_far = xp.cumulative_sum(xp.astype(is_zero, xp.int64), axis=axis)
        before_zeros = zeros_so_far == 0
        first_zero = is_zero & (zeros_so_far == 1)
        ones = xp.ones_like(x)
        # no zero up to k: sum_{j>=k} g_j out_j / x_k
        divided = _reverse_cumsum(xp, g * conj(xp, out), axis) / conj(
            xp, xp.where(before_zeros, x, ones)
        )
        # the first zero: the products that skip it
        skipped = xp.cumulative_prod(xp.where(first_zero, ones, x), axis=axis)
        at_zero = _reverse_cumsum(xp, g * conj(xp, skipped), axis)
        return (
            xp.where(before_zeros, divided, xp.where(first_zero, at_zero, xp.zeros_like(at_zero))),
        )


def _exact_grad(xp: Any, g: Any, x: Any, axis: int, backend: Any) -> Any:
    """``grad_k = prod_{i<k} x_i * sum_{j>=k} g_j prod_{k<i<=j} x_i``, without division.

    Built on an (n, n) grid per slice: row k holds x_j for j > k and 1 elsewhere, so its
    cumulative product is ``prod_{k<i<=j} x_i``.
    """
    raw = backend.xp
    n = x.shape[axis]
    device = backend.device_of(x._data)
    positions = raw.arange(n, device=device)
    later = raw.reshape(positions, (1, n)) > raw.reshape(positions, (n, 1))
    from_k = raw.reshape(positions, (1, n)) >= raw.reshape(positions, (n, 1))
    xl = xp.moveaxis(x, axis, -1)
    gl = xp.moveaxis(g, axis, -1)
    grid = xp.where(later, xp.expand_dims(xl, axis=-2), 1.0)
    suffix = xp.cumulative_prod(grid, axis=-1)
    weighted = xp.where(from_k, xp.expand_dims(gl, axis=-2) * conj(xp, suffix), 0.0)
    after = xp.sum(weighted, axis=-1)
    before = xp.cumulative_prod(xl, axis=-1, include_initial=True)[..., :-1]
    return xp.moveaxis(conj(xp, before) * after, -1, axis)


def _scan(
    cls: type[Node], fn: str, x: Any, axis: int | None, dtype: Any, include_initial: bool
) -> Tensor:
    """The backend's ``fn`` (``cumulative_sum``/``cumulative_prod``) along ``axis``,
    recorded as ``cls``; a 0-d input is scanned as one element and stays 0-d."""
    x = operand(x)
    data, backend, xp = x._data, x._backend, x._backend.xp
    if axis is None and data.ndim > 1:
        raise ValueError("axis must be given for arrays of more than one dimension")
    (norm_axis,) = _normalize_axes(0 if axis is None else axis, data.ndim) or (None,)
    if norm_axis is None and include_initial:
        raise ValueError("include_initial needs an array of at least one dimension")
    native = None if dtype is None else backend.dtype(dtype)
    scan = getattr(xp, fn)
    if norm_axis is None:
        out = xp.reshape(scan(xp.reshape(data, (1,)), dtype=native), ())
    else:
        out = scan(data, axis=norm_axis, dtype=native, include_initial=include_initial)
    # a requested dtype makes the engine cast the gradient back to the input's dtype
    result = record(cls, (x,), out, backend, broadcast=out.dtype != data.dtype)
    return _with_params(result, axis=norm_axis, include_initial=include_initial)


def cumulative_sum(
    x: Any, /, *, axis: int | None = None, dtype: Any = None, include_initial: bool = False
) -> Tensor:
    """Running sum along ``axis`` (optional for 1-d; 0-d is returned as is, like torch)."""
    return _scan(CumsumBackward0, "cumulative_sum", x, axis, dtype, include_initial)


def cumulative_prod(
    x: Any, /, *, axis: int | None = None, dtype: Any = None, include_initial: bool = False
) -> Tensor:
    """Running product along ``axis`` (optional for 1-d; 0-d is returned as is, like torch)."""
    return _scan(CumprodBackward0, "cumulative_prod", x, axis, dtype, include_initial)
