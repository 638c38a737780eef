"""``linalg.lu_factor``, ``lu_factor_ex``, ``lu`` and ``solve_ex`` against torch.linalg
on every backend: factors, LAPACK's pivots and ``info``, node names, first- and
second-order gradients (square matrices), and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import BACKENDS

import polygrad as pg

rng = np.random.default_rng(13)


def data(*shape: int, complex_: bool = False) -> np.ndarray:
    values = rng.standard_normal(shape)
    return values + 1j * rng.standard_normal(shape) if complex_ else values


SQUARE = [data(3, 3), data(2, 4, 4), data(3, 3, complex_=True), data(3, 5), data(2, 5, 3)]
SINGULAR = np.stack([np.eye(3), np.diag([1.0, 0.0, 0.0]), [[1.0, 2, 3], [2, 4, 6], [1, 1, 1]]])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("matrix", SQUARE, ids=["3x3", "batch", "complex", "wide", "tall"])
def test_lu_factor_ex_and_lu(matrix, backend):
    check(
        lambda a: tuple(pg.linalg.lu_factor_ex(a)),
        lambda a: tuple(torch.linalg.lu_factor_ex(a)),
        [matrix],
        backend,
    )
    check(lambda a: tuple(pg.linalg.lu(a)), lambda a: tuple(torch.linalg.lu(a)), [matrix], backend)
    check(
        lambda a: tuple(pg.linalg.lu_factor(a)),
        lambda a: tuple(torch.linalg.lu_factor(a)),
        [matrix],
        backend,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (0, 3, 3), (2, 0, 0)])
def test_rectangular_and_empty_factors(shape, backend):
    a = data(*shape)
    for ours, theirs in (
        (pg.linalg.lu_factor_ex, torch.linalg.lu_factor_ex),
        (pg.linalg.lu, torch.linalg.lu),
    ):
        got, want = ours(pg_tensor(a, backend)), theirs(torch.tensor(a))
        for g, w in zip(got, want):
            assert tuple(g.shape) == tuple(w.shape)
            np.testing.assert_allclose(to_np(g), w.numpy(), atol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_info_pivots_and_errors(backend):
    got = pg.linalg.lu_factor_ex(pg_tensor(SINGULAR, backend))
    want = torch.linalg.lu_factor_ex(torch.tensor(SINGULAR))
    assert got.info.dtype == got.pivots.dtype == pg.int32
    np.testing.assert_array_equal(to_np(got.info), want.info.numpy())
    np.testing.assert_array_equal(to_np(got.pivots), want.pivots.numpy())
    for a in (SINGULAR, np.zeros((3,))):
        with pytest.raises(RuntimeError) as expected:
            torch.linalg.lu_factor(torch.tensor(a))
        with pytest.raises(RuntimeError) as caught:
            pg.linalg.lu_factor(pg_tensor(a, backend))
        assert str(caught.value) == str(expected.value)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("left", [True, False])
def test_solve_ex(left, backend):
    a = data(2, 3, 3) + 3 * np.eye(3)
    b = data(2, 3, 2) if left else data(2, 2, 3)
    check(
        lambda x, y: tuple(pg.linalg.solve_ex(x, y, left=left)),
        lambda x, y: tuple(torch.linalg.solve_ex(x, y, left=left)),
        [a, b],
        backend,
        names=[None if left else "TransposeBackward0", None],
    )
    got = pg.linalg.solve_ex(pg_tensor(SINGULAR, backend), pg_tensor(np.ones((3, 3, 1)), backend))
    want = torch.linalg.solve_ex(torch.tensor(SINGULAR), torch.ones(3, 3, 1, dtype=torch.float64))
    np.testing.assert_array_equal(to_np(got.info), want.info.numpy())
    with pytest.raises(pg.linalg.LinAlgError):
        pg.linalg.solve_ex(
            pg_tensor(SINGULAR, backend), pg_tensor(np.ones((3, 3, 1)), backend), check_errors=True
        )
