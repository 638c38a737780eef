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
(polygrad/_spellings/interop/_torch_protocol.py).
"""

from __future__ import annotations

from typing import Any

from ..._core._tensor import Tensor
from ._numpy_array_function import array_function
from ._numpy_ufuncs import array_ufunc
from ._torch_protocol import torch_function


class ArrayProtocols:
    """Mixin of ``Tensor``: NumPy's and torch's dispatch protocols."""

    __slots__ = ()

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(
        self, func: Any, types: tuple[type, ...], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        for t in types:
            if not (issubclass(t, Tensor) or t.__module__.partition(".")[0] == "numpy"):
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
        return torch_function(func, args, kwargs or {})
