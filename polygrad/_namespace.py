"""polygrad's array-API namespace, bound to one backend and device.

``x.__array_namespace__()`` returns it, so code written as
``xp = array_namespace(x); xp.sum(xp.exp(x))`` runs on polygrad tensors and records
a graph. Functions come from ``polygrad.ops``; creation functions are bound to the
namespace's backend and device so new arrays mix with ``x``. The engine also runs
rules through it when ``create_graph=True``.
"""

from __future__ import annotations

from typing import Any

from . import ops
from ._record import operand
from ._tensor import Tensor, _make

_cache: dict[tuple[str, Any], Namespace] = {}


class Namespace:
    """The standard's functions on polygrad tensors of one backend."""

    __name__ = "polygrad"
    __array_api_version__ = "2024.12"

    def __init__(self, backend: Any, device: Any = None) -> None:
        self._backend = backend
        self._device = device

    def __repr__(self) -> str:
        return f"<polygrad namespace on {self._backend.name}>"

    def __getattr__(self, name: str) -> Any:
        try:
            return getattr(ops, name)
        except AttributeError:
            raise AttributeError(f"polygrad namespace has no attribute {name!r}") from None

    def _wrap(self, data: Any) -> Tensor:
        return _make(data, self._backend)

    def _dev(self, device: Any) -> Any:
        return self._device if device is None else device

    def asarray(self, obj: Any, /, *, dtype: Any = None, device: Any = None,
                copy: bool | None = None) -> Tensor:
        if isinstance(obj, Tensor):
            out = obj if dtype is None else ops.astype(obj, dtype, copy=False)
            return ops.clone(out) if copy and out is obj else out
        return self._wrap(self._backend.asarray(obj, dtype=dtype, device=self._dev(device),
                                                copy=copy))

    def zeros(self, shape: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
        return self._create("zeros", shape, dtype, device)

    def ones(self, shape: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
        return self._create("ones", shape, dtype, device)

    def empty(self, shape: Any, *, dtype: Any = None, device: Any = None) -> Tensor:
        return self._create("empty", shape, dtype, device)

    def _create(self, fn: str, shape: Any, dtype: Any, device: Any) -> Tensor:
        native = None if dtype is None else self._backend.dtype(dtype)
        return self._wrap(getattr(self._backend.xp, fn)(shape, dtype=native,
                                                         device=self._dev(device)))

    def zeros_like(self, x: Any, /, *, dtype: Any = None, device: Any = None) -> Tensor:
        x = operand(x)
        native = None if dtype is None else self._backend.dtype(dtype)
        return self._wrap(self._backend.xp.zeros_like(x._data, dtype=native))

    def ones_like(self, x: Any, /, *, dtype: Any = None, device: Any = None) -> Tensor:
        x = operand(x)
        native = None if dtype is None else self._backend.dtype(dtype)
        return self._wrap(self._backend.xp.ones_like(x._data, dtype=native))


def namespace_for(backend: Any, device: Any = None) -> Namespace:
    key = (backend.name, device)
    found = _cache.get(key)
    if found is None:
        found = _cache[key] = Namespace(backend, device)
    return found
