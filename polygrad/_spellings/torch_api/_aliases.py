"""torch's spellings of one op: NumPy-style keyword aliases and function forms of methods.

torch accepts ``axis=`` for ``dim=``, ``keepdims=`` for ``keepdim=``, ``x=``/``a=``/``x1=``
for ``input=`` and ``x2=`` for ``other=`` (its argument parser's NumPy aliases), so
``torch.sum(x, axis=0, keepdims=True)`` works; ``accepts_numpy_names`` gives a function
or method the same. ``function_of_method`` exposes a Tensor method as torch's function
form (``pg.clamp(x, 0, 1)`` is ``x.clamp(0, 1)``), so a name is implemented once.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from ... import ops
from ..._core._creation import as_tensor
from ..._core._inplace import inplace

#: torch's NumPy-compatible keyword names and the name each stands for
NUMPY_ALIASES = {"axis": "dim", "keepdims": "keepdim", "x": "input", "a": "input", "x1": "input"}
NUMPY_ALIASES["x2"] = "other"

F = TypeVar("F", bound=Callable[..., Any])


def rename_aliases(name: str, kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` with torch's aliases renamed; a name given twice is a TypeError."""
    renamed = {}
    for key, value in kwargs.items():
        target = NUMPY_ALIASES.get(key, key)
        if target in renamed:
            raise TypeError(f"{name}() got multiple values for argument '{target}'")
        renamed[target] = value
    return renamed


def accepts_numpy_names(fn: F) -> F:
    """``fn`` also taking torch's NumPy aliases (``axis=``, ``keepdims=``...); its
    signature, for ``help()`` and type checkers, stays ``fn``'s."""

    @functools.wraps(fn)
    def with_aliases(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = rename_aliases(fn.__name__, kwargs)
        return fn(*args, **kwargs)

    return with_aliases  # type: ignore[return-value]  # fn's signature, via __wrapped__


def function_of_method(tensor_type: type, name: str) -> Callable[..., Any]:
    """torch's function form ``name(input, *args, **kwargs)`` of ``Tensor.<name>``; a
    non-tensor ``input`` (a Python number, NumPy data) becomes a tensor first."""
    method = getattr(tensor_type, name)

    def function(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            kwargs = rename_aliases(name, kwargs)
        if "input" in kwargs:
            args = (kwargs.pop("input"), *args)
        if not args:
            raise TypeError(f"{name}() missing 1 required positional argument: 'input'")
        tensor = args[0]
        if not isinstance(tensor, tensor_type):
            tensor = as_tensor(tensor)
        return method(tensor, *args[1:], **kwargs)

    function.__name__ = function.__qualname__ = name
    function.__wrapped__ = method  # type: ignore[attr-defined]  # its annotations, its overloads
    function.__signature__ = _input_first(inspect.signature(method), tensor_type)  # type: ignore[attr-defined]
    function.__doc__ = f"``torch.{name}(input, ...)``: the same as ``input.{name}(...)``.\n\n" + (
        method.__doc__ or ""
    )
    return function


def _input_first(method: inspect.Signature, tensor_type: type) -> inspect.Signature:
    """A method's signature as its function form's: ``self`` is torch's ``input``."""
    self_, *rest = method.parameters.values()
    tensor = self_.replace(name="input", annotation=tensor_type)
    return method.replace(parameters=[tensor, *rest])


def inplace_of(tensor_type: type, name: str) -> Callable[..., Any]:
    """torch's in-place form ``x.<name>_(...)``: ``x.<name>(...)`` written back into ``x``
    (recorded as one in-place op, version counter and views updated)."""
    method = getattr(tensor_type, name)

    def inplace_method(self: Any, *args: Any, **kwargs: Any) -> Any:

        return inplace(self, lambda t, *rest: _as_target(t, method(t, *rest, **kwargs)), *args)

    inplace_method.__name__ = inplace_method.__qualname__ = name + "_"
    inplace_method.__wrapped__ = method  # type: ignore[attr-defined]  # the same signature
    inplace_method.__doc__ = f"In-place ``x.{name}(...)``: writes the result into ``x``."
    return inplace_method


def _as_target(target: Any, result: Any) -> Any:
    """``result`` written into ``target`` by an in-place op: torch's shape and casting
    rules (bool results of ``x.eq_(y)`` become ``x``'s dtype; float into int refused)."""
    if tuple(result.shape) != tuple(target.shape):
        raise RuntimeError(
            f"output with shape {list(target.shape)} doesn't match the broadcast shape "
            f"{list(result.shape)}"
        )
    if result.dtype == target.dtype:
        return result

    if _KIND_ORDER.index(_kind(result.dtype)) > _KIND_ORDER.index(_kind(target.dtype)):
        raise RuntimeError(
            f"result type {_torch_name(result.dtype)} can't be cast to the desired output "
            f"type {_torch_name(target.dtype)}"
        )
    return ops.astype(result, target.dtype)


#: torch casts an in-place result to the target's dtype unless that goes down this order
_KIND_ORDER = ("bool", "integer", "real floating", "complex floating")


def _kind(dtype: Any) -> str:
    return "integer" if "integer" in dtype.kind else dtype.kind


def _torch_name(dtype: Any) -> str:
    names = {"float32": "Float", "float64": "Double", "int64": "Long", "int32": "Int"}
    names |= {"bool": "Bool", "complex64": "ComplexFloat", "complex128": "ComplexDouble"}
    return names.get(dtype.name, dtype.name)
