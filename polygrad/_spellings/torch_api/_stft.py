"""torch's short-time Fourier transform and its inverse: ``pg.stft(x, n_fft, ...)`` and
``pg.istft(spec, n_fft, ...)`` (also ``x.stft(...)``), with torch's arguments and defaults
(``hop_length = n_fft // 4``, a rectangular window, ``center`` padding with ``pad_mode``,
``normalized``, ``onesided``, ``return_complex``, ``length``).

Both compose differentiable ops: frames are read by index (``take``), transformed with
``polygrad.fft``, and (inverse) overlap-added by index (``index_add``) and divided by the
window's overlap-added square, as torch computes them; gradients follow from the ops.
"""

from __future__ import annotations

from typing import Any

from ... import ops
from ..._core import _creation
from ..._core._dtypes import DTYPES
from ..._core._record import operand
from ..._core._tensor import Tensor
from ...ops import fourier
from ...ops.scatter_add import index_add
from ...ops.take import take

_PAD_MODES = ("constant", "reflect", "replicate", "circular")


def _indices(xp: Any, device: Any, values: list[int]) -> Any:
    return xp.asarray(values, dtype=xp.int64, device=device)


def _pad(x: Tensor, pad: int, mode: str) -> Tensor:
    """``x`` padded by ``pad`` on both ends of its last axis, as ``F.pad(..., mode)``."""
    if mode not in _PAD_MODES:
        raise RuntimeError(f"Unrecognised padding mode {mode}")
    length = x.shape[-1]
    if mode == "constant":
        zeros = _creation.zeros(
            (*x.shape[:-1], pad), dtype=x.dtype, device=x.device, backend=x._backend
        )
        return ops.concat([zeros, x, zeros], axis=-1)
    if mode == "reflect" and pad >= length:
        raise RuntimeError(
            f"Argument #4: Padding size should be less than the corresponding input dimension, "
            f"but got: padding ({pad}, {pad}) at dimension {x.ndim - 1} of input {list(x.shape)}"
        )
    positions = range(-pad, length + pad)
    if mode == "reflect":
        source = [abs(i) if i < length else 2 * (length - 1) - i for i in positions]
    elif mode == "replicate":
        source = [min(max(i, 0), length - 1) for i in positions]
    else:
        source = [i % length for i in positions]
    return take(x, _indices(x._backend.xp, x.device, source), axis=-1)


def _full_window(window: Any, like: Tensor, n_fft: int, win_length: int) -> Tensor:
    """The window (ones by default) centred in ``n_fft`` samples, zeros around it."""
    real = "float32" if like.dtype in (DTYPES["float32"], DTYPES["complex64"]) else "float64"
    place = {"device": like.device, "backend": like._backend}
    if window is None:
        window = _creation.ones(win_length, dtype=DTYPES[real], **place)
    window = operand(window, like)
    if window.ndim != 1 or window.shape[0] != win_length:
        raise RuntimeError(
            f"stft: expected a 1D window tensor of size equal to win_length={win_length}, "
            f"but got window with size {list(window.shape)}"
        )
    left = (n_fft - win_length) // 2
    if win_length == n_fft:
        return window
    zeros = [
        _creation.zeros(size, dtype=window.dtype, **place)
        for size in (left, n_fft - win_length - left)
    ]
    return ops.concat([zeros[0], window, zeros[1]], axis=0)


def _frame_indices(xp: Any, device: Any, frames: int, hop: int, n_fft: int) -> Any:
    return _indices(xp, device, [f * hop + i for f in range(frames) for i in range(n_fft)])


def _overlap_add(pieces: Tensor, hop: int, signal_length: int) -> Tensor:
    """``(batch, frames, n_fft)`` pieces summed into ``(batch, signal_length)`` signals,
    frame ``f`` starting at ``f * hop`` (one flat index: the standard allows no slice
    beside an index array)."""
    batch, frames, n_fft = pieces.shape
    xp = pieces._backend.xp
    within = _frame_indices(xp, pieces.device, frames, hop, n_fft)
    starts = xp.arange(batch, dtype=xp.int64, device=pieces.device) * signal_length
    where = xp.reshape(starts[:, None] + within[None, :], (-1,))
    flat = index_add((batch * signal_length,), (where,), ops.reshape(pieces, (-1,)))
    return ops.reshape(flat, (batch, signal_length))


def stft(
    input: Any,  # noqa: A002 - torch's name
    n_fft: int,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: Any = None,
    center: bool = True,
    pad_mode: str = "reflect",
    normalized: bool = False,
    onesided: bool | None = None,
    return_complex: bool | None = None,
) -> Tensor:
    """The short-time Fourier transform of a 1-D signal or a batch of them: frames of
    ``n_fft`` samples every ``hop_length``, times ``window``, Fourier-transformed;
    ``(batch?, frequencies, frames)``, complex (``return_complex=False``: real with a last
    axis of (real, imaginary), as torch's deprecated form)."""
    x = operand(input)
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    complex_input = x.dtype.kind == "complex floating"
    complex_window = window is not None and operand(window, x).dtype.kind == "complex floating"
    if return_complex is None and not (complex_input or complex_window):
        raise RuntimeError(
            "stft requires the return_complex parameter be given for real inputs, and will "
            "further require that return_complex=True in a future PyTorch release."
        )
    if x.ndim not in (1, 2):
        raise RuntimeError(f"stft: expected a 1D or 2D tensor, but got {x.ndim}D tensor")
    if not 0 < win <= n_fft:
        raise RuntimeError(f"stft: expected 0 < win_length <= n_fft, but got win_length={win}")
    if hop <= 0:
        raise RuntimeError(f"stft: expected hop_length > 0, but got hop_length={hop}")
    if center:
        x = _pad(x, n_fft // 2, pad_mode)
    length = x.shape[-1]
    if not 0 < n_fft <= length:
        raise RuntimeError(f"stft: expected 0 < n_fft < {length}, but got n_fft={n_fft}")
    frames = 1 + (length - n_fft) // hop
    xp, device = x._backend.xp, x.device
    pieces = take(x, _frame_indices(xp, device, frames, hop, n_fft), axis=-1)
    pieces = ops.reshape(pieces, (*x.shape[:-1], frames, n_fft))
    pieces = ops.multiply(pieces, _full_window(window, x, n_fft, win))
    onesided = not (complex_input or complex_window) if onesided is None else onesided
    if onesided and (complex_input or complex_window):
        raise RuntimeError("Cannot have onesided output if window or input is complex")
    norm = "ortho" if normalized else "backward"
    spectrum = (fourier.rfft if onesided else fourier.fft)(pieces, axis=-1, norm=norm)
    spectrum = ops.moveaxis(spectrum, -1, -2)
    if return_complex is False:
        return ops.stack([ops.real(spectrum), ops.imag(spectrum)], axis=-1)
    return spectrum


def istft(
    input: Any,  # noqa: A002 - torch's name
    n_fft: int,
    hop_length: int | None = None,
    win_length: int | None = None,
    window: Any = None,
    center: bool = True,
    normalized: bool = False,
    onesided: bool | None = None,
    length: int | None = None,
    return_complex: bool = False,
) -> Tensor:
    """The inverse of ``stft``: each frame inverse-transformed, windowed, overlap-added and
    divided by the overlap-added squared window; ``length`` trims or zero-pads the end."""
    spectrum = operand(input)
    if spectrum.dtype.kind != "complex floating":
        raise RuntimeError("istft requires a complex-valued input tensor.")
    if spectrum.ndim not in (2, 3):
        raise RuntimeError(f"istft: expected a tensor with 2 or 3 dimensions, got {spectrum.ndim}")
    batched = spectrum.ndim == 3
    if not batched:
        spectrum = ops.expand_dims(spectrum, axis=0)
    hop = n_fft // 4 if hop_length is None else hop_length
    win = n_fft if win_length is None else win_length
    bins, frames = spectrum.shape[-2], spectrum.shape[-1]
    onesided = bins != n_fft if onesided is None else onesided
    expected_bins = n_fft // 2 + 1 if onesided else n_fft
    if bins != expected_bins:
        raise RuntimeError(
            f"istft: expected the frequency dimension (3rd to the last) of the input tensor "
            f"to match n_fft / 2 + 1 when onesided=True, but got {bins}"
            if onesided
            else f"istft: expected the frequency dimension (3rd to the last) of the input "
            f"tensor to match n_fft when onesided=False, but got {bins}"
        )
    full_window = _full_window(window, ops.real(spectrum), n_fft, win)
    norm = "ortho" if normalized else "backward"
    spectrum = ops.moveaxis(spectrum, -2, -1)
    if return_complex:
        if onesided:
            raise RuntimeError("Cannot have onesided output if window or input is complex")
        pieces = fourier.ifft(spectrum, n=n_fft, axis=-1, norm=norm)
    else:
        if full_window.dtype.kind == "complex floating":
            raise RuntimeError("Complex windows are incompatible with return_complex=False")
        if not onesided:
            spectrum = spectrum[..., : n_fft // 2 + 1]
        pieces = fourier.irfft(spectrum, n=n_fft, axis=-1, norm=norm)
    pieces = ops.multiply(pieces, full_window)
    signal_length = n_fft + hop * (frames - 1)
    batch, device = pieces.shape[0], pieces.device
    signal = _overlap_add(pieces, hop, signal_length)
    squares = ops.reshape(ops.multiply(full_window, full_window), (1, 1, n_fft))  # torch: w**2
    envelope = _overlap_add(ops.broadcast_to(squares, (1, frames, n_fft)), hop, signal_length)
    start = n_fft // 2 if center else 0
    end = (
        start + length if length is not None else signal_length - start if center else signal_length
    )
    stop = min(end, signal_length)  # past the end: zeros follow (the standard clips no slice)
    signal, envelope = signal[:, start:stop], envelope[:, start:stop]
    lowest = float(ops.min(ops.abs(envelope)))
    if lowest < 1e-11:
        raise RuntimeError(f"istft(...): window overlap add min: {lowest}")
    signal = ops.divide(signal, envelope)
    if end > signal_length:
        zeros = _creation.zeros(
            (batch, end - signal_length), dtype=signal.dtype, device=device, backend=signal._backend
        )
        signal = ops.concat([signal, zeros], axis=-1)
    return signal if batched else signal[0]


class SpectralMethods:
    """``x.stft(n_fft, ...)`` and ``x.istft(n_fft, ...)``: the functions with ``x`` first."""

    stft = stft
    istft = istft
