"""Code written for NumPy itself, run on polygrad tensors: ``np.sin(x)``, ``np.sum(x * w)``.

``Tensor`` implements NumPy's ``__array_ufunc__`` and ``__array_function__`` (like
MyGrad), so NumPy's functions and operators (``ndarray + tensor`` too) forward to
polygrad's differentiable ones and the graph is recorded, on any backend::

    x = pg.tensor(np.ones(3), requires_grad=True)
    y = np.sum(np.sin(x) * np.arange(3.0))      # a polygrad tensor with grad_fn
    y.backward()

A NumPy function polygrad has no counterpart for raises a ``TypeError`` naming it when
a tensor involved requires grad (never a silently detached result); without grad it
falls back to NumPy on the tensor's values, as ``np.asarray(x)`` would. torch's
functions on polygrad tensors go through ``__torch_function__`` the same way
(polygrad/_torch_protocol.py).
"""

from __future__ import annotations

from typing import Any


def _ops() -> Any:
    from . import ops  # imported late: polygrad.ops imports Tensor, which uses this module

    return ops


#: NumPy ufunc name -> polygrad function name (where they differ or exist).
UFUNCS = {
    "add": "add",
    "subtract": "subtract",
    "multiply": "multiply",
    "divide": "divide",
    "true_divide": "divide",
    "floor_divide": "floor_divide",
    "negative": "negative",
    "positive": "positive",
    "power": "pow",
    "float_power": "pow",
    "remainder": "remainder",
    "mod": "remainder",
    "matmul": "matmul",
    "reciprocal": "reciprocal",
    "square": "square",
    "sqrt": "sqrt",
    "exp": "exp",
    "expm1": "expm1",
    "log": "log",
    "log2": "log2",
    "log10": "log10",
    "log1p": "log1p",
    "sin": "sin",
    "cos": "cos",
    "tan": "tan",
    "arcsin": "asin",
    "arccos": "acos",
    "arctan": "atan",
    "arctan2": "atan2",
    "sinh": "sinh",
    "cosh": "cosh",
    "tanh": "tanh",
    "arcsinh": "asinh",
    "arccosh": "acosh",
    "arctanh": "atanh",
    "absolute": "abs",
    "fabs": "abs",
    "sign": "sign",
    "maximum": "maximum",
    "minimum": "minimum",
    "hypot": "hypot",
    "logaddexp": "logaddexp",
    "floor": "floor",
    "ceil": "ceil",
    "trunc": "trunc",
    "rint": "round",
    "greater": "greater",
    "greater_equal": "greater_equal",
    "less": "less",
    "less_equal": "less_equal",
    "equal": "equal",
    "not_equal": "not_equal",
    "logical_and": "logical_and",
    "logical_or": "logical_or",
    "logical_xor": "logical_xor",
    "logical_not": "logical_not",
    "isnan": "isnan",
    "isinf": "isinf",
    "isfinite": "isfinite",
    "signbit": "signbit",
    "copysign": "copysign",
    "conjugate": "conj",
    "conj": "conj",
    "nextafter": "nextafter",
}
#: ``np.<ufunc>.reduce`` / ``.accumulate`` -> polygrad reductions and scans.
REDUCTIONS = {
    "add": "sum",
    "multiply": "prod",
    "maximum": "max",
    "minimum": "min",
    "logical_and": "all",
    "logical_or": "any",
}
SCANS = {"add": "cumulative_sum", "multiply": "cumulative_prod"}


def _no_out(name: str, kwargs: dict[str, Any]) -> None:
    out = kwargs.pop("out", None)
    if out is not None and not (isinstance(out, tuple) and all(o is None for o in out)):
        raise TypeError(
            f"np.{name}(..., out=...) is not supported on polygrad tensors: a result cannot "
            "be written into an existing array (ndarray += tensor does that too), it "
            f"would leave the graph; assign the result instead (y = np.{name}(...))"
        )


def _any_grad(values: Any) -> bool:
    from ._tensor import Tensor

    stack = list(values)
    while stack:
        v = stack.pop()
        if isinstance(v, Tensor) and v.requires_grad:
            return True
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
    return False


def _to_numpy(value: Any, copy: bool = False) -> Any:
    import numpy as np

    from ._tensor import Tensor

    if isinstance(value, Tensor):
        return np.array(value._to_numpy(), copy=True) if copy else value._to_numpy()
    if copy and isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_to_numpy(v, copy) for v in value)
    return value


def _carries_no_gradient(value: Any) -> bool:
    """Booleans, integers and other non-floating results: nothing to differentiate."""
    import numpy as np

    if isinstance(value, (list, tuple)):
        return all(_carries_no_gradient(v) for v in value)
    if isinstance(value, (np.ndarray, np.generic)):
        return value.dtype.kind in "biuSUM"
    return isinstance(value, (bool, int, str, np.dtype))  # None: maybe an in-place write


def _unsupported(label: str, args: Any, kwargs: dict[str, Any], run: Any) -> Any:
    """No polygrad counterpart: compute with NumPy on the values, and refuse (naming the
    function) when a tensor requires grad and the result could carry a gradient."""
    needs_grad = _any_grad(args) or _any_grad(kwargs.values())
    refusal = TypeError(
        f"{label} is not supported on polygrad tensors that require grad (its result "
        "would be detached from the graph); use the polygrad namespace "
        "(xp = x.__array_namespace__()) or file an issue for the missing function"
    )
    try:  # copies when grad is at stake: a function that writes in place changes no tensor
        result = run(
            *_to_numpy(tuple(args), needs_grad),
            **{k: _to_numpy(v, needs_grad) for k, v in kwargs.items()},
        )
    except Exception as error:
        if needs_grad:
            raise refusal from error
        raise
    if needs_grad and not _carries_no_gradient(result):
        raise refusal
    return result


#: ufunc -> polygrad function, for plain calls (``array @ tensor``, ``np.sin(t)``): filled
#: on first use, so the common case is one dict lookup
_PLAIN_CALLS: dict[Any, Any] = {}


def array_ufunc(ufunc: Any, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``Tensor.__array_ufunc__``: NumPy ufuncs as polygrad ops."""
    if method == "__call__" and not kwargs:
        target = _PLAIN_CALLS.get(ufunc)
        if target is not None:
            return target(*inputs)
    ops = _ops()
    name = ufunc.__name__
    _no_out(name, kwargs)
    # keyword arguments that only restate NumPy's defaults change nothing
    extra = {
        k: v
        for k, v in kwargs.items()
        if k not in ("casting", "order", "subok", "signature")
        and not (k == "where" and v is True)
        and not (k == "initial" and v is None)
    }
    dtype = extra.pop("dtype", None)
    call = None
    if method == "__call__" and not extra:
        from ._numpy_functions import COMPOSED_UFUNCS

        target = getattr(ops, UFUNCS.get(name, ""), None) or COMPOSED_UFUNCS.get(name)
        if target is not None:
            _PLAIN_CALLS[ufunc] = target
            call = lambda: target(*inputs)  # noqa: E731
    elif method in ("reduce", "accumulate"):
        table = REDUCTIONS if method == "reduce" else SCANS
        target = getattr(ops, table.get(name, ""), None)
        axis = extra.pop("axis", 0)
        keepdims = extra.pop("keepdims", False)
        if target is not None and not extra:
            if method == "reduce":
                call = lambda: target(inputs[0], axis=axis, keepdims=keepdims)  # noqa: E731
            elif axis is not None:
                call = lambda: target(inputs[0], axis=axis)  # noqa: E731
    if call is None:
        label = f"np.{name}" if method == "__call__" else f"np.{name}.{method}"
        return _unsupported(label, inputs, kwargs, getattr(ufunc, method))
    result = call()
    return result if dtype is None else ops.astype(result, dtype)


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
        _no_out(target, {"out": out})
        ops = _ops()
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
        _no_out(target, {"out": out})
        ddof = kw.pop("correction", ddof)
        if kw.get("where", True) is not True or kw.get("mean") is not None:
            return None  # not supported: reported by the caller
        ops = _ops()
        result = getattr(ops, target)(a, axis=axis, correction=ddof, keepdims=keepdims)
        return result if dtype is None else ops.astype(result, dtype)

    return run


def _dot(a: Any, b: Any, out: Any = None) -> Any:
    _no_out("dot", {"out": out})
    if getattr(a, "ndim", 0) == 0 or getattr(b, "ndim", 0) == 0:
        return _ops().multiply(a, b)
    if a.ndim > 2 or b.ndim > 2:  # NumPy's N-d dot: a sum over a's last and b's second-last axis
        return _ops().tensordot(a, b, axes=([a.ndim - 1], [max(b.ndim - 2, 0)]))
    return _ops().matmul(a, b)


def _diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Any:
    """``np.diff``; a number to prepend or append stands for a slice of that value."""
    o = _ops()

    def edge(value: Any) -> Any:
        if value is None or getattr(value, "ndim", 0) > 0:
            return value
        shape = list(a.shape)
        shape[axis] = 1
        return o.broadcast_to(
            o.astype(a.__array_namespace__().asarray(value), a.dtype)
            if not hasattr(value, "ndim")
            else value,
            tuple(shape),
        )

    return o.diff(a, axis=axis, n=n, prepend=edge(prepend), append=edge(append))


def _functions() -> dict[str, Any]:
    from . import _numpy_functions

    o = _ops()
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
            o.reshape(a, shape if shape is not None else kw["newshape"]) if order == "C" else None
        ),
        "ravel": lambda a, order="C": o.reshape(a, (-1,)) if order in ("C", "K") else None,
        "transpose": lambda a, axes=None: o.permute_dims(
            a, tuple(reversed(range(a.ndim))) if axes is None else tuple(axes)
        ),
        "swapaxes": lambda a, axis1, axis2: o.transpose(a, axis1, axis2),
        "moveaxis": lambda a, source, destination: o.moveaxis(a, source, destination),
        "concatenate": lambda arrays, axis=0, out=None, **kw: o.concat(list(arrays), axis=axis),
        "stack": lambda arrays, axis=0, out=None, **kw: o.stack(list(arrays), axis=axis),
        "where": lambda condition, x, y: o.where(condition, x, y),
        "dot": _dot,
        "matmul": lambda a, b, **kw: o.matmul(a, b),
        "clip": lambda a, a_min=None, a_max=None, out=None, **kw: o.clip(
            a, kw.get("min", a_min), kw.get("max", a_max)
        ),
        "squeeze": lambda a, axis=None: (
            o.squeeze(a, axis=axis)
            if axis is not None
            else o.squeeze(a, axis=tuple(i for i, n in enumerate(a.shape) if n == 1))
        ),
        "expand_dims": lambda a, axis: o.expand_dims(a, axis=axis),
        "broadcast_to": lambda array, shape, subok=False: o.broadcast_to(array, shape),
        "cumsum": lambda a, axis=None, dtype=None, out=None: o.cumulative_sum(
            a if axis is not None else o.reshape(a, (-1,)),
            axis=axis if axis is not None else 0,
            dtype=dtype,
        ),
        "cumprod": lambda a, axis=None, dtype=None, out=None: o.cumulative_prod(
            a if axis is not None else o.reshape(a, (-1,)),
            axis=axis if axis is not None else 0,
            dtype=dtype,
        ),
        "diff": _diff,
        "flip": lambda m, axis=None: o.flip(m, axis=axis),
        "roll": lambda a, shift, axis=None: o.roll(a, shift, axis=axis),
        "tile": lambda A, reps: o.tile(A, tuple(reps) if not isinstance(reps, int) else (reps,)),
        "tensordot": lambda a, b, axes=2: o.tensordot(a, b, axes=axes),
        "outer": lambda a, b, out=None: o.multiply(o.reshape(a, (-1, 1)), o.reshape(b, (1, -1))),
        "shape": lambda a: tuple(a.shape),
        "ndim": lambda a: a.ndim,
        "size": lambda a, axis=None: a.size if axis is None else a.shape[axis],
        "copy": lambda a, order="K", subok=False: o.clone(a),
        "take": lambda a, indices, axis=None, out=None, mode="raise": (
            o.take(a, indices, axis=axis) if mode == "raise" else None
        ),
        "argmax": lambda a, axis=None, out=None, keepdims=False: o.argmax(
            a, axis=axis, keepdims=keepdims
        ),
        "argmin": lambda a, axis=None, out=None, keepdims=False: o.argmin(
            a, axis=axis, keepdims=keepdims
        ),
        "sort": lambda a, axis=-1, kind=None, order=None, **kw: o.sort(a, axis=axis),
        "argsort": lambda a, axis=-1, kind=None, order=None, **kw: o.argsort(a, axis=axis),
        "real": lambda val: o.real(val),
        "imag": lambda val: o.imag(val),
        "tril": lambda m, k=0: o.tril(m, k=k),
        "triu": lambda m, k=0: o.triu(m, k=k),
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
        _no_out(name, kwargs)
    result = None if handler is None else handler(*args, **kwargs)
    if handler is None or result is None:
        return _unsupported(f"np.{name}", args, kwargs, func)
    return result


class ArrayProtocols:
    """Mixin of ``Tensor``: NumPy's and torch's dispatch protocols."""

    __slots__ = ()

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(
        self, func: Any, types: tuple[type, ...], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        for t in types:
            if not (issubclass(t, ArrayProtocols) or t.__module__.partition(".")[0] == "numpy"):
                return NotImplemented
        return array_function(func, types, args, kwargs)

    @classmethod
    def __torch_function__(
        cls,
        func: Any,
        types: tuple[type, ...],
        args: tuple[Any, ...] = (),
        kwargs: dict[str, Any] | None = None,
    ) -> Any:
        from ._torch_protocol import torch_function

        return torch_function(func, args, kwargs or {})
