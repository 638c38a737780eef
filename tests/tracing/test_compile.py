"""``pg.compile``: replays equal the eager run (bit for bit on NumPy), retrace on a new
signature, refuse values Python needs from traced data, honour static arguments and the
cache limit, on every backend."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import BACKENDS

import polygrad as pg
from polygrad.tracing import TracerError

RNG = np.random.default_rng(0)
X = RNG.standard_normal((5, 3))
W = RNG.standard_normal((3, 2))
V = RNG.standard_normal((5, 2))


def _numpy(t):
    return t.detach().numpy() if isinstance(t, pg.Tensor) else np.asarray(t)


def _same(a, b, backend):
    a, b = _numpy(a), _numpy(b)
    if backend == "jax":  # XLA fuses the jitted replay: equal to rounding, not bit for bit
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    else:
        np.testing.assert_array_equal(a, b)


def loss_and_backward(x, w):
    xp = x.__array_namespace__()
    y = xp.tanh(x @ w) ** 3 + xp.exp(-xp.abs(x @ w))
    loss = xp.sum(y * y) / 2
    loss.backward()
    return loss


def _inputs(backend, x=X, w=W):
    return pg.tensor(x, backend=backend), pg.tensor(w, backend=backend, requires_grad=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_loss_and_backward_equal_eager(backend):
    x, w = _inputs(backend)
    eager = loss_and_backward(x, w)
    eager_grad = _numpy(w.grad)
    compiled = pg.compile(loss_and_backward)
    for _ in range(3):  # the trace, then replays
        w.grad = None
        loss = compiled(x, w)
        _same(loss, eager, backend)
        _same(w.grad, eager_grad, backend)
        assert loss.grad_fn is None and not loss.requires_grad
    assert compiled.traces == 1


def special_functions_and_backward(x, w):
    """Special functions run the backend's own (``scipy.special``, ``torch.special``...)."""
    z = x @ w
    loss = (pg.erf(z) + pg.lgamma(z * z + 1) + pg.digamma(z * z + 1)).sum()
    loss = loss + pg.special.polygamma(1, z * z + 1).sum() + pg.i0(z).sum()
    loss.backward()
    return loss


@pytest.mark.parametrize("backend", BACKENDS)
def test_special_functions_equal_eager(backend):
    x, w = _inputs(backend)
    eager = special_functions_and_backward(x, w)
    eager_grad = _numpy(w.grad)
    compiled = pg.compile(special_functions_and_backward)
    for _ in range(2):
        w.grad = None
        _same(compiled(x, w), eager, backend)
        _same(w.grad, eager_grad, backend)
    assert compiled.traces == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_torch_factories_of_a_traced_tensor(backend):
    """pg.zeros_like(x) & co. take a traced x's backend (the tracing adapter) as eager does."""

    def fn(x):
        return (pg.zeros_like(x) + pg.ones_like(x) * x + pg.full_like(x, 2.0)).sum()

    x = pg.tensor(X, backend=backend)
    compiled = pg.compile(fn)
    for _ in range(2):
        _same(compiled(x), fn(x), backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_new_inputs_replay_with_their_values(backend):
    compiled = pg.compile(lambda x, w: pg.autograd.grad(loss_and_backward_free(x, w), w))
    for seed in range(3):
        rng = np.random.default_rng(seed + 1)
        x, w = _inputs(backend, rng.standard_normal((5, 3)), rng.standard_normal((3, 2)))
        (expected,) = pg.autograd.grad(loss_and_backward_free(x, w), w)
        (got,) = compiled(x, w)
        _same(got, expected, backend)
    assert compiled.traces == 1


def loss_and_backward_free(x, w):
    xp = x.__array_namespace__()
    return xp.sum(xp.sin(x @ w) * (x @ w))


@pytest.mark.parametrize("backend", BACKENDS)
def test_hessian_vector_product(backend):
    def hvp(x, v):
        (g,) = pg.autograd.grad(pg.sum(pg.tanh(x) ** 3), x, create_graph=True)
        return pg.autograd.grad(pg.sum(g * v), x)

    x = pg.tensor(V, backend=backend, requires_grad=True)
    v = pg.tensor(np.cos(V), backend=backend)
    compiled = pg.compile(hvp)
    expected = hvp(x, v)[0]
    for _ in range(2):
        _same(compiled(x, v)[0], expected, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_training_step_updates_arguments_in_place(backend):
    def step(w, x, y):
        loss = pg.mean((x @ w - y) ** 2)
        loss.backward()
        with pg.no_grad():
            w.sub_(0.1 * w.grad)
        w.grad = None
        return loss

    x, y = pg.tensor(X, backend=backend), pg.tensor(V, backend=backend)
    w_eager = pg.tensor(W, backend=backend, requires_grad=True)
    w_compiled = pg.tensor(W, backend=backend, requires_grad=True)
    compiled = pg.compile(step)
    for _ in range(4):
        _same(compiled(w_compiled, x, y), step(w_eager, x, y), backend)
        _same(w_compiled, w_eager, backend)
        assert w_compiled.grad is None and w_compiled.requires_grad
    assert compiled.traces == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_raw_arrays_in_and_out(backend):
    x = pg.tensor(X, backend=backend)._data

    def value_and_gradient(a):
        return pg.value_and_grad(lambda t: pg.sum(pg.sin(t) * t))(a)

    compiled = pg.compile(value_and_gradient)
    expected = value_and_gradient(x)
    for _ in range(2):
        value, gradient = compiled(x)
        _same(value, expected[0], backend)
        _same(gradient, expected[1], backend)


def test_retraces_on_a_new_signature():
    compiled = pg.compile(loss_and_backward)
    x, w = _inputs("numpy")
    compiled(x, w)
    compiled(x, w)  # w has a .grad now: a new signature (accumulating into it)
    assert compiled.traces == 2
    compiled(x, w)
    assert compiled.traces == 2
    compiled(*_inputs("numpy", X[:2]))  # a new shape
    assert compiled.traces == 3
    compiled(pg.tensor(X, dtype=pg.float32), pg.tensor(W, dtype=pg.float32, requires_grad=True))
    assert compiled.traces == 4  # a new dtype
    compiled(x, w)
    assert compiled.traces == 4  # still cached
    double = pg.compile(lambda t: t * 2)
    double(w)
    with pg.no_grad():
        double(w)  # grad mode
    double(w.detach())  # requires_grad
    assert double.traces == 3


def test_cache_keeps_the_most_recent_signatures():
    compiled = pg.compile(lambda x: pg.sum(x * 2), cache_size=2)
    for n in (1, 2, 3):
        compiled(pg.ones(n))
    assert compiled.traces == 3 and len(compiled._cache) == 2
    compiled(pg.ones(3))
    assert compiled.traces == 3
    compiled(pg.ones(1))  # dropped when the third signature came in
    assert compiled.traces == 4
    with pytest.raises(ValueError, match="cache_size"):
        pg.compile(lambda x: x, cache_size=0)


@pytest.mark.parametrize("read", ["__bool__", "__float__", "__int__", "item", "numpy", "tolist"])
def test_values_python_needs_raise_naming_the_line(read):
    def fn(x):
        s = pg.sum(x)
        return getattr(s, read)()  # the line the error names

    line = fn.__code__.co_firstlineno + 2
    with pytest.raises(TracerError, match=rf"test_compile.py:{line} \(fn\).*static_argnums"):
        pg.compile(fn)(pg.ones(3))


def test_a_branch_on_data_raises_unless_static():
    def fn(x, scale):
        return x * 2 if scale > 0 else x * 3

    with pytest.raises(TracerError):
        pg.compile(fn)(pg.ones(2), pg.tensor(1.0))
    by_number = pg.compile(fn, static_argnums=1)
    assert by_number(pg.ones(2), 1.0).tolist() == [2.0, 2.0]
    assert by_number(pg.ones(2), -1.0).tolist() == [3.0, 3.0]
    assert by_number.traces == 2
    by_name = pg.compile(fn, static_argnames="scale")
    assert by_name(pg.ones(2), scale=-1).tolist() == [3.0, 3.0]
    with pytest.raises(TypeError, match="hashable"):
        pg.compile(fn, static_argnums=1)(pg.ones(2), [1])


def test_is_tracing_inside_only():
    seen = []
    compiled = pg.compile(lambda x: seen.append(pg.tracing.is_tracing()) or x * 2)
    compiled(pg.ones(2))
    compiled(pg.ones(2))  # a replay runs no Python of the function
    assert seen == [True] and not pg.tracing.is_tracing()


def test_python_numbers_are_part_of_the_signature():
    compiled = pg.compile(lambda x, p: pg.sum(x**p))
    assert compiled(pg.ones(2) * 2, 2).item() == 8.0
    assert compiled(pg.ones(2) * 2, 3).item() == 16.0
    assert compiled.traces == 2


def test_unsupported_arguments_and_state():
    with pytest.raises(TypeError, match="mark it static"):
        pg.compile(lambda x, f: x)(pg.ones(2), object())
    w = pg.ones(2, requires_grad=True)
    with pytest.raises(TypeError, match="closure or global"):
        pg.compile(lambda x: x * w)(pg.ones(2))
    kept = []
    pg.compile(lambda x: kept.append(x * 2))(pg.ones(2))
    with pytest.raises(TracerError, match="escaped"):
        kept[0] + 1
    with pytest.raises(TypeError, match="leaves"):
        pg.compile(lambda x: x)(w * 2)


def test_replay_frees_and_reuses_buffers_without_changing_results():
    x = pg.tensor(RNG.standard_normal(1000), requires_grad=True)

    def fn(x):
        y = pg.exp(pg.sin(x)) * x**2 + pg.tanh(x)
        return pg.autograd.grad(pg.sum(y), x)[0]

    compiled = pg.compile(fn)
    expected = fn(x).numpy()
    compiled(x)
    np.testing.assert_array_equal(compiled(x).numpy(), expected)
    (entry,) = compiled._cache.values()
    assert "out=" in entry.replay.source and "del " in entry.replay.source
