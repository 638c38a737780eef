"""torch's ``native_batch_norm``/``native_layer_norm``/``native_group_norm`` triples and
``grid_sampler_2d``/``grid_sampler_3d`` (every interpolation and padding mode) against
torch: values, gradients to every input (the grid's included) and errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS
from oracle import assert_close, on_backend, pg_from, torch_from

import polygrad as pg

RNG = np.random.default_rng(7)
X = RNG.standard_normal((3, 2, 4))
W, B = RNG.standard_normal(2), RNG.standard_normal(2)


def _compare(fn, arrays, backend: str, differentiable=None) -> None:  # type: ignore[no-untyped-def]
    """``fn(lib, *tensors)``, a tuple of outputs, in both libraries: every output's values,
    and the gradients of every input for random cotangents on the outputs requiring grad."""
    flags = [a is not None and a.dtype.kind == "f" for a in arrays]
    t_in = [None if a is None else torch_from(a, g) for a, g in zip(arrays, flags)]
    with on_backend(backend):
        p_in = [None if a is None else pg_from(a, backend, g) for a, g in zip(arrays, flags)]
        mine = fn(pg, *p_in)
    theirs = fn(torch, *t_in)
    mine, theirs = (mine, theirs) if isinstance(theirs, tuple) else ((mine,), (theirs,))
    assert len(mine) == len(theirs)
    for m, t in zip(mine, theirs):
        assert_close(m, t, what="output")
        assert m.requires_grad == t.requires_grad
    rng = np.random.default_rng(0)
    cots = [rng.standard_normal(tuple(t.shape)) if t.requires_grad else None for t in theirs]
    used = [i for i, c in enumerate(cots) if c is not None]
    leaves = [i for i, t in enumerate(t_in) if t is not None and t.requires_grad]
    want = torch.autograd.grad(
        [theirs[i] for i in used], [t_in[i] for i in leaves], [torch_from(cots[i]) for i in used]
    )
    got = pg.autograd.grad(
        [mine[i] for i in used],
        [p_in[i] for i in leaves],
        [pg_from(cots[i], backend) for i in used],
        allow_unused=True,
    )
    for i, g, w in zip(leaves, got, want):
        assert_close(g, w, rtol=1e-9, atol=1e-11, what=f"gradient of input {i}")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("training", [True, False])
def test_native_batch_norm(training: bool, backend: str) -> None:
    stats = (np.array([0.5, -1.0]), np.array([2.0, 0.25]))
    running = {}

    def run(lib, x, w, b):  # type: ignore[no-untyped-def]
        mean, var = (lib.tensor(s) for s in stats)
        out = lib.native_batch_norm(x, w, b, mean, var, training, 0.3, 1e-3)
        running[lib.__name__] = (mean, var)
        return out

    _compare(run, (X, W, B), backend)
    for mine, theirs in zip(running["polygrad"], running["torch"]):
        assert_close(mine, theirs, what="running statistics")
    _compare(
        lambda lib, x: lib.native_batch_norm(x, None, None, None, None, True, 0.1, 0.5),
        (X,),
        backend,
    )
    with on_backend(backend), pytest.raises(RuntimeError, match="running_mean must be defined"):
        pg.native_batch_norm(pg.tensor(X), None, None, None, None, False, 0.1, 1e-5)


@pytest.mark.parametrize("backend", BACKENDS)
def test_native_layer_and_group_norm(backend: str) -> None:
    _compare(
        lambda lib, x, w, b: lib.native_layer_norm(x, [2, 4], w, b, 1e-5), (X, X[0], X[1]), backend
    )
    _compare(lambda lib, x: lib.native_layer_norm(x, (4,), None, None, 0.5), (X,), backend)
    x = RNG.standard_normal((2, 6, 3))
    weight, bias = RNG.standard_normal(6), RNG.standard_normal(6)
    _compare(
        lambda lib, x, w, b: lib.native_group_norm(x, w, b, 2, 6, 3, 3, 1e-5),
        (x, weight, bias),
        backend,
    )
    _compare(lambda lib, x: lib.native_group_norm(x, None, None, 2, 6, 3, 1, 0.5), (x,), backend)
    with on_backend(backend):
        with pytest.raises(RuntimeError, match=r"Given normalized_shape=\[3\]"):
            pg.native_layer_norm(pg.tensor(X), [3], None, None, 1e-5)
        with pytest.raises(RuntimeError, match="divisible by num_groups"):
            pg.native_group_norm(pg.tensor(x), None, None, 2, 6, 3, 4, 1e-5)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding", [0, 1, 2])
@pytest.mark.parametrize("mode", [0, 1, 2])
def test_grid_sampler_2d(mode: int, padding: int, align_corners: bool, backend: str) -> None:
    image = RNG.standard_normal((2, 3, 4, 5))
    grid = RNG.uniform(-1.6, 1.6, (2, 3, 2, 2))  # points outside too
    _compare(
        lambda lib, x, g: lib.grid_sampler_2d(x, g, mode, padding, align_corners),
        (image, grid),
        backend,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("align_corners", [False, True])
@pytest.mark.parametrize("padding", [0, 1, 2])
@pytest.mark.parametrize("mode", [0, 1])
def test_grid_sampler_3d(mode: int, padding: int, align_corners: bool, backend: str) -> None:
    volume = RNG.standard_normal((2, 2, 3, 4, 1))
    grid = RNG.uniform(-1.4, 1.4, (2, 2, 1, 3, 3))
    _compare(
        lambda lib, x, g: lib.grid_sampler_3d(x, g, mode, padding, align_corners),
        (volume, grid),
        backend,
    )
    _compare(
        lambda lib, x, g: lib.grid_sampler(x, g, mode, padding, align_corners),
        (volume, grid),
        backend,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_grid_sampler_errors(backend: str) -> None:
    with on_backend(backend):
        volume = pg.tensor(RNG.standard_normal((1, 1, 2, 2, 2)))
        grid = pg.tensor(RNG.standard_normal((1, 1, 1, 1, 3)))
        with pytest.raises(RuntimeError, match="bicubic interpolation only supports 4D input"):
            pg.grid_sampler_3d(volume, grid, 2, 0, False)
        with pytest.raises(RuntimeError, match="expected grid to have size 2 in last dimension"):
            pg.grid_sampler_2d(volume[0], grid[0], 0, 0, False)
        with pytest.raises(RuntimeError, match="same batch size"):
            pg.grid_sampler_3d(volume, pg.concat([grid, grid]), 0, 0, False)
