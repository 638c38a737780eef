"""Every ``polygrad.linalg`` function on empty batches and empty matrices against
torch.linalg: values, node names and first- and second-order gradients
(``create_graph``), on every backend.

An empty shape is where a rule's ``reshape(..., -1)`` cannot infer its size and where
a decomposition has nothing to decompose; torch returns empty gradients of the
input's shape at every order.
"""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, torch
from conftest import BACKENDS

import polygrad as pg
import polygrad.linalg as la

SQUARE = [(0, 0), (1, 1, 0, 0), (0, 3, 3)]
RECTANGULAR = [(3, 0), (2, 0, 3), (0, 2, 3)]

# name -> (polygrad function, torch function, the shapes it takes)
FUNCTIONS = {
    "inv": (la.inv, torch.linalg.inv, SQUARE),
    "inv_ex": (lambda a: tuple(la.inv_ex(a)), lambda a: tuple(torch.linalg.inv_ex(a)), SQUARE),
    "matrix_exp": (la.matrix_exp, torch.linalg.matrix_exp, SQUARE),
    "solve_triangular": (
        lambda a: la.solve_triangular(a, a, upper=True),
        lambda a: torch.linalg.solve_triangular(a, a, upper=True),
        SQUARE,
    ),
    "lu_factor_ex": (
        lambda a: tuple(la.lu_factor_ex(a)),
        lambda a: tuple(torch.linalg.lu_factor_ex(a)),
        SQUARE + RECTANGULAR,
    ),
    "lu": (lambda a: tuple(la.lu(a)), lambda a: tuple(torch.linalg.lu(a)), SQUARE + RECTANGULAR),
    "cholesky_ex": (
        lambda a: tuple(la.cholesky_ex(a)),
        lambda a: tuple(torch.linalg.cholesky_ex(a)),
        SQUARE,
    ),
    "det": (la.det, torch.linalg.det, SQUARE),
    "slogdet": (lambda a: tuple(la.slogdet(a)), lambda a: tuple(torch.linalg.slogdet(a)), SQUARE),
    "cholesky": (la.cholesky, torch.linalg.cholesky, SQUARE),
    "eigh": (lambda a: tuple(la.eigh(a)), lambda a: tuple(torch.linalg.eigh(a)), SQUARE),
    "eigvalsh": (la.eigvalsh, torch.linalg.eigvalsh, SQUARE),
    "matrix_power 2": (
        lambda a: la.matrix_power(a, 2),
        lambda a: torch.linalg.matrix_power(a, 2),
        SQUARE,
    ),
    "matrix_power -3": (
        lambda a: la.matrix_power(a, -3),
        lambda a: torch.linalg.matrix_power(a, -3),
        SQUARE,
    ),
    "matrix_power 0": (
        lambda a: la.matrix_power(a, 0),
        lambda a: torch.linalg.matrix_power(a, 0),
        SQUARE,
    ),
    "solve": (
        lambda a: la.solve(a, a),
        lambda a: torch.linalg.solve(a, a),
        SQUARE,
    ),
    "pinv": (la.pinv, torch.linalg.pinv, SQUARE + RECTANGULAR),
    "pinv hermitian": (
        lambda a: la.pinv(a, hermitian=True),
        lambda a: torch.linalg.pinv(a, hermitian=True),
        SQUARE,
    ),
    "svd": (
        lambda a: tuple(la.svd(a, full_matrices=False)),
        lambda a: tuple(torch.linalg.svd(a, full_matrices=False)),
        SQUARE + RECTANGULAR,
    ),
    "svdvals": (la.svdvals, torch.linalg.svdvals, SQUARE + RECTANGULAR),
    "qr": (lambda a: tuple(la.qr(a)), lambda a: tuple(torch.linalg.qr(a)), SQUARE + RECTANGULAR),
    "matrix_rank": (la.matrix_rank, torch.linalg.matrix_rank, SQUARE + RECTANGULAR),
    "matrix_transpose": (la.matrix_transpose, lambda a: a.mT, SQUARE + RECTANGULAR),
    "diagonal": (la.diagonal, lambda a: torch.diagonal(a, 0, -2, -1), SQUARE + RECTANGULAR),
    "trace": (
        la.trace,
        lambda a: torch.trace(a) if a.ndim == 2 else torch.diagonal(a, 0, -2, -1).sum(-1),
        SQUARE + RECTANGULAR,
    ),
    "matmul": (lambda a: la.matmul(a, a.mT), lambda a: a @ a.mT, SQUARE + RECTANGULAR),
    "matmul vector": (
        lambda a: la.matmul(a, pg.sum(a, axis=tuple(range(a.ndim - 1)))),
        lambda a: a @ a.sum(tuple(range(a.ndim - 1))),
        SQUARE + RECTANGULAR,
    ),
    "tensordot": (
        lambda a: la.tensordot(a, a, axes=a.ndim),
        lambda a: torch.tensordot(a, a, dims=a.ndim),
        SQUARE + RECTANGULAR,
    ),
    "multi_dot": (
        lambda a: la.multi_dot([a, la.matrix_transpose(a), a]),
        lambda a: torch.linalg.multi_dot([a, a.mT, a]),
        [(0, 0), (3, 0), (0, 3)],
    ),
    "norm": (la.norm, torch.linalg.norm, SQUARE + RECTANGULAR),
    "eigvals": (la.eigvals, torch.linalg.eigvals, SQUARE),
    "eig": (lambda a: tuple(la.eig(a)), lambda a: tuple(torch.linalg.eig(a)), SQUARE),
    "vecdot": (
        lambda a: la.vecdot(a, a),
        lambda a: torch.linalg.vecdot(a, a),
        SQUARE + RECTANGULAR,
    ),
    "outer": (
        lambda a: la.outer(pg.reshape(a, (-1,)), pg.reshape(a, (-1,))),
        lambda a: torch.outer(a.reshape(-1), a.reshape(-1)),
        SQUARE + RECTANGULAR,
    ),
    **{
        f"vector_norm {o}": (
            lambda a, o=o: la.vector_norm(a, ord=o, axis=-1),
            lambda a, o=o: torch.linalg.vector_norm(a, o, dim=-1),
            [s for s in SQUARE + RECTANGULAR if s[-1] > 0 or o not in (-np.inf, np.inf)],
        )
        for o in (2, 1, 0.5, 3, np.inf)
    },
    **{
        f"matrix_norm {o}": (
            lambda a, o=o: la.matrix_norm(a, ord=o),
            lambda a, o=o: torch.linalg.matrix_norm(a, o),
            [s for s in SQUARE + RECTANGULAR if s[-1] * s[-2] > 0 or o == "fro"],
        )
        for o in ("fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf)
    },
}

CASES = [
    pytest.param(name, shape, id=f"{name}-{'x'.join(map(str, shape))}")
    for name, (_, _, shapes) in FUNCTIONS.items()
    for shape in shapes
]


def dask_limit(name: str, shape: tuple[int, ...]) -> str | None:
    """Where Dask itself fails on an empty batch (polygrad's call is the standard's)."""
    empty_kept_axis = 0 in shape[:-1]
    if (
        name.startswith("vector_norm")
        and name.endswith("inf")
        and empty_kept_axis
        and len(shape) > 2
    ):
        return "dask: max/min of an empty array reduces a zero-size block with no identity"
    return None


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name, shape", CASES)
def test_empty_shapes_first_and_second_order(name, shape, backend, request):
    limit = dask_limit(name, shape) if backend == "dask" else None
    if limit:
        request.applymarker(pytest.mark.xfail(reason=limit, strict=True))
    pg_fn, torch_fn, _ = FUNCTIONS[name]
    check(pg_fn, torch_fn, [np.zeros(shape)], backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_inv_of_an_empty_batch_under_create_graph(backend):
    """The reported case: torch returns a (1, 1, 0, 0) gradient and a second-order one."""
    x = pg.tensor(np.zeros((1, 1, 0, 0)), backend=backend, requires_grad=True)
    y = la.inv(x)
    (g,) = pg.autograd.grad(y, x, pg.ones_like(y), create_graph=True)
    (h,) = pg.autograd.grad(g, x, pg.ones_like(g))
    assert tuple(g.shape) == tuple(h.shape) == (1, 1, 0, 0)
