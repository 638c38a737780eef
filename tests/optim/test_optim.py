"""pg.optim.SGD / Adam / AdamW follow torch.optim step for step, on every installed backend."""

from __future__ import annotations

import numpy as np
import pytest

import polygrad as pg

torch = pytest.importorskip("torch")


@pytest.fixture
def backend(xp_backend):
    """Each installed backend in turn (conftest's parametrization; JAX with x64 on)."""
    return xp_backend


RNG = np.random.default_rng(0)
X = RNG.standard_normal((8, 3))
Y = RNG.standard_normal((8, 2))
W0 = RNG.standard_normal((3, 2))
B0 = RNG.standard_normal(2)


def make_params(lib, backend=None):
    if lib is torch:
        return [torch.tensor(W0, requires_grad=True), torch.tensor(B0, requires_grad=True)]
    return [
        pg.tensor(W0, backend=backend, requires_grad=True),
        pg.tensor(B0, backend=backend, requires_grad=True),
    ]


def loss_of(lib, params, backend=None):
    w, b = params
    if lib is torch:
        x, y = torch.tensor(X), torch.tensor(Y)
    else:
        x, y = pg.tensor(X, backend=backend), pg.tensor(Y, backend=backend)
    return (((x @ w + b).tanh() - y) ** 2).mean() + (w * w).sum() * 0.01


def values(t) -> np.ndarray:
    return t.detach().numpy() if isinstance(t, torch.Tensor) else np.asarray(t.detach()._to_numpy())


def run_both(make_opt, backend, steps=6, groups=False):
    """Run the same optimizer on torch and polygrad; compare params and state each step."""
    tp, pp = make_params(torch), make_params(pg, backend)

    def arrange(params):
        return [{"params": [params[0]]}, {"params": [params[1]], "lr": 0.03}] if groups else params

    topt, popt = make_opt(torch.optim, arrange(tp)), make_opt(pg.optim, arrange(pp))
    for step in range(steps):
        for lib, params, opt in ((torch, tp, topt), (pg, pp, popt)):
            opt.zero_grad()
            loss_of(lib, params, backend).backward()
            opt.step()
        for t, p in zip(tp, pp):
            np.testing.assert_allclose(
                values(p), values(t), rtol=1e-11, atol=1e-13, err_msg=f"step {step + 1}"
            )
            assert p.is_leaf and p.requires_grad and p.grad_fn is None
            tstate, pstate = topt.state[t], popt.state[p]
            assert set(pstate) == set(tstate)
            for key, tvalue in tstate.items():
                if key == "step":
                    assert pstate[key] == float(tvalue)
                else:
                    np.testing.assert_allclose(
                        values(pstate[key]), values(tvalue), rtol=1e-11, atol=1e-13
                    )
    return topt, popt, tp, pp


SGD_CONFIGS = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.1, momentum=0.9, dampening=0.25),
    dict(lr=0.05, momentum=0.8, nesterov=True),
    dict(lr=0.1, momentum=0.9, weight_decay=0.1),
    dict(lr=0.05, momentum=0.5, nesterov=True, weight_decay=0.2, maximize=True),
]
ADAM_CONFIGS = [
    ("Adam", dict(lr=0.05)),
    ("Adam", dict(lr=0.05, betas=(0.8, 0.9), eps=1e-6)),
    ("Adam", dict(lr=0.05, amsgrad=True)),
    ("Adam", dict(lr=0.05, weight_decay=0.1)),
    ("Adam", dict(lr=0.05, weight_decay=0.1, amsgrad=True, maximize=True)),
    ("AdamW", dict(lr=0.05)),
    ("AdamW", dict(lr=0.05, weight_decay=0.3, amsgrad=True)),
    ("AdamW", dict(lr=0.05, betas=(0.3, 0.5), maximize=True)),
]


@pytest.mark.parametrize("config", SGD_CONFIGS, ids=str)
def test_sgd_matches_torch(backend, config):
    run_both(lambda optim, params: optim.SGD(params, **config), backend)


@pytest.mark.parametrize("name, config", ADAM_CONFIGS, ids=str)
def test_adam_matches_torch(backend, name, config):
    run_both(lambda optim, params: getattr(optim, name)(params, **config), backend)


@pytest.mark.parametrize("name", ["SGD", "Adam"])
def test_param_groups_have_their_own_hyperparameters(backend, name):
    kwargs = dict(lr=0.1, momentum=0.9) if name == "SGD" else dict(lr=0.1)
    topt, popt, _, _ = run_both(
        lambda optim, params: getattr(optim, name)(params, **kwargs), backend, groups=True
    )
    assert (
        [g["lr"] for g in popt.param_groups] == [g["lr"] for g in topt.param_groups] == [0.1, 0.03]
    )


def test_step_with_closure_returns_the_loss(backend):
    tp, pp = make_params(torch), make_params(pg, backend)
    topt, popt = torch.optim.SGD(tp, lr=0.1, momentum=0.9), pg.optim.SGD(pp, lr=0.1, momentum=0.9)

    def closure(lib, params, opt):
        def run():
            opt.zero_grad()
            loss = loss_of(lib, params, backend)
            loss.backward()
            return loss

        return run

    for _ in range(3):
        with pg.no_grad():  # step turns grad mode on for the closure, as torch does
            ploss = popt.step(closure(pg, pp, popt))
        with torch.no_grad():
            tloss = topt.step(closure(torch, tp, topt))
        assert ploss.item() == pytest.approx(tloss.item(), rel=1e-12)
    np.testing.assert_allclose(values(pp[0]), values(tp[0]), rtol=1e-11)


def test_zero_grad(backend):
    p = pg.tensor([1.0, 2.0], dtype=pg.float64, backend=backend, requires_grad=True)
    opt = pg.optim.SGD([p], lr=0.1)
    (p * p).sum().backward()
    grad = p.grad
    opt.zero_grad(set_to_none=False)
    assert p.grad is grad and values(p.grad).tolist() == [0.0, 0.0]
    (p * 3.0).sum().backward()
    assert values(p.grad).tolist() == [3.0, 3.0]
    opt.zero_grad()
    assert p.grad is None
    opt.step()  # parameters without a gradient are skipped
    assert values(p).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW"])
def test_state_dict_round_trip_continues_identically(backend, name):
    kwargs = (
        dict(lr=0.1, momentum=0.9, nesterov=True) if name == "SGD" else dict(lr=0.05, amsgrad=True)
    )
    make = lambda params: getattr(pg.optim, name)(params, **kwargs)

    def train(params, opt, steps):
        for _ in range(steps):
            opt.zero_grad()
            loss_of(pg, params, backend).backward()
            opt.step()

    params = make_params(pg, backend)
    opt = make(params)
    train(params, opt, 2)
    saved = opt.state_dict()
    assert sorted(saved["state"]) == [0, 1] and saved["param_groups"][0]["params"] == [0, 1]
    clone = [pg.tensor(values(p), backend=backend, requires_grad=True) for p in params]
    resumed = make(clone)
    resumed.load_state_dict(saved)
    for key, value in opt.state[params[0]].items():  # loaded state is a copy
        if key != "step":
            assert resumed.state[clone[0]][key] is not value
    train(params, opt, 3)
    train(clone, resumed, 3)
    for a, b in zip(params, clone):
        np.testing.assert_array_equal(values(a), values(b))


def test_state_dict_layout_and_loading_torch_state_matches_torch():
    tp, pp = make_params(torch), make_params(pg)
    topt, popt = torch.optim.Adam(tp, lr=0.05), pg.optim.Adam(pp, lr=0.05)
    for lib, params, opt in ((torch, tp, topt), (pg, pp, popt)):
        opt.zero_grad()
        loss_of(lib, params).backward()
        opt.step()
    tsd, psd = topt.state_dict(), popt.state_dict()
    assert set(psd["state"]) == set(tsd["state"])
    for tg, pgroup in zip(tsd["param_groups"], psd["param_groups"]):
        for key, value in pgroup.items():
            assert tg[key] == value, key
    # a torch.optim checkpoint loads into polygrad and the two then continue alike
    fresh = make_params(pg)
    with pg.no_grad():
        for f, p in zip(fresh, pp):
            f.copy_(p)
    resumed = pg.optim.Adam(fresh, lr=0.05)
    resumed.load_state_dict(tsd)
    assert resumed.state[fresh[0]]["step"] == 1.0
    for lib, params, opt in ((torch, tp, topt), (pg, fresh, resumed)):
        opt.zero_grad()
        loss_of(lib, params).backward()
        opt.step()
    np.testing.assert_allclose(values(fresh[0]), values(tp[0]), rtol=1e-11)


def test_load_state_dict_checks_sizes():
    a, b = make_params(pg)
    opt = pg.optim.SGD([a, b], lr=0.1)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        opt.load_state_dict({"state": {}, "param_groups": []})
    with pytest.raises(ValueError, match="doesn't match the size"):
        opt.load_state_dict({"state": {}, "param_groups": [{"params": [0], "lr": 0.1}]})


@pytest.mark.parametrize(
    "build",
    [
        lambda lib, p: lib.optim.SGD(p, lr=-1.0),
        lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=-0.5),
        lambda lib, p: lib.optim.SGD(p, lr=0.1, weight_decay=-1),
        lambda lib, p: lib.optim.SGD(p, lr=0.1, nesterov=True),
        lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.1, nesterov=True),
        lambda lib, p: lib.optim.Adam(p, lr=-0.1),
        lambda lib, p: lib.optim.Adam(p, eps=-1.0),
        lambda lib, p: lib.optim.Adam(p, betas=(1.0, 0.9)),
        lambda lib, p: lib.optim.Adam(p, betas=(0.9, -0.1)),
        lambda lib, p: lib.optim.AdamW(p, weight_decay=-0.1),
        lambda lib, p: lib.optim.SGD([], lr=0.1),
        lambda lib, p: lib.optim.SGD(p[0], lr=0.1),
        lambda lib, p: lib.optim.SGD([{"params": {p[0], p[1]}}], lr=0.1),
        lambda lib, p: lib.optim.SGD([p[0] * 2], lr=0.1),
        lambda lib, p: lib.optim.SGD([{"params": [p[0]]}, {"params": [p[0], p[1]]}], lr=0.1),
        lambda lib, p: lib.optim.SGD([("w", p[0]), p[1]], lr=0.1),
        lambda lib, p: lib.optim.SGD([1.0], lr=0.1),
    ],
)
def test_bad_arguments_raise_like_torch(build):
    with pytest.raises(Exception) as expected:
        build(torch, make_params(torch))
    with pytest.raises(type(expected.value)) as got:
        build(pg, make_params(pg))
    # torch names a tensor's type by dtype (torch.DoubleTensor); polygrad says polygrad.Tensor
    assert str(got.value).replace("polygrad.Tensor", "torch.DoubleTensor") == str(expected.value)


def test_named_parameters_and_add_param_group():
    w, b = make_params(pg)
    opt = pg.optim.SGD([("w", w)], lr=0.1)
    opt.add_param_group({"params": [("b", b)], "lr": 0.01})
    assert [g["param_names"] for g in opt.param_groups] == [["w"], ["b"]]
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.01]
    assert opt.state_dict()["param_groups"][1]["params"] == [1]
    with pytest.warns(UserWarning, match="duplicate parameters"):
        pg.optim.SGD([w, w], lr=0.1)


def test_lazy_parameters_do_not_chain_graphs_across_steps():
    """On Dask each step's parameters and state are persisted, so graphs stay one step deep."""
    pytest.importorskip("dask")
    params = make_params(pg, "dask")
    opt = pg.optim.Adam(params, lr=0.05)
    sizes = []
    for _ in range(4):
        opt.zero_grad()
        loss_of(pg, params, "dask").backward()
        opt.step()
        sizes.append(
            [
                len(t._data.__dask_graph__())
                for t in (params[0], *opt.state[params[0]].values())
                if isinstance(t, pg.Tensor)
            ]
        )
    assert sizes[0] == sizes[-1]
    assert all(n == 1 for n in sizes[-1])  # persisted: one chunk, no pending tasks
