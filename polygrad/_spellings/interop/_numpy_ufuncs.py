"""NumPy's ufuncs on polygrad tensors: ``np.sin(x)``, ``ndarray + tensor``, ``np.add.reduce(x)``.

``Tensor.__array_ufunc__`` (polygrad/_spellings/interop/_numpy_protocol.py) sends each ufunc call to the
polygrad op of the same meaning (``UFUNCS``), or to a composition of polygrad ops for
ufuncs without one (``COMPOSED_UFUNCS``: ``np.exp2``, ``np.cbrt``, ``np.heaviside``...),
so the graph is recorded; SciPy's special functions (also ufuncs: ``scipy.special.erfcx(x)``)
go to ``pg.special``'s. ``.reduce`` and ``.accumulate`` of ``add``, ``multiply``,
``maximum``... become polygrad reductions and scans. Anything else falls back as
polygrad/_spellings/interop/_numpy_fallback.py describes.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from ... import ops, special
from ._numpy_fallback import _no_out, _unsupported
from ._numpy_operands import _tensor

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


def _exp2(x: Any) -> Any:
    return ops.pow(2.0, x)


def _cbrt(x: Any) -> Any:
    return ops.sign(x) * ops.pow(ops.abs(x), 1.0 / 3.0)


def _heaviside(x1: Any, x2: Any) -> Any:
    x1 = _tensor(x1)
    return ops.where(ops.less(x1, 0), 0.0, ops.where(ops.greater(x1, 0), 1.0, _tensor(x2, x1)))


def _logaddexp2(x1: Any, x2: Any) -> Any:
    ln2 = math.log(2.0)
    return ops.logaddexp(ops.multiply(x1, ln2), ops.multiply(x2, ln2)) / ln2


#: NumPy ufuncs without a polygrad op of their own, as compositions of polygrad ops.
COMPOSED_UFUNCS: dict[str, Any] = {
    "exp2": _exp2,
    "cbrt": _cbrt,
    "deg2rad": lambda x: ops.multiply(x, math.pi / 180.0),
    "radians": lambda x: ops.multiply(x, math.pi / 180.0),
    "rad2deg": lambda x: ops.multiply(x, 180.0 / math.pi),
    "degrees": lambda x: ops.multiply(x, 180.0 / math.pi),
    "heaviside": _heaviside,
    "logaddexp2": _logaddexp2,
}


#: ufunc -> polygrad function, for plain calls (``array @ tensor``, ``np.sin(t)``): filled
#: on first use, so the common case is one dict lookup
_PLAIN_CALLS: dict[Any, Any] = {}


def _ufunc_label(ufunc: Any) -> str:
    """How the user called ``ufunc``: ``np.add``, ``scipy.special.erfcx`` (SciPy's special
    functions are ufuncs too), or its bare name for another library's."""
    name = ufunc.__name__
    if getattr(np, name, None) is ufunc:
        return f"np.{name}"
    special = sys.modules.get("scipy.special")
    if special is not None and getattr(special, name, None) is ufunc:
        return f"scipy.special.{name}"
    return f"the ufunc {name}"


def _special_counterpart(ufunc: Any) -> Any:
    """``pg.special``'s function for a SciPy special-function ufunc it has (``erfcx``)."""
    name = ufunc.__name__
    if _ufunc_label(ufunc) != f"scipy.special.{name}":
        return None
    return getattr(special, name, None)


def array_ufunc(ufunc: Any, method: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """``Tensor.__array_ufunc__``: NumPy ufuncs as polygrad ops."""
    if method == "__call__" and not kwargs:
        target = _PLAIN_CALLS.get(ufunc)
        if target is not None:
            return target(*inputs)
    name = ufunc.__name__
    _no_out(_ufunc_label(ufunc), kwargs)
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
        target = (
            getattr(ops, UFUNCS.get(name, ""), None)
            or COMPOSED_UFUNCS.get(name)
            or _special_counterpart(ufunc)
        )
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
        label = _ufunc_label(ufunc)
        label = label if method == "__call__" else f"{label}.{method}"
        return _unsupported(label, inputs, kwargs, getattr(ufunc, method))
    result = call()
    return result if dtype is None else ops.astype(result, dtype)
