"""``linalg.lu_solve`` and ``lu_unpack`` against torch on every backend: values, first-
and second-order gradients through ``LU`` and ``B`` (square, batched, broadcast,
complex; left/right, adjoint), and torch's shape errors."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, torch
from conftest import BACKENDS

import polygrad as pg

rng = np.random.default_rng(31)


def data(*shape: int, complex_: bool = False) -> np.ndarray:
    values = rng.standard_normal(shape)
    return values + 1j * rng.standard_normal(shape) if complex_ else values


def factored(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    lu, pivots = torch.linalg.lu_factor(torch.tensor(a))
    return lu.numpy(), pivots.numpy()


CASES = {
    "3x3": (data(3, 3), data(3, 2)),
    "batch": (data(2, 4, 4), data(2, 4, 3)),
    "broadcast": (data(4, 4), data(2, 4, 1)),
    "complex": (data(3, 3, complex_=True), data(3, 2, complex_=True)),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("adjoint", [False, True])
@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_lu_solve(case, left, adjoint, backend):
    a, b = CASES[case]
    lu, pivots = factored(a)
    if not left:
        b = np.swapaxes(b, -1, -2)
    # composed of recorded ops: the last one's node, where torch has LinalgLuSolveBackward0
    got = pg.linalg.lu_solve(
        pg_tensor(lu, backend, True),
        pg_tensor(pivots, backend),
        pg_tensor(b, backend, True),
        left=left,
        adjoint=adjoint,
    )
    check(
        lambda x, p, y: pg.linalg.lu_solve(x, p, y, left=left, adjoint=adjoint),
        lambda x, p, y: torch.linalg.lu_solve(x, p, y, left=left, adjoint=adjoint),
        [lu, pivots, b],
        backend,
        names=[got.grad_fn.name()],
        rtol=1e-8,
        atol=1e-9,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (3, 5), (5, 3)])
def test_lu_unpack(shape, backend):
    lu, pivots = factored(data(*shape))
    check(
        lambda x, p: tuple(pg.lu_unpack(x, p)),
        lambda x, p: tuple(torch.lu_unpack(x, p)),
        [lu, pivots],
        backend,
        names=[None, "AddBackward0", "TriuBackward0"],
    )
    for flags in ((False, True), (True, False)):
        got = pg.lu_unpack(pg_tensor(lu, backend), pg_tensor(pivots, backend), *flags)
        want = torch.lu_unpack(torch.tensor(lu), torch.tensor(pivots), *flags)
        assert [tuple(g.shape) for g in got] == [tuple(w.shape) for w in want]


@pytest.mark.parametrize("backend", BACKENDS)
def test_shape_errors(backend):
    lu, pivots = factored(data(3, 3))
    with pytest.raises(RuntimeError, match="at least 2 dimensions"):
        pg.linalg.lu_solve(
            pg_tensor(lu, backend), pg_tensor(pivots, backend), pg_tensor(data(3), backend)
        )
    with pytest.raises(RuntimeError, match="2 or more dimensions"):
        pg.lu_unpack(pg_tensor(data(3), backend), pg_tensor(pivots, backend))


def _last_node(fn, arrays, backend):
    """The node of ``fn``'s first result on differentiable inputs (the composition's own)."""
    out = fn(*(pg_tensor(a, backend, a.dtype.kind in "fc") for a in arrays))
    return [
        o.grad_fn.name() if o.grad_fn else None for o in (out if isinstance(out, tuple) else (out,))
    ]


SPD = data(2, 3, 3)
SPD = SPD @ np.swapaxes(SPD, -1, -2) + 3 * np.eye(3)
LOWER = np.linalg.cholesky(SPD)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("upper", [False, True])
def test_tensor_level_spellings(upper, backend):
    """``torch.lu_solve``, ``triangular_solve``, ``cholesky_solve``, ``cholesky_inverse``
    and ``lu``, function and method forms, values and gradients."""
    a, b = data(2, 3, 3), data(2, 3, 2)
    lu, pivots = factored(a)
    factor = np.swapaxes(LOWER, -1, -2) if upper else LOWER
    cases = [
        (
            lambda y, x, p: pg.lu_solve(y, x, p),
            lambda y, x, p: torch.lu_solve(y, x, p),
            [b, lu, pivots],
        ),
        (lambda y, x, p: y.lu_solve(x, p), lambda y, x, p: y.lu_solve(x, p), [b, lu, pivots]),
        (
            lambda y, x: tuple(pg.triangular_solve(y, x, upper, transpose=True)),
            lambda y, x: tuple(torch.triangular_solve(y, x, upper, transpose=True)),
            [b, a],
        ),
        (
            lambda y, x: tuple(y.triangular_solve(x, upper)),
            lambda y, x: tuple(y.triangular_solve(x, upper)),
            [b, a],
        ),
        (
            lambda y, x: pg.cholesky_solve(y, x, upper),
            lambda y, x: torch.cholesky_solve(y, x, upper),
            [b, factor],
        ),
        (lambda x: x.cholesky_inverse(upper), lambda x: x.cholesky_inverse(upper), [factor]),
        (lambda x: pg.lu(x, get_infos=upper), lambda x: torch.lu(x, get_infos=upper), [a]),
    ]
    for ours, theirs, arrays in cases:
        check(
            ours,
            theirs,
            arrays,
            backend,
            names=_last_node(ours, arrays, backend),
            rtol=1e-8,
            atol=1e-9,
        )


@pytest.mark.parametrize("backend", BACKENDS)
def test_tensor_level_errors(backend):
    vector, matrix = data(3), data(3, 3)
    for ours, theirs in (
        (
            lambda: pg.triangular_solve(pg_tensor(vector, backend), pg_tensor(matrix, backend)),
            lambda: torch.triangular_solve(torch.tensor(vector), torch.tensor(matrix)),
        ),
        (
            lambda: pg.triangular_solve(pg_tensor(matrix, backend), pg_tensor(vector, backend)),
            lambda: torch.triangular_solve(torch.tensor(matrix), torch.tensor(vector)),
        ),
        (
            lambda: pg.cholesky_inverse(pg_tensor(vector, backend)),
            lambda: torch.cholesky_inverse(torch.tensor(vector)),
        ),
    ):
        with pytest.raises(RuntimeError) as expected:
            theirs()
        with pytest.raises(RuntimeError) as caught:
            ours()
        assert str(caught.value) == str(expected.value)
