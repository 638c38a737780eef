"""torch's ``gradient``, ``cumulative_trapezoid``, ``histogramdd``, ``frexp``,
``hash_tensor`` and ``fft.hfftn``/``ihfftn`` (and their 2-D forms) against torch
(float64) on every backend: values, gradients where torch has them, and errors."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import to_np

import polygrad as pg

torch = pytest.importorskip("torch")


def _close(got: object, want: torch.Tensor) -> None:
    np.testing.assert_allclose(to_np(got), want.detach().numpy(), rtol=1e-10, atol=1e-12)


def _grads_match(got: tuple, want: tuple, leaves: list, tleaves: list, backend: str) -> None:
    rng = np.random.default_rng(0)
    cots = [rng.standard_normal(tuple(w.shape)) for w in want]
    cots = [c + 1j * c[::-1] if w.is_complex() else c for c, w in zip(cots, want)]
    g = pg.autograd.grad(list(got), leaves, [pg.tensor(c, backend=backend) for c in cots])
    w = torch.autograd.grad(list(want), tleaves, [torch.from_numpy(c) for c in cots])
    for a, b in zip(g, w):
        _close(a, b)


GRADIENT_CASES = [
    ((5,), {}),
    ((5, 4), {"spacing": 2.0, "edge_order": 2}),
    ((5, 4), {"spacing": [2.0, 0.5], "dim": None}),
    ((4, 3, 5), {"dim": (0, -1), "spacing": [1.5, 3.0], "edge_order": 2}),
    ((4, 3), {"dim": 1}),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", range(len(GRADIENT_CASES)))
def test_gradient_matches_torch(backend: str, case: int) -> None:
    shape, kwargs = GRADIENT_CASES[case]
    values = np.random.default_rng(case).standard_normal(shape)
    tx = torch.tensor(values, requires_grad=True)
    x = pg.tensor(values, backend=backend, requires_grad=True)
    want, got = torch.gradient(tx, **kwargs), pg.gradient(x, **kwargs)
    assert isinstance(got, tuple) and len(got) == len(want)
    for a, b in zip(got, want):
        _close(a, b)
    _grads_match(got, want, [x], [tx], backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_on_coordinates_differentiates_them_too(backend: str, edge_order: int) -> None:
    values = np.random.default_rng(1).standard_normal((4, 5))
    coords = [np.array([0.0, 1.1, 1.5, 3.0]), np.array([1.0, 2.0, 4.5, 5.0, 7.5])]
    tx = torch.tensor(values, requires_grad=True)
    tc = [torch.tensor(c, requires_grad=True) for c in coords]
    x = pg.tensor(values, backend=backend, requires_grad=True)
    c = [pg.tensor(v, backend=backend, requires_grad=True) for v in coords]
    want = torch.gradient(tx, spacing=tc, edge_order=edge_order)
    got = pg.gradient(x, spacing=c, edge_order=edge_order)
    for a, b in zip(got, want):
        _close(a, b)
    _grads_match(got, want, [x, *c], [tx, *tc], backend)


def test_gradient_errors_match_torch() -> None:
    x = pg.tensor(np.ones((4, 3)))
    with pytest.raises(RuntimeError, match="only supports edge_order=1 and edge_order=2"):
        pg.gradient(x, edge_order=3)
    with pytest.raises(RuntimeError, match="a list of length equal to 'self.dim\\(\\) = 2'"):
        pg.gradient(x, spacing=[1.0, 2.0, 3.0])
    with pytest.raises(RuntimeError, match="spacing argument of length 2 and a dim argument"):
        pg.gradient(x, spacing=[1.0, 2.0], dim=1)
    with pytest.raises(RuntimeError, match="dim 0 appears multiple times"):
        pg.gradient(x, dim=[0, 0])
    with pytest.raises(RuntimeError, match="each dimension size to be at least edge_order\\+1"):
        pg.gradient(pg.tensor(np.ones((2, 3))), edge_order=2)
    assert pg.gradient(pg.tensor(1.0)) == ()
    two = np.array([[1.0, 2.0, 4.0], [3.0, 1.0, 0.0]])  # a size-2 dimension on coordinates
    want = torch.gradient(torch.tensor(two), spacing=[torch.tensor([0.0, 1.5])], dim=0)[0]
    _close(pg.gradient(pg.tensor(two), spacing=[pg.tensor([0.0, 1.5])], dim=0)[0], want)
    ints = pg.gradient(pg.arange(5))[0]
    assert ints.dtype == pg.float32
    np.testing.assert_array_equal(to_np(ints), np.ones(5))


TRAPEZOID_CASES = [
    ((2, 3), (2, 3), {}),
    ((2, 3), (2, 3), {"dim": 0}),
    ((6,), (6,), {}),
    ((6,), None, {}),
    ((2, 3), (1, 3), {}),
    ((3, 4), (3,), {"dim": 0}),
    ((5,), None, {"dx": 2.0}),
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("case", range(len(TRAPEZOID_CASES)))
def test_cumulative_trapezoid_matches_torch(backend: str, case: int) -> None:
    yshape, xshape, kwargs = TRAPEZOID_CASES[case]
    rng = np.random.default_rng(case)
    yv = rng.standard_normal(yshape)
    ty, y = torch.tensor(yv, requires_grad=True), pg.tensor(yv, backend=backend, requires_grad=True)
    leaves, tleaves = [y], [ty]
    if xshape is None:
        want, got = torch.cumulative_trapezoid(ty, **kwargs), pg.cumulative_trapezoid(y, **kwargs)
    else:
        xv = np.cumsum(rng.uniform(0.5, 1.5, xshape), axis=-1)
        tx, x = (
            torch.tensor(xv, requires_grad=True),
            pg.tensor(xv, backend=backend, requires_grad=True),
        )
        want = torch.cumulative_trapezoid(ty, tx, **kwargs)
        got = pg.cumulative_trapezoid(y, x, **kwargs)
        leaves, tleaves = [y, x], [ty, tx]
    _close(got, want)
    _grads_match((got,), (want,), leaves, tleaves, backend)


def test_cumulative_trapezoid_errors_match_torch() -> None:
    with pytest.raises(RuntimeError, match="There must be one `x` value for each sample point"):
        pg.cumulative_trapezoid(pg.tensor(np.ones((3, 4))), pg.tensor(np.ones(3)))
    with pytest.raises(IndexError, match="slice\\(\\) cannot be applied to a 0-dim tensor"):
        pg.cumulative_trapezoid(pg.tensor(1.0))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("density", [False, True])
@pytest.mark.parametrize("weighted", [False, True])
def test_histogramdd_matches_torch(backend: str, density: bool, weighted: bool) -> None:
    rng = np.random.default_rng(3)
    points, w = rng.standard_normal((40, 3)), rng.uniform(0, 2, 40)
    edges = [np.array([-1.0, 0.0, 0.5, 2.0]), np.array([-2.0, 2.0]), np.array([-0.5, 0.0, 0.5])]
    kwargs = {"density": density}
    for bins in (4, [2, 3, 1], "edges"):
        tb = [torch.tensor(e) for e in edges] if bins == "edges" else bins
        pb = [pg.tensor(e, backend=backend) for e in edges] if bins == "edges" else bins
        tw = torch.tensor(w) if weighted else None
        pw = pg.tensor(w, backend=backend) if weighted else None
        want = torch.histogramdd(torch.tensor(points), tb, weight=tw, **kwargs)
        got = pg.histogramdd(pg.tensor(points, backend=backend), pb, weight=pw, **kwargs)
        assert type(got).__name__ == "histogramdd" and not got.hist.requires_grad
        _close(got.hist, want.hist)
        assert len(got.bin_edges) == 3
        for a, b in zip(got.bin_edges, want.bin_edges):
            _close(a, b)
    ranged = torch.histogramdd(torch.tensor(points[:, :2]), [2, 3], range=[0.0, 1.0, -1.0, 2.0])
    mine = pg.histogramdd(pg.tensor(points[:, :2], backend=backend), [2, 3], range=[0, 1, -1, 2])
    _close(mine.hist, ranged.hist)


def test_histogramdd_errors_match_torch() -> None:
    with pytest.raises(RuntimeError, match="input tensor should have at least 2 dimensions"):
        pg.histogramdd(pg.tensor(np.ones(5)), 3)
    with pytest.raises(RuntimeError, match="The size of bins must be equal to the innermost"):
        pg.histogramdd(pg.tensor(np.ones((5, 2))), [3])
    with pytest.raises(NotImplementedError, match="\"histogramdd\" not implemented for 'Long'"):
        pg.histogramdd(pg.tensor([[1, 2], [3, 4]]), 3)


SPECIAL_VALUES = [0.0, -0.0, 1.0, -3.5, np.inf, np.nan, -np.inf, 1.7e308, 0.5, 2.0**-1022, 3.0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_frexp_matches_torch(backend: str) -> None:
    values = np.array(SPECIAL_VALUES + list(np.random.default_rng(0).standard_normal(20) * 1e5))
    tx = torch.tensor(values, requires_grad=True)
    x = pg.tensor(values, backend=backend, requires_grad=True)
    want, got = torch.frexp(tx), x.frexp()
    assert type(got).__name__ == "frexp" and got.exponent.dtype == pg.int32
    np.testing.assert_array_equal(to_np(got.mantissa), want.mantissa.detach().numpy())
    np.testing.assert_array_equal(to_np(got.exponent), want.exponent.numpy())
    assert np.array_equal(np.signbit(to_np(got.mantissa)), np.signbit(want.mantissa.detach()))
    assert type(got.mantissa.grad_fn).__name__ == "FrexpBackward0"
    _grads_match((got.mantissa,), (want.mantissa,), [x], [tx], backend)
    m32, e32 = pg.frexp(pg.tensor([1.0, 2.0, 0.1], dtype=pg.float32, backend=backend))
    assert m32.dtype == pg.float32
    np.testing.assert_array_equal(to_np(e32), [1, 2, -3])
    with pytest.raises(RuntimeError, match="torch.frexp\\(\\) only supports floating-point"):
        pg.frexp(pg.tensor([1, 2], backend=backend))


@pytest.mark.parametrize("backend", BACKENDS)
def test_hash_tensor_matches_torch(backend: str) -> None:
    cases = [
        np.array([True, False, True]),
        np.array([-1, 2, 7], dtype=np.int8),
        np.array([1.5, 2.0], dtype=np.float32),
        np.random.default_rng(0).standard_normal((3, 4, 5)),
    ]
    for values in cases:
        for kwargs in ({}, {"dim": 0}, {"dim": (0, -1), "keepdim": True}):
            if values.ndim == 1 and "keepdim" in kwargs:
                continue
            want = torch.hash_tensor(torch.from_numpy(values), **kwargs)
            got = pg.hash_tensor(pg.tensor(values, backend=backend), **kwargs)
            assert got.dtype == pg.uint64
            np.testing.assert_array_equal(to_np(got), want.numpy())
    empty = pg.tensor(np.ones((0, 2)), backend=backend)
    with pytest.raises(RuntimeError, match="Expected reduction dim to be specified"):
        empty.hash_tensor()
    np.testing.assert_array_equal(to_np(empty.hash_tensor(0)), [0, 0])
    with pytest.raises(RuntimeError, match="Unknown hash_tensor mode: 1"):
        empty.hash_tensor(0, mode=1)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["hfft2", "hfftn", "ihfft2", "ihfftn"])
@pytest.mark.parametrize("norm", [None, "ortho", "forward"])
def test_hermitian_nd_transforms_match_torch(backend: str, name: str, norm: str | None) -> None:
    rng = np.random.default_rng(4)
    values = rng.standard_normal((3, 4, 5))
    if name.startswith("hfft"):
        values = values + 1j * rng.standard_normal((3, 4, 5))
    t = torch.tensor(values, requires_grad=True)
    x = pg.tensor(values, backend=backend, requires_grad=True)
    for kwargs in ({}, {"s": (4, 6)}, {"dim": (0, 2)}):
        want = getattr(torch.fft, name)(t, norm=norm, **kwargs)
        got = getattr(pg.fft, name)(x, norm=norm, **kwargs)
        _close(got, want)
        _grads_match((got,), (want,), [x], [t], backend)
    if name.startswith("ihfft"):
        with pytest.raises(RuntimeError, match="Only supports floating-point dtypes, but found"):
            getattr(pg.fft, name)(pg.tensor(values + 1j, backend=backend))
