"""``linalg.ldl_factor``, ``ldl_factor_ex`` and ``ldl_solve`` against torch (LAPACK's
``sytrf`` / ``hetrf`` and ``sytrs`` / ``hetrs``) on every backend: the packed ``LD``,
pivots (1x1 and 2x2 blocks, row interchanges) and ``info`` of symmetric, Hermitian and
complex-symmetric batches, singular ones included, the solutions, and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import pg_tensor, torch
from conftest import BACKENDS

import polygrad as pg

rng = np.random.default_rng(17)


def data(*shape: int, complex_: bool = False) -> np.ndarray:
    values = rng.standard_normal(shape)
    return values + 1j * rng.standard_normal(shape) if complex_ else values


def matrices(complex_: bool) -> list[np.ndarray]:
    small_diagonal = data(3, 6, 6, complex_=complex_)  # forces 2x2 blocks and interchanges
    small_diagonal[..., np.arange(6), np.arange(6)] *= 0.01
    singular = np.zeros((2, 3, 3), dtype=small_diagonal.dtype)
    singular[1, 2, 0] = 1.0
    return [
        data(4, 5, 5, complex_=complex_),
        small_diagonal,
        singular,
        data(1, 1, complex_=complex_),
    ]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("hermitian", [False, True])
@pytest.mark.parametrize("complex_", [False, True])
def test_ldl_factor_ex_is_lapacks(complex_, hermitian, backend):
    for a in matrices(complex_):
        want = torch.linalg.ldl_factor_ex(torch.tensor(a), hermitian=hermitian)
        got = pg.linalg.ldl_factor_ex(pg_tensor(a, backend), hermitian=hermitian)
        assert type(got).__name__ == "LDLFactorExResult"
        np.testing.assert_allclose(got.LD.numpy(), want.LD.numpy(), rtol=1e-10, atol=1e-12)
        assert got.pivots.dtype == got.info.dtype == pg.int32
        np.testing.assert_array_equal(got.pivots.numpy(), want.pivots.numpy())
        np.testing.assert_array_equal(got.info.numpy(), want.info.numpy())


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("hermitian", [False, True])
@pytest.mark.parametrize("complex_", [False, True])
def test_ldl_solve(complex_, hermitian, backend):
    for a in matrices(complex_)[:2]:
        ld, pivots = torch.linalg.ldl_factor(torch.tensor(a), hermitian=hermitian)
        b = data(a.shape[-1], 3, complex_=complex_)  # broadcast over the batch
        want = torch.linalg.ldl_solve(ld, pivots, torch.tensor(b), hermitian=hermitian)
        got = pg.linalg.ldl_solve(
            pg_tensor(ld.numpy(), backend),
            pg.tensor(pivots.numpy(), backend=backend),
            pg_tensor(b, backend),
            hermitian=hermitian,
        )
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-9, atol=1e-10)


def test_ldl_factor_raises_where_d_is_singular():
    result = pg.linalg.ldl_factor_ex(pg.zeros(2, 3, 3))
    assert result.info.tolist() == [1, 1]
    with pytest.raises(RuntimeError, match="torch.linalg.ldl_factor: Unknown error code: 1."):
        pg.linalg.ldl_factor(pg.zeros(3, 3))
    with pytest.raises(RuntimeError, match="ldl_factor_ex: Unknown error code: 1."):
        pg.linalg.ldl_factor_ex(pg.zeros(3, 3), check_errors=True)


def _factored() -> tuple[pg.Tensor, pg.Tensor]:
    return pg.linalg.ldl_factor(pg.tensor(data(3, 3)))


ERRORS = [
    (lambda: pg.linalg.ldl_factor(pg.ones(3, 4)), RuntimeError, "3 by 4 matrices"),
    (lambda: pg.linalg.ldl_factor(pg.ones(3)), RuntimeError, "at least 2 dimensions"),
    (
        lambda: pg.linalg.ldl_factor(pg.ones(3, 3, dtype=pg.int64)),
        RuntimeError,
        "Expected a floating point or complex tensor as input. Got Long",
    ),
    (lambda: pg.linalg.ldl_solve(*_factored(), pg.ones(3)), IndexError, "Dimension out of range"),
    (
        lambda: pg.linalg.ldl_solve(*_factored(), pg.ones(4, 2, dtype=pg.float64)),
        RuntimeError,
        "each A matrix is 3 by 3 but each b matrix is 4 by 2",
    ),
    (
        lambda: pg.linalg.ldl_solve(*_factored(), pg.ones(3, 2)),
        RuntimeError,
        "found b of type Float and A of type Double",
    ),
    (
        lambda: pg.linalg.ldl_solve(_factored()[0], _factored()[1][:2], pg.ones(3, 2)),
        RuntimeError,
        r"pivots with shape \[2\] instead",
    ),
    (
        lambda: pg.linalg.ldl_solve(_factored()[0], _factored()[1].float(), pg.ones(3, 2)),
        RuntimeError,
        "Expected pivots to be integers. Got Float",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), ERRORS)
def test_errors_are_torchs(call, error, message):
    with pytest.raises(error, match=message):
        call()
