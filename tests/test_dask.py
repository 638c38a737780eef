"""Dask: lazy chunked arrays through forward and backward, and a gradient computed on a
``dask.distributed`` LocalCluster that matches NumPy's."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import polygrad as pg

da = pytest.importorskip("dask.array")
dask = pytest.importorskip("dask")

RNG = np.random.default_rng(5)
X = RNG.standard_normal((400, 30))
W = RNG.standard_normal((30, 8)) * 0.3
IDX = np.array([0, 3, 3, 399, 3])


def loss(x: pg.Tensor, w: pg.Tensor, idx: Any) -> pg.Tensor:
    """A chunked linear layer, a broadcasting reduction and a repeated-index gather."""
    h = pg.tanh(x @ w)
    centred = h - h.mean(dim=0, keepdim=True)
    return (centred**2).sum() / x.shape[0] + (x[idx] ** 2).sum()


def grads(backend: str, make: Any) -> tuple[pg.Tensor, pg.Tensor]:
    x = pg.as_tensor(make(X)).requires_grad_()
    w = pg.as_tensor(make(W)).requires_grad_()
    index = pg.as_tensor(make(IDX))
    loss(x, w, index).backward()
    assert x.backend == w.backend == backend
    return x.grad, w.grad


class ComputeCounter(dask.callbacks.Callback):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def _start(self, dsk: Any) -> None:
        self.count += 1


def test_forward_and_backward_stay_lazy() -> None:
    with ComputeCounter() as counter:
        gx, gw = grads("dask", lambda a: da.from_array(a, chunks=100))
    assert counter.count == 0  # nothing was computed: the gradients are task graphs
    assert isinstance(gx._data, da.Array) and isinstance(gw._data, da.Array)
    assert gx._data.chunks[0] == (100, 100, 100, 100)
    nx, nw = grads("numpy", lambda a: a)
    np.testing.assert_allclose(gx._data.compute(), nx._data, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(gw._data.compute(), nw._data, rtol=1e-12, atol=1e-12)


def test_gradient_on_local_cluster_matches_numpy() -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        gx, gw = grads("dask", lambda a: da.from_array(a, chunks=50))
        computed_x, computed_w = client.compute([gx._data, gw._data], sync=True)
    nx, nw = grads("numpy", lambda a: a)
    np.testing.assert_allclose(computed_x, nx._data, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(computed_w, nw._data, rtol=1e-12, atol=1e-12)


def test_writes_are_functional() -> None:
    x = pg.as_tensor(da.from_array(X[:4, :3].copy(), chunks=2)).requires_grad_()
    y = x * 1
    z = y * y  # saves y's value
    alias = y.detach()
    y[1] = 0.0
    y.add_(1)
    expected = X[:4, :3] + 1
    expected[1] = 1.0
    np.testing.assert_allclose(alias.numpy(), expected)
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * X[:4, :3], rtol=1e-12)


def test_random_numbers_are_lazy_and_seeded() -> None:
    pg.manual_seed(4)
    a = pg.randn(1000, 10, backend="dask")
    assert isinstance(a._data, da.Array)
    pg.manual_seed(4)
    np.testing.assert_array_equal(a.numpy(), pg.randn(1000, 10, backend="dask").numpy())
    assert abs(float(a.numpy().mean())) < 0.1 and a.dtype == pg.float32
