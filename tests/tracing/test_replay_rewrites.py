"""The NumPy replay calls ndarray methods instead of their wrappers (``reshape``,
``matrix_transpose``, ``astype``) and lets a ufunc broadcast an operand a rule broadcast
first, with results equal to the eager run bit for bit."""

from __future__ import annotations

import numpy as np
import pytest

import polygrad as pg

RNG = np.random.default_rng(2)


def _loss(x, w, y):
    xp = x.__array_namespace__()
    z = xp.tanh(x @ w)
    shifted = z - xp.max(z, axis=1, keepdims=True)
    lse = xp.log(xp.sum(xp.exp(shifted), axis=1))
    loss = xp.mean(lse - xp.sum(shifted * y, axis=1)) + xp.sum(xp.astype(z > 0, z.dtype))
    loss.backward()
    return loss


def test_rewritten_replay_equals_eager_bit_for_bit():
    w = pg.tensor(RNG.standard_normal((5, 4)).astype(np.float32), requires_grad=True)
    compiled = pg.compile(_loss)
    for _ in range(3):
        x = pg.tensor(RNG.standard_normal((6, 5)).astype(np.float32))
        y = pg.tensor(np.eye(4, dtype=np.float32)[RNG.integers(0, 4, 6)])
        w.grad = None
        expected = _loss(x, w, y).detach().numpy()
        expected_grad = w.grad.numpy()
        w.grad = None
        np.testing.assert_array_equal(compiled(x, w, y).numpy(), expected)
        np.testing.assert_array_equal(w.grad.numpy(), expected_grad)
    (entry,) = compiled._cache.values()
    names = {getattr(f, "__name__", "") for f in entry.replay.__globals__.values()}
    assert {"broadcast_to", "matrix_transpose"}.isdisjoint(names)
    assert "swapaxes" in names


def _copies(x, buf, other):
    buf.copy_(x * 2)  # astype, broadcast_to, asarray(copy=True), setitem: one kernel
    y = x * 3
    other.copy_(y)  # y is read afterwards: its copy stays
    y.add_(1)
    return y


def test_copies_of_unchanged_values_leave_the_replay_where_nothing_reads_the_source():
    x = pg.tensor(RNG.standard_normal(5).astype(np.float32))
    buffers = [pg.zeros(5, dtype="float32") for _ in range(4)]
    compiled = pg.compile(_copies)
    for _ in range(2):
        expected = _copies(x, *buffers[:2]).numpy()
        np.testing.assert_array_equal(compiled(x, *buffers[2:]).numpy(), expected)
        for got, want in zip(buffers[2:], buffers[:2]):
            np.testing.assert_array_equal(got.numpy(), want.numpy())
    (entry,) = compiled._cache.values()
    source = entry.replay.source
    assert source.count("out=v1)") == 1  # x * 2 written into buf
    names = [getattr(f, "__name__", "") for k, f in entry.replay.__globals__.items() if k[0] == "f"]
    assert "broadcast_to" not in names and "asarray" not in names
    assert names.count("astype") == 1 and "setitem" in names  # other.copy_(y)


def _means(x):
    xp = x.__array_namespace__()
    return (
        xp.mean(x),
        xp.mean(x, axis=0),
        xp.mean(x, axis=(-1, 0), keepdims=True),
        xp.mean(x * x, axis=1),
    )


@pytest.mark.parametrize("dtype", ["float32", "float64", "complex64"])
def test_means_replay_as_the_sum_and_division_numpy_makes(dtype):
    data = RNG.standard_normal((7, 3)) + (
        1j * RNG.standard_normal((7, 3)) if "complex" in dtype else 0
    )
    x = pg.tensor(data.astype(dtype))
    compiled = pg.compile(_means)
    for _ in range(2):
        for got, expected in zip(compiled(x), _means(x)):
            assert got.dtype == expected.dtype and got.shape == expected.shape
            np.testing.assert_array_equal(got.numpy(), expected.numpy())
    (entry,) = compiled._cache.values()
    assert np.mean not in entry.replay.__globals__.values()
