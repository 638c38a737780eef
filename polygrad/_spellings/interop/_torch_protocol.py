"""torch's own functions on polygrad tensors: ``torch.sin(x)``, ``torch.sum(x, dim=1)``.

``Tensor.__torch_function__`` (declared in polygrad/_spellings/interop/_numpy_protocol.py) sends a torch
function called with a polygrad tensor to polygrad's differentiable counterpart, so
code written for torch records polygrad's graph (also ``torch_tensor * x``). torch
functions are matched by name to polygrad's torch-style tensor methods
(``torch.sum(x, 1)`` is ``x.sum(1)``), plus a few that take sequences (``torch.cat``,
``torch.stack``) or several tensors (``torch.where``). Anything else raises a
``TypeError`` naming the function when a tensor involved requires grad, and otherwise
runs in torch on the tensor's values.
"""

from __future__ import annotations

import operator
from typing import Any

from ... import fft, linalg, ops
from ..._core._record import operand
from ..._core._tensor import Tensor
from ._numpy_fallback import _any_grad, _to_numpy
from ._numpy_operands import _first_tensor

#: torch.Tensor dunder methods (``torch_tensor + x`` dispatches here) -> Python operators.
_OPERATORS = {
    "__add__": operator.add,
    "__sub__": operator.sub,
    "__mul__": operator.mul,
    "__truediv__": operator.truediv,
    "__div__": operator.truediv,
    "__pow__": operator.pow,
    "__matmul__": operator.matmul,
    "__floordiv__": operator.floordiv,
    "__mod__": operator.mod,
    "__lt__": operator.lt,
    "__le__": operator.le,
    "__gt__": operator.gt,
    "__ge__": operator.ge,
    "__eq__": operator.eq,
    "__ne__": operator.ne,
    "__and__": operator.and_,
    "__or__": operator.or_,
}
_REFLECTED = {
    "__radd__": operator.add,
    "__rsub__": operator.sub,
    "__rmul__": operator.mul,
    "__rtruediv__": operator.truediv,
    "__rdiv__": operator.truediv,
    "__rpow__": operator.pow,
    "__rmatmul__": operator.matmul,
}
#: torch names whose polygrad method has another name.
_RENAMED = {
    "true_divide": "div",
    "multiply": "mul",
    "subtract": "sub",
    "negative": "neg",
    "absolute": "abs",
    "clip": "clamp",
    "arccos": "acos",
    "arcsin": "asin",
    "arctan": "atan",
    "concatenate": "cat",
    "concat": "cat",
}


_ONE_D_FFT = (("n", "n"), ("dim", "axis"), ("norm", "norm"))
_N_D_FFT = (("s", "s"), ("dim", "axes"), ("norm", "norm"))
_NORMS = (("ord", "ord"), ("dim", "axis"), ("keepdim", "keepdims"))
#: torch.fft / torch.linalg functions polygrad runs: each parameter after the first in
#: torch's order, with its name in polygrad's function (an int: passed positionally)
_SUBMODULE_PARAMS: dict[str, dict[str, tuple[tuple[str, str | int], ...]]] = {
    "fft": {
        **dict.fromkeys(("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"), _ONE_D_FFT),
        **dict.fromkeys(("fftn", "ifftn", "rfftn", "irfftn"), _N_D_FFT),
        **dict.fromkeys(("fftshift", "ifftshift"), (("dim", "axes"),)),
    },
    "linalg": {
        **dict.fromkeys(
            ("inv", "det", "slogdet", "eig", "eigvals", "eigh", "eigvalsh", "svdvals"), ()
        ),
        "cholesky": (("upper", "upper"),),
        "solve": (("B", 0),),
        "vector_norm": _NORMS,
        "matrix_norm": (("ord", "ord"), ("keepdim", "keepdims")),
        "svd": (("full_matrices", "full_matrices"),),
        "qr": (("mode", "mode"),),
        "pinv": (("rtol", "rtol"),),
        "matrix_power": (("n", 0),),
        "cross": (("other", 0), ("dim", "axis")),
        "vecdot": (("y", 0), ("dim", "axis")),
    },
}


def _submodule_call(name: str, args: tuple[Any, ...], kwargs: dict[str, Any], like: Any) -> Any:
    """``torch.fft.fft(x, dim=0)`` as ``pg.fft.fft(x, axis=0)`` (None: not one of them, or
    an argument polygrad's function does not take)."""
    module, _, short = name.partition("_")
    params = _SUBMODULE_PARAMS.get(module, {}).get(short)
    if params is None or not args or len(args) - 1 > len(params):
        return None
    given = dict(zip((torch_name for torch_name, _ in params), args[1:]))
    given.update(kwargs)
    ours = dict(params)
    if any(key not in ours for key in given):
        return None
    positional, keywords = [], {}
    for key, value in given.items():
        if value is None:
            continue  # torch's "default" spelling
        if isinstance(ours[key], int):
            positional.append(_as_polygrad(value, like))
        else:
            keywords[str(ours[key])] = value
    target = getattr(fft if module == "fft" else linalg, short)
    return target(_as_polygrad(args[0], like), *positional, **keywords)


def _as_polygrad(value: Any, like: Any) -> Any:
    if isinstance(value, Tensor) or not hasattr(value, "shape"):
        return value
    return operand(value, like)


def torch_function(func: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """Run torch function ``func`` on arguments that include polygrad tensors."""
    name = getattr(func, "__name__", "")
    # torch.nn.functional passes its defaults along (dim=None, _stacklevel=3, inplace=False)
    kwargs = {
        k: v
        for k, v in kwargs.items()
        if v is not None and not k.startswith("_") and not (k == "inplace" and v is False)
    }
    like = _first_tensor(list(args) + list(kwargs.values()))
    if name in _OPERATORS and len(args) == 2 and not kwargs:
        return _OPERATORS[name](_as_polygrad(args[0], like), _as_polygrad(args[1], like))
    if name in _REFLECTED and len(args) == 2 and not kwargs:
        return _REFLECTED[name](_as_polygrad(args[1], like), _as_polygrad(args[0], like))
    name = _RENAMED.get(name, name)
    if name in ("cat", "stack") and args:
        dim = kwargs.pop("dim", args[1] if len(args) > 1 else 0)
        tensors = [_as_polygrad(t, like) for t in args[0]]
        return (ops.concat if name == "cat" else ops.stack)(tensors, axis=dim)
    if name == "where" and len(args) == 3 and not kwargs:
        return ops.where(*(_as_polygrad(a, like) for a in args))
    if name.startswith(("fft_", "linalg_")):
        result = _submodule_call(name, args, kwargs, like)
        if result is not None:
            return result
    if args and not name.startswith("_"):
        first = _as_polygrad(args[0], like)
        method = getattr(type(like), name, None)
        if method is not None and callable(method) and first is not None and hasattr(first, name):
            return getattr(first, name)(*(_as_polygrad(a, like) for a in args[1:]), **kwargs)
    if _any_grad(args) or _any_grad(kwargs.values()):
        raise TypeError(
            f"torch function {getattr(func, '__qualname__', name)} is not supported on polygrad "
            "tensors that require grad (its result would be detached from the graph); use the "
            "polygrad namespace (xp = x.__array_namespace__()) or polygrad's tensor methods"
        )

    def raw(value: Any) -> Any:
        if isinstance(value, Tensor):
            return value._data if value._backend.name == "torch" else _to_numpy(value)
        if isinstance(value, (list, tuple)):
            return type(value)(raw(v) for v in value)
        return value

    return func(*raw(tuple(args)), **{k: raw(v) for k, v in kwargs.items()})
