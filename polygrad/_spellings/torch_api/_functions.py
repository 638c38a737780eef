"""torch functions that have no Tensor method to stand on: ``pg.cat(ts, dim)``,
``pg.stack``, ``pg.hstack``..., ``pg.where(c, x, y)`` (and ``pg.where(c)``),
``pg.nonzero``, ``pg.broadcast_tensors``, ``pg.meshgrid`` (``indexing="ij"``),
``pg.tensordot(a, b, dims)``, ``pg.numel``, ``pg.is_tensor``, ``pg.randint``,
``pg.randperm``, ``pg.normal``... Each maps torch's signature onto one op.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any, Literal, overload

from ... import ops
from ..._core import _creation
from ..._core._dtypes import DTYPES
from ..._core._tensor import Tensor
from ._aliases import accepts_numpy_names
from ._einsum import einsum
from ._factories import FACTORIES
from ._out import written


@accepts_numpy_names
def cat(tensors: Sequence[Tensor], dim: int = 0, *, out: Any = None) -> Tensor:
    """Join ``tensors`` along the existing axis ``dim`` (torch.cat; also ``concat``,
    ``concatenate``). 1-D empty tensors are skipped, as torch does."""
    kept = [t for t in tensors if not (t.ndim == 1 and t.shape[0] == 0)] or list(tensors[:1])
    return written(ops.concat(kept, axis=dim), out, "cat")


@accepts_numpy_names
def stack(tensors: Sequence[Tensor], dim: int = 0, *, out: Any = None) -> Tensor:
    """Join ``tensors`` along a new axis ``dim``."""
    return written(ops.stack(list(tensors), axis=dim), out, "stack")


def atleast_1d(*tensors: Any) -> Any:
    """Each input with at least one dimension (torch.atleast_1d)."""
    return _each(tensors, lambda t: ops.reshape(t, (1,)) if t.ndim == 0 else t)


def atleast_2d(*tensors: Any) -> Any:
    """Each input with at least two dimensions (torch.atleast_2d)."""
    return _each(tensors, lambda t: ops.reshape(t, (1, -1)) if t.ndim < 2 else t)


def atleast_3d(*tensors: Any) -> Any:
    """Each input with at least three dimensions (torch.atleast_3d)."""

    def lift(t: Any) -> Any:
        if t.ndim == 0:
            return ops.reshape(t, (1, 1, 1))
        if t.ndim == 1:
            return ops.reshape(t, (1, -1, 1))
        return ops.expand_dims(t, axis=-1) if t.ndim == 2 else t

    return _each(tensors, lift)


def _each(tensors: tuple[Any, ...], fn: Any) -> Any:
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        return tuple(fn(t) for t in tensors[0])
    return fn(tensors[0]) if len(tensors) == 1 else tuple(fn(t) for t in tensors)


def hstack(tensors: Sequence[Tensor]) -> Tensor:
    """Inputs stacked along the columns (torch.hstack)."""
    tensors = atleast_1d(tuple(tensors))
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors: Sequence[Tensor]) -> Tensor:
    """Inputs stacked along the rows (torch.vstack; ``row_stack`` is the same)."""
    return cat(atleast_2d(tuple(tensors)), 0)


def dstack(tensors: Sequence[Tensor]) -> Tensor:
    """Inputs stacked along the third dimension (torch.dstack)."""
    return cat(atleast_3d(tuple(tensors)), 2)


def column_stack(tensors: Sequence[Tensor]) -> Tensor:
    """Inputs stacked as the columns of a matrix (torch.column_stack)."""
    columns = [ops.reshape(t, (-1, 1)) if t.ndim <= 1 else t for t in tensors]
    return cat(columns, 1)


@overload
def where(condition: Tensor) -> tuple[Tensor, ...]: ...


@overload
def where(
    condition: Tensor,
    input: Tensor | complex,  # noqa: A002 - torch's name
    other: Tensor | complex,
    *,
    out: Tensor | None = None,
) -> Tensor: ...


def where(
    condition: Tensor,
    input: Tensor | complex | None = None,  # noqa: A002 - torch's name
    other: Tensor | complex | None = None,
    *,
    out: Tensor | None = None,
) -> Tensor | tuple[Tensor, ...]:
    """``input`` where ``condition`` holds, else ``other``; ``where(condition)`` alone is
    ``nonzero(condition, as_tuple=True)``."""
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    return written(ops.where(condition, input, other), out, "where")


@overload
def nonzero(input: Tensor, *, as_tuple: Literal[False] = False) -> Tensor: ...  # noqa: A002


@overload
def nonzero(input: Tensor, *, as_tuple: Literal[True]) -> tuple[Tensor, ...]: ...  # noqa: A002


@overload
def nonzero(input: Tensor, *, as_tuple: bool) -> Tensor | tuple[Tensor, ...]: ...  # noqa: A002


def nonzero(input: Tensor, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:  # noqa: A002 - torch's name
    """The indices of the nonzero entries: one row per entry (``as_tuple``: one index
    tensor per axis)."""
    scalar = input.ndim == 0
    if scalar:
        input = ops.reshape(input, (1,))  # noqa: A001
    found = ops.nonzero(input)
    if as_tuple:
        return tuple(found)
    known = isinstance(found[0]._data.shape[0], int)
    rows = ops.stack(list(found), axis=1) if known else _nonzero_rows(input)
    return rows[:, :0] if scalar else rows


def _nonzero_rows(x: Tensor) -> Tensor:
    """The index rows of ``x``'s nonzero entries when their count is not known yet
    (Dask before computing, whose index arrays of unknown length cannot be stacked):
    the rows of every position, then those of the nonzero ones (dask.array.argwhere's way)."""
    ns = x.__array_namespace__()
    grids = ns.meshgrid(*(ns.arange(n) for n in x.shape), indexing="ij")
    every = ops.stack([ops.reshape(g, (-1,)) for g in grids], axis=1)
    return every[ops.reshape(x.bool(), (-1,))]


def argwhere(input: Any) -> Tensor:  # noqa: A002 - torch's name
    """The indices of the non-zero elements, one row per element (torch.argwhere)."""
    return nonzero(input)


def broadcast_tensors(*tensors: Any) -> tuple[Tensor, ...]:
    """The inputs broadcast to one shape (torch.broadcast_tensors)."""
    return tuple(ops.broadcast_arrays(*tensors))


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple[Tensor, ...]:
    """torch's meshgrid: matrix (``"ij"``) indexing unless told ``"xy"``."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    lines = [ops.reshape(t, (1,)) if t.ndim == 0 else t for t in tensors]  # torch takes 0-d
    return tuple(ops.meshgrid(*lines, indexing=indexing))


def tensordot(a: Any, b: Any, dims: Any = 2, out: Any = None) -> Tensor:
    """torch.tensordot: ``dims`` an int (the last/first ``dims`` axes) or two axis lists."""
    if isinstance(dims, int):
        pairs = list(zip(range(a.ndim - dims, a.ndim), range(dims))) if 0 <= dims <= a.ndim else []
    else:
        dims = tuple(tuple(d) if isinstance(d, (list, tuple)) else (d,) for d in dims)
        pairs = list(zip(*dims)) if len(dims) == 2 else []
    for i, j in pairs:  # as torch: a contracted size 1 broadcasts (the other side is summed)
        n, m = _size(a, i), _size(b, j)
        if n is None or m is None or n == m:
            continue  # a bad axis or size is left to ops.tensordot's errors
        if m == 1:
            a = ops.sum(a, axis=i, keepdims=True)
        elif n == 1:
            b = ops.sum(b, axis=j, keepdims=True)
    return written(ops.tensordot(a, b, axes=dims), out, "tensordot")


def _size(t: Any, axis: Any) -> Any:
    return t.shape[axis] if isinstance(axis, int) and -t.ndim <= axis < t.ndim else None


def numel(input: Any) -> int:  # noqa: A002 - torch's name
    """The number of elements of the tensor (torch.numel)."""
    return int(input.numel())


def is_tensor(obj: Any) -> bool:
    """Whether ``obj`` is a polygrad Tensor (torch.is_tensor)."""
    return isinstance(obj, Tensor)


def is_floating_point(input: Any) -> bool:  # noqa: A002 - torch's name
    """Whether the tensor has a real floating dtype (torch.is_floating_point)."""
    return bool(input.dtype.kind == "real floating")


def is_complex(input: Any) -> bool:  # noqa: A002 - torch's name
    """Whether the tensor has a complex dtype (torch.is_complex)."""
    return bool(input.dtype.kind == "complex floating")


def is_nonzero(input: Any) -> bool:  # noqa: A002 - torch's name
    """Whether a one-element tensor is not zero (torch.is_nonzero)."""
    if input.numel() != 1:
        raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
    return bool(input.item())


def randint(low: int, high: Any = None, size: Any = None, **factory: Any) -> Tensor:
    """Integers drawn uniformly from ``[low, high)`` (``randint(high, size)`` too)."""
    if size is None:
        low, high, size = 0, low, high
    dtype = factory.pop("dtype", None) or "int64"
    uniform = FACTORIES["rand"](tuple(size), dtype="float64", **factory)
    drawn = ops.floor(ops.add(ops.multiply(uniform, operator.index(high) - low), low))
    return ops.astype(drawn, _dtype(dtype))


def randint_like(input: Any, low: int = 0, high: Any = None, **factory: Any) -> Tensor:  # noqa: A002
    """Integers drawn uniformly from ``[low, high)`` in ``input``'s shape, dtype, backend and
    device unless told (``randint_like(x, high)`` too)."""
    if high is None:
        low, high = 0, low
    factory.setdefault("dtype", input.dtype)
    if factory.get("device") is None:
        factory["device"] = input.device
    factory.setdefault("backend", input._backend)
    return randint(low, high, tuple(input.shape), **factory)


def randperm(n: int, **factory: Any) -> Tensor:
    """A random permutation of ``0 .. n-1``."""
    dtype = factory.pop("dtype", None) or "int64"
    order = ops.argsort(FACTORIES["rand"](n, dtype="float64", **factory))
    return ops.astype(order, _dtype(dtype))


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, **factory: Any) -> Tensor:
    """Samples of N(``mean``, ``std``) with the broadcast shape of ``mean`` and ``std``
    (or ``size`` when both are numbers)."""
    shapes = [tuple(v.shape) for v in (mean, std) if hasattr(v, "shape")]
    shape = ops.broadcast_shapes(*shapes) if shapes else tuple(size or ())
    like = next((v for v in (mean, std) if hasattr(v, "shape")), None)
    if like is not None:
        factory.setdefault("dtype", like.dtype)
        factory.setdefault("backend", like._backend)
    noise = FACTORIES["randn"](shape, **factory)
    return ops.add(ops.multiply(noise, std), mean)


def from_numpy(ndarray: Any) -> Tensor:
    """A tensor of ``ndarray``'s values on the selected backend (sharing its memory on
    NumPy, copying elsewhere: another library cannot view NumPy's buffer)."""
    import numpy as np

    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    return _creation.as_tensor(ndarray)


def _dtype(dtype: Any) -> Any:

    return DTYPES[dtype] if isinstance(dtype, str) else dtype


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "cat": cat,
    "concat": cat,
    "concatenate": cat,
    "stack": stack,
    "hstack": hstack,
    "vstack": vstack,
    "row_stack": vstack,
    "dstack": dstack,
    "column_stack": column_stack,
    "atleast_1d": atleast_1d,
    "atleast_2d": atleast_2d,
    "atleast_3d": atleast_3d,
    "where": where,
    "nonzero": nonzero,
    "argwhere": argwhere,
    "broadcast_tensors": broadcast_tensors,
    "meshgrid": meshgrid,
    "tensordot": tensordot,
    "numel": numel,
    "is_tensor": is_tensor,
    "is_floating_point": is_floating_point,
    "is_complex": is_complex,
    "is_nonzero": is_nonzero,
    "randint": randint,
    "randint_like": randint_like,
    "randperm": randperm,
    "normal": normal,
    "from_numpy": from_numpy,
    "einsum": einsum,
}
