"""NumPy's functions on polygrad tensors: ``np.sum(x)``, ``np.reshape(x, ...)``, ``np.cov(x)``.

``Tensor.__array_function__`` (polygrad/_spellings/interop/_numpy_protocol.py) looks the NumPy function up
by name (``"sum"``, ``"linalg.norm"``) in a table of handlers built from polygrad's
differentiable ops, so the graph is recorded. This module holds the dispatch and the
handlers for NumPy's everyday array functions (reductions, reshapes, joins, sorting);
polygrad/_spellings/interop/_numpy_functions.py adds the rest (statistics, fft, linalg, products,
constructions). A missing handler, or one returning ``None`` for arguments it does not
cover, falls back as polygrad/_spellings/interop/_numpy_fallback.py describes.
"""

from __future__ import annotations

from typing import Any

from ... import ops
from . import _numpy_functions
from ._numpy_fallback import _no_out, _unsupported

#: the identity of each reduction (what ``where=False`` entries count as)
_IDENTITY = {"sum": 0, "prod": 1, "all": True, "any": False}


def _reduction(target: str) -> Any:
    def run(
        a: Any,
        axis: Any = None,
        dtype: Any = None,
        out: Any = None,
        keepdims: bool = False,
        initial: Any = None,
        where: Any = True,
    ) -> Any:
        _no_out(f"np.{target}", {"out": out})
        if where is not True:
            if target not in _IDENTITY:
                return None  # not supported: reported by the caller
            a = ops.where(where, a, _IDENTITY[target])
        result = getattr(ops, target)(a, axis=axis, keepdims=keepdims)
        if initial is not None:
            combine = {
                "sum": ops.add,
                "prod": ops.multiply,
                "max": ops.maximum,
                "min": ops.minimum,
            }.get(target)
            if combine is None:
                return None
            result = combine(result, initial)
        return result if dtype is None else ops.astype(result, dtype)

    return run


def _spread(target: str) -> Any:
    def run(
        a: Any,
        axis: Any = None,
        dtype: Any = None,
        out: Any = None,
        ddof: float = 0,
        keepdims: bool = False,
        **kw: Any,
    ) -> Any:
        _no_out(f"np.{target}", {"out": out})
        ddof = kw.pop("correction", ddof)
        if kw.get("where", True) is not True or kw.get("mean") is not None:
            return None  # not supported: reported by the caller
        result = getattr(ops, target)(a, axis=axis, correction=ddof, keepdims=keepdims)
        return result if dtype is None else ops.astype(result, dtype)

    return run


def _dot(a: Any, b: Any, out: Any = None) -> Any:
    _no_out("np.dot", {"out": out})
    if getattr(a, "ndim", 0) == 0 or getattr(b, "ndim", 0) == 0:
        return ops.multiply(a, b)
    if a.ndim > 2 or b.ndim > 2:  # NumPy's N-d dot: a sum over a's last and b's second-last axis
        return ops.tensordot(a, b, axes=([a.ndim - 1], [max(b.ndim - 2, 0)]))
    return ops.matmul(a, b)


def _diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Any:
    """``np.diff``; a number to prepend or append stands for a slice of that value."""

    def edge(value: Any) -> Any:
        if value is None or getattr(value, "ndim", 0) > 0:
            return value
        shape = list(a.shape)
        shape[axis] = 1
        return ops.broadcast_to(
            ops.astype(a.__array_namespace__().asarray(value), a.dtype)
            if not hasattr(value, "ndim")
            else value,
            tuple(shape),
        )

    return ops.diff(a, axis=axis, n=n, prepend=edge(prepend), append=edge(append))


def _functions() -> dict[str, Any]:
    return {
        "sum": _reduction("sum"),
        "prod": _reduction("prod"),
        "mean": _reduction("mean"),
        "max": _reduction("max"),
        "amax": _reduction("max"),
        "min": _reduction("min"),
        "amin": _reduction("min"),
        "all": _reduction("all"),
        "any": _reduction("any"),
        "std": _spread("std"),
        "var": _spread("var"),
        "reshape": lambda a, shape=None, order="C", **kw: (
            ops.reshape(a, shape if shape is not None else kw["newshape"]) if order == "C" else None
        ),
        "ravel": lambda a, order="C": ops.reshape(a, (-1,)) if order in ("C", "K") else None,
        "transpose": lambda a, axes=None: ops.permute_dims(
            a, tuple(reversed(range(a.ndim))) if axes is None else tuple(axes)
        ),
        "swapaxes": lambda a, axis1, axis2: ops.transpose(a, axis1, axis2),
        "moveaxis": lambda a, source, destination: ops.moveaxis(a, source, destination),
        "concatenate": lambda arrays, axis=0, out=None, **kw: ops.concat(list(arrays), axis=axis),
        "stack": lambda arrays, axis=0, out=None, **kw: ops.stack(list(arrays), axis=axis),
        "where": lambda condition, x, y: ops.where(condition, x, y),
        "dot": _dot,
        "matmul": lambda a, b, **kw: ops.matmul(a, b),
        "clip": lambda a, a_min=None, a_max=None, out=None, **kw: ops.clip(
            a, kw.get("min", a_min), kw.get("max", a_max)
        ),
        "squeeze": lambda a, axis=None: (
            ops.squeeze(a, axis=axis)
            if axis is not None
            else ops.squeeze(a, axis=tuple(i for i, n in enumerate(a.shape) if n == 1))
        ),
        "expand_dims": lambda a, axis: ops.expand_dims(a, axis=axis),
        "broadcast_to": lambda array, shape, subok=False: ops.broadcast_to(array, shape),
        "cumsum": lambda a, axis=None, dtype=None, out=None: ops.cumulative_sum(
            a if axis is not None else ops.reshape(a, (-1,)),
            axis=axis if axis is not None else 0,
            dtype=dtype,
        ),
        "cumprod": lambda a, axis=None, dtype=None, out=None: ops.cumulative_prod(
            a if axis is not None else ops.reshape(a, (-1,)),
            axis=axis if axis is not None else 0,
            dtype=dtype,
        ),
        "diff": _diff,
        "flip": lambda m, axis=None: ops.flip(m, axis=axis),
        "roll": lambda a, shift, axis=None: ops.roll(a, shift, axis=axis),
        "tile": lambda A, reps: ops.tile(A, tuple(reps) if not isinstance(reps, int) else (reps,)),
        "tensordot": lambda a, b, axes=2: ops.tensordot(a, b, axes=axes),
        "outer": lambda a, b, out=None: ops.multiply(
            ops.reshape(a, (-1, 1)), ops.reshape(b, (1, -1))
        ),
        "shape": lambda a: tuple(a.shape),
        "ndim": lambda a: a.ndim,
        "size": lambda a, axis=None: a.size if axis is None else a.shape[axis],
        "copy": lambda a, order="K", subok=False: ops.clone(a),
        "take": lambda a, indices, axis=None, out=None, mode="raise": (
            ops.take(a, indices, axis=axis) if mode == "raise" else None
        ),
        "argmax": lambda a, axis=None, out=None, keepdims=False: ops.argmax(
            a, axis=axis, keepdims=keepdims
        ),
        "argmin": lambda a, axis=None, out=None, keepdims=False: ops.argmin(
            a, axis=axis, keepdims=keepdims
        ),
        "sort": lambda a, axis=-1, kind=None, order=None, **kw: ops.sort(a, axis=axis),
        "argsort": lambda a, axis=-1, kind=None, order=None, **kw: ops.argsort(a, axis=axis),
        "real": lambda val: ops.real(val),
        "imag": lambda val: ops.imag(val),
        "tril": lambda m, k=0: ops.tril(m, k=k),
        "triu": lambda m, k=0: ops.triu(m, k=k),
        **_numpy_functions.functions(),
    }


_FUNCTIONS: dict[str, Any] | None = None


def array_function(
    func: Any, types: tuple[type, ...], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """``Tensor.__array_function__``: NumPy functions as polygrad ops."""
    global _FUNCTIONS
    if _FUNCTIONS is None:
        _FUNCTIONS = _functions()
    module = getattr(func, "__module__", "numpy") or "numpy"
    name = (
        func.__name__ if module == "numpy" else f"{module.removeprefix('numpy.')}.{func.__name__}"
    )
    handler = _FUNCTIONS.get(name)
    if handler is not None:
        _no_out(f"np.{name}", kwargs)
    result = None if handler is None else handler(*args, **kwargs)
    if handler is None or result is None:
        return _unsupported(f"np.{name}", args, kwargs, func)
    return result
