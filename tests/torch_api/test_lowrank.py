"""``pg.svd_lowrank`` and ``pg.pca_lowrank``: torch's shapes and dtypes, exact
factorizations of matrices whose rank is at most ``q`` (centred for PCA), repeatable
draws under ``pg.manual_seed``, gradients of the singular values equal torch's full
SVD's there, and torch's argument errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS

import polygrad as pg

rng = np.random.default_rng(23)


def low_rank(shape: tuple[int, ...], rank: int, complex_: bool) -> np.ndarray:
    def part(*s: int) -> np.ndarray:
        values = rng.standard_normal(s)
        return values + 1j * rng.standard_normal(s) if complex_ else values

    left, right = part(*shape[:-1], rank), part(*shape[:-2], rank, shape[-1])
    return left @ right


def rebuilt(u: pg.Tensor, s: pg.Tensor, v: pg.Tensor) -> np.ndarray:
    u, s, v = u.detach().numpy(), s.detach().numpy(), v.detach().numpy()
    return (u * s[..., None, :]) @ np.conj(np.swapaxes(v, -1, -2))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("shape", [(7, 5), (4, 8), (2, 6, 5)], ids=str)
@pytest.mark.parametrize("complex_", [False, True])
def test_svd_lowrank_is_exact_at_low_rank(shape, complex_, backend):
    a = low_rank(shape, 3, complex_)
    pg.manual_seed(0)
    u, s, v = pg.svd_lowrank(pg.tensor(a, backend=backend), q=4)
    tu, ts, tv = torch.svd_lowrank(torch.tensor(a), q=4)
    for got, want in zip((u, s, v), (tu, ts, tv)):
        assert tuple(got.shape) == tuple(want.shape)
        assert got.dtype == getattr(pg, str(want.dtype).removeprefix("torch."))
    np.testing.assert_allclose(rebuilt(u, s, v), a, atol=1e-10)
    np.testing.assert_allclose(s.numpy()[..., :3], ts.numpy()[..., :3], rtol=1e-10)
    pg.manual_seed(0)
    again = pg.svd_lowrank(pg.tensor(a, backend=backend), q=4)
    np.testing.assert_array_equal(again[0].numpy(), u.numpy())


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("center", [True, False])
def test_pca_lowrank(center, backend):
    a = low_rank((8, 5), 2, False) + (3.0 if center else 0.0)
    centred = a - a.mean(axis=-2, keepdims=True) if center else a
    u, s, v = pg.pca_lowrank(pg.tensor(a, backend=backend), center=center)
    assert tuple(u.shape) == (8, 5) and tuple(s.shape) == (5,) and tuple(v.shape) == (5, 5)
    np.testing.assert_allclose(rebuilt(u, s, v), centred, atol=1e-10)


@pytest.mark.parametrize("backend", BACKENDS)
def test_singular_value_gradients_are_the_full_svds(backend):
    a = low_rank((6, 4), 4, False)  # full rank 4 = q: the sketch spans every column
    x = pg.tensor(a, backend=backend, requires_grad=True)
    weights = np.array([1.0, 2.0, 3.0, 4.0])
    (pg.svd_lowrank(x, q=4)[1] * pg.tensor(weights, backend=backend)).sum().backward()
    t = torch.tensor(a, requires_grad=True)
    (torch.linalg.svdvals(t) * torch.tensor(weights)).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), t.grad.numpy(), rtol=1e-8, atol=1e-9)


def test_errors_are_torchs():
    a = pg.ones(4, 3)
    with pytest.raises(ValueError, match=r"q\(=4\) must be non-negative integer and not greater"):
        pg.pca_lowrank(a, q=4)
    with pytest.raises(ValueError, match=r"niter\(=-1\) must be non-negative integer"):
        pg.pca_lowrank(a, niter=-1)
