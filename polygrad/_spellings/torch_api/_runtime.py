"""torch's runtime vocabulary: ``pg.device("cpu")``, ``pg.cuda.is_available()``,
``pg.set_default_device``, ``pg.Generator``, memory formats and layouts, and
``f"{loss:.4f}"`` on a 0-d tensor.

``pg.cuda`` answers for the backend new tensors go to: ``is_available()`` is True only
when that library sees a GPU (torch: CUDA; JAX: a GPU device); NumPy, array-api-strict
and Dask never have one. Names that cannot mean anything on a backend raise a
``RuntimeError`` saying so instead of failing deep inside.
"""

from __future__ import annotations

import json
import random
import types
from typing import Any

import numpy as np

from ..._core import _backend, _creation
from ..._core._backend import current, manual_seed, set_backend
from ..._core._dtypes import DTYPES
from ..._core._tensor import Tensor, _make


class device(str):  # noqa: N801 - torch's name
    """``pg.device("cuda:0")``, ``pg.device("cuda", 0)``: a device name with torch's
    ``type`` and ``index``; it is a ``str``, so every backend accepts it as a device
    (``index`` is torch's attribute, shadowing ``str.index``)."""

    def __new__(cls, type: Any, index: int | None = None) -> device:  # noqa: A002 - torch's name
        text = str(type)
        if index is not None:
            if ":" in text:
                raise RuntimeError(
                    f"type (string) must not include an index because index was passed explicitly: {text}"
                )
            text = f"{text}:{index}"
        return super().__new__(cls, text)

    @property
    def type(self) -> str:
        """torch's ``x.type()``: the legacy type name (``'torch.FloatTensor'``) without ``dtype``,
        else ``x.to(dtype)``."""
        return self.partition(":")[0]

    @property
    def index(self) -> int | None:  # type: ignore[override]  # torch's attribute over str.index
        """The device index: ``1`` for ``"cuda:1"``, None when none is given (torch's)."""
        _, _, index = self.partition(":")
        return int(index) if index else None

    def __repr__(self) -> str:
        index = self.index
        return (
            f"device(type='{self.type}')"
            if index is None
            else f"device(type='{self.type}', index={index})"
        )


def _gpus() -> list[Any]:
    """The GPUs the current backend's library sees (torch: CUDA devices; JAX: GPUs)."""
    return [d for d in current()[0].devices() if _is_gpu(d)]


def _is_gpu(device: Any) -> bool:
    kind = getattr(device, "type", None) or getattr(device, "platform", None) or str(device)
    return str(kind).partition(":")[0] in ("cuda", "gpu", "rocm")


def _is_available() -> bool:
    """True when the current backend's library sees a GPU."""
    return bool(_gpus())


def _device_count() -> int:
    return len(_gpus())


def _require_gpu(what: str) -> None:
    if not _gpus():
        raise RuntimeError(
            f"polygrad: cuda.{what}() needs a GPU, and the {current()[0].name} backend "
            "has none here (pg.cuda.is_available() is False)"
        )


def _current_device() -> int:
    _require_gpu("current_device")
    return 0


def _synchronize(device: Any = None) -> None:
    """Wait for the GPU's queued work: polygrad has none of its own queued (it reads
    results back when asked), so there is nothing to wait for without a GPU."""
    _require_gpu("synchronize")


cuda = types.ModuleType("polygrad.cuda", "torch.cuda's queries, answered by the current backend.")
cuda.is_available = _is_available  # type: ignore[attr-defined]
cuda.device_count = _device_count  # type: ignore[attr-defined]
cuda.current_device = _current_device  # type: ignore[attr-defined]
cuda.synchronize = _synchronize  # type: ignore[attr-defined]
cuda.manual_seed = manual_seed  # type: ignore[attr-defined]
cuda.manual_seed_all = manual_seed  # type: ignore[attr-defined]


def set_default_device(device: Any) -> None:
    """New tensors go to ``device`` (on the current backend), as torch.set_default_device."""
    set_backend(current()[0].name, None if device is None else str(device))


def get_default_device() -> device:
    """The device new tensors get on the current backend (torch.get_default_device)."""
    adapter, chosen = current()
    return globals()["device"](str(chosen if chosen is not None else adapter.default_device()))


#: torch's default seed for a new generator
DEFAULT_SEED = 67280421310721


class Generator:
    """A random stream of its own, seeded and saved as torch.Generator's:
    ``g = pg.Generator().manual_seed(0)``, ``pg.rand(3, generator=g)``,
    ``state = g.get_state()`` ... ``g.set_state(state)``."""

    def __init__(self, device: Any = "cpu") -> None:
        self.device = globals()["device"](str(device))
        self.manual_seed(DEFAULT_SEED)

    def manual_seed(self, seed: int) -> Generator:
        """Restart this stream from ``seed``; returns the generator (torch's
        ``Generator.manual_seed``)."""
        self._seed = int(seed)
        self._rng = np.random.Generator(np.random.PCG64(self._seed & (2**64 - 1)))
        return self

    def initial_seed(self) -> int:
        """The seed this stream started from (torch's ``Generator.initial_seed``)."""
        return self._seed

    def seed(self) -> int:
        """Restart from a random seed and return it (torch's ``Generator.seed``)."""
        return self.manual_seed(random.getrandbits(63))._seed

    def get_state(self) -> Tensor:
        """The stream's state as a uint8 tensor, for ``set_state`` (torch's
        ``Generator.get_state``)."""
        state = json.dumps({"seed": self._seed, "bit_generator": self._rng.bit_generator.state})
        return _creation.tensor(list(state.encode()), dtype=DTYPES["uint8"], backend="numpy")

    def set_state(self, new_state: Any) -> Generator:
        """Continue from a state ``get_state`` returned (torch's ``Generator.set_state``)."""
        if not isinstance(new_state, Tensor) or new_state.dtype.name != "uint8":
            raise TypeError("expected a torch.ByteTensor, but got " + type(new_state).__name__)
        try:
            saved = json.loads(bytes(new_state.numpy().tolist()).decode())
            rng = np.random.Generator(np.random.PCG64())
            rng.bit_generator.state = saved["bit_generator"]
        except (ValueError, KeyError, TypeError) as error:
            raise RuntimeError("Invalid RNG state: not one Generator.get_state returned") from error
        self._seed, self._rng = int(saved["seed"]), rng
        return self


def initial_seed() -> int:
    """The seed of the last ``pg.manual_seed`` (torch.initial_seed)."""
    return _backend._seed if _backend._seed is not None else DEFAULT_SEED


class _Named:
    """A torch constant that polygrad accepts and ignores where arrays have no such
    notion (``memory_format=``, ``layout=``): ``pg.contiguous_format``, ``pg.strided``."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __repr__(self) -> str:
        return f"torch.{self._name}"


contiguous_format = _Named("contiguous_format")
preserve_format = _Named("preserve_format")
channels_last = _Named("channels_last")
strided = _Named("strided")


class RuntimeMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def __format__(self: Any, format_spec: str) -> str:
        """``f"{loss:.4f}"``: a 0-d tensor formats as its Python number (torch's rule)."""
        if self.ndim == 0:
            return format(self.item(), format_spec)
        return object.__format__(self, format_spec) if format_spec else str(self)

    def pin_memory(self: Any, device: Any = None) -> Tensor:
        """Page-locked host memory for fast GPU transfers: only torch with CUDA has it."""
        if not hasattr(self._data, "pin_memory") or not _gpus():
            raise RuntimeError(
                f"polygrad: pin_memory() has no meaning on the {self._backend.name} backend "
                "here: it page-locks host memory for CUDA transfers, which only the torch "
                "backend with a CUDA GPU has"
            )

        return _make(self._data.pin_memory(), self._backend)

    def is_pinned(self: Any, device: Any = None) -> bool:
        """Whether the data is in pinned memory (torch-backed tensors only; torch's ``x.is_pinned()``)."""
        return bool(getattr(self._data, "is_pinned", lambda: False)())


RUNTIME = {
    "device": device,
    "cuda": cuda,
    "set_default_device": set_default_device,
    "get_default_device": get_default_device,
    "Generator": Generator,
    "initial_seed": initial_seed,
    "contiguous_format": contiguous_format,
    "preserve_format": preserve_format,
    "channels_last": channels_last,
    "strided": strided,
}

__all__ = ["RUNTIME", "RuntimeMethods"]
