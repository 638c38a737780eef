"""torch's reducing and masked writes (``scatter_reduce`` with every reduction and
``include_self``, ``masked_scatter``, ``put``, ``index_put(accumulate=True)``) against
torch: values, dtypes and gradients (ties and zeros included), on every backend."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS
from oracle import on_backend
from oracle import values_and_grads_as_torch as both

import polygrad as pg

SELF = np.array([[1.0, 2.0, 0.0, 4.0], [5.0, 2.0, 7.0, 1.0], [3.0, 3.0, 3.0, 0.5]])
INDEX = np.array([[0, 1, 1], [2, 1, 0]])
# ties with self and each other (amax/amin share the gradient), a zero (prod)
SRC = np.array([[5.0, 2.0, 0.0], [3.0, 2.0, 7.0], [9.0, 9.0, 9.0]])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
def test_scatter_reduce(reduce: str, include_self: bool, backend: str) -> None:
    def run(lib, x, src):
        index = lib.tensor(INDEX)
        return x.scatter_reduce(1, index, src, reduce, include_self=include_self)

    both(run, (SELF, SRC[:2]), backend)
    both(
        lambda lib, x, src: lib.scatter_reduce(
            x, 0, lib.tensor([[2, 0, 2, 2]]), src, reduce, include_self=include_self
        ),
        (SELF, np.array([[9.0, 1.0, 3.0, 0.0]])),
        backend,
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("reduce", ["mean", "amax", "prod"])
def test_scatter_reduce_on_integers(reduce: str, backend: str) -> None:
    both(
        lambda lib, x, src: x.scatter_reduce(0, lib.tensor([0, 0, 2, 0]), src, reduce),
        (np.array([7, -3, 4]), np.array([2, 9, -5, 4])),
        backend,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_masked_writes(backend: str) -> None:
    mask = np.array([[True, False, True, True], [False, False, True, False], [True] * 4])
    both(lambda lib, x, s: x.masked_scatter(lib.tensor(mask), s), (SELF, SRC * 2), backend)
    both(lambda lib, x, s: lib.masked_scatter(x, lib.tensor(mask[0]), s), (SELF, SRC), backend)
    both(
        lambda lib, x, s: x.put(lib.tensor([[0, -1], [5, 0]]), s, True),
        (SELF, np.array([1.0, 2.0, -3.0, 0.5])),
        backend,
    )
    both(lambda lib, x, s: lib.put(x, lib.tensor([3, -2]), s), (SELF, SRC[0, :2]), backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_index_put_accumulates_repeats(backend: str) -> None:
    rows, cols = np.array([0, 2, 0]), np.array([1, 3, 1])
    both(
        lambda lib, x, v: x.index_put((lib.tensor(rows), lib.tensor(cols)), v, accumulate=True),
        (SELF, np.array([1.5, -2.0, 4.0])),
        backend,
    )
    mask = np.array([True, False, True])
    both(
        lambda lib, x, v: lib.index_put(x, (lib.tensor(mask),), v, True),
        (SELF, SRC[0, :1] + np.zeros(4)),
        backend,
    )
    both(lambda lib, x, v: x.index_put((lib.tensor(rows[:2]),), v), (SELF, SRC[2, :1]), backend)


def test_errors_as_torch() -> None:
    for lib in (torch, pg):
        x = lib.zeros(3)
        with pytest.raises(RuntimeError, match="reduce argument must be either"):
            x.scatter_reduce(0, lib.tensor([0]), x, "maximum")
        with pytest.raises(RuntimeError, match="Number of elements of source"):
            x.masked_scatter(lib.tensor([True, True, False]), lib.zeros(1))
        with pytest.raises(
            RuntimeError, match="only supports boolean masks, but got mask with dtype Long"
        ):
            x.masked_scatter(lib.tensor([1, 1, 0]), lib.zeros(3))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("include_self", [True, False])
def test_scatter_prod_second_order_with_zeros(include_self: bool, backend: str) -> None:
    v = np.random.default_rng(0).standard_normal(SELF[:2].shape)
    second = []
    for lib in (torch, pg):
        with on_backend(backend):
            x, s = lib.tensor(SELF[:2], requires_grad=True), lib.tensor(SRC[:2], requires_grad=True)
            out = x.scatter_reduce(1, lib.tensor(INDEX), s, "prod", include_self=include_self)
            gx, gs = lib.autograd.grad((out * lib.tensor(v)).sum(), (x, s), create_graph=True)
            terms = (gx * lib.tensor(v)).sum() + (gs * gs).sum()
            hx, hs = lib.autograd.grad(terms, (x, s), allow_unused=True)
        second.append(
            [np.zeros(SELF[:2].shape) if h is None else h.detach().numpy() for h in (hx, hs)]
        )
    for mine, theirs in zip(second[1], second[0]):
        np.testing.assert_allclose(mine, theirs, rtol=1e-10, atol=1e-12)
