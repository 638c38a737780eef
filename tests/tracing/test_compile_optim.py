"""``pg.optim`` optimizers inside ``pg.compile``: a compiled training step equals the eager
one (bit for bit where the replay runs the eager kernels), its step counts and learning
rate are not frozen into the trace, its state is updated in place, and what would change
the update traces again."""

from __future__ import annotations

import copy

import numpy as np
import pytest
from conftest import BACKENDS

import polygrad as pg
from polygrad.tracing import TracerError

RNG = np.random.default_rng(0)
X = RNG.standard_normal((8, 3))
Y = RNG.standard_normal((8, 2))
W = RNG.standard_normal((3, 2))
CONFIGS = [
    (pg.optim.Adam, {"lr": 0.1}),
    (pg.optim.Adam, {"lr": 0.1, "amsgrad": True, "weight_decay": 0.1, "maximize": True}),
    (pg.optim.AdamW, {"lr": 0.1}),
    (pg.optim.SGD, {"lr": 0.1}),
    (pg.optim.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True, "weight_decay": 0.01}),
]


def _same(a, b, backend):
    a, b = np.asarray(a), np.asarray(b)
    if backend == "jax":  # XLA fuses the jitted replay: equal to rounding, not bit for bit
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    else:
        np.testing.assert_array_equal(a, b)


def _model(backend, make, config):
    params = [
        pg.tensor(W, backend=backend, requires_grad=True),
        pg.zeros(2, dtype="float64", backend=backend, requires_grad=True),
    ]
    optimizer = make(params, **config)

    def step(w, b, x, y):
        loss = pg.mean((x @ w + b - y) ** 2)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss

    return params, optimizer, step


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("make", "config"), CONFIGS)
def test_compiled_training_step_equals_eager(backend, make, config):
    x, y = pg.tensor(X, backend=backend), pg.tensor(Y, backend=backend)
    eager_params, eager_opt, eager_step = _model(backend, make, config)
    params, optimizer, step = _model(backend, make, config)
    compiled = pg.compile(step)
    for _ in range(4):
        loss = eager_step(*eager_params, x, y).detach().numpy()
        _same(compiled(*params, x, y).numpy(), loss, backend)
        for p, q in zip(params, eager_params):
            _same(p.detach().numpy(), q.detach().numpy(), backend)
            assert p.grad is None and p.requires_grad
    for p, q in zip(params, eager_params):  # the state: step counts, moments, in place
        for key, value in eager_opt.state[q].items():
            got = optimizer.state[p][key]
            if isinstance(value, pg.Tensor):
                _same(got.numpy(), value.numpy(), backend)
            else:
                assert got == value
    # SGD with momentum: its first step (the buffer made from the gradient) is traced apart
    assert compiled.traces == (2 if config.get("momentum") else 1)


def test_state_is_updated_in_place_and_the_learning_rate_is_read_each_call():
    (w, b), optimizer, step = _model("numpy", pg.optim.Adam, {"lr": 0.1})
    eager_params, eager_opt, eager_step = _model("numpy", pg.optim.Adam, {"lr": 0.1})
    x, y = pg.tensor(X), pg.tensor(Y)
    compiled = pg.compile(step)
    compiled(w, b, x, y)
    eager_step(*eager_params, x, y)
    moment = optimizer.state[w]["exp_avg"]
    buffer = moment._data
    for lr in (0.05, 0.01):  # a scheduler's change: fed, no new trace
        for group in (*optimizer.param_groups, *eager_opt.param_groups):
            group["lr"] = lr
        compiled(w, b, x, y)
        eager_step(*eager_params, x, y)
    np.testing.assert_array_equal(w.detach().numpy(), eager_params[0].detach().numpy())
    assert optimizer.state[w]["exp_avg"] is moment and moment._data is buffer
    assert optimizer.state[w]["step"] == 3.0 and compiled.traces == 1


def test_other_hyperparameters_and_loaded_state_trace_again():
    (w, b), optimizer, step = _model("numpy", pg.optim.Adam, {"lr": 0.1})
    x, y = pg.tensor(X), pg.tensor(Y)
    compiled = pg.compile(step)
    compiled(w, b, x, y)
    compiled(w, b, x, y)
    assert compiled.traces == 1
    optimizer.param_groups[0]["betas"] = (0.8, 0.99)
    compiled(w, b, x, y)
    assert compiled.traces == 2
    optimizer.load_state_dict(optimizer.state_dict())
    compiled(w, b, x, y)
    assert compiled.traces == 3
    assert optimizer.state[w]["step"] == 4.0


def test_parameters_must_be_arguments():
    w = pg.tensor(W, requires_grad=True)
    b = pg.zeros(2, dtype="float64", requires_grad=True)
    optimizer = pg.optim.SGD([w, b], lr=0.1)
    x = pg.tensor(X)
    b.grad = pg.ones(2, dtype="float64")  # b has a gradient but is no argument

    def step(w, x):
        pg.sum(x @ w).backward()
        optimizer.step()

    with pytest.raises(TypeError, match="not an argument of the compiled function"):
        pg.compile(step)(w, x)


def test_an_argument_sharing_its_data_traces_again_after_a_step():
    """SGD's second trace comes after the caller read the parameters (detach() shares
    their data): the trace writes the parameters, not the shared buffer behind them."""
    w = pg.tensor(W, requires_grad=True)
    optimizer = pg.optim.SGD([w], lr=0.1, momentum=0.9)

    def step(w):
        pg.sum(w * w).backward()
        optimizer.step()
        optimizer.zero_grad()

    compiled = pg.compile(step)
    compiled(w)
    seen = w.detach()
    compiled(w)
    np.testing.assert_array_equal(seen.numpy(), w.detach().numpy())
    assert compiled.traces == 2


def test_a_value_read_from_the_state_inside_still_raises():
    w = pg.tensor(W, requires_grad=True)
    optimizer = pg.optim.Adam([w], lr=0.1)

    def step(w):
        pg.sum(w * w).backward()
        optimizer.step()
        return float(optimizer.state[w]["exp_avg"].sum())

    with pytest.raises(TracerError, match="float"):
        pg.compile(step)(w)


def _mlp(backend, sizes=(3, 4, 2)):
    rng = np.random.default_rng(1)
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        params.append(pg.tensor(rng.standard_normal((fan_in, fan_out)), backend=backend))
        params.append(pg.tensor(rng.standard_normal(fan_out), backend=backend))
    return [p.requires_grad_() for p in params]


def _mlp_loss(params, x, y):
    h = x
    for w, b in zip(params[0::2], params[1::2]):
        h = pg.tanh(h @ w + b)
    return pg.mean((h[:, :2] - y) ** 2)


def _replay_calls(compiled):
    (entry,) = compiled._cache.values()
    lines = entry.replay.source.splitlines()[1:]
    return sum(1 for line in lines if "(" in line and not line.strip().startswith("return"))


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_updates_the_parameters_together_in_one_flat_update(amsgrad):
    """On NumPy the compiled Adam update runs once over all parameters: a layer more
    adds the layer's forward and backward calls and one call per parameter to the update
    (adding its part), not the 13 calls of a per-parameter update."""
    x, y = pg.tensor(X), pg.tensor(Y)
    calls = []
    for sizes in ((3, 4, 2), (3, 4, 4, 2)):
        params = _mlp("numpy", sizes)
        optimizer = pg.optim.Adam(params, lr=0.1, amsgrad=amsgrad)

        def step(params, x, y, optimizer=optimizer):
            loss = _mlp_loss(params, x, y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
            return loss

        compiled = pg.compile(step, static_argnames="optimizer")
        compiled(params, x, y)
        compiled(params, x, y)
        calls.append(_replay_calls(compiled))
        without = pg.compile(lambda params, x, y: _mlp_loss(params, x, y).backward())
        without(params, x, y)
        calls[-1] -= _replay_calls(without)  # the update's calls
    assert calls[1] - calls[0] <= 3  # two parameters more: their adds (and a rebind)


@pytest.mark.parametrize("backend", BACKENDS)
def test_flat_state_follows_eager_steps_checkpoints_and_reads_inside(backend):
    """Compiled and eager steps on one optimizer, a checkpoint loaded in between and the
    state read inside the compiled step: all as an eager run of the same steps."""
    x, y = pg.tensor(X, backend=backend), pg.tensor(Y, backend=backend)
    params, eager_params = _mlp(backend), _mlp(backend)
    optimizer = pg.optim.AdamW(params, lr=0.1)
    eager_opt = pg.optim.AdamW(eager_params, lr=0.1)

    def step(params, x, y):
        loss = _mlp_loss(params, x, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss, optimizer.state[params[0]]["exp_avg"] * 1

    def eager_step(params):
        loss = _mlp_loss(params, x, y)
        loss.backward()
        eager_opt.step()
        eager_opt.zero_grad()
        return loss, eager_opt.state[params[0]]["exp_avg"] * 1

    compiled = pg.compile(step)
    saved = None
    for i in range(6):
        expected = eager_step(eager_params)
        if i in (2, 3):  # eager steps on the compiled step's optimizer
            loss = _mlp_loss(params, x, y)
            loss.backward()
            optimizer.step()
            optimizer.zero_grad()
        else:
            got = compiled(params, x, y)
            for a, b in zip(got, expected):
                _same(a.detach().numpy(), b.detach().numpy(), backend)
        if i == 3:
            saved = copy.deepcopy(optimizer.state_dict())
            optimizer.load_state_dict(saved)
        for p, q in zip(params, eager_params):
            _same(p.detach().numpy(), q.detach().numpy(), backend)
            for key, value in eager_opt.state[q].items():
                got_value = optimizer.state[p][key]
                if isinstance(value, pg.Tensor):
                    _same(got_value.numpy(), value.numpy(), backend)
                else:
                    assert got_value == value
    assert compiled.traces == 2  # the loaded checkpoint


def test_parameters_whose_step_counts_differ_trace_again_one_by_one():
    """An eager step that updates some parameters only (the others had no gradient)
    leaves step counts apart: the compiled step traces again and stays equal to eager."""
    x, y = pg.tensor(X), pg.tensor(Y)
    params, eager_params = _mlp("numpy"), _mlp("numpy")
    optimizer = pg.optim.Adam(params, lr=0.1)
    eager_opt = pg.optim.Adam(eager_params, lr=0.1)

    def run(params, opt, first_only=False):
        loss = _mlp_loss(params, x, y) if not first_only else pg.sum(params[0] ** 2)
        loss.backward()
        opt.step()
        opt.zero_grad()
        return loss

    compiled = pg.compile(lambda params, x, y: run(params, optimizer))
    for i in range(5):
        if i == 2:
            run(params, optimizer, first_only=True)
            run(eager_params, eager_opt, first_only=True)
        else:
            np.testing.assert_array_equal(
                compiled(params, x, y).numpy(), run(eager_params, eager_opt).detach().numpy()
            )
        for p, q in zip(params, eager_params):
            np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    assert [optimizer.state[p]["step"] for p in params] == [5.0, 4.0, 4.0, 4.0]
    assert compiled.traces == 2


def test_two_compiled_steps_sharing_parameters_stay_equal_to_eager():
    """One optimizer, two compiled steps, one of them giving gradients to some of the
    parameters only (its layout takes their state out of the other's, whose step counts
    then part): no retrace on each call, and both stay equal to eager."""
    x, y = pg.tensor(X), pg.tensor(Y)
    params, eager_params = _mlp("numpy"), _mlp("numpy")
    optimizer = pg.optim.Adam(params, lr=0.1)
    eager_opt = pg.optim.Adam(eager_params, lr=0.1)

    def run(params, x, y, opt, first_layer_only):
        loss = (
            _mlp_loss(params, x, y) if not first_layer_only else pg.sum(x @ params[0] + params[1])
        )
        loss.backward()
        opt.step()
        opt.zero_grad()
        return loss

    whole = pg.compile(lambda params, x, y: run(params, x, y, optimizer, False))
    first = pg.compile(lambda params, x, y: run(params, x, y, optimizer, True))
    for i in range(8):
        compiled = first if i % 2 else whole
        np.testing.assert_array_equal(
            compiled(params, x, y).numpy(),
            run(eager_params, x, y, eager_opt, bool(i % 2)).detach().numpy(),
        )
        for p, q in zip(params, eager_params):
            np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    assert whole.traces + first.traces <= 3
