"""``np.fft.*`` on polygrad tensors: ``np.fft.rfft(x)``, ``np.fft.fft2(x)``, ``np.fft.fftshift(x)``.

Each handler calls the differentiable transform in ``polygrad.ops.fourier``, so
``__array_function__`` records a graph for it. Keys are NumPy's names as
``__array_function__`` reports them: ``"fft.rfft"``.
"""

from __future__ import annotations

from typing import Any

from ...ops import fourier
from ._numpy_operands import _tensor


def _norm(norm: Any) -> str:
    return "backward" if norm is None else norm


def _fft1(name: str) -> Any:
    def run(a: Any, n: Any = None, axis: int = -1, norm: Any = None) -> Any:
        return getattr(fourier, name)(_tensor(a), n=n, axis=axis, norm=_norm(norm))

    return run


def _fftn(name: str, default_axes: Any = None) -> Any:
    def run(a: Any, s: Any = None, axes: Any = default_axes, norm: Any = None) -> Any:
        return getattr(fourier, name)(
            _tensor(a),
            s=None if s is None else tuple(s),
            axes=None if axes is None else tuple(axes),
            norm=_norm(norm),
        )

    return run


def _shift(name: str) -> Any:
    def run(x: Any, axes: Any = None) -> Any:
        return getattr(fourier, name)(_tensor(x), axes=axes)

    return run


def _fft_functions() -> dict[str, Any]:
    table: dict[str, Any] = {}
    for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        table[f"fft.{name}"] = _fft1(name)
    for name in ("fftn", "ifftn", "rfftn", "irfftn"):
        table[f"fft.{name}"] = _fftn(name)
        table[f"fft.{name[:-1]}2"] = _fftn(name, (-2, -1))
    table["fft.fftshift"] = _shift("fftshift")
    table["fft.ifftshift"] = _shift("ifftshift")
    return table
