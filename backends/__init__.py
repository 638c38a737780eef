"""Backend adapters: one small module per array library, and which of them you can use.

``pg.backends.available()`` says which adapters are installed, with the library
version and its devices; ``pg.get_backend()`` which one new tensors get here (a
tensor's own is ``x.backend``). Importing this package imports no array library: each
adapter module (``polygrad.backends.torch``...) is loaded on first use.
"""

from __future__ import annotations

from typing import Any

from polygrad._core import _backend  # the registry, which loads adapters by module name

__all__ = ["available", "get_backend"]


def get_backend() -> str:
    """The name of the backend new tensors get here: ``"numpy"`` unless
    ``POLYGRAD_BACKEND``, ``pg.set_backend`` or an enclosing ``with pg.backend(...)``
    block says otherwise. A tensor's own backend is ``x.backend``."""
    return str(_backend.current()[0].name)


def available() -> dict[str, dict[str, Any]]:
    """Installed backends: ``{"torch": {"version": "2.13.0", "devices": ["cpu"]}, ...}``.

    Loads each installed adapter (and so its library) to ask for its devices; a
    library that is missing or fails to import is left out.
    """
    found: dict[str, dict[str, Any]] = {}
    for name in _backend.installed():
        try:
            adapter = _backend.get_backend(name)
        except (ImportError, OSError):
            continue
        found[name] = {
            "version": adapter.version,
            "devices": [str(d) for d in adapter.devices()],
            "mutable": adapter.mutable,
        }
    return found
