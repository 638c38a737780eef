"""Turning what NumPy code passes (arrays, lists, numbers, tensors) into polygrad tensors.

The helpers that the handlers of NumPy's functions and ufuncs share: the late imports of
``polygrad.ops`` and ``polygrad.linalg``, conversion of operands to tensors on the
backend of the tensor they meet, and NumPy's promotion of integer inputs to floating
for statistics and norms.
"""

from __future__ import annotations

from typing import Any

from ... import ops
from ..._core._record import operand
from ..._core._tensor import Tensor


def _tensor(a: Any, like: Any = None) -> Any:
    """``a`` as a polygrad tensor (on the backend of ``like`` when given)."""
    if isinstance(a, Tensor):
        return a
    if isinstance(a, (list, tuple)) and any(isinstance(v, Tensor) for v in a):
        return ops.stack([_tensor(v, like) for v in a])
    return operand(a, like) if like is not None else operand(a)


def _first_tensor(values: Any) -> Any:
    for v in values:
        if isinstance(v, Tensor):
            return v
        if isinstance(v, (list, tuple)):
            found = _first_tensor(v)
            if found is not None:
                return found
    return None


def _tensors(values: Any) -> list[Any]:
    like = _first_tensor(values)
    return [_tensor(v, like) for v in values]


def _float(x: Any) -> Any:
    """Integers and booleans become the backend's default floating dtype (as NumPy's
    statistics do); floating and complex tensors keep theirs."""
    if x.dtype.name.startswith(("float", "complex", "bfloat")):
        return x
    info = x.__array_namespace__().__array_namespace_info__()
    return ops.astype(x, info.default_dtypes()["real floating"])
