"""Choose the array library: by env var, by call, by ``with`` block, or from the data.

``POLYGRAD_BACKEND=torch`` (read at import), ``pg.set_backend("jax")`` (process-wide
default), ``with pg.backend("torch", device="cuda"):`` (scoped to the thread or
async task, nests) and ``backend=``/``device=`` on factories all pick the backend of
new tensors; wrapping an existing array (``pg.tensor(jax_array)``) picks its own.
Adapters are imported lazily: importing polygrad never imports torch or jax.
"""

from __future__ import annotations

import contextvars
import functools
import importlib
import importlib.util
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

#: Known adapters: selection only ever chooses among these modules.
ADAPTERS = {
    "numpy": "polygrad.backends.numpy",
    "torch": "polygrad.backends.torch",
    "jax": "polygrad.backends.jax",
    "array_api_strict": "polygrad.backends.array_api_strict",
    "dask": "polygrad.backends.dask",
}
_ALIASES = {
    "np": "numpy",
    "pytorch": "torch",
    "strict": "array_api_strict",
    "array-api-strict": "array_api_strict",
    "dask.array": "dask",
}
#: Top-level module of an array type -> adapter name, for inference from data.
_MODULE_TO_ADAPTER = {
    "numpy": "numpy",
    "torch": "torch",
    "jax": "jax",
    "jaxlib": "jax",
    "array_api_strict": "array_api_strict",
    "dask": "dask",
}

_loaded: dict[str, Any] = {}
#: The adapters' base class, once ``polygrad.backends._base`` has defined it (it calls
#: ``register_adapter_base``), and pg.compile's tracing adapter: the adapters read the
#: core's dtypes, so the core finds them by module name (``ADAPTERS``) and never imports them.
_adapter_base: tuple[type, ...] = ()
T = TypeVar("T")
#: While pg.compile traces: adapter name -> the tracing adapter new tensors get instead.
_substitutes: contextvars.ContextVar[dict[str, Any] | None] = contextvars.ContextVar(
    "polygrad_backend_substitutes", default=None
)
#: The seed of ``pg.manual_seed``: applied to adapters loaded later too.
_seed: int | None = None


def register_adapter_base(cls: type) -> None:
    """Accept instances of ``cls`` wherever a backend name is expected (``get_backend``)."""
    global _adapter_base
    if cls not in _adapter_base:
        _adapter_base = (*_adapter_base, cls)


def installed() -> list[str]:
    """Names of the known adapters whose library is installed (found without importing it)."""
    return [
        name for name in ADAPTERS if name in _loaded or importlib.util.find_spec(name) is not None
    ]


def _canonical(name: str) -> str:
    if not isinstance(name, str):
        raise TypeError(f"backend name must be a str, got {type(name).__name__}")
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    if key not in ADAPTERS:
        raise ValueError(
            f"unknown polygrad backend {name!r}; known backends: {', '.join(ADAPTERS)} "
            f"(installed here: {', '.join(installed())})"
        )
    return key


def get_backend(name: str | Any = None) -> Any:
    """The adapter object for ``name`` (or the current default when None)."""
    if name is None:
        return current()[0]
    if not isinstance(name, str):
        if not isinstance(name, _adapter_base):
            raise TypeError(f"backend must be a backend name (str), got {type(name).__name__}")
        return name  # already an adapter
    key = _canonical(name)
    found = _loaded.get(key)
    if found is None:
        try:
            module = importlib.import_module(ADAPTERS[key])
        except ImportError as error:
            raise ImportError(
                f"polygrad backend {key!r} is not available: {error}. "
                f"Install it, e.g. pip install 'polygrad[{key.split('_')[0]}]'"
            ) from error
        found = module.backend
        if _seed is not None:
            found.seed(_seed)
        _loaded[key] = found
    substitutes = _substitutes.get()
    return found if substitutes is None else substitutes.get(key, found)


def tensor_of(adapter: Any) -> str:
    """ "a numpy tensor", "an array_api_strict tensor": an adapter's tensors, for messages."""
    article = "an" if adapter.name[0] in "aeiou" else "a"
    return f"{article} {adapter.name} tensor"


def manual_seed(seed: int) -> None:
    """Seed every backend's generator, including backends loaded later."""
    global _seed
    _seed = int(seed)
    get_backend("numpy")
    for adapter in list(_loaded.values()):
        adapter.seed(_seed)


def per_backend_and_device(make: Callable[[Any, Any], T]) -> Callable[..., T]:
    """``make(backend, device)`` built once per (backend, device) and then reused, for
    objects bound to one backend such as a namespace (decorator)."""
    made: dict[tuple[str, Any], T] = {}

    @functools.wraps(make)
    def get(backend: Any, device: Any = None) -> T:
        if backend.tracing:  # pg.compile's adapter lives for one trace: not kept
            return make(backend, device)
        key = (backend.name, device)
        found = made.get(key)
        if found is None:
            found = made[key] = make(backend, device)
        return found

    return get


def backend_of_array(obj: Any) -> Any | None:
    """The adapter for a raw array of a known library, or None."""
    module = type(obj).__module__.partition(".")[0]
    key = _MODULE_TO_ADAPTER.get(module)
    if key is None:  # pg.compile's traced arrays name their (tracing) adapter
        return getattr(obj, "__polygrad_backend__", None)
    if key not in _loaded:
        try:
            get_backend(key)
        except ImportError:
            return None
    adapter = _loaded[key]
    return adapter if adapter.is_array(obj) else None


# -- the default backend ------------------------------------------------------------------

_process_default: tuple[str, Any] = ("numpy", None)
_scoped: contextvars.ContextVar[tuple[str, Any] | None] = contextvars.ContextVar(
    "polygrad_backend", default=None
)


def current() -> tuple[Any, Any]:
    """The (adapter, device) new tensors get when nothing else says."""
    name, device = _scoped.get() or _process_default
    return get_backend(name), device


def set_backend(name: str, device: Any = None) -> None:
    """Make ``name`` the process-wide default backend (and ``device`` its default device)."""
    global _process_default
    adapter = get_backend(_canonical(name))
    _process_default = (adapter.name, adapter.parse_device(device) if device is not None else None)


@contextmanager
def backend(name: str, device: Any = None) -> Iterator[Any]:
    """Use ``name`` (and ``device``) for new tensors inside the block; nests; thread-safe."""
    adapter = get_backend(_canonical(name))
    token = _scoped.set(
        (adapter.name, adapter.parse_device(device) if device is not None else None)
    )
    try:
        yield adapter
    finally:
        _scoped.reset(token)


def _from_environment() -> None:
    requested = os.environ.get("POLYGRAD_BACKEND")
    if requested:
        try:
            set_backend(requested)
        except ValueError:
            raise ValueError(
                f"POLYGRAD_BACKEND={requested!r} is not a known backend; choose one of: "
                f"{', '.join(ADAPTERS)} (installed here: {', '.join(installed())})"
            ) from None
