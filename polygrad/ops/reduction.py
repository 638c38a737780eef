"""What every reduction shares: ``axis`` as the standard takes it (an int, a tuple or
None, negative axes allowed) with torch's errors for bad and empty axes, the
``_Reduction`` node base whose rules expand ``g`` back over the input's shape,
running a backend reduction and recording its node, and torch's second node names
(``SumBackward1``...) for one rule.

The reductions themselves: ``sums`` (sum, mean, prod), ``statistics`` (var, std),
``extrema`` (max, min), ``softmax_family`` (logsumexp, softmax, log_softmax) and
``cumulative`` (cumulative_sum, cumulative_prod).
"""

from __future__ import annotations

from typing import Any, TypeVar

from .._core._node import Node
from .._core._record import operand, record
from .._core._tensor import Tensor
from .shape import _int_axis


def _normalize_axes(axis: Any, ndim: int) -> tuple[int, ...]:
    """``axis`` as sorted non-negative ints; a 0-d array accepts 0 and -1 like torch."""
    if axis is None:
        return tuple(range(ndim))
    if type(axis) is int and -ndim <= axis < ndim:  # the common case, already valid
        return (axis % ndim,)
    if isinstance(axis, int):
        axes: tuple[int, ...] = (axis,)
    else:
        try:
            items = (axis,) if hasattr(axis, "__index__") else tuple(axis)
        except TypeError:
            raise TypeError(f"axis must be an integer, got {type(axis).__name__}") from None
        axes = tuple(_int_axis(a) for a in items)
    rank = ndim or 1
    for a in axes:
        if not -rank <= a < rank:
            raise IndexError(
                f"Dimension out of range (expected to be in range of "
                f"[{-rank}, {rank - 1}], but got {a})"
            )
    normalized = sorted({a % rank for a in axes})
    if len(normalized) != len(axes):
        seen: set[int] = set()
        for a in axes:
            if a % rank in seen:
                raise RuntimeError(f"dim {a % rank} appears multiple times in the list of dims")
            seen.add(a % rank)
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
        """``g`` with the reduced axes back as size 1 (a no-op when keepdims was used,
        and for a 0-d ``g``, which broadcasts as it is)."""
        if g.ndim == len(self.shape) or g.ndim == 0:
            return g
        return xp.reshape(g, tuple(1 if i in self.axes else n for i, n in enumerate(self.shape)))

    def expand(self, xp: Any, g: Any) -> Any:
        """``g`` broadcast back over the input's shape."""
        return xp.broadcast_to(self.kept(xp, g), self.shape)

    def reduced(self, xp: Any, reduce: Any, t: Any, out: Any) -> Any:
        """The tangent of a linear reduction: ``reduce`` (``xp.sum``) of the input's
        tangent ``t`` over the reduced axes, in the output's shape."""
        if not t.ndim:
            return t
        return xp.reshape(reduce(t, axis=self.axes), tuple(out.shape))


def _reduce(
    cls_full: type[_Reduction],
    cls_axis: type[_Reduction],
    fn: str,
    x: Any,
    axis: Any,
    keepdims: bool,
    **kwargs: Any,
) -> Tensor:
    """Run backend ``fn`` over ``axis`` and record ``cls_full`` (axis None) or ``cls_axis``."""
    x = operand(x)
    data, backend = x._data, x._backend
    axes = _normalize_axes(axis, data.ndim)
    if kwargs.get("dtype") is not None:
        kwargs["dtype"] = backend.dtype(kwargs["dtype"])
    out = getattr(backend.xp, fn)(
        data, axis=_backend_axis(axes, data.ndim), keepdims=keepdims, **kwargs
    )
    # a requested dtype makes the engine cast the gradient back to the input's dtype
    cast = out.dtype != data.dtype
    result = record(cls_full if axis is None else cls_axis, (x,), out, backend, broadcast=cast)
    node = result._grad_fn
    if node is not None:
        node.shape, node.axes = tuple(data.shape), axes
    return result


def check_nonempty(name: str, x: Any, axis: Any, error: type[Exception] = RuntimeError) -> None:
    """torch's error for a max/min/argmax over an empty axis (which has no identity),
    before each library words its own (NumPy's ValueError, JAX's...)."""
    shape = x._data.shape if isinstance(x, Tensor) else getattr(x, "shape", ())  # no Size built
    if all(shape):  # the usual case: no empty axis (Dask's unknown NaN sizes are truthy)
        return
    if axis is None:
        raise error(
            f"{name}(): Expected reduction dim to be specified for input.numel() == 0."
            + (
                " Specify the reduction dim with the 'dim' argument."
                if error is RuntimeError
                else ""
            )
        )
    for a in _normalize_axes(axis, len(shape)):
        if shape[a] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {a} to have non-zero size.")
