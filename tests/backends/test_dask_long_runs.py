"""Dask over long runs and data-dependent sizes: manual update loops keep their task
graphs bounded, boolean masks write and differentiate like NumPy, sizes after a mask
are computed when asked for, and ``pg.compute`` computes lazy tensors together."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import polygrad as pg
from polygrad.backends.dask import backend as dask_backend

da = pytest.importorskip("dask.array")

RNG = np.random.default_rng(15)
H = RNG.standard_normal((64, 100))
ROWS = RNG.standard_normal((64, 3))


def layers(t: pg.Tensor) -> int:
    return len(t._data.__dask_graph__().layers)


def chunked(a: np.ndarray) -> Any:
    return da.from_array(a, chunks=tuple(max(1, n // 2) for n in a.shape))


# -- manual update loops -----------------------------------------------------------------------


@pytest.mark.slow
def test_five_thousand_manual_updates_keep_the_graph_bounded() -> None:
    """``with no_grad(): w -= step`` and ``w.data -= step``, 2,500 steps each: without a
    bound each step adds a layer, and dask overflows the stack near 1,000."""
    w = pg.tensor(da.ones((3,), chunks=3), requires_grad=True)
    step = pg.tensor(da.full((3,), 0.001, chunks=3))
    deepest = 0
    for i in range(5000):
        if i % 2:
            w.data -= step
        else:
            with pg.no_grad():
                w -= step
        deepest = max(deepest, layers(w))
    assert deepest <= dask_backend.max_pending_layers + 1
    assert w.is_leaf and w.requires_grad
    np.testing.assert_allclose(w.detach().numpy(), 1 - 5000 * 0.001, rtol=1e-9)


@pytest.mark.parametrize("how", ["no_grad", "data", "view"])
def test_a_training_loop_of_manual_updates_matches_numpy(how: str) -> None:
    """Gradient descent on ``((x @ w - y) ** 2).mean()`` written by hand, past the bound:
    the same weights as on NumPy, the graph never deeper than the bound."""
    x_np, y_np = RNG.standard_normal((8, 3)), RNG.standard_normal((8, 1))
    results = {}
    for name, make in (("numpy", np.asarray), ("dask", chunked)):
        x, y = pg.tensor(make(x_np)), pg.tensor(make(y_np))
        w = pg.tensor(make(np.zeros((3, 1))), requires_grad=True)
        for _ in range(150):
            ((x @ w - y) ** 2).mean().backward()
            if how == "data":
                w.data -= 0.1 * w.grad
            else:
                with pg.no_grad():
                    if how == "view":
                        w[:2] -= 0.1 * w.grad[:2]
                    else:
                        w -= 0.1 * w.grad
            w.grad = None
            if name == "dask":
                assert layers(w) <= dask_backend.max_pending_layers + 1
        results[name] = w.detach().numpy()
    np.testing.assert_allclose(results["dask"], results["numpy"], rtol=1e-10, atol=1e-12)


def test_gradients_accumulated_over_many_backward_calls_stay_bounded() -> None:
    w = pg.tensor(da.ones((2,), chunks=1), requires_grad=True)
    loss = (w * 3).sum()
    for _ in range(dask_backend.max_pending_layers + 20):
        loss.backward(retain_graph=True)
        assert layers(w.grad) <= dask_backend.max_pending_layers + 1
    np.testing.assert_allclose(w.grad.numpy(), 3.0 * (dask_backend.max_pending_layers + 20))


def test_gradients_accumulated_twice_print() -> None:
    """Two ``backward(retain_graph=True)`` calls through linalg and a one-hot ``eye``."""
    a_np = RNG.standard_normal((4, 4)) + 4 * np.eye(4)
    expected = None
    for make in (np.asarray, chunked):
        a = pg.tensor(make(a_np), requires_grad=True)
        eye = pg.eye(4, dtype=pg.float64, backend=a.backend)
        loss = (pg.linalg.inv(a) * eye[pg.tensor(make(np.array([2, 0, 3, 1])))]).sum()
        loss.backward(retain_graph=True)
        loss.backward(retain_graph=True)
        assert "tensor(" in str(a.grad)
        expected = a.grad.numpy() if expected is None else expected
        np.testing.assert_allclose(a.grad.numpy(), expected, rtol=1e-12)


# -- boolean masks -------------------------------------------------------------------------------


def _zero_negatives(g: pg.Tensor, h: pg.Tensor) -> None:
    g[h < 0] = 0  # a 2-d mask and one value: a hand-written ReLU's backward


def _row_into_masked_rows(g: pg.Tensor, h: pg.Tensor) -> None:
    g[h[:, 0] < 0] = h[0]  # a mask over the first axis, one row for every selected row


def _one_value_each(g: pg.Tensor, h: pg.Tensor) -> None:
    g[h > 0] = h[h > 0] * 5  # one value per selected element, in order


@pytest.mark.parametrize("write", [_zero_negatives, _row_into_masked_rows, _one_value_each])
def test_boolean_mask_writes_match_numpy(write: Any) -> None:
    got = {}
    for name, make in (("numpy", np.asarray), ("dask", chunked)):
        h = pg.tensor(make(H))
        g = pg.tensor(make(np.ones((64, 100))))
        write(g, h)
        got[name] = g.numpy()
    np.testing.assert_array_equal(got["dask"], got["numpy"])


def test_gradient_through_mask_writes_and_reads_matches_numpy() -> None:
    """``y[h < 0] = 0``, ``y[rows] = 2 * y[rows]`` and ``x[x > 0]`` under backward."""
    got = {}
    for name, make in (("numpy", np.asarray), ("dask", chunked)):
        h = pg.tensor(make(H), requires_grad=True)
        r = pg.tensor(make(ROWS), requires_grad=True)
        rows = pg.tensor(make(H[:, 0] > 0))
        y = h[:, :3] * r
        y[h[:, :3] < 0] = 0
        y[rows] = 2 * y[rows]
        picked = h[h > 1]
        loss = (y**2).sum() + (picked**3).mean()
        loss.backward()
        got[name] = (loss.item(), h.grad.numpy(), r.grad.numpy(), tuple(picked.shape))
    assert got["dask"][3] == got["numpy"][3]
    for a, b in zip(got["dask"][:3], got["numpy"][:3]):
        np.testing.assert_allclose(a, b, rtol=1e-12)


def test_sizes_after_a_mask_are_computed_when_asked_for() -> None:
    x = pg.tensor(chunked(H))
    y = x[x > 0]
    count = int((H > 0).sum())
    assert np.isnan(y._data.shape[0])  # lazy until asked
    assert y.shape == (count,) and y.size() == (count,) and y.numel() == count
    assert len(y) == count and y.size == count


# -- pg.compute -------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["numpy", "torch", "dask"])
def test_compute_computes_lazy_tensors_together(backend: str) -> None:
    pytest.importorskip(backend)
    make = chunked if backend == "dask" else np.asarray
    x = (
        pg.as_tensor(make(H[:4, :5]))
        if backend != "torch"
        else pg.tensor(H[:4, :5], backend="torch")
    )
    x.requires_grad_()
    loss = (x[x > 0] ** 2).sum()
    loss.backward()
    grad_before = x.grad
    out = pg.compute(loss, x.grad)
    assert out[0] is loss and out[1] is grad_before and loss.grad_fn is not None
    if backend == "dask":
        assert layers(loss) == layers(x.grad) == 1  # computed, kept as dask arrays
        assert isinstance(loss._data, da.Array)
    np.testing.assert_allclose(loss.item(), (H[:4, :5][H[:4, :5] > 0] ** 2).sum(), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.maximum(H[:4, :5], 0), rtol=1e-12)


def test_compute_rejects_non_tensors() -> None:
    with pytest.raises(TypeError, match="expected Tensors, got ndarray"):
        pg.compute(np.ones(2))  # type: ignore[arg-type]
