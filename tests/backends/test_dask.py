"""Dask: lazy chunked arrays through forward and backward, and a gradient computed on a
``dask.distributed`` LocalCluster that matches NumPy's."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import polygrad as pg
from polygrad import array_api

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


# -- linalg, fft and take_along_axis: batched, chunked, lazy, dtype-keeping -------------------

BATCH = RNG.standard_normal((6, 4, 4))
SPD = BATCH @ np.swapaxes(BATCH, -1, -2) + 4 * np.eye(4)
RHS = RNG.standard_normal((6, 4, 2))


def both(fn: Any, *arrays: np.ndarray, dtype: Any = np.float64, chunks: Any = 2) -> None:
    """``fn`` on chunked Dask tensors and on NumPy ones: the forward and every input's
    gradient agree and keep the dtype, and nothing is computed on the way."""
    results = {}
    for name, make in (("numpy", lambda a: a), ("dask", lambda a: da.from_array(a, chunks=chunks))):
        leaves = [pg.as_tensor(make(a.astype(dtype))).requires_grad_() for a in arrays]
        with ComputeCounter() as counter:
            out = fn(*leaves)
            (out * out).sum().backward()  # a cotangent that depends on every element
        if name == "dask":
            assert counter.count == 0  # forward and backward are task graphs
            assert isinstance(out._data, da.Array)
        assert out.dtype == leaves[0].dtype
        assert all(leaf.grad.dtype == leaf.dtype for leaf in leaves)
        results[name] = [out.detach().numpy()] + [leaf.grad.numpy() for leaf in leaves]
    tol = 1e-9 if dtype == np.float64 else 2e-3
    for got, want in zip(results["dask"], results["numpy"]):
        assert got.dtype == want.dtype and got.shape == want.shape
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(
    "fn, inputs",
    [
        (lambda a: pg.linalg.inv(a), (BATCH,)),
        (lambda a, b: pg.linalg.solve(a, b), (BATCH, RHS)),
        (lambda a, b: pg.linalg.solve(a, b), (BATCH, RHS[0, :, 0])),  # one vector for all
        (lambda a: pg.linalg.matrix_power(a, -2), (BATCH,)),
        (lambda a: pg.linalg.cholesky(a), (SPD,)),  # the lower factor
        (lambda a: pg.linalg.cholesky(a, upper=True), (SPD,)),
        (lambda a: pg.linalg.det(a), (BATCH,)),
        (lambda a: pg.linalg.slogdet(a)[1], (BATCH,)),
        (lambda a: pg.linalg.pinv(a[..., :3]), (BATCH,)),
        (lambda a: pg.linalg.eigvalsh(a), (SPD,)),
        (lambda a: (lambda v: v @ v.mT)(pg.linalg.eigh(a)[1][..., -1:]), (SPD,)),
        (lambda a: pg.linalg.matrix_norm(a, ord=2), (BATCH,)),
        (lambda a, b: pg.linalg.cross(a[..., :3], b[:, None, 1:, 0]), (BATCH, RHS)),  # broadcasts
        (lambda a: pg.take_along_axis(a, array_api.argsort(a, axis=1), axis=1), (BATCH,)),
        (lambda a: array_api.sort(a, axis=-2), (BATCH,)),
        (lambda a: pg.fft.irfft(pg.fft.rfft(a, n=7, axis=1), n=5, axis=1), (BATCH,)),
        (lambda a: pg.fft.hfft(a, n=6, axis=0), (BATCH,)),
        (lambda a: pg.fft.irfftn(pg.fft.rfftn(a, s=(5, 6)), s=(3, 4)), (BATCH,)),
    ],
)
def test_linalg_fft_and_take_along_axis_are_batched_chunked_and_lazy(fn, inputs, dtype) -> None:
    both(fn, *inputs, dtype=dtype)


def test_cholesky_is_the_lower_factor() -> None:
    low = pg.linalg.cholesky(pg.as_tensor(da.from_array(SPD, chunks=(2, 4, 4)))).numpy()
    np.testing.assert_allclose(low, np.linalg.cholesky(SPD), rtol=1e-12)
    np.testing.assert_array_equal(np.triu(low, 1), 0)


def test_max_of_an_empty_array_with_nonempty_slices_is_empty() -> None:
    x = pg.as_tensor(da.zeros((0, 3), chunks=2)).requires_grad_()
    with ComputeCounter() as counter:
        out = array_api.logsumexp(x, axis=1)
        out.sum().backward()
    assert counter.count == 0
    assert tuple(out.shape) == (0,) and tuple(x.grad.shape) == (0, 3)
    assert tuple(array_api.max(x, axis=1, keepdims=True).shape) == (0, 1)


def test_eig_is_complex_and_batched() -> None:
    a = pg.as_tensor(da.from_array(SPD.astype(np.float32), chunks=(2, 4, 4)))
    values, vectors = pg.linalg.eig(a)
    assert values.dtype == vectors.dtype == pg.complex64
    np.testing.assert_allclose(
        np.sort(values.numpy().real, axis=-1), np.linalg.eigvalsh(SPD), rtol=1e-4
    )


@pytest.mark.parametrize(
    "key", [(slice(None), slice(0, 0)), (slice(2, 2),), (Ellipsis, slice(3, 1))]
)
def test_gradient_of_an_empty_slice_is_zeros(key: Any) -> None:
    """dask refuses to write an empty value into an empty selection ("shape mismatch"),
    which a slice with no elements (``narrow(1, 0, 0)``) needs in its backward."""
    both(lambda x: x[key] * 2.0, RNG.standard_normal((5, 5, 5)))
    torch = pytest.importorskip("torch")
    x = pg.tensor(RNG.standard_normal((5, 5, 5)), backend="dask", requires_grad=True)
    t = torch.tensor(x.detach().numpy(), requires_grad=True)
    x.narrow_copy(1, 0, 0).sum().backward()
    t.narrow_copy(1, 0, 0).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), t.grad.numpy())
    x = pg.tensor(np.zeros((4, 3)), backend="dask")
    x[1:1] = pg.tensor(np.ones((1, 3)), backend="dask")  # broadcasts to nothing
    np.testing.assert_array_equal(x.numpy(), np.zeros((4, 3)))
