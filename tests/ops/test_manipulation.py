"""Manipulation and indexing functions against torch.autograd: flip, roll, moveaxis,
repeat, tile, broadcast_arrays, unstack, split/chunk/unbind, take, take_along_axis,
cumulative_prod and diff (values, node names, first and second order)."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import STANDARD_BACKENDS

import polygrad as pg
from polygrad import array_api

rng = np.random.default_rng(7)


def data(*shape: int) -> np.ndarray:
    return rng.standard_normal(shape)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, axis",
    [
        ((), None),
        ((5,), None),
        ((5,), 0),
        ((3, 4), None),
        ((3, 4), -1),
        ((3, 4), (0, 1)),
        ((2, 3, 4), (0, -1)),
        ((0, 3), 1),
        ((3, 4), ()),
    ],
)
def test_flip(shape, axis, backend):
    dims = tuple(range(len(shape))) if axis is None else (axis,) if isinstance(axis, int) else axis
    check(
        lambda x: array_api.flip(x, axis=axis),
        lambda x: torch.flip(x, dims),
        [data(*shape)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, shift, axis",
    [
        ((5,), 2, None),
        ((3, 4), 1, None),
        ((3, 4), -1, 0),
        ((3, 4), (1, 2), (0, 1)),
        ((2, 3, 4), 5, -1),
        ((0, 3), 1, 1),
        ((), 3, None),
    ],
)
def test_roll(shape, shift, axis, backend):
    check(
        lambda x: array_api.roll(x, shift, axis=axis),
        lambda x: torch.roll(x, shift, axis) if axis is not None else torch.roll(x, shift),
        [data(*shape)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("source, destination", [(0, 2), (-1, 0), ((0, 1), (2, 0)), (1, 1)])
def test_moveaxis(source, destination, backend):
    check(
        lambda x: array_api.moveaxis(x, source, destination),
        lambda x: torch.movedim(x, source, destination),
        [data(2, 3, 4)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, repeats, axis",
    [
        ((3,), 2, None),
        ((2, 3), 3, 1),
        ((2, 3), 2, None),
        ((2, 3), 0, 0),
        ((), 3, None),
        ((2, 3), [1, 0, 2], -1),
        ((4,), [2, 2, 0, 1], 0),
    ],
)
def test_repeat(shape, repeats, axis, backend):
    def pg_fn(x):
        r = repeats if isinstance(repeats, int) else pg_tensor(np.asarray(repeats), backend)
        return pg.repeat(x, r, axis=axis)

    def torch_fn(x):
        r = repeats if isinstance(repeats, int) else torch.tensor(repeats)
        return torch.repeat_interleave(x, r, dim=axis)

    check(pg_fn, torch_fn, [data(*shape)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, reps",
    [
        ((3,), (2,)),
        ((2, 3), (2, 1)),
        ((2, 3), (3,)),
        ((3,), (2, 2)),
        ((2, 3), (0, 2)),
        ((), (2,)),
        ((), ()),
        ((0, 2), (2, 2)),
    ],
)
def test_tile(shape, reps, backend):
    check(lambda x: array_api.tile(x, reps), lambda x: torch.tile(x, reps), [data(*shape)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_broadcast_arrays(backend):
    def torch_fn(a, b, c):
        return torch.broadcast_tensors(a * 1, b * 1, c * 1)

    def pg_fn(a, b, c):
        return pg.broadcast_arrays(a * 1, b * 1, c * 1)

    check(pg_fn, torch_fn, [data(3, 1), data(4), data(3, 4)], backend)
    x = pg_tensor(data(2, 2), backend, True)
    same = pg.broadcast_arrays(x, pg_tensor(data(2), backend))
    assert same[0] is x and tuple(same[1].shape) == (2, 2)
    assert pg.broadcast_shapes((3, 1), (4,), ()) == (3, 4)
    with pytest.raises(ValueError):
        pg.broadcast_shapes((3,), (4,))


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shape, axis", [((3, 4), 0), ((3, 4), -1), ((2, 3, 4), 1), ((1,), 0)])
def test_unstack(shape, axis, backend):
    check(
        lambda x: pg.unstack(x, axis=axis), lambda x: torch.unbind(x, axis), [data(*shape)], backend
    )
    check(lambda x: x.unbind(axis), lambda x: x.unbind(axis), [data(*shape)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_unstack_uses_one_output(backend):
    """Only some pieces used: the others' gradients are zeros (torch's built-ins)."""
    check(
        lambda x: pg.unstack(x)[1] * pg.unstack(x)[2],
        lambda x: x.unbind()[1] * x.unbind()[2],
        [data(4, 3)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("size, dim", [(2, 0), (3, 1), ([1, 3], 1), ([2, 0, 1], 0), (5, -1)])
def test_split(size, dim, backend):
    check(lambda x: x.split(size, dim), lambda x: x.split(size, dim), [data(3, 4)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("chunks, dim", [(2, 0), (3, 1), (4, 1), (1, 0)])
def test_chunk(chunks, dim, backend):
    check(lambda x: x.chunk(chunks, dim), lambda x: x.chunk(chunks, dim), [data(3, 4)], backend)


def test_split_errors():
    x = pg.ones((3, 4))
    with pytest.raises(RuntimeError, match="split_with_sizes expects split_sizes to sum exactly"):
        x.split([1, 1])
    with pytest.raises(RuntimeError, match="split_size can only be 0"):
        x.split(0)


# -- take, take_along_axis ------------------------------------------------------------------


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, indices, axis",
    [
        ((5,), [0, 0, 3, -1], None),
        ((3, 4), [2, 2, 0], 0),
        ((3, 4), [1, 3, 1, 1], -1),
        ((2, 3, 4), [0, 2], 1),
        ((3, 4), [], 1),
        ((0, 4), [1], 1),
    ],
)
def test_take(shape, indices, axis, backend):
    idx = np.asarray(indices, dtype=np.int64)
    dim = 0 if axis is None else axis
    check(
        lambda x, i: array_api.take(x, i, axis=axis),
        lambda x, i: torch.index_select(x, dim, torch.where(i < 0, i + x.shape[dim], i)),
        [data(*shape), idx],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, indices, axis",
    [
        ((3, 4), [[0, 0], [3, 1], [2, 2]], 1),
        ((3, 4), [[0, 1, 2, 2]], 0),
        ((3, 4), [[1], [1], [0]], -1),
        ((3, 1), [[0, 0, 0]], 0),
        ((2, 3, 2), np.zeros((2, 5, 2), dtype=np.int64), 1),
        ((4,), [3, 3, -1, 0], 0),
    ],
)
def test_take_along_axis(shape, indices, axis, backend):
    idx = np.asarray(indices, dtype=np.int64)
    check(
        lambda x, i: pg.take_along_axis(x, i, axis=axis),
        lambda x, i: torch.take_along_dim(x, torch.where(i < 0, i + x.shape[axis], i), axis),
        [data(*shape), idx],
        backend,
    )


def test_take_needs_axis():
    with pytest.raises(ValueError, match="axis"):
        array_api.take(pg.ones((2, 2)), pg.tensor([0]))


# -- cumulative_prod, diff -----------------------------------------------------------------


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "values, axis",
    [
        (data(5), 0),
        (data(3, 4), 1),
        (data(3, 4), 0),
        (data(2, 3, 4), -1),
        ([2.0, 0.0, 3.0, 4.0], 0),
        ([2.0, 0.0, 3.0, 0.0, 5.0], 0),
        ([0.0, 0.0, 1.5], 0),
        ([[1.0, 0.0, 2.0], [0.0, 3.0, 4.0]], 1),
        (np.array(2.5), None),
        (np.zeros((0, 3)), 0),
    ],
)
def test_cumulative_prod(values, axis, backend):
    check(
        lambda x: pg.cumulative_prod(x, axis=axis),
        lambda x: torch.cumprod(x, 0 if axis is None else axis),
        [np.asarray(values)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_cumulative_prod_include_initial(backend):
    def torch_fn(x):
        return torch.cat([torch.ones(3, 1, dtype=x.dtype), torch.cumprod(x, 1)], 1)

    check(
        lambda x: pg.cumulative_prod(x, axis=1, include_initial=True),
        torch_fn,
        [np.array([[1.5, 0.0, 2.0], [0.5, 3.0, -1.0], [0.0, 0.0, 2.0]])],
        backend,
        names=["CumprodBackward0"],
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, axis, n", [((5,), -1, 1), ((3, 4), 0, 1), ((3, 5), 1, 2), ((3, 4), -1, 3)]
)
def test_diff(shape, axis, n, backend):
    check(
        lambda x: pg.diff(x, axis=axis, n=n),
        lambda x: torch.diff(x, n=n, dim=axis),
        [data(*shape)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_diff_prepend_append(backend):
    check(
        lambda x, p, a: pg.diff(x, axis=1, prepend=p, append=a),
        lambda x, p, a: torch.diff(x, dim=1, prepend=p, append=a),
        [data(3, 4), data(3, 1), data(3, 2)],
        backend,
    )
    b = pg.tensor(np.array([True, True, False]), backend=backend)
    assert to_np(pg.diff(b)).tolist() == [False, True]


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_complex_inputs(backend):
    """Gathers, rearrangements and products of complex numbers (conjugate-Wirtinger)."""
    z = data(4) + 1j * data(4)
    check(
        lambda a, i: array_api.take(a, i, axis=0),
        lambda a, i: torch.index_select(a, 0, i),
        [z, np.array([0, 0, 3])],
        backend,
    )
    check(
        lambda a: array_api.roll(array_api.flip(a, axis=0), 1),
        lambda a: torch.roll(torch.flip(a, (0,)), 1),
        [z],
        backend,
    )
    check(
        lambda a: pg.cumulative_prod(a, axis=0),
        lambda a: torch.cumprod(a, 0),
        [np.array([1 + 1j, 0, 2 - 1j, 0.5j])],
        backend,
    )
