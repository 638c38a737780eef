"""``pg.compile`` computes what depends on no input once, while tracing (the seed and
broadcast chain of ``mean``'s gradient, arrays made inside), keeps results equal to the
eager ones, and leaves in the replay what an input-dependent step writes into or reads
before a write, random draws, and results."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import BACKENDS

import polygrad as pg

RNG = np.random.default_rng(1)
INPUTS = [RNG.standard_normal((4, 3)) for _ in range(3)]


def _numpy(t):
    return t.detach().numpy() if isinstance(t, pg.Tensor) else np.asarray(t)


def _same(a, b, backend):
    a, b = _numpy(a), _numpy(b)
    if backend == "jax":  # XLA fuses the jitted replay: equal to rounding
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    else:
        np.testing.assert_array_equal(a, b)


def _bound_names(compiled):
    (entry,) = compiled._cache.values()
    return {getattr(f, "__name__", "") for f in entry.replay.__globals__.values()}


def _mean_loss(x):
    loss = pg.mean(pg.tanh(x) * 2)
    loss.backward()
    return loss


def test_mean_gradient_chain_is_computed_once():
    x = pg.tensor(INPUTS[0], requires_grad=True)
    compiled = pg.compile(_mean_loss)
    compiled(x)
    names = _bound_names(compiled)
    assert "ones_like" not in names and "broadcast_to" not in names
    assert "tanh" in names


def _written_after_reading(x):
    """A zeros array read, then written by an input-dependent step, then read again."""
    xp = x.__array_namespace__()
    buffer = xp.zeros_like(x[0])
    before = x[0] + buffer
    buffer[1] = x[1, 2]
    after = x[1] * buffer
    made = xp.ones_like(x[0]) * 3  # depends on no input: hoisted
    return before, after + made


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn", [_mean_loss, _written_after_reading])
def test_replays_equal_eager_with_hoisted_constants(backend, fn):
    compiled = pg.compile(fn)
    for data in INPUTS:
        x = pg.tensor(data, backend=backend, requires_grad=fn is _mean_loss)
        expected = fn(x)
        eager_grad = None if x.grad is None else _numpy(x.grad)
        x.grad = None
        got = compiled(x)
        for a, b in zip(np.atleast_1d(got), np.atleast_1d(expected)):
            _same(a, b, backend)
        if eager_grad is not None:
            _same(x.grad, eager_grad, backend)
    assert compiled.traces == 1


def test_results_and_random_draws_stay_in_the_replay():
    compiled = pg.compile(lambda x: (x + pg.rand(3, dtype=x.dtype), pg.zeros(2)))
    x = pg.zeros(3)
    first, zeros = compiled(x)
    second, zeros_again = compiled(x)
    assert not np.array_equal(first.numpy(), second.numpy())  # drawn again
    zeros.add_(1)  # the caller owns a result: later calls are not changed by it
    np.testing.assert_array_equal(compiled(x)[1].numpy(), np.zeros(2))
    assert zeros_again.numpy() is not zeros.numpy()


def test_an_array_a_replayed_step_writes_into_stays_in_the_replay():
    compiled = pg.compile(_written_after_reading)
    compiled(pg.tensor(INPUTS[0]))
    names = _bound_names(compiled)
    assert "zeros_like" in names  # written with input values: made again on every call
    assert "ones_like" not in names  # only read: made once


def test_a_closure_array_changed_between_calls_is_read_again():
    scale = np.ones(3)
    compiled = pg.compile(lambda x: x + pg.as_tensor(scale) * 2)
    x = pg.zeros(3)
    np.testing.assert_array_equal(compiled(x).numpy(), np.full(3, 2.0))
    scale[:] = 5
    np.testing.assert_array_equal(compiled(x).numpy(), np.full(3, 10.0))
