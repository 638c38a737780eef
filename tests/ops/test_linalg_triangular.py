"""``linalg.solve_triangular`` and ``linalg.matrix_exp`` against torch.linalg on every
backend: values, node names, first- and second-order gradients (real and complex), and
torch's errors for bad shapes."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, torch
from conftest import BACKENDS

import polygrad as pg

rng = np.random.default_rng(8)


def data(*shape: int, complex_: bool = False) -> np.ndarray:
    values = rng.standard_normal(shape)
    return values + 1j * rng.standard_normal(shape) if complex_ else values


def well_conditioned(*shape: int, complex_: bool = False) -> np.ndarray:
    return data(*shape, complex_=complex_) + 4 * np.eye(shape[-1])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("upper", [True, False])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("unitriangular", [False, True])
@pytest.mark.parametrize("complex_", [False, True])
def test_solve_triangular(upper, left, unitriangular, complex_, backend):
    a = well_conditioned(2, 3, 3, complex_=complex_)
    b = data(2, 3, 4, complex_=complex_) if left else data(2, 4, 3, complex_=complex_)
    kwargs = {"upper": upper, "left": left, "unitriangular": unitriangular}
    check(
        lambda x, y: pg.linalg.solve_triangular(x, y, **kwargs),
        lambda x, y: torch.linalg.solve_triangular(x, y, **kwargs),
        [a, b],
        backend,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_solve_triangular_broadcasts_the_batch(backend):
    check(
        lambda x, y: pg.linalg.solve_triangular(x, y, upper=False),
        lambda x, y: torch.linalg.solve_triangular(x, y, upper=False),
        [well_conditioned(3, 3), data(2, 3, 2)],
        backend,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "matrix",
    [data(3, 3), 6 * data(2, 4, 4), np.zeros((2, 2)), data(3, 3, complex_=True), data(1, 1)],
    ids=["3x3", "large-batch", "zero", "complex", "1x1"],
)
def test_matrix_exp(matrix, backend):
    check(pg.linalg.matrix_exp, torch.linalg.matrix_exp, [matrix], backend, rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_bad_shapes_give_torchs_errors(backend):
    for ours, theirs in [
        (
            lambda m: pg.linalg.solve_triangular(m, m, upper=True),
            lambda m: torch.linalg.solve_triangular(m, m, upper=True),
        ),
        (pg.linalg.matrix_exp, torch.linalg.matrix_exp),
    ]:
        with pytest.raises(RuntimeError) as want:
            theirs(torch.zeros(2, 3, dtype=torch.float64))
        with pytest.raises(RuntimeError) as got:
            ours(pg_tensor(np.zeros((2, 3)), backend))
        assert str(got.value) == str(want.value)
