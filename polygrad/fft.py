"""The array API ``fft`` extension on polygrad tensors: ``pg.fft.<name>``, and
``xp.fft.<name>`` on the namespace of a tensor.

The transforms (``fft ifft fftn ifftn rfft irfft rfftn irfftn hfft ihfft hfftn
ihfftn``) and shifts are differentiable with torch's nodes and conventions (see
``polygrad.ops.fourier``). ``fftfreq``/``rfftfreq`` create plain tensors: here on
the default backend, through ``xp.fft`` on the namespace's backend and device
(``bound_to`` gives that view).
"""

from __future__ import annotations

from typing import Any

from ._core._backend import current, per_backend_and_device
from ._core._tensor import Tensor, _make
from .ops.fourier import (
    fft,
    fftn,
    fftshift,
    hfft,
    hfftn,
    ifft,
    ifftn,
    ifftshift,
    ihfft,
    ihfftn,
    irfft,
    irfftn,
    rfft,
    rfftn,
)

__all__ = [
    "fft",
    "fftfreq",
    "fftn",
    "fftshift",
    "hfft",
    "hfftn",
    "ifft",
    "ifftn",
    "ifftshift",
    "ihfft",
    "ihfftn",
    "irfft",
    "irfftn",
    "rfft",
    "rfftfreq",
    "rfftn",
]


def _frequencies(fn: str, n: int, d: float, dtype: Any, device: Any, backend: Any = None) -> Tensor:
    if backend is None:
        backend, default_device = current()
        device = default_device if device is None else device
    device = None if device is None else backend.parse_device(device)
    native = None if dtype is None else backend.dtype(dtype)
    return _make(getattr(backend.xp.fft, fn)(n, d=d, dtype=native, device=device), backend)


def fftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Tensor:
    """Sample frequencies of an ``n``-point transform with sample spacing ``d``."""
    return _frequencies("fftfreq", n, d, dtype, device)


def rfftfreq(n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None) -> Tensor:
    """The non-negative sample frequencies of an ``n``-point ``rfft``."""
    return _frequencies("rfftfreq", n, d, dtype, device)


class BoundFFT:
    """``xp.fft`` of one namespace: the transforms, and frequencies on its backend/device."""

    def __init__(self, backend: Any, device: Any) -> None:
        self._backend = backend
        self._device = device
        for name in __all__:
            if name not in ("fftfreq", "rfftfreq"):
                setattr(self, name, globals()[name])

    def __repr__(self) -> str:
        return f"<polygrad fft extension on {self._backend.name}>"

    def fftfreq(
        self, n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None
    ) -> Tensor:
        return _frequencies(
            "fftfreq", n, d, dtype, self._device if device is None else device, self._backend
        )

    def rfftfreq(
        self, n: int, /, *, d: float = 1.0, dtype: Any = None, device: Any = None
    ) -> Tensor:
        return _frequencies(
            "rfftfreq", n, d, dtype, self._device if device is None else device, self._backend
        )


@per_backend_and_device
def bound_to(backend: Any, device: Any = None) -> BoundFFT:
    """The ``fft`` extension as seen from a namespace on ``backend``."""
    return BoundFFT(backend, device)
