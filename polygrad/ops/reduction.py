"""Reductions and scans with gradients: sum, mean, var, std, prod, max, min,
logsumexp, softmax, log_softmax and cumulative_sum, on any backend.

Functions follow the array API standard (``axis`` an int, a tuple or None,
negative axes allowed, ``keepdims``); nodes carry torch's names (``SumBackward1``,
``AmaxBackward0``...) and torch's conventions at ties and zeros. Every rule
returns the gradient in the input's shape (a reduction's rule expands ``g``
itself) and is written in differentiable array-API ops, so higher orders work.
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

from .._node import Node
from .._record import MultiOutputNode, operand, record, record_multi
from .._tensor import Tensor


def _normalize_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """``axis`` as sorted non-negative ints; a 0-d array accepts 0 and -1 like torch."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, int):
        axes: tuple[int, ...] = (axis,)
    else:
        from .shape import _int_axis

        try:
            items = (axis,) if hasattr(axis, "__index__") else tuple(axis)
        except TypeError:
            raise TypeError(f"axis must be an integer, got {type(axis).__name__}") from None
        axes = tuple(_int_axis(a) for a in items)
    rank = ndim or 1
    for a in axes:
        if not -rank <= a < rank:
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-rank}, {rank - 1}], but got {a})")
    normalized = sorted({a % rank for a in axes})
    if len(normalized) != len(axes):
        raise ValueError(f"duplicate value in axis {axis!r}")
    return tuple(normalized) if ndim else ()


def _backend_axis(axes: tuple[int, ...], ndim: int) -> tuple[int, ...] | None:
    """What the backend gets: None for a full reduction (also the only valid axis of 0-d)."""
    return None if len(axes) == ndim else axes


_N = TypeVar("_N", bound=Node)


def _renamed(base: type[_N], name: str) -> type[_N]:
    """The same rule under torch's other node name (the digit names the aten overload)."""
    return type(name, (base,), {"__slots__": ()})


def _with_params(result: Any, **params: Any) -> Any:
    """Store the op's parameters on the node, where its rule reads them (if one was made)."""
    node = result[0]._grad_fn if isinstance(result, tuple) else result._grad_fn
    if node is not None:
        for name, value in params.items():
            setattr(node, name, value)
    return result


class _Reduction(Node):
    """A node whose rule needs the input's shape and the reduced axes."""

    __slots__ = ("shape", "axes")
    shape: tuple[int, ...]
    axes: tuple[int, ...]

    def kept(self, xp: Any, g: Any) -> Any:
        """``g`` with the reduced axes back as size 1 (a no-op when keepdims was used)."""
        kept = tuple(1 if i in self.axes else n for i, n in enumerate(self.shape))
        return g if tuple(g.shape) == kept else xp.reshape(g, kept)

    def expand(self, xp: Any, g: Any) -> Any:
        """``g`` broadcast back over the input's shape."""
        return xp.broadcast_to(self.kept(xp, g), self.shape)


def _reduce(cls_full: type[_Reduction], cls_axis: type[_Reduction], fn: str, x: Any,
            axis: Any, keepdims: bool, **kwargs: Any) -> Tensor:
    """Run backend ``fn`` over ``axis`` and record ``cls_full`` (axis None) or ``cls_axis``."""
    x = operand(x)
    data, backend = x._data, x._backend
    axes = _normalize_axes(axis, data.ndim)
    if kwargs.get("dtype") is not None:
        kwargs["dtype"] = backend.dtype(kwargs["dtype"])
    out = getattr(backend.xp, fn)(data, axis=_backend_axis(axes, data.ndim),
                                  keepdims=keepdims, **kwargs)
    # a requested dtype makes the engine cast the gradient back to the input's dtype
    cast = out.dtype != data.dtype
    result = record(cls_full if axis is None else cls_axis, (x,), out, backend, broadcast=cast)
    return _with_params(result, shape=tuple(data.shape), axes=axes)


# -- sum, mean, var, std ------------------------------------------------------------


class SumBackward0(_Reduction):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (self.expand(xp, g),)


SumBackward1 = _renamed(SumBackward0, "SumBackward1")


class MeanBackward0(_Reduction):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        count = math.prod(self.shape[a] for a in self.axes)
        return (self.expand(xp, g / count if count else g),)  # empty input: empty gradient


MeanBackward1 = _renamed(MeanBackward0, "MeanBackward1")


class _SpreadBackward(_Reduction):
    """var and std: both rules end in the gradient of the variance."""

    __slots__ = ("correction",)
    correction: float

    def var_grad(self, xp: Any, g: Any, x: Any) -> Any:
        centered = x - xp.mean(x, axis=self.axes, keepdims=True)
        dof = math.prod(self.shape[a] for a in self.axes) - self.correction
        if dof <= 0:  # torch: inf, and nan where x equals the mean (0 * inf)
            nan, inf = xp.full_like(x, float("nan")), xp.full_like(x, float("inf"))
            return self.expand(xp, g) * xp.where(centered == 0, nan, inf)
        return self.expand(xp, g) * centered * (2.0 / dof)


class VarBackward0(_SpreadBackward):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (self.var_grad(xp, g, x),)


class StdBackward0(_SpreadBackward):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, std: Any) -> tuple[Any, ...]:
        # d std = d var / (2 std); torch sends 0 where std is 0. The inner where keeps
        # the division finite there, so the second derivative has no 0 * inf either.
        is_zero = std == 0
        safe_std = xp.where(is_zero, xp.ones_like(std), std)
        g_var = xp.where(is_zero, xp.zeros_like(g), g / (2 * safe_std))
        return (self.var_grad(xp, g_var, x),)


def sum(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Tensor:
    """Sum over ``axis`` (all axes when None)."""
    return _reduce(SumBackward0, SumBackward1, "sum", x, axis, keepdims, dtype=dtype)


def mean(x: Any, /, *, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Arithmetic mean over ``axis`` (all axes when None)."""
    return _reduce(MeanBackward0, MeanBackward1, "mean", x, axis, keepdims)


def _warn_no_degrees_of_freedom(fn: str, x: Any, axis: Any, correction: float) -> bool:
    """torch warns (and returns inf/nan) when ``N - correction <= 0``; True when it warned."""
    shape = tuple(getattr(x, "shape", ()))
    count = 1
    for a in _normalize_axes(axis, len(shape)):
        if not isinstance(shape[a], int):
            return False  # a lazy backend's unknown size
        count *= shape[a]
    if correction and count - correction <= 0:  # nan sizes (lazy backends) compare False
        import warnings

        warnings.warn(
            f"{fn}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).", UserWarning, stacklevel=3)
        return True
    return False


def _quietly(thunk: Any) -> Any:
    """Run a reduction whose backend (torch itself) would repeat the warning just given."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"(std|var)\(\): degrees of freedom")
        return thunk()


def var(x: Any, /, *, axis: Any = None, correction: float = 0.0,
        keepdims: bool = False) -> Tensor:
    """Variance over ``axis``, dividing by ``N - correction`` (the standard's default 0)."""
    def run() -> Tensor:
        return _reduce(VarBackward0, VarBackward0, "var", x, axis, keepdims, correction=correction)

    result = _quietly(run) if _warn_no_degrees_of_freedom("var", x, axis, correction) else run()
    return _with_params(result, correction=correction)


def std(x: Any, /, *, axis: Any = None, correction: float = 0.0,
        keepdims: bool = False) -> Tensor:
    """Standard deviation over ``axis``, dividing by ``N - correction``."""
    def run() -> Tensor:
        return _reduce(StdBackward0, StdBackward0, "std", x, axis, keepdims, correction=correction)

    result = _quietly(run) if _warn_no_degrees_of_freedom("std", x, axis, correction) else run()
    return _with_params(result, correction=correction)


# -- prod ---------------------------------------------------------------------------


class ProdBackward0(_Reduction):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (self.expand(xp, g) * _product_of_others(xp, x, self.axes),)


ProdBackward1 = _renamed(ProdBackward0, "ProdBackward1")


def _product_of_others(xp: Any, x: Any, axes: tuple[int, ...]) -> Any:
    """For each element, the product of the other elements of its slice, without ever
    dividing by zero (torch: ``[0, 2, 3] -> [6, 0, 0]``, ``[0, 0, 3] -> [0, 0, 0]``).

    It is (product of the other nonzero entries: divides by nonzero numbers only) times
    (product of the other zero entries): 1 when there are none; with exactly one,
    ``x_k``, it is ``x_k`` itself, kept as a variable (value 0, derivative 1) so the
    second derivative is exact too; with two or more it is 0 to first order.
    """
    is_zero = x == 0
    nonzero = xp.where(is_zero, xp.ones_like(x), x)
    others_nonzero = xp.prod(nonzero, axis=axes, keepdims=True) / nonzero
    zero_flags = xp.astype(is_zero, x.dtype)
    others_zero_count = xp.sum(zero_flags, axis=axes, keepdims=True) - zero_flags
    zero_entries = xp.where(is_zero, x, xp.zeros_like(x))
    others_zero_sum = xp.sum(zero_entries, axis=axes, keepdims=True) - zero_entries
    one_zero = xp.where(others_zero_count == 1, others_nonzero * others_zero_sum,
                        xp.zeros_like(x))
    return xp.where(others_zero_count == 0, others_nonzero, one_zero)


def prod(x: Any, /, *, axis: Any = None, dtype: Any = None, keepdims: bool = False) -> Tensor:
    """Product over ``axis`` (all axes when None)."""
    return _reduce(ProdBackward0, ProdBackward1, "prod", x, axis, keepdims, dtype=dtype)


# -- max and min ----------------------------------------------------------------------


class MaxBackward1(_Reduction):
    """max/min over axes: the gradient is split evenly among the tied extremes."""

    __slots__ = ()
    _saved_from = (0, -1)
    _nan_chosen = True

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        extreme = self.expand(xp, result)
        # a NaN result came from NaN inputs: they get the gradient (torch's max());
        # v != v tests for NaN with operators only
        chosen = x == extreme
        if self._nan_chosen:
            chosen = chosen | ((x != x) & (extreme != extreme))
        flags = xp.astype(chosen, x.dtype)
        count = xp.sum(flags, axis=self.axes, keepdims=True)
        share = xp.broadcast_to(self.kept(xp, g) / count, self.shape)
        if not self._nan_chosen:  # amax: torch multiplies by the mask (0 / 0 -> NaN)
            return (share * flags,)
        return (xp.where(chosen, share, xp.zeros_like(share)),)


MinBackward1 = _renamed(MaxBackward1, "MinBackward1")


class AmaxBackward0(MaxBackward1):
    """amax/amin over given axes: torch compares with ``==`` only, so a NaN extreme
    selects nothing and its slice's gradient is NaN (max() gives it to the NaNs)."""

    __slots__ = ()
    _nan_chosen = False


AminBackward0 = _renamed(AmaxBackward0, "AminBackward0")


def check_nonempty(name: str, x: Any, axis: Any, error: type[Exception] = RuntimeError
                   ) -> None:
    """torch's error for a max/min/argmax over an empty axis (which has no identity),
    before each library words its own (NumPy's ValueError, JAX's...)."""
    shape = getattr(x, "shape", ())
    if all(shape):  # the usual case: no empty axis (Dask's unknown NaN sizes are truthy)
        return
    if axis is None:
        raise error(f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
                    + (" Specify the reduction dim with the 'dim' argument."
                       if error is RuntimeError else ""))
    for a in _normalize_axes(axis, len(shape)):
        if shape[a] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {a} to have non-zero size.")


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


MinBackward0 = _renamed(MaxBackward0, "MinBackward0")


def _with_indices(cls: type[MaxBackward0], fn: str, arg_fn: str, x: Any, dim: int,
                  keepdim: bool) -> tuple[Tensor, Tensor]:
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


# -- logsumexp, softmax, log_softmax (one node each, like torch, and stable) -----------


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


class LogSoftmaxBackward0(Node):
    __slots__ = ("axis",)
    axis: int | None
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, y: Any) -> tuple[Any, ...]:
        return (g - xp.exp(y) * xp.sum(g, axis=self.axis, keepdims=True),)


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


# -- cumulative_sum -------------------------------------------------------------------


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
        return (xp.flip(xp.cumulative_sum(xp.flip(g, axis=axis), axis=axis), axis=axis),)


def cumulative_sum(x: Any, /, *, axis: int | None = None, dtype: Any = None,
                   include_initial: bool = False) -> Tensor:
    """Running sum along ``axis`` (optional for 1-d; 0-d is returned as is, like torch)."""
    x = operand(x)
    data, backend, xp = x._data, x._backend, x._backend.xp
    if axis is None and data.ndim > 1:
        raise ValueError("axis must be given for arrays of more than one dimension")
    (norm_axis,) = _normalize_axes(0 if axis is None else axis, data.ndim) or (None,)
    if norm_axis is None and include_initial:
        raise ValueError("include_initial needs an array of at least one dimension")
    dtype = None if dtype is None else backend.dtype(dtype)
    if norm_axis is None:
        out = xp.reshape(xp.cumulative_sum(xp.reshape(data, (1,)), dtype=dtype), ())
    else:
        out = xp.cumulative_sum(data, axis=norm_axis, dtype=dtype,
                                include_initial=include_initial)
    cast = dtype is not None and out.dtype != data.dtype
    result = record(CumsumBackward0, (x,), out, backend, broadcast=cast)
    return _with_params(result, axis=norm_axis, include_initial=include_initial)
