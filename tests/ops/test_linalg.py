"""``polygrad.linalg`` and ``tensordot``/``vecdot`` against torch.linalg: values, node
names, first- and second-order gradients in float64 and complex128.

Eigenvectors and singular vectors are only defined up to sign (phase), and two
LAPACK builds may pick differently, so those are compared through functions that
do not depend on the choice (``V diag(w) V^H``, ``U diag(c) Vh``), as torch
itself requires of a differentiable loss.
"""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import STANDARD_BACKENDS

import polygrad as pg
import polygrad.linalg as la
from polygrad import array_api

rng = np.random.default_rng(11)


def data(*shape: int, complex_: bool = False) -> np.ndarray:
    values = rng.standard_normal(shape)
    return values + 1j * rng.standard_normal(shape) if complex_ else values


def spd(*shape: int, complex_: bool = False) -> np.ndarray:
    """A well-conditioned Hermitian positive-definite matrix (batch)."""
    a = data(*shape, complex_=complex_)
    n = shape[-1]
    return a @ np.conj(np.swapaxes(a, -1, -2)) + n * np.eye(n)


def weights(n: int) -> np.ndarray:
    return rng.standard_normal(n) + 2.0


# -- inverses and determinants --------------------------------------------------------------


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3), (1, 1)])
@pytest.mark.parametrize("complex_", [False, True])
def test_inv(shape, complex_, backend):
    check(
        la.inv, torch.linalg.inv, [data(*shape, complex_=complex_) + 3 * np.eye(shape[-1])], backend
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "a_shape, b_shape",
    [
        ((3, 3), (3, 2)),
        ((3, 3), (3,)),
        ((2, 3, 3), (3, 2)),
        ((2, 3, 3), (3,)),
        ((3, 3), (2, 3, 1)),
    ],
)
@pytest.mark.parametrize("complex_", [False, True])
def test_solve(a_shape, b_shape, complex_, backend):
    a = data(*a_shape, complex_=complex_) + 3 * np.eye(a_shape[-1])
    check(la.solve, torch.linalg.solve, [a, data(*b_shape, complex_=complex_)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "matrix",
    [
        data(3, 3),
        data(2, 4, 4),
        data(1, 1),
        np.eye(3),
        np.diag([2.0, -1.0, 0.5]),
        data(3, 3, complex_=True),
    ],
)
def test_det(matrix, backend):
    check(la.det, torch.linalg.det, [matrix], backend)


def cofactors(a: np.ndarray) -> np.ndarray:
    """The gradient of ``det`` analytically: entry (i, j) is ``(-1)^(i+j)`` times the
    determinant of ``a`` without row i and column j (defined for singular ``a`` too)."""
    n = a.shape[-1]
    out = np.empty_like(a)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, axis=-2), j, axis=-1)
            out[..., i, j] = (-1) ** (i + j) * np.linalg.det(minor)
    return out


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "matrix",
    [
        data(4, 2) @ data(2, 4),  # rank 2 of 4: every cofactor is zero
        data(3, 2) @ data(2, 3),  # rank 2 of 3: the cofactors are not
        np.diag([3.0, 2.0, 0.0]),  # the cofactor of the zero entry is 3 * 2
    ],
)
def test_det_singular_first_order(matrix, backend):
    """Rank-deficient matrices: the cofactor gradient, without dividing by zero. torch is
    no oracle here: on rank-deficient products its LU-based gradient is sometimes zeros."""
    x = pg_tensor(matrix, backend, True)
    det = la.det(x)
    det.backward()
    np.testing.assert_allclose(to_np(det.detach()), 0.0, atol=1e-12)
    np.testing.assert_allclose(to_np(x.grad), cofactors(matrix), rtol=1e-8, atol=1e-12)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "matrix", [data(3, 3), data(2, 3, 3), -np.eye(2) * 2, data(3, 3, complex_=True)]
)
def test_slogdet(matrix, backend):
    check(
        lambda a: tuple(la.slogdet(a)), lambda a: tuple(torch.linalg.slogdet(a)), [matrix], backend
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shape", [(3, 5), (5, 3), (3, 3), (2, 4, 3)])
def test_pinv(shape, backend):
    check(la.pinv, torch.linalg.pinv, [data(*shape)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("rank", [3, 2])
def test_pinv_hermitian(rank, backend):
    """torch's ``hermitian=True``: through the eigenvalues, dropping the zero ones."""
    basis = data(2, 3, rank)
    matrix = basis @ np.swapaxes(basis, -1, -2) * np.array([1.0, -1.0])[:, None, None]
    check(
        lambda a: la.pinv(a, hermitian=True),
        lambda a: torch.linalg.pinv(a, hermitian=True),
        [matrix],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("n", [0, 1, 2, 3, 5, -1, -2])
@pytest.mark.parametrize("shape", [(3, 3), (2, 3, 3)])
def test_matrix_power(n, shape, backend):
    a = data(*shape) + 2 * np.eye(shape[-1])
    check(lambda x: la.matrix_power(x, n), lambda x: torch.linalg.matrix_power(x, n), [a], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_matrix_rank(backend):
    matrices = np.stack([data(3, 2) @ data(2, 4), data(3, 4)])
    got = la.matrix_rank(pg_tensor(matrices, backend, True))
    assert got.requires_grad is False
    np.testing.assert_array_equal(to_np(got), torch.linalg.matrix_rank(torch.tensor(matrices)))


# -- factorizations -------------------------------------------------------------------------


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
@pytest.mark.parametrize("upper", [False, True])
@pytest.mark.parametrize("complex_", [False, True])
def test_cholesky(shape, upper, complex_, backend):
    check(
        lambda a: la.cholesky(a, upper=upper),
        lambda a: torch.linalg.cholesky(a, upper=upper),
        [spd(*shape, complex_=complex_)],
        backend,
    )


def _projected(lib, vectors, w):
    """``V diag(w) V^H``: independent of each eigenvector's sign or phase."""
    return (vectors * w) @ lib.conj(vectors).mT


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4)])
@pytest.mark.parametrize("complex_", [False, True])
def test_eigh(shape, complex_, backend):
    matrix = spd(*shape, complex_=complex_)
    w = weights(shape[-1])

    def pg_fn(a):
        values, vectors = la.eigh(a)
        return values, _projected(pg, vectors, pg_tensor(w, backend))

    def torch_fn(a):
        values, vectors = torch.linalg.eigh(a)
        return values, _projected(torch, vectors, torch.tensor(w))

    check(pg_fn, torch_fn, [matrix], backend)
    check(la.eigvalsh, torch.linalg.eigvalsh, [matrix], backend)
    out = la.eigh(pg_tensor(matrix, backend, True))
    assert out.eigenvectors.grad_fn.name() == "LinalgEighBackward0"
    assert out.eigenvectors.output_nr == 1


def _svd_invariants(lib, u, s, vh, c):
    k = s.shape[-1]
    u = u[..., :k]
    vh = vh[..., :k, :]
    return s, (u * c) @ vh, (u * c) @ lib.conj(u).mT, lib.conj(vh).mT @ (c[:, None] * vh)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("shape", [(4, 3), (3, 4), (3, 3), (2, 4, 3)])
@pytest.mark.parametrize("full_matrices", [False, True])
@pytest.mark.parametrize("complex_", [False, True])
def test_svd(shape, full_matrices, complex_, backend):
    matrix = data(*shape, complex_=complex_)
    c = weights(min(shape[-2:]))

    def pg_fn(a):
        return _svd_invariants(pg, *la.svd(a, full_matrices=full_matrices), pg_tensor(c, backend))

    def torch_fn(a):
        return _svd_invariants(
            torch, *torch.linalg.svd(a, full_matrices=full_matrices), torch.tensor(c)
        )

    check(pg_fn, torch_fn, [matrix], backend)
    check(la.svdvals, torch.linalg.svdvals, [matrix], backend)
    out = la.svd(pg_tensor(matrix, backend, True))
    assert [t.grad_fn.name() for t in out] == ["LinalgSvdBackward0"] * 3


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, mode",
    [
        ((4, 3), "reduced"),
        ((3, 3), "reduced"),
        ((3, 4), "reduced"),
        ((2, 4, 3), "reduced"),
        ((3, 4), "complete"),
        ((3, 3), "complete"),
    ],
)
@pytest.mark.parametrize("complex_", [False, True])
def test_qr(shape, mode, complex_, backend):
    check(
        lambda a: tuple(la.qr(a, mode=mode)),
        lambda a: tuple(torch.linalg.qr(a, mode=mode)),
        [data(*shape, complex_=complex_)],
        backend,
    )


def test_qr_complete_tall_is_not_differentiable():
    q, r = la.qr(pg.tensor(data(4, 3), requires_grad=True), mode="complete")
    with pytest.raises(RuntimeError, match="mode='complete' and nrows > ncols"):
        (q.sum() + r.sum()).backward()


# -- norms ------------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("ord", [2, 1, np.inf, -np.inf, 0, 3, 0.5, 1.5])
@pytest.mark.parametrize("axis, keepdims", [(None, False), (1, False), (-1, True), ((0, 1), True)])
def test_vector_norm(ord, axis, keepdims, backend):
    """Zero entries and ties included; with ord < 1 the second derivative at a zero entry
    is torch's NaN."""
    values = np.array([[0.0, 3.0, -3.0, 1.0], [2.0, -0.5, 0.0, 4.0], [1.0, 1.0, -1.0, 0.25]])
    check(
        lambda x: la.vector_norm(x, axis=axis, keepdims=keepdims, ord=ord),
        lambda x: torch.linalg.vector_norm(x, ord, dim=axis, keepdim=keepdims),
        [values],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("ord", [2, 1, np.inf, 3])
def test_vector_norm_at_zero(ord, backend):
    """torch's subgradient 0 where the norm is 0, and its NaN second derivative there."""
    check(
        lambda x: la.vector_norm(x, axis=1, ord=ord),
        lambda x: torch.linalg.vector_norm(x, ord, dim=1),
        [np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]])],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_vector_norm_complex(backend):
    check(
        lambda x: la.vector_norm(x),
        lambda x: torch.linalg.vector_norm(x),
        [data(3, 2, complex_=True)],
        backend,
    )
    check(
        lambda x: la.vector_norm(x, ord=1),
        lambda x: torch.linalg.vector_norm(x, 1),
        [data(3, 2, complex_=True)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize("ord", ["fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf])
@pytest.mark.parametrize("keepdims", [False, True])
def test_matrix_norm(ord, keepdims, backend):
    check(
        lambda x: la.matrix_norm(x, ord=ord, keepdims=keepdims),
        lambda x: torch.linalg.matrix_norm(x, ord, keepdim=keepdims),
        [data(2, 3, 4)],
        backend,
    )


# -- products and matrix parts ----------------------------------------------------------------


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "a_shape, b_shape, axes",
    [
        ((3, 4), (4, 5), 1),
        ((2, 3, 4), (3, 4, 5), 2),
        ((3,), (4,), 0),
        ((2, 3), (3, 2), ([0, 1], [1, 0])),
        ((2, 3, 4), (4, 2), ([0, 2], [1, 0])),
        ((3, 4), (3, 4), 2),
    ],
)
def test_tensordot(a_shape, b_shape, axes, backend):
    check(
        lambda a, b: array_api.tensordot(a, b, axes=axes),
        lambda a, b: torch.tensordot(a, b, dims=axes),
        [data(*a_shape), data(*b_shape)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "a_shape, b_shape, axis", [((3, 4), (4,), -1), ((3, 4), (3, 4), 0), ((2, 1, 3), (4, 3), -1)]
)
@pytest.mark.parametrize("complex_", [False, True])
def test_vecdot(a_shape, b_shape, axis, complex_, backend):
    check(
        lambda a, b: pg.vecdot(a, b, axis=axis),
        lambda a, b: torch.linalg.vecdot(a, b, dim=axis),
        [data(*a_shape, complex_=complex_), data(*b_shape, complex_=complex_)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "a_shape, b_shape, axis",
    [((3,), (3,), -1), ((2, 3), (3,), -1), ((3, 2), (3, 2), 0), ((2, 1, 3), (4, 3), -1)],
)
@pytest.mark.parametrize("complex_", [False, True])
def test_cross(a_shape, b_shape, axis, complex_, backend):
    def torch_cross(a, b):  # torch wants equal ranks; the standard broadcasts
        a, b = torch.broadcast_tensors(a, b)
        return torch.linalg.cross(a, b, dim=axis)

    check(
        lambda a, b: la.cross(a, b, axis=axis),
        torch_cross,
        [data(*a_shape, complex_=complex_), data(*b_shape, complex_=complex_)],
        backend,
    )


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_outer_and_matmul(backend):
    check(la.outer, torch.outer, [data(3), data(4)], backend)
    check(la.matmul, torch.linalg.matmul, [data(3, 4), data(4, 2)], backend)
    check(la.matrix_transpose, lambda x: x.mT, [data(2, 3, 4)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shape, offset", [((3, 3), 0), ((3, 4), 1), ((4, 3), -2), ((2, 3, 4), 0), ((3, 3), 5)]
)
def test_diagonal_and_trace(shape, offset, backend):
    check(
        lambda x: la.diagonal(x, offset=offset),
        lambda x: torch.diagonal(x, offset, -2, -1),
        [data(*shape)],
        backend,
    )
    if len(shape) == 2 and offset == 0:
        torch_trace = torch.trace
    else:

        def torch_trace(x):
            return torch.diagonal(x, offset, -2, -1).sum(-1)

    check(lambda x: la.trace(x, offset=offset), torch_trace, [data(*shape)], backend)


def test_namespace_reaches_the_extensions():
    x = pg.tensor(spd(3, 3), requires_grad=True)
    xp = x.__array_namespace__()
    assert xp.linalg.det is la.det
    assert tuple(xp.linalg.eigh(x).eigenvalues.shape) == (3,)


def test_square_check():
    with pytest.raises(RuntimeError, match="square matrices"):
        la.inv(pg.ones((2, 3)))


def _similarity(lib, values, vectors, w):
    """``V diag(w) V^-1``: independent of how each eigenvector is scaled."""
    return values, (vectors * w) @ lib.linalg.inv(vectors)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "matrix",
    [data(3, 3), data(2, 4, 4), data(3, 3, complex_=True), np.array([[0.0, -2.0], [1.0, 0.5]])],
)
def test_eig(matrix, backend):
    """Compared through a function of the eigenvalues that does not depend on their order
    and one of the eigenvectors that does not depend on their scaling."""
    w = weights(matrix.shape[-1]) + 1j * weights(matrix.shape[-1])

    def pg_fn(a):
        values, vectors = la.eig(a)
        return _similarity(la_ns, values * values, vectors, pg_tensor(w, backend))

    def torch_fn(a):
        values, vectors = torch.linalg.eig(a)
        return _similarity(torch, values * values, vectors, torch.tensor(w))

    la_ns = pg.tensor(np.ones(1), backend=backend).__array_namespace__()
    expected = np.sort_complex(torch.linalg.eigvals(torch.tensor(matrix)).numpy().reshape(-1))
    got = np.sort_complex(to_np(la.eigvals(pg_tensor(matrix, backend))).reshape(-1))
    np.testing.assert_allclose(got, expected, rtol=1e-10)
    check(pg_fn, torch_fn, [matrix], backend, rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "pg_fn, torch_fn, shapes",
    [
        (la.det, torch.linalg.det, [(0, 0)]),
        (la.det, torch.linalg.det, [(2, 0, 0)]),
        (la.inv, torch.linalg.inv, [(0, 0)]),
        (la.solve, torch.linalg.solve, [(0, 0), (0, 3)]),
        (la.cholesky, torch.linalg.cholesky, [(0, 0)]),
        (la.svdvals, torch.linalg.svdvals, [(0, 3)]),
        (lambda a: la.eigh(a)[0], lambda a: torch.linalg.eigh(a)[0], [(0, 0)]),
        (lambda a: tuple(la.qr(a)), lambda a: tuple(torch.linalg.qr(a)), [(3, 0)]),
        (la.vector_norm, torch.linalg.vector_norm, [(0, 3)]),
        (la.trace, torch.trace, [(0, 0)]),
        (
            lambda a, b: array_api.tensordot(a, b, axes=1),
            lambda a, b: torch.tensordot(a, b, dims=1),
            [(2, 0), (0, 3)],
        ),
        (pg.vecdot, torch.linalg.vecdot, [(2, 0), (2, 0)]),
    ],
    ids=[
        "det",
        "det-batch",
        "inv",
        "solve",
        "cholesky",
        "svdvals",
        "eigh",
        "qr",
        "vector_norm",
        "trace",
        "tensordot",
        "vecdot",
    ],
)
def test_empty_matrices(pg_fn, torch_fn, shapes, backend):
    check(pg_fn, torch_fn, [np.zeros(s) for s in shapes], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
def test_vector_norm_0d(backend):
    check(la.vector_norm, torch.linalg.vector_norm, [np.array(-2.0)], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "pg_fn, torch_fn, shapes",
    [
        (la.pinv, torch.linalg.pinv, [(3, 4)]),
        (la.pinv, torch.linalg.pinv, [(4, 2)]),
        (
            lambda a, b: array_api.tensordot(a, b, axes=1),
            lambda a, b: torch.tensordot(a, b, dims=1),
            [(2, 3), (3, 4)],
        ),
        (
            lambda a: la.matrix_norm(a, ord="nuc"),
            lambda a: torch.linalg.matrix_norm(a, "nuc"),
            [(3, 3)],
        ),
        (lambda a: la.matrix_norm(a, ord=1), lambda a: torch.linalg.matrix_norm(a, 1), [(3, 3)]),
        (
            lambda a: la.vector_norm(a, ord=np.inf),
            lambda a: torch.linalg.vector_norm(a, np.inf),
            [(4,)],
        ),
        (lambda a: la.vector_norm(a, ord=3), lambda a: torch.linalg.vector_norm(a, 3), [(4,)]),
        (la.trace, torch.trace, [(3, 3)]),
        (lambda a: la.diagonal(a, offset=1), lambda a: torch.diagonal(a, 1), [(3, 4)]),
    ],
    ids=[
        "pinv-wide",
        "pinv-tall",
        "tensordot",
        "nuclear",
        "norm-1",
        "vector-inf",
        "vector-3",
        "trace",
        "diagonal",
    ],
)
def test_complex_inputs(pg_fn, torch_fn, shapes, backend):
    check(pg_fn, torch_fn, [data(*s, complex_=True) for s in shapes], backend)


@pytest.mark.parametrize("backend", STANDARD_BACKENDS)
@pytest.mark.parametrize(
    "shapes",
    [
        [(3, 3), (3, 2)],
        [(3,), (3, 2)],
        [(2, 3), (3,)],
        [(3,), (3, 4), (4,)],
        [(2, 3), (3, 3), (3, 2)],
    ],
)
def test_multi_dot(shapes, backend):
    """torch's graph: the 1-D ends made matrices, products, one ``ViewBackward0``."""
    check(
        lambda *ts: la.multi_dot(list(ts)),
        lambda *ts: torch.linalg.multi_dot(list(ts)),
        [data(*s) for s in shapes],
        backend,
    )
