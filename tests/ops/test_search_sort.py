"""Sorting, searching, sets and truth tests against torch: ``sort``'s values and
gradients (to second order, ties included), and the integer/boolean results of
argsort, argmax/argmin, count_nonzero, nonzero, searchsorted, unique_*, isin,
all and any, which never require grad."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import BACKENDS, STANDARD_BACKENDS

import polygrad as pg
from polygrad import array_api

rng = np.random.default_rng(3)
TIES = np.array([[3.0, 1.0, 3.0, 2.0], [0.5, 0.5, -1.0, 0.5], [2.0, -2.0, 0.0, 7.0]])


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "values, axis",
    [
        (rng.standard_normal(6), -1),
        (rng.standard_normal((3, 4)), 0),
        (TIES, -1),
        (TIES, 0),
        (rng.standard_normal((2, 3, 4)), 1),
        (np.zeros((0, 3)), 1),
        (np.array(1.5), -1),
    ],
)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("stable", [True, False])
def test_sort(values, axis, descending, stable, backend):
    if not stable and np.unique(values).size != values.size:
        pytest.skip("an unstable sort may order ties differently")
    check(
        lambda x: array_api.sort(x, axis=axis, descending=descending, stable=stable),
        lambda x: torch.sort(x, dim=axis, descending=descending, stable=stable).values,
        [values],
        backend,
    )


def _plain(t: pg.Tensor) -> np.ndarray:
    assert isinstance(t, pg.Tensor)
    assert t.requires_grad is False and t.grad_fn is None
    return to_np(t)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("descending", [False, True])
def test_argsort(descending, backend):
    x = pg_tensor(TIES, backend, True)
    expected = torch.argsort(torch.tensor(TIES), dim=1, descending=descending, stable=True)
    np.testing.assert_array_equal(_plain(array_api.argsort(x, descending=descending)), expected)
    expected = torch.argsort(torch.tensor(TIES), dim=0, descending=descending, stable=True)
    np.testing.assert_array_equal(
        _plain(array_api.argsort(x, axis=0, descending=descending)), expected
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("axis, keepdims", [(None, False), (0, False), (-1, True), (None, True)])
def test_argmax_argmin(axis, keepdims, backend):
    x = pg_tensor(TIES, backend, True)
    t = torch.tensor(TIES)
    for pg_fn, torch_fn in [(pg.argmax, torch.argmax), (pg.argmin, torch.argmin)]:
        expected = torch_fn(t) if axis is None else torch_fn(t, dim=axis, keepdim=keepdims)
        got = _plain(pg_fn(x, axis=axis, keepdims=keepdims))
        if axis is None and keepdims:
            expected = expected.reshape(1, 1)
        np.testing.assert_array_equal(got, expected)
    assert _plain(array_api.argmax(pg_tensor(np.array(2.0), backend, True))) == 0


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_count_nonzero_and_nonzero(backend):
    values = np.array([[0.0, 1.0, 0.0], [2.0, 0.0, 3.0]])
    x = pg_tensor(values, backend, True)
    t = torch.tensor(values)
    assert _plain(array_api.count_nonzero(x)) == torch.count_nonzero(t).item()
    np.testing.assert_array_equal(
        _plain(array_api.count_nonzero(x, axis=1)), torch.count_nonzero(t, 1)
    )
    assert _plain(array_api.count_nonzero(x, axis=(0, 1), keepdims=True)).shape == (1, 1)
    for got, expected in zip(array_api.nonzero(x), torch.nonzero(t, as_tuple=True)):
        np.testing.assert_array_equal(_plain(got), expected)
    with pytest.raises(ValueError):
        array_api.nonzero(pg_tensor(np.array(1.0), backend))


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("side", ["left", "right"])
def test_searchsorted(side, backend):
    sorted_values = np.array([0.0, 1.0, 1.0, 2.5, 4.0])
    queries = np.array([[-1.0, 1.0, 3.0], [4.0, 5.0, 1.0]])
    got = pg.searchsorted(
        pg_tensor(sorted_values, backend, True), pg_tensor(queries, backend), side=side
    )
    expected = torch.searchsorted(torch.tensor(sorted_values), torch.tensor(queries), side=side)
    np.testing.assert_array_equal(_plain(got), expected)
    order = np.array([2, 0, 1])
    unsorted = np.array([2.0, 3.0, 1.0])
    got = pg.searchsorted(
        pg_tensor(unsorted, backend),
        pg_tensor(np.array([2.5]), backend),
        sorter=pg_tensor(order, backend),
    )
    assert _plain(got).tolist() == [2]
    got = pg.searchsorted(pg_tensor(sorted_values, backend), 1.0, side=side)
    assert _plain(got).item() == (1 if side == "left" else 3)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_unique(backend):
    values = np.array([[3.0, 1.0, 3.0], [2.0, 1.0, 1.0]])
    x = pg_tensor(values, backend, True)
    t = torch.tensor(values)
    t_values, t_inverse, t_counts = torch.unique(t, return_inverse=True, return_counts=True)
    everything = pg.unique_all(x)
    np.testing.assert_array_equal(_plain(everything.values), t_values)
    np.testing.assert_array_equal(_plain(everything.inverse_indices), t_inverse)
    np.testing.assert_array_equal(_plain(everything.counts), t_counts)
    np.testing.assert_array_equal(to_np(x).reshape(-1)[_plain(everything.indices)], t_values)
    values_, counts = pg.unique_counts(x)
    np.testing.assert_array_equal(_plain(values_), t_values)
    np.testing.assert_array_equal(_plain(counts), t_counts)
    values_, inverse = pg.unique_inverse(x)
    np.testing.assert_array_equal(_plain(inverse), t_inverse)
    np.testing.assert_array_equal(_plain(pg.unique_values(x)), t_values)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("invert", [False, True])
def test_isin(invert, backend):
    a, b = np.array([[1, 2], [3, 4]]), np.array([4, 1, 9])
    got = pg.isin(pg_tensor(a, backend), pg_tensor(b, backend), invert=invert)
    expected = torch.isin(torch.tensor(a), torch.tensor(b), invert=invert)
    np.testing.assert_array_equal(_plain(got), expected)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("axis, keepdims", [(None, False), (0, False), (1, True), ((0, 1), False)])
def test_all_any(axis, keepdims, backend):
    values = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]])
    x = pg_tensor(values, backend, True)
    t = torch.tensor(values)
    for pg_fn, torch_fn in [(pg.all, torch.all), (pg.any, torch.any)]:
        expected = torch_fn(t) if axis is None else torch_fn(t, dim=axis, keepdim=keepdims)
        np.testing.assert_array_equal(_plain(pg_fn(x, axis=axis, keepdims=keepdims)), expected)
    empty = pg_tensor(np.zeros((0,)), backend)
    assert (
        _plain(array_api.all(empty)).item() is True and _plain(array_api.any(empty)).item() is False
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dim", [0, -1, (0,), None])
def test_truth_tests_of_a_0d_tensor_take_dim_0_and_minus_1(dim, backend):
    """torch reduces a 0-d tensor over dim 0 or -1 (its one pseudo-axis); Dask and JAX
    refuse that axis themselves."""
    for value in (0.0, 2.5):
        x, t = pg_tensor(np.array(value), backend), torch.tensor(value)
        for name in ("all", "any", "count_nonzero"):
            args = () if dim is None else (dim,)
            got = _plain(getattr(pg, name)(x, *args))
            np.testing.assert_array_equal(got, getattr(torch, name)(t, *args))
            np.testing.assert_array_equal(_plain(getattr(x, name)(*args)), got)
    with pytest.raises(IndexError, match="Dimension out of range"):
        pg.all(pg_tensor(np.array(1.0), backend), 1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_argwhere_and_nonzero_rows(backend):
    """One row of indices per nonzero entry, also where the count is known only after
    computing (Dask)."""
    for values in (
        np.array([[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]]),
        np.zeros((2, 0, 3)),
        np.array([0.0, 1.0, 0.0, 4.0]),
        np.array(3.0),
        np.array([[True, False]]),
    ):
        x, t = pg_tensor(values, backend), torch.tensor(values)
        np.testing.assert_array_equal(_plain(pg.argwhere(x)), torch.argwhere(t))
        np.testing.assert_array_equal(_plain(x.nonzero()), t.nonzero())
        assert tuple(pg.argwhere(x).shape) == tuple(torch.argwhere(t).shape)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("right", [False, True])
def test_searchsorted_of_a_0d_value_and_with_a_sorter(right, backend):
    unsorted = np.array([2.0, 3.0, 1.0, 1.0, 7.0])
    order = np.argsort(unsorted, kind="stable")
    boundaries = np.sort(unsorted)
    for value in (
        np.array(1.0),
        np.array(2.5),
        np.array([[0.0, 3.0], [9.0, 1.0]]),
        np.zeros((3, 0, 2)),
    ):
        expected = torch.searchsorted(
            torch.tensor(unsorted), torch.tensor(value), right=right, sorter=torch.tensor(order)
        )
        got = pg.searchsorted(
            pg_tensor(unsorted, backend),
            pg_tensor(value, backend),
            right=right,
            sorter=pg_tensor(order, backend),
        )
        np.testing.assert_array_equal(_plain(got), expected)
        assert _plain(got).shape == tuple(expected.shape)  # computed (Dask), not only declared
        assert got.dtype == pg.int64
        expected = torch.bucketize(torch.tensor(value), torch.tensor(boundaries), right=right)
        got = pg.bucketize(pg_tensor(value, backend), pg_tensor(boundaries, backend), right=right)
        np.testing.assert_array_equal(_plain(got), expected)
        assert _plain(got).shape == tuple(expected.shape)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("invert", [False, True])
def test_isin_of_floats(invert, backend):
    """The standard's isin need only take integers (array-api-strict takes nothing else):
    floats are searched in the sorted test values; NaN is in nothing, -0.0 equals 0.0."""
    nan = float("nan")
    inf = float("inf")
    elements = np.array([[1.5, nan, -0.0], [2.0, 7.0, inf]])
    for tests in (
        np.array([0.0, 1.5, nan, 7.0, nan]),
        np.array([inf, nan, 2.0]),
        np.array([3.0]),
        np.zeros(0),
        np.array(2.0),
    ):
        got = pg.isin(pg_tensor(elements, backend), pg_tensor(tests, backend), invert=invert)
        expected = torch.isin(torch.tensor(elements), torch.tensor(tests), invert=invert)
        np.testing.assert_array_equal(_plain(got), expected)
    got = pg.isin(pg_tensor(np.array(7.0), backend), pg_tensor(elements, backend))
    assert torch.isin(torch.tensor(7.0), torch.tensor(elements)).item() is True
    assert _plain(got).shape == () and _plain(got).item() is True
