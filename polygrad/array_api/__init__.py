"""The array API standard's namespace over polygrad tensors, also as a module:
``from polygrad import array_api as xp``.

``x.__array_namespace__()`` returns a namespace bound to ``x``'s backend and device
(``_namespace``), so code written against the standard records a graph; the dtype
functions (``can_cast``, ``finfo``, ``result_type``...) live in ``_dtype_functions``.
This module's own attributes are that namespace for the backend selected now
(``POLYGRAD_BACKEND``, ``pg.set_backend``, ``with pg.backend(...)``):
``xp.sum(x, axis=1, keepdims=True)``, ``xp.concat``, ``xp.max(x, axis=0)`` follow the
standard to the letter, while ``polygrad`` itself is torch's API. Code holding a tensor
should keep asking the tensor; this module is for code that starts from nothing
(``xp.asarray([1.0, 2.0])``).
"""

from __future__ import annotations

from typing import Any

from .. import ops
from ._namespace import default_namespace

__array_api_version__ = "2025.12"


def __getattr__(name: str) -> Any:
    if name == "__all__":  # the namespace of the backend selected now, as dir() lists it
        return [n for n in __dir__() if not n.startswith("_")]
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(default_namespace(), name)


def __dir__() -> list[str]:
    names = set(ops.__all__) | {"linalg", "fft", "special", "__array_namespace_info__"}
    return sorted(names | {n for n in dir(type(default_namespace())) if not n.startswith("_")})
