"""``pg.stft`` / ``pg.istft`` against torch (float64 and complex128) on every backend: values
over torch's arguments (window and win_length, center and pad_mode, normalized, onesided,
return_complex, length) and gradients of a fixed cotangent, for the signal and the window."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import to_np

import polygrad as pg

torch = pytest.importorskip("torch")
rng = np.random.default_rng(3)
SIGNAL = rng.standard_normal((2, 40))
WINDOW = rng.uniform(0.5, 1.5, 6)

STFT_CASES = [
    {"n_fft": 8},
    {"n_fft": 8, "hop_length": 3, "center": False},
    {"n_fft": 8, "win_length": 6, "window": "w", "normalized": True},
    {"n_fft": 8, "hop_length": 4, "pad_mode": "constant", "onesided": False},
    {"n_fft": 7, "pad_mode": "replicate"},
    {"n_fft": 8, "pad_mode": "circular", "return_complex": False},
]


def _call(library: object, name: str, x: object, kwargs: dict, window: object) -> object:
    kwargs = {k: (window if v == "w" else v) for k, v in kwargs.items()}
    return getattr(library, name)(x, **kwargs)


def _grads(library: object, out: object, leaves: list, cotangent: np.ndarray) -> list:
    u = (
        torch.from_numpy(cotangent)
        if library is torch
        else pg.tensor(cotangent, backend=out._backend)
    )
    return [to_np(g) for g in library.autograd.grad(out, leaves, u)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kwargs", STFT_CASES, ids=str)
def test_stft_matches_torch(backend: str, kwargs: dict) -> None:
    kwargs = {"return_complex": True, **kwargs}
    tx, tw = (torch.tensor(v, requires_grad=True) for v in (SIGNAL, WINDOW))
    x = pg.tensor(SIGNAL, backend=backend, requires_grad=True)
    w = pg.tensor(WINDOW, backend=backend, requires_grad=True)
    want, got = _call(torch, "stft", tx, kwargs, tw), _call(pg, "stft", x, kwargs, w)
    assert got.shape == tuple(want.shape) and str(got.dtype).split(".")[-1] == str(want.dtype)[6:]
    np.testing.assert_allclose(to_np(got), want.detach().numpy(), atol=1e-12)
    cotangent = rng.standard_normal(tuple(want.shape))
    if want.is_complex():
        cotangent = cotangent + 1j * rng.standard_normal(tuple(want.shape))
    uses_window = "window" in kwargs
    expected = _grads(torch, want, [tx, tw] if uses_window else [tx], cotangent)
    actual = _grads(pg, got, [x, w] if uses_window else [x], cotangent)
    for a, e in zip(actual, expected):
        np.testing.assert_allclose(a, e, atol=1e-12)


ISTFT_CASES = [
    {"n_fft": 8},
    {"n_fft": 8, "hop_length": 2, "normalized": True, "length": 37},
    {"n_fft": 8, "win_length": 6, "window": "w"},
    {"n_fft": 8, "length": 50},
    {"n_fft": 8, "hop_length": 3, "center": False},
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kwargs", ISTFT_CASES, ids=str)
def test_istft_inverts_stft_as_torch(backend: str, kwargs: dict) -> None:
    forward = {k: v for k, v in kwargs.items() if k != "length"}
    window = torch.tensor(WINDOW)
    spectrum = _call(
        torch, "stft", torch.tensor(SIGNAL), {**forward, "return_complex": True}, window
    )
    ts = spectrum.detach().requires_grad_()
    s = pg.tensor(spectrum.numpy(), backend=backend, requires_grad=True)
    want = _call(torch, "istft", ts, kwargs, window)
    got = _call(pg, "istft", s, kwargs, pg.tensor(WINDOW, backend=backend))
    np.testing.assert_allclose(to_np(got), want.detach().numpy(), atol=1e-12)
    cotangent = rng.standard_normal(tuple(want.shape))
    np.testing.assert_allclose(
        _grads(pg, got, [s], cotangent)[0], _grads(torch, want, [ts], cotangent)[0], atol=1e-12
    )


def test_istft_refuses_a_vanishing_window_envelope_as_torch() -> None:
    spectrum = pg.stft(
        pg.tensor(SIGNAL), 8, window=pg.tensor(WINDOW), win_length=6, return_complex=True
    )
    with pytest.raises(RuntimeError, match="window overlap add min"):
        pg.istft(spectrum, 8, window=pg.tensor(WINDOW), win_length=6, length=50)


def test_stft_asks_for_return_complex_as_torch() -> None:
    with pytest.raises(RuntimeError, match="stft requires the return_complex parameter"):
        pg.stft(pg.tensor(SIGNAL), 8)
    assert pg.tensor(SIGNAL).stft(8, return_complex=True).shape == (2, 5, 21)
