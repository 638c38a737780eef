"""``linalg.vander``, ``tensorinv``, ``tensorsolve`` and ``cond`` against torch on every
backend: values, first- and second-order gradients, dtypes, and torch's errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from autograd_check import check, pg_tensor, torch
from conftest import BACKENDS

import polygrad as pg

rng = np.random.default_rng(9)


def data(*shape: int, complex_: bool = False) -> np.ndarray:
    values = rng.standard_normal(shape)
    return values + 1j * rng.standard_normal(shape) if complex_ else values


def node_of(out: pg.Tensor) -> list[str]:
    return [out.grad_fn.name()]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("shape", "n"), [((4,), None), ((2, 3), 5), ((), 2)], ids=str)
@pytest.mark.parametrize("complex_", [False, True])
def test_vander(shape, n, complex_, backend):
    x = data(*shape, complex_=complex_)
    got = pg.linalg.vander(pg_tensor(x, backend, True), N=n)
    check(
        lambda t: pg.linalg.vander(t, N=n),
        lambda t: torch.linalg.vander(t, N=n),
        [x],
        backend,
        names=node_of(got),
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_vander_of_integers_is_int64(backend):
    x = np.array([1, 2, 3], dtype=np.uint8)
    got = pg.linalg.vander(pg.tensor(x, backend=backend), N=6)
    want = torch.linalg.vander(torch.tensor(x), N=6)
    assert got.dtype == pg.int64
    np.testing.assert_array_equal(got.numpy(), want.numpy())


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("shape", "ind"), [((2, 3, 6), 2), ((4, 2, 2), 1)], ids=str)
def test_tensorinv(shape, ind, backend):
    a = data(*shape)
    got = pg.linalg.tensorinv(pg_tensor(a, backend, True), ind=ind)
    check(
        lambda t: pg.linalg.tensorinv(t, ind=ind),
        lambda t: torch.linalg.tensorinv(t, ind=ind),
        [a],
        backend,
        names=node_of(got),
        rtol=1e-8,
        atol=1e-9,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dims", [None, (0, 2)])
@pytest.mark.parametrize("complex_", [False, True])
def test_tensorsolve(dims, complex_, backend):
    a, b = data(3, 4, 4, 3, complex_=complex_), data(3, 4, complex_=complex_)
    got = pg.linalg.tensorsolve(pg_tensor(a, backend, True), pg_tensor(b, backend), dims=dims)
    check(
        lambda s, t: pg.linalg.tensorsolve(s, t, dims=dims),
        lambda s, t: torch.linalg.tensorsolve(s, t, dims=dims),
        [a, b],
        backend,
        names=node_of(got),
        rtol=1e-8,
        atol=1e-9,
    )


ORDERS = [None, 2, -2, 1, -1, math.inf, -math.inf, "fro", "nuc"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("p", ORDERS, ids=str)
def test_cond(p, backend):
    a = data(2, 4, 4)
    got = pg.linalg.cond(pg_tensor(a, backend, True), p)
    through_svd = p in (None, 2, -2, "nuc")
    np.testing.assert_allclose(
        got.detach().numpy(), torch.linalg.cond(torch.tensor(a), p).numpy(), rtol=1e-10
    )
    # torch fills the inverse in place for the other orders, so its backward refuses
    # them: their gradient is checked against the same formula without that fill
    check(
        lambda t: pg.linalg.cond(t, p),
        (lambda t: torch.linalg.cond(t, p))
        if through_svd
        else lambda t: torch.linalg.matrix_norm(t, p) * torch.linalg.matrix_norm(t.inverse(), p),
        [a],
        backend,
        names=node_of(got),
        rtol=1e-8,
        atol=1e-9,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("p", ORDERS, ids=str)
def test_cond_of_singular_and_empty_matrices(p, backend):
    # an exactly singular matrix through the inverse (orders 1, inf, fro) gives inf; its
    # singular values (orders 2, nuc) are only 0 up to the library's rounding
    singular = [np.ones((2, 2, 2))] if p in (1, -1, math.inf, -math.inf, "fro") else []
    for a in (np.zeros((3, 3)), *singular, np.zeros((2, 0, 0))):
        got = pg.linalg.cond(pg.tensor(a, backend=backend), p).numpy()
        want = torch.linalg.cond(torch.tensor(a), p).numpy()
        np.testing.assert_allclose(got, want, rtol=1e-8)


ERRORS = [
    (
        lambda: pg.linalg.vander(pg.tensor([True])),
        "supports floating point, complex, and integer tensors, but got Bool",
    ),
    (lambda: pg.linalg.vander(pg.ones(3), N=1), "N must be greater than 1."),
    (
        lambda: pg.linalg.tensorinv(pg.ones(2, 3, 6), ind=0),
        "strictly positive integer for 'ind', but got 0",
    ),
    (lambda: pg.linalg.tensorinv(pg.ones(2, 3, 5), ind=1), r"but got 15 != 2"),
    (lambda: pg.linalg.tensorinv(pg.zeros(2, 2), ind=1), "inv: The diagonal element 1 is zero"),
    (lambda: pg.linalg.tensorsolve(pg.ones(2, 3, 5), pg.ones(2, 3)), "but got 5 != 6"),
    (lambda: pg.linalg.tensorsolve(pg.zeros(2, 3, 6), pg.ones(2, 3)), "input matrix is singular"),
    (lambda: pg.linalg.cond(pg.ones(3)), "must have at least 2 dimensions"),
    (
        lambda: pg.linalg.cond(pg.ones(3, 4), 1),
        r"linalg.cond\(ord=1\): A must be batches of square",
    ),
    (lambda: pg.linalg.cond(pg.ones(3, 4), 1.0), r"linalg.cond\(ord=1.000000\)"),
    (lambda: pg.linalg.cond(pg.ones(3, 4), math.inf), r"linalg.cond\(ord=inf\)"),
    (lambda: pg.linalg.cond(pg.ones(3, 4), "fro"), r"linalg.cond\(ord=fro\)"),
    (lambda: pg.linalg.cond(pg.ones(3, 3), 3), "invalid norm type: 3"),
    (lambda: pg.linalg.cond(pg.ones(3, 3), "abc"), "invalid norm type: abc"),
]


@pytest.mark.parametrize(("call", "message"), ERRORS)
def test_errors_are_torchs(call, message):
    with pytest.raises(RuntimeError, match=message):
        call()
