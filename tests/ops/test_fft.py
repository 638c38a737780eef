"""``polygrad.fft`` against torch.fft: values, node names, first- and second-order
gradients (complex cotangents, conjugate-Wirtinger convention) for every transform,
each normalization, padding/truncation by ``n``/``s``, and negative axes."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import STANDARD_BACKENDS

import polygrad as pg
import polygrad.fft as pfft

rng = np.random.default_rng(5)
NORMS = ["backward", "ortho", "forward"]


def real(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


def cplx(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape) + 1j * rng.standard_normal(shape)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("name", ["fft", "ifft"])
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize(
    "values, n, axis",
    [
        (cplx(6), None, -1),
        (cplx(3, 5), 8, 1),
        (cplx(3, 5), 3, -1),
        (cplx(4, 3), None, 0),
        (real(5), None, -1),
        (real(2, 6), 4, -1),
        (real(2, 6), 9, 1),
    ],
)
def test_fft_ifft(name, norm, values, n, axis, backend):
    check(
        lambda x: getattr(pfft, name)(x, n=n, axis=axis, norm=norm),
        lambda x: getattr(torch.fft, name)(x, n=n, dim=axis, norm=norm),
        [values],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("name", ["fftn", "ifftn"])
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize(
    "values, s, axes",
    [
        (cplx(3, 4), None, None),
        (cplx(2, 3, 4), (5, 2), (0, -1)),
        (cplx(2, 3, 4), (4,), None),
        (real(3, 4), None, None),
        (cplx(3, 4, 2), None, (1,)),
    ],
)
def test_fftn_ifftn(name, norm, values, s, axes, backend):
    check(
        lambda x: getattr(pfft, name)(x, s=s, axes=axes, norm=norm),
        lambda x: getattr(torch.fft, name)(x, s=s, dim=axes, norm=norm),
        [values],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize(
    "values, n, axis",
    [
        (real(8), None, -1),
        (real(7), None, -1),
        (real(3, 6), 4, 1),
        (real(3, 5), 9, -1),
        (real(6, 2), None, 0),
    ],
)
def test_rfft(norm, values, n, axis, backend):
    check(
        lambda x: pfft.rfft(x, n=n, axis=axis, norm=norm),
        lambda x: torch.fft.rfft(x, n=n, dim=axis, norm=norm),
        [values],
        backend,
    )
    check(
        lambda x: pfft.ihfft(x, n=n, axis=axis, norm=norm),
        lambda x: torch.fft.ihfft(x, n=n, dim=axis, norm=norm),
        [values],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize(
    "values, n, axis",
    [
        (cplx(5), None, -1),
        (cplx(5), 9, -1),
        (cplx(5), 7, -1),
        (cplx(3, 4), 4, 1),
        (cplx(4, 2), None, 0),
        (real(5), None, -1),
    ],
)
def test_irfft_hfft(norm, values, n, axis, backend):
    check(
        lambda x: pfft.irfft(x, n=n, axis=axis, norm=norm),
        lambda x: torch.fft.irfft(x, n=n, dim=axis, norm=norm),
        [values],
        backend,
    )
    check(
        lambda x: pfft.hfft(x, n=n, axis=axis, norm=norm),
        lambda x: torch.fft.hfft(x, n=n, dim=axis, norm=norm),
        [values],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize(
    "shape, s, axes",
    [((4, 6), None, None), ((3, 4, 5), (4, 6), (0, 2)), ((2, 5, 3), None, (-2, -1))],
)
def test_rfftn_irfftn(norm, shape, s, axes, backend):
    check(
        lambda x: pfft.rfftn(x, s=s, axes=axes, norm=norm),
        lambda x: torch.fft.rfftn(x, s=s, dim=axes, norm=norm),
        [real(*shape)],
        backend,
    )
    check(
        lambda x: pfft.irfftn(x, s=s, axes=axes, norm=norm),
        lambda x: torch.fft.irfftn(x, s=s, dim=axes, norm=norm),
        [cplx(*shape)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("axes", [None, 0, (-1,), (0, 1)])
def test_shifts(axes, backend):
    check(
        lambda x: pfft.fftshift(x, axes=axes),
        lambda x: torch.fft.fftshift(x, dim=axes),
        [real(5, 4)],
        backend,
    )
    check(
        lambda x: pfft.ifftshift(x, axes=axes),
        lambda x: torch.fft.ifftshift(x, dim=axes),
        [real(5, 4)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_frequencies(backend):
    x = pg_tensor(real(4), backend)
    xp = x.__array_namespace__()
    for n, d in [(8, 1.0), (7, 0.5)]:
        f = xp.fft.fftfreq(n, d=d)
        assert f.backend == backend and f.requires_grad is False
        np.testing.assert_allclose(to_np(f), torch.fft.fftfreq(n, d=d, dtype=torch.float64))
        f = xp.fft.rfftfreq(n, d=d, dtype=pg.float32)
        assert f.dtype == pg.float32
        np.testing.assert_allclose(to_np(f), torch.fft.rfftfreq(n, d=d), rtol=1e-6)
    np.testing.assert_allclose(to_np(pfft.fftfreq(5)), np.fft.fftfreq(5))


def test_errors():
    with pytest.raises(RuntimeError, match="rfft expects a real input"):
        pfft.rfft(pg.tensor(cplx(4)))
    with pytest.raises(ValueError, match="Invalid normalization"):
        pfft.fft(pg.tensor(cplx(4)), norm="sideways")
    with pytest.raises(RuntimeError, match="Invalid number of data points"):
        pfft.irfft(pg.tensor(cplx(1)))
