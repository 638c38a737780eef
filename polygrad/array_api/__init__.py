"""The array API standard's namespace as a module: ``import polygrad.array_api as xp``.

``xp.sum(x, axis=1, keepdims=True)``, ``xp.concat``, ``xp.max(x, axis=0)``... follow
the standard to the letter (float64 default on NumPy), while ``polygrad`` itself is
torch's API. Each name is the one ``x.__array_namespace__()`` gives for the backend
selected now (``POLYGRAD_BACKEND``, ``pg.set_backend``, ``with pg.backend(...)``), so
code holding a tensor should keep asking the tensor; this module is for code that
starts from nothing (``xp.asarray([1.0, 2.0])``).
"""

from __future__ import annotations

from typing import Any

from .._namespace import default_namespace

__array_api_version__ = "2025.12"


def __getattr__(name: str) -> Any:
    if name.startswith("__"):
        raise AttributeError(name)
    return getattr(default_namespace(), name)


def __dir__() -> list[str]:
    from .. import ops

    names = set(ops.__all__) | {"linalg", "fft", "special", "__array_namespace_info__"}
    return sorted(names | {n for n in dir(type(default_namespace())) if not n.startswith("_")})
