"""``polygrad.special`` against ``torch.special`` (float64): values, node names, first-
and second-order gradients on NumPy and array-api-strict; values against SciPy (the
NumPy backend's own implementation); and SciPy's ``scipy.special`` dispatching to it
on polygrad tensors (``SCIPY_ARRAY_API=1``), so its results stay in the graph."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import STANDARD_BACKENDS

import polygrad as pg
import polygrad.special as ps

scipy_special = pytest.importorskip("scipy.special")
rng = np.random.default_rng(5)


def uniform(low: float, high: float):
    return lambda *shape: rng.uniform(low, high, shape)


def normal(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


#: (name, torch function, sampler); second order checked for all.
UNARY = [
    ("erf", torch.special.erf, normal),
    ("erfc", torch.special.erfc, normal),
    ("erfinv", torch.special.erfinv, uniform(-0.9, 0.9)),
    ("erfcx", torch.special.erfcx, normal),
    ("expit", torch.special.expit, normal),
    ("logit", torch.special.logit, uniform(0.05, 0.95)),
    ("gammaln", torch.special.gammaln, uniform(0.3, 5.0)),
    ("digamma", torch.special.digamma, uniform(0.3, 5.0)),
    ("ndtr", torch.special.ndtr, normal),
    ("log_ndtr", torch.special.log_ndtr, lambda *s: 3 * normal(*s)),
    ("ndtri", torch.special.ndtri, uniform(0.05, 0.95)),
    ("entr", torch.special.entr, uniform(0.1, 3.0)),
    ("i0", torch.special.i0, lambda *s: 2 * normal(*s)),
    ("i0e", torch.special.i0e, lambda *s: 2 * normal(*s)),
    ("i1", torch.special.i1, lambda *s: 2 * normal(*s)),
    ("i1e", torch.special.i1e, lambda *s: 2 * normal(*s)),
]


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shape", [(3, 4), (), (0,)], ids=str)
@pytest.mark.parametrize("name, torch_fn, sample", UNARY, ids=[u[0] for u in UNARY])
def test_unary_matches_torch(name, torch_fn, sample, shape, backend):
    check(getattr(ps, name), torch_fn, [sample(*shape)], backend, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("n", [1, 2, 3])
def test_polygamma(n, backend):
    check(
        lambda x: ps.polygamma(n, x),
        lambda x: torch.special.polygamma(n, x),
        [uniform(0.5, 4.0)(3, 2)],
        backend,
        rtol=1e-8,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "name, torch_fn", [("xlogy", torch.special.xlogy), ("xlog1py", torch.special.xlog1py)]
)
def test_xlogy_family(name, torch_fn, backend):
    fn = getattr(ps, name)
    x, y = normal(3, 4), uniform(0.1, 3.0)(4)
    check(fn, torch_fn, [x, y], backend)
    check(lambda a: fn(a, 2.0), lambda a: torch_fn(a, 2.0), [x], backend)
    check(lambda b: fn(1.5, b), lambda b: torch_fn(1.5, b), [y], backend)
    # x == 0 with y at the pole: torch's zero for the x gradient
    pole = 0.0 if name == "xlogy" else -1.0
    check(fn, torch_fn, [np.array([0.0, 0.0, 2.0]), np.array([pole, 1.0, 1.0])], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "name, torch_fn, values",
    [
        ("i1 at 0", torch.special.i1, [0.0, 1.0]),
        ("i1e at 0", torch.special.i1e, [0.0, -1.0]),
        ("i0e at 0", torch.special.i0e, [0.0, -1.0]),
        ("logit outside [0, 1]", torch.special.logit, [-0.5, 0.0, 0.5, 1.0, 1.5]),
        ("entr at 0", torch.special.entr, [0.0, 1.0]),
        ("ndtri at the ends", torch.special.ndtri, [0.0, 0.5, 1.0]),
        ("log_ndtr in the tails", torch.special.log_ndtr, [-30.0, 0.0, 30.0]),
    ],
)
def test_edge_cases(name, torch_fn, values, backend):
    fn = getattr(ps, name.split()[0])
    check(fn, torch_fn, [np.array(values)], backend, rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("name, sample", [(u[0], u[2]) for u in UNARY], ids=[u[0] for u in UNARY])
def test_values_are_scipys(name, sample, backend):
    """The forward is the backend's own kernel (SciPy's here; strict goes through NumPy)."""
    a = sample(5)
    out = getattr(ps, name)(pg_tensor(a, backend))
    np.testing.assert_array_equal(to_np(out), getattr(scipy_special, name)(a))


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_float32_stays_float32(backend):
    x = pg.tensor(np.array([0.25, 0.5], dtype=np.float32), backend=backend, requires_grad=True)
    for name in ("erf", "gammaln", "digamma", "ndtri", "i0e"):
        y = getattr(ps, name)(x)
        assert y.dtype == pg.float32, name
        assert pg.autograd.grad(y.sum(), x)[0].dtype == pg.float32, name


def test_torch_backend_uses_torch_special():
    pytest.importorskip("torch")
    x = pg.tensor(np.array([0.3, 1.7]), backend="torch", requires_grad=True)
    y = ps.gammaln(x)
    assert y.backend == "torch" and y.grad_fn.name() == "LgammaBackward0"
    (g,) = pg.autograd.grad(y.sum(), x)
    np.testing.assert_allclose(to_np(g), scipy_special.digamma([0.3, 1.7]), rtol=1e-12)


def test_namespace_and_top_level_reach_special():
    x = pg.tensor(np.ones(2), requires_grad=True)
    assert x.__array_namespace__().special is ps
    assert pg.special is ps
    assert x.erf().grad_fn.name() == "ErfBackward0"
    assert x.lgamma().grad_fn.name() == "LgammaBackward0"


def test_polygamma_rejects_negative_order():
    with pytest.raises(RuntimeError, match="does not support negative n"):
        ps.polygamma(-1, pg.ones(2))


# -- SciPy dispatching to polygrad.special (SCIPY_ARRAY_API=1, set in conftest) --------------
def _scipy_dispatches() -> bool:
    from scipy._lib._array_api import SCIPY_ARRAY_API

    return bool(SCIPY_ARRAY_API)


needs_dispatch = pytest.mark.skipif(
    not _scipy_dispatches(), reason="scipy was imported before SCIPY_ARRAY_API=1 was set"
)


@needs_dispatch
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "name",
    [
        "erf",
        "erfc",
        "erfinv",
        "erfcx",
        "expit",
        "logit",
        "gammaln",
        "digamma",
        "ndtr",
        "log_ndtr",
        "ndtri",
        "entr",
        "i0",
        "i0e",
        "i1",
        "i1e",
    ],
)
def test_scipy_special_stays_in_the_graph(name, backend):
    sample = {u[0]: u[2] for u in UNARY}[name]
    a = sample(4)
    x = pg_tensor(a, backend, requires_grad=True)
    y = getattr(scipy_special, name)(x)
    assert isinstance(y, pg.Tensor) and y.requires_grad
    t = torch.tensor(a, requires_grad=True)
    (expected,) = torch.autograd.grad(getattr(torch.special, name)(t).sum(), t)
    (actual,) = pg.autograd.grad(y.sum(), x)
    np.testing.assert_allclose(to_np(actual), expected.numpy(), rtol=1e-9)


@needs_dispatch
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_scipy_xlogy_and_xlog1py(backend):
    a, b = rng.uniform(0.1, 2, 4), rng.uniform(0.1, 2, 4)
    for name in ("xlogy", "xlog1py"):
        x, y = pg_tensor(a, backend, True), pg_tensor(b, backend, True)
        out = getattr(scipy_special, name)(x, y)
        assert isinstance(out, pg.Tensor)
        tx, ty = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
        expected = torch.autograd.grad(getattr(torch.special, name)(tx, ty).sum(), [tx, ty])
        actual = pg.autograd.grad(out.sum(), [x, y])
        for p, t in zip(actual, expected):
            np.testing.assert_allclose(to_np(p), t.numpy(), rtol=1e-9)


@needs_dispatch
@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("axis", [None, 0, 1])
def test_scipy_logsumexp(axis, backend):
    a = rng.standard_normal((3, 4))
    x = pg_tensor(a, backend, requires_grad=True)
    out = scipy_special.logsumexp(x, axis=axis)
    assert isinstance(out, pg.Tensor)
    t = torch.tensor(a, requires_grad=True)
    dims = tuple(range(2)) if axis is None else axis
    expected = torch.logsumexp(t, dims)
    np.testing.assert_allclose(to_np(out), expected.detach().numpy(), rtol=1e-12)
    cot = rng.standard_normal(tuple(expected.shape))
    (tg,) = torch.autograd.grad(expected, t, torch.tensor(cot))
    (pg_g,) = pg.autograd.grad(out, x, pg_tensor(cot, backend))
    np.testing.assert_allclose(to_np(pg_g), tg.numpy(), rtol=1e-9)
