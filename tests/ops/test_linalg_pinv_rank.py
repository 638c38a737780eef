"""``linalg.pinv`` and ``matrix_rank`` with torch's ``atol``, ``rtol`` (numbers or
tensors over the batch) and ``hermitian`` (the lower triangle only), against torch on
every backend: values, and for ``pinv`` node names and gradients to second order."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import BACKENDS

import polygrad as pg

SPREAD = np.diag([1.0, 1e-3, 1e-9])
rng = np.random.default_rng(3)
LOPSIDED = rng.standard_normal((3, 3))  # read as Hermitian: its lower triangle only
BATCH = np.stack([SPREAD, np.diag([2.0, 0.5, 1e-2])])

TOLERANCES = [
    {},
    {"atol": 1e-2},
    {"atol": 1e-2, "rtol": 0.5},
    {"rtol": 1e-4},
    {"atol": 0.0},
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("hermitian", [False, True])
@pytest.mark.parametrize("kwargs", TOLERANCES, ids=str)
def test_matrix_rank(kwargs, hermitian, backend):
    for a in (SPREAD, LOPSIDED, BATCH):
        ours = pg.linalg.matrix_rank(pg_tensor(a, backend), hermitian=hermitian, **kwargs)
        theirs = torch.linalg.matrix_rank(torch.tensor(a), hermitian=hermitian, **kwargs)
        assert ours.dtype == pg.int64
        np.testing.assert_array_equal(to_np(ours), theirs.numpy())


@pytest.mark.parametrize("backend", BACKENDS)
def test_tolerance_tensors_broadcast_over_the_batch(backend):
    atol, rtol = np.array([1e-2, 0.6]), np.array([0.0, 0.1])
    for kwargs in ({"atol": atol}, {"rtol": rtol}, {"atol": atol, "rtol": rtol}):
        ours = pg.linalg.matrix_rank(
            pg_tensor(BATCH, backend), **{k: pg_tensor(v, backend) for k, v in kwargs.items()}
        )
        theirs = torch.linalg.matrix_rank(
            torch.tensor(BATCH), **{k: torch.tensor(v) for k, v in kwargs.items()}
        )
        np.testing.assert_array_equal(to_np(ours), theirs.numpy())


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("hermitian", [False, True])
@pytest.mark.parametrize("kwargs", [{"atol": 1e-2}, {"atol": 1e-2, "rtol": 0.5}, {"rtol": 1e-4}])
def test_pinv(kwargs, hermitian, backend):
    # well separated from the cutoffs, so the gradient is that of a fixed rank
    a = np.diag([3.0, 0.5, 1e-6]) + np.tril(np.full((3, 3), 0.1), -1)
    check(
        lambda x: pg.linalg.pinv(x, hermitian=hermitian, **kwargs),
        lambda x: torch.linalg.pinv(x, hermitian=hermitian, **kwargs),
        [a],
        backend,
        rtol=1e-7,
        atol=1e-9,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_pinv_with_tolerance_tensors(backend):
    """A tensor ``rtol`` (one per matrix, or 0-d) is applied by polygrad itself, as not
    every library's pinv takes an array (Dask's does not)."""
    a = np.stack([np.diag([3.0, 0.5, 1e-6]), np.diag([2.0, 0.05, 1e-3])])
    for rtol in (np.array(0.1), np.array([1e-3, 0.1])):
        check(
            lambda x, r=rtol: pg.linalg.pinv(x, rtol=pg_tensor(r, backend)),
            lambda x, r=rtol: torch.linalg.pinv(x, rtol=torch.tensor(r)),
            [a],
            backend,
            names=["LinalgPinvBackward0"],
            rtol=1e-7,
            atol=1e-9,
        )
