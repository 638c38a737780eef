"""Where registered hooks are kept: an ordered dict of them, and the handle that removes one.

Tensors (``register_hook``, ``register_post_accumulate_grad_hook``) and graph nodes
(``register_hook``, ``register_prehook``) keep their hooks in a ``HookDict``; each
registration returns a ``RemovableHandle``, torch's ``torch.utils.hooks.RemovableHandle``.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import Any

_handle_ids = itertools.count()
#: Whether any hook was ever registered in this process. Until one is, nothing can tell
#: when a leaf accumulates, and the engine skips counting dependencies (``_engine``).
registered = False


class RemovableHandle:
    """Returned by ``register_hook``: ``remove()`` it (idempotent) or use it as ``with``."""

    __slots__ = ("_hooks_ref", "id")

    def __init__(self, hooks: dict[int, Any]) -> None:
        self.id = next(_handle_ids)
        self._hooks_ref = weakref.ref(hooks) if _weakrefable(hooks) else (lambda: hooks)

    def remove(self) -> None:
        hooks = self._hooks_ref()
        if hooks is not None:
            hooks.pop(self.id, None)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def _weakrefable(obj: object) -> bool:
    try:
        weakref.ref(obj)
    except TypeError:
        return False
    return True


class HookDict(dict):
    """An ordered ``id -> hook`` dict that a handle can reference weakly."""

    __slots__ = ("__weakref__",)

    def add(self, fn: Callable[..., Any]) -> RemovableHandle:
        global registered
        registered = True
        handle = RemovableHandle(self)
        self[handle.id] = fn
        return handle
