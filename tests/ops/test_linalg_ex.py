"""``linalg.inv_ex`` / ``cholesky_ex`` (torch's ``info``), ``inv`` / ``cholesky``
raising torch's ``LinAlgError``, and ``det`` of singular matrices under
``create_graph``, against torch.linalg on every backend.

``info`` is LAPACK's: the first zero pivot of the LU factorization, the order of the
first leading minor that is not positive-definite; the partial Cholesky factor of a
failed matrix is MKL's (torch's CPU build), and is compared too.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import BACKENDS

import polygrad as pg
import polygrad.linalg as la

rng = np.random.default_rng(5)


def data(*shape: int, complex_: bool = False) -> np.ndarray:
    values = rng.standard_normal(shape)
    return values + 1j * rng.standard_normal(shape) if complex_ else values


def spd(*shape: int, complex_: bool = False) -> np.ndarray:
    a = data(*shape, complex_=complex_)
    n = shape[-1]
    return a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n)


SINGULAR = np.stack([np.eye(3), np.diag([1.0, 0.0, 0.0]), [[1.0, 2, 3], [2, 4, 6], [1, 1, 1]]])
NOT_POSITIVE = np.stack(
    [np.eye(3), [[4.0, 2, 2], [2, 1, 5], [2, 5, 3]], np.diag([1.0, 2, -3]), np.full((3, 3), np.nan)]
)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "matrix", [data(3, 3) + 3 * np.eye(3), data(2, 4, 4), data(3, 3, complex_=True)], ids=str
)
def test_inv_ex_against_torch(matrix, backend):
    check(lambda a: tuple(la.inv_ex(a)), lambda a: tuple(torch.linalg.inv_ex(a)), [matrix], backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("matrix", [spd(3, 3), spd(2, 4, 4), spd(3, 3, complex_=True)], ids=str)
def test_cholesky_ex_against_torch(matrix, upper, backend):
    check(
        lambda a: tuple(la.cholesky_ex(a, upper=upper)),
        lambda a: tuple(torch.linalg.cholesky_ex(a, upper=upper)),
        [matrix],
        backend,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("batch", [(), (0,), (2, 0)])
def test_info_of_empty_and_unbatched_inputs(batch, backend):
    for n in (0, 2):
        a = np.broadcast_to(np.eye(n), batch + (n, n)).copy()
        for ours, theirs in (
            (la.inv_ex, torch.linalg.inv_ex),
            (la.cholesky_ex, torch.linalg.cholesky_ex),
        ):
            info, expected = ours(pg_tensor(a, backend)).info, theirs(torch.tensor(a)).info
            assert info.dtype == pg.int32 and tuple(info.shape) == tuple(expected.shape)
            np.testing.assert_array_equal(to_np(info), expected.numpy())


def _error(fn, *args, **kwargs):
    with pytest.raises(RuntimeError) as caught:
        fn(*args, **kwargs)
    return caught


@pytest.mark.parametrize("backend", BACKENDS)
def test_inv_ex_info_and_errors(backend):
    ours, theirs = (
        la.inv_ex(pg_tensor(SINGULAR, backend)),
        torch.linalg.inv_ex(torch.tensor(SINGULAR)),
    )
    np.testing.assert_array_equal(to_np(ours.info), theirs.info.numpy())  # [0, 2, 3]
    np.testing.assert_allclose(to_np(ours.inverse)[0], theirs.inverse[0].numpy())
    assert not np.isfinite(to_np(ours.inverse)[1:]).any()  # unspecified: NaN, torch inf/NaN
    for fn, args in [
        ((la.inv_ex, torch.linalg.inv_ex), {"check_errors": True}),
        ((la.inv, torch.linalg.inv), {}),
    ]:
        for a in (SINGULAR, SINGULAR[2]):
            if fn[0] is la.inv and backend == "dask":
                continue  # lazy: Dask's inverse raises when computed
            got = _error(fn[0], pg_tensor(a, backend), **args)
            want = _error(fn[1], torch.tensor(a), **args)
            assert isinstance(got.value, la.LinAlgError)
            assert str(got.value) == str(want.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_cholesky_ex_info_partial_factor_and_errors(backend):
    for upper in (False, True):
        ours = la.cholesky_ex(pg_tensor(NOT_POSITIVE, backend), upper=upper)
        theirs = torch.linalg.cholesky_ex(torch.tensor(NOT_POSITIVE), upper=upper)
        np.testing.assert_array_equal(to_np(ours.info), theirs.info.numpy())  # [0, 2, 3, 1]
        np.testing.assert_allclose(to_np(ours.L), theirs.L.numpy(), equal_nan=True)
    for fn, args in [
        ((la.cholesky_ex, torch.linalg.cholesky_ex), {"check_errors": True}),
        ((la.cholesky, torch.linalg.cholesky), {}),
    ]:
        for a in (NOT_POSITIVE, NOT_POSITIVE[2]):
            if fn[0] is la.cholesky and backend == "dask":
                continue  # lazy: Dask's factorization raises when computed
            got = _error(fn[0], pg_tensor(a, backend), **args)
            want = _error(fn[1], torch.tensor(a), **args)
            assert isinstance(got.value, la.LinAlgError)
            assert str(got.value) == str(want.value)


@pytest.mark.parametrize("backend", BACKENDS)
def test_out_and_result_types(backend):
    a = pg_tensor(spd(2, 2), backend)
    result = pg.linalg.cholesky_ex(a)
    assert type(result).__name__ == "CholeskyExResult" and result._fields == ("L", "info")
    assert la.inv_ex(a)._fields == ("inverse", "info")
    out = (pg.empty_like(a), pg.zeros((), dtype=pg.int32, backend=backend))
    written = pg.linalg.inv_ex(a, out=out)
    assert written.inverse is out[0]
    np.testing.assert_allclose(to_np(out[0]), np.linalg.inv(to_np(a)))


SINGULAR_DET = [
    np.diag([1.0, 2.0, 0.0]),
    np.array([[1.0, 2, 3], [2, 4, 6], [1, 1, 2]]),  # rank 2, det computed as 0
    np.stack([np.diag([1.0, 2.0, 0.0]), 2 * np.eye(3)]),  # one singular, one not
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("matrix", SINGULAR_DET, ids=["diagonal", "rank2", "batch"])
def test_det_of_singular_matrices_to_second_order(matrix, backend):
    """torch takes the SVD for |det| <= eps ||A||_F under create_graph; so does polygrad."""
    direction = np.arange(matrix.size, dtype=float).reshape(matrix.shape)
    x = torch.tensor(matrix, requires_grad=True)
    (g,) = torch.autograd.grad(torch.linalg.det(x).sum(), x, create_graph=True)
    (h,) = torch.autograd.grad((g * torch.tensor(direction)).sum(), x)
    y = pg_tensor(matrix, backend, True)
    (pg_g,) = pg.autograd.grad(la.det(y).sum(), y, create_graph=True)
    (pg_h,) = pg.autograd.grad((pg_g * pg_tensor(direction, backend)).sum(), y)
    np.testing.assert_allclose(to_np(pg_g.detach()), g.detach().numpy(), atol=1e-12)
    np.testing.assert_allclose(to_np(pg_h), h.numpy(), rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("backend", BACKENDS)
def test_det_of_zero_matrix_second_order_is_exact(backend):
    """The adjugate of a 3x3 matrix is quadratic: its derivative at 0 is 0. torch's SVD
    meets three equal singular values and returns NaN; polygrad's rule skips the gaps
    its zero cotangent terms do not need and returns 0 (docs/differences.md)."""
    y = pg_tensor(np.zeros((3, 3)), backend, True)
    (g,) = pg.autograd.grad(la.det(y), y, create_graph=True)
    (h,) = pg.autograd.grad(g.sum(), y)
    np.testing.assert_array_equal(to_np(h), np.zeros((3, 3)))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "a_shape, b_shape, left",
    [
        ((3, 3), (2, 3), False),  # X A = B
        ((2, 3, 3), (4, 3), False),
        ((2, 3, 3), (2, 3), True),  # torch's batch of vectors (the standard's reading does not fit)
        ((0, 3, 3), (0, 3), True),
        ((3, 3), (3,), True),
    ],
)
def test_solve_left_false_and_batches_of_vectors(a_shape, b_shape, left, backend):
    a = data(*a_shape) + 3 * np.eye(a_shape[-1])
    b = data(*b_shape)
    for ours, theirs in (
        (la.solve, torch.linalg.solve),
        (
            lambda *m, **k: la.solve_ex(*m, **k)[0],
            lambda *m, **k: torch.linalg.solve_ex(*m, **k)[0],
        ),
    ):
        check(
            lambda x, y, f=ours: f(x, y, left=left),
            lambda x, y, f=theirs: f(x, y, left=left),
            [a, b],
            backend,
            names=[None if left and len(b_shape) == 1 else _node_of(ours, a, b, left, backend)],
        )


def _node_of(fn, a, b, left, backend):
    out = fn(pg_tensor(a, backend, True), pg_tensor(b, backend, True), left=left)
    return out.grad_fn.name()


@pytest.mark.parametrize("backend", BACKENDS)
def test_solve_shape_errors_and_the_standards_reading(backend):
    a = pg_tensor(data(5, 5) + 5 * np.eye(5), backend)
    for b_shape, left, text in [
        ((4,), True, "AX = B (5x5 and 4x1)"),
        ((2, 5), True, "AX = B (5x5 and 2x5)"),
        ((3, 4), False, "XA = B (5x5 and 3x4)"),
        ((5,), False, "XA = B (5x5 and 5x1)"),
    ]:
        b = data(*b_shape)
        with pytest.raises(
            RuntimeError, match=re.escape(f"Incompatible shapes of A and B for the equation {text}")
        ):
            torch.linalg.solve(torch.tensor(to_np(a)), torch.tensor(b), left=left)
        with pytest.raises(
            RuntimeError, match=re.escape(f"Incompatible shapes of A and B for the equation {text}")
        ):
            la.solve(a, pg_tensor(b, backend), left=left)
    # A (3, 3, 3) and B (3, 3): torch reads a batch of vectors (pg.linalg, torch's door),
    # the standard a batch of matrices (the namespace's linalg)
    a, b = data(3, 3, 3) + 3 * np.eye(3), data(3, 3)
    pa, pb = pg_tensor(a, backend), pg_tensor(b, backend)
    expected = torch.linalg.solve(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(to_np(la.solve(pa, pb)), expected.numpy(), rtol=1e-10)
    np.testing.assert_allclose(to_np(la.solve_ex(pa, pb)[0]), expected.numpy(), rtol=1e-10)
    xp = pa.__array_namespace__()
    np.testing.assert_allclose(to_np(xp.linalg.solve(pa, pb)), np.linalg.solve(a, b), rtol=1e-10)
