"""Discrete Fourier transforms with gradients (the ``polygrad.fft`` extension).

Every transform is linear, so its rule applies the adjoint transform: the inverse
transform with the dual normalization (``"backward"`` <-> ``"forward"``,
``"ortho"`` stays), then undoes the zero-padding or truncation that ``n``/``s``
asked for. Node names are torch's: ``FftC2CBackward0`` (complex to complex),
``FftR2CBackward0`` (real input: ``rfft``, ``fft`` of real data) and
``FftC2RBackward0`` (``irfft``, ``hfft``), and complex gradients follow torch's
conjugate-Wirtinger convention (a real input gets the real part).
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

from .._core._node import Node
from .._core._record import keep_for_backward, operand, record
from .._core._tensor import Tensor
from .._core._torch_type_names import scalar_type_name
from ._matrix import _device
from ._support import is_complex
from .complex import conj
from .manipulation import roll
from .shape import _normalize_axis

DUAL_NORM = {"backward": "forward", "forward": "backward", "ortho": "ortho"}


def _resize(node: Node, xp: Any, a: Any, sizes: dict[int, int]) -> Any:
    """``a`` truncated or zero-padded at the end of each axis to ``sizes[axis]``."""
    for axis, size in sizes.items():
        n = a.shape[axis]
        if n > size:
            a = a[(slice(None),) * axis + (slice(0, size), ...)]
        elif n < size:
            shape = list(a.shape)
            shape[axis] = size - n
            zeros = xp.zeros(tuple(shape), dtype=a.dtype, device=_device(node, a))
            a = xp.concat([a, zeros], axis=axis)
    return a


class _Transform(Node):
    """What every transform rule needs: the axes, their input lengths and the norm."""

    __slots__ = ("axes", "input_sizes", "norm", "inverse", "real_input")

    def adjoint(self, xp: Any, g: Any) -> Any:
        """The adjoint of the complex transform over ``axes`` (lengths as in ``g``)."""
        norm = DUAL_NORM[self.norm]
        if len(self.axes) == 1:
            fn = xp.fft.fft if self.inverse else xp.fft.ifft
            return fn(g, axis=self.axes[0], norm=norm)
        fn = xp.fft.fftn if self.inverse else xp.fft.ifftn
        return fn(g, axes=self.axes, norm=norm)

    def finish(self, xp: Any, h: Any) -> tuple[Any, ...]:
        if self.real_input:
            h = xp.real(h)
        return (_resize(self, xp, h, dict(zip(self.axes, self.input_sizes))),)


class FftC2CBackward0(_Transform):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return self.finish(xp, self.adjoint(xp, g))


class FftR2CBackward0(_Transform):
    """Real input; ``onesided`` (rfft) keeps half the spectrum, so the rest is zero-padded."""

    __slots__ = ("full_last",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        if self.full_last is not None:
            g = _resize(self, xp, g, {self.axes[-1]: self.full_last})
        return self.finish(xp, self.adjoint(xp, g))


class FftC2RBackward0(_Transform):
    """A half spectrum in, a real signal out: the adjoint is a real-to-complex transform
    in which entries whose mirror image was filled by symmetry count twice."""

    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        norm = DUAL_NORM[self.norm]
        last = self.axes[-1]
        if len(self.axes) == 1:
            h = xp.fft.rfft(g, axis=last, norm=norm)
        else:
            h = xp.fft.rfftn(g, axes=self.axes, norm=norm)
        full, half = g.shape[last], h.shape[last]
        if full > half:
            raw = self._backend.xp
            weights = [1.0] + [2.0] * (full - half) + [1.0] * (2 * half - full - 1)
            shape = [1] * len(h.shape)
            shape[last] = half
            weights = raw.asarray(
                weights, dtype=self._backend.dtype(g.dtype), device=_device(self, g)
            )
            doubling = raw.reshape(weights, tuple(shape))
            h = h * doubling
        return self.finish(xp, h)


# -- the transforms ---------------------------------------------------------------------


def _complex_dtype(backend: Any, data: Any) -> Any:
    name = (
        "complex64" if backend.pg_dtype(data.dtype).name in ("float32", "float16") else "complex128"
    )
    return backend.dtype(name)


def _plan(
    x: Tensor, s: Sequence[int] | None, axes: Sequence[int] | None
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Normalized axes and transform lengths (``s`` entries of -1 keep the input length)."""
    ndim = x.ndim
    if axes is None:
        axes = tuple(range(ndim)) if s is None else tuple(range(ndim - len(s), ndim))
    norm_axes = tuple(_normalize_axis(operator.index(a), ndim) for a in axes)
    if len(set(norm_axes)) != len(norm_axes):
        raise RuntimeError("FFT dims must be unique")
    shape = tuple(x._data.shape)
    if s is None:
        sizes = tuple(shape[a] for a in norm_axes)
    else:
        if len(s) != len(norm_axes):
            raise RuntimeError("When given, dim and shape arguments must have the same length")
        sizes = tuple(shape[a] if n == -1 else operator.index(n) for a, n in zip(norm_axes, s))
    for n in sizes:
        if n < 1:
            raise RuntimeError(f"Invalid number of data points ({n}) specified")
    return norm_axes, sizes


def _check_norm(norm: str) -> None:
    if norm not in DUAL_NORM:
        raise ValueError(f'Invalid normalization mode: "{norm}"')


def _record(
    cls: type[_Transform],
    x: Tensor,
    data: Any,
    axes: tuple[int, ...],
    norm: str,
    inverse: bool,
    real_input: bool,
) -> Tensor:
    result = record(cls, (x,), data, x._backend)
    node = result._grad_fn
    if node is not None:
        node.axes, node.norm, node.inverse, node.real_input = axes, norm, inverse, real_input
        node.input_sizes = tuple(x._data.shape[a] for a in axes)
    return result


def _c2c(x: Any, s: Any, axes: Any, norm: str, inverse: bool, one_axis: bool) -> Tensor:
    x = operand(x)
    _check_norm(norm)
    axes, sizes = _plan(x, s, axes)
    backend = x._backend
    fft = backend.xp.fft
    real_input = not is_complex(x._data)
    if real_input and one_axis:
        if inverse:  # torch: the inverse of real data is the conjugate forward transform
            return conj(_c2c(x, s, axes, DUAL_NORM[norm], False, True))
        data = fft.fft(
            backend.xp.astype(x._data, _complex_dtype(backend, x._data)),
            n=sizes[0],
            axis=axes[0],
            norm=norm,
        )
        result = _record(FftR2CBackward0, x, data, axes, norm, False, True)
        return keep_for_backward(result, full_last=None)
    data = x._data
    if real_input:
        data = backend.xp.astype(data, _complex_dtype(backend, data))
    if one_axis:
        data = (fft.ifft if inverse else fft.fft)(data, n=sizes[0], axis=axes[0], norm=norm)
    else:
        data = (fft.ifftn if inverse else fft.fftn)(data, s=sizes, axes=axes, norm=norm)
    return _record(FftC2CBackward0, x, data, axes, norm, inverse, real_input)


def fft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Tensor:
    """One-dimensional discrete Fourier transform along ``axis`` (padded/cut to ``n``)."""
    return _c2c(x, None if n is None else (n,), (axis,), norm, False, True)


def ifft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Tensor:
    """One-dimensional inverse discrete Fourier transform along ``axis``."""
    return _c2c(x, None if n is None else (n,), (axis,), norm, True, True)


def fftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Tensor:
    """N-dimensional discrete Fourier transform over ``axes`` (all when None)."""
    return _c2c(x, s, axes, norm, False, False)


def ifftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Tensor:
    """N-dimensional inverse discrete Fourier transform over ``axes``."""
    return _c2c(x, s, axes, norm, True, False)


def _r2c(x: Any, s: Any, axes: Any, norm: str, one_axis: bool, name: str = "rfft") -> Tensor:
    x = operand(x)
    _check_norm(norm)
    if is_complex(x._data):
        if not one_axis and name == "ihfftn":
            raise RuntimeError(
                f"Only supports floating-point dtypes, but found: {scalar_type_name(x.dtype.name)}"
            )
        raise RuntimeError(
            f"{name} expects a real input tensor, but got {scalar_type_name(x.dtype.name)}"
        )
    axes, sizes = _plan(x, s, axes)
    backend = x._backend
    if one_axis:
        data = backend.xp.fft.rfft(x._data, n=sizes[0], axis=axes[0], norm=norm)
    else:
        data = backend.xp.fft.rfftn(x._data, s=sizes, axes=axes, norm=norm)
    result = _record(FftR2CBackward0, x, data, axes, norm, False, True)
    return keep_for_backward(result, full_last=sizes[-1])


def rfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Tensor:
    """Discrete Fourier transform of real input: the non-negative frequencies only."""
    return _r2c(x, None if n is None else (n,), (axis,), norm, True)


def rfftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Tensor:
    """N-dimensional transform of real input; the last axis keeps the non-negative half."""
    return _r2c(x, s, axes, norm, False)


def _c2r(x: Any, s: Any, axes: Any, norm: str, one_axis: bool) -> Tensor:
    x = operand(x)
    _check_norm(norm)
    axes, sizes = _plan(x, s, axes)
    if s is None:  # the default output length rebuilds an even signal
        sizes = sizes[:-1] + (2 * (sizes[-1] - 1),)
    if sizes[-1] < 1:
        raise RuntimeError(f"Invalid number of data points ({sizes[-1]}) specified")
    backend = x._backend
    data = x._data
    real_input = not is_complex(data)
    if real_input:
        data = backend.xp.astype(data, _complex_dtype(backend, data))
    if one_axis:
        data = backend.xp.fft.irfft(data, n=sizes[0], axis=axes[0], norm=norm)
    else:
        data = backend.xp.fft.irfftn(data, s=sizes, axes=axes, norm=norm)
    return _record(FftC2RBackward0, x, data, axes, norm, True, real_input)


def irfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Tensor:
    """Inverse of ``rfft``: a real signal of length ``n`` (default ``2 * (m - 1)``)."""
    return _c2r(x, None if n is None else (n,), (axis,), norm, True)


def irfftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Tensor:
    """Inverse of ``rfftn``."""
    return _c2r(x, s, axes, norm, False)


def hfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Tensor:
    """Transform of a Hermitian-symmetric signal given by its first half: a real spectrum.

    ``irfft`` of the conjugate with the dual normalization, as torch computes it.
    """
    return _c2r(conj(operand(x)), None if n is None else (n,), (axis,), DUAL_NORM[norm], True)


def ihfft(x: Any, /, *, n: int | None = None, axis: int = -1, norm: str = "backward") -> Tensor:
    """Inverse of ``hfft``: the conjugate ``rfft`` with the dual normalization (torch)."""
    return conj(_r2c(x, None if n is None else (n,), (axis,), DUAL_NORM[norm], True, "ihfft"))


def hfftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Tensor:
    """N-dimensional ``hfft``: the last axis holds the first half of a Hermitian-symmetric
    signal; ``irfftn`` of the conjugate with the dual normalization, as torch computes it."""
    _check_norm(norm)
    return _c2r(conj(operand(x)), s, axes, DUAL_NORM[norm], False)


def ihfftn(
    x: Any,
    /,
    *,
    s: Sequence[int] | None = None,
    axes: Sequence[int] | None = None,
    norm: str = "backward",
) -> Tensor:
    """Inverse of ``hfftn`` for real input: the conjugate ``rfftn`` with the dual
    normalization (the last axis keeps the non-negative half)."""
    _check_norm(norm)
    return conj(_r2c(x, s, axes, DUAL_NORM[norm], False, "ihfftn"))


# -- shifts ---------------------------------------------------------------------------------


def _shift(x: Any, axes: int | Sequence[int] | None, sign: int) -> Tensor:
    x = operand(x)
    if axes is None:
        axes = tuple(range(x.ndim))
    elif isinstance(axes, int):
        axes = (axes,)
    axes = tuple(_normalize_axis(a, x.ndim) for a in axes)
    shifts = tuple(sign * (x._data.shape[a] // 2) for a in axes)
    return roll(x, shifts, axis=axes)


def fftshift(x: Any, /, *, axes: int | Sequence[int] | None = None) -> Tensor:
    """Move the zero frequency to the centre (a roll by half of each axis, ``RollBackward0``)."""
    return _shift(x, axes, 1)


def ifftshift(x: Any, /, *, axes: int | Sequence[int] | None = None) -> Tensor:
    """Undo ``fftshift``."""
    return _shift(x, axes, -1)
