"""First and second derivatives at kinks against torch.autograd, on every backend.

Where a function is not differentiable (a norm or a standard deviation at 0, ``abs``
and ``relu`` at 0, ties of ``max``/``min``/``maximum``, ``clip`` at its bounds, ``x ** p``
at 0), torch picks a subgradient at first order and its second derivative is whatever
its backward formula gives there, NaN included (the norm at 0: ``0 * inf``). polygrad
follows both, so a Hessian at such a point reads as torch's.
"""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, torch
from conftest import BACKENDS

import polygrad as pg
import polygrad.linalg as la
from polygrad import array_api

ZEROS = np.zeros(5)
TIES = np.array([0.0, 2.0, -1.0, 2.0, 0.0])  # zero entries and a tie for the largest
ZERO_MATRIX = np.zeros((3, 3))
ROW_SUM_TIES = np.array([[1.0, -2.0, 0.0], [0.0, 1.0, 2.0], [3.0, 0.0, 0.5]])  # distinct s.v.
EDGES = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])  # on both bounds of clip(0, 1)
OTHER = np.array([0.0, 2.0, 1.0, -2.0, 1.0])  # ties with TIES at 0 and 1

VECTOR_ORDS = [2, 1, np.inf, -np.inf, 0, 3, 0.5, 1.5, -1, -2]
MATRIX_ORDS = ["fro", "nuc", 2, -2, 1, -1, np.inf, -np.inf]

# name -> (polygrad function, torch function, inputs)
KINKS = {
    **{
        f"vector_norm ord={o} {label}": (
            lambda x, o=o: la.vector_norm(x, ord=o),
            lambda x, o=o: torch.linalg.vector_norm(x, o),
            [values],
        )
        for o in VECTOR_ORDS
        for label, values in (("zeros", ZEROS), ("ties", TIES))
    },
    "vector_norm complex zeros": (la.vector_norm, torch.linalg.vector_norm, [np.zeros(3, complex)]),
    "vector_norm rows, one zero": (
        lambda x: la.vector_norm(x, axis=1),
        lambda x: torch.linalg.vector_norm(x, dim=1),
        [np.array([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5]])],
    ),
    **{
        f"matrix_norm {o} zeros": (
            lambda x, o=o: la.matrix_norm(x, ord=o),
            lambda x, o=o: torch.linalg.matrix_norm(x, o),
            [ZERO_MATRIX],
        )
        for o in ("fro", 1, -1, np.inf, -np.inf)
    },
    **{
        f"matrix_norm {o} ties": (
            lambda x, o=o: la.matrix_norm(x, ord=o),
            lambda x, o=o: torch.linalg.matrix_norm(x, o),
            [ROW_SUM_TIES],
        )
        for o in MATRIX_ORDS
    },
    "abs": (pg.abs, torch.abs, [TIES]),
    "abs complex": (pg.abs, torch.abs, [np.array([0j, 1 + 1j])]),
    "sign": (pg.sign, torch.sign, [TIES]),
    "relu": (pg.relu, torch.relu, [TIES]),
    "sqrt": (pg.sqrt, torch.sqrt, [TIES * TIES]),
    "clip": (lambda x: pg.clip(x, 0.0, 1.0), lambda x: torch.clamp(x, 0.0, 1.0), [EDGES]),
    "clip to a point": (
        lambda x: pg.clip(x, 1.0, 1.0),
        lambda x: torch.clamp(x, 1.0, 1.0),
        [EDGES],
    ),
    "clip below": (lambda x: pg.clip(x, min=0.0), lambda x: torch.clamp(x, min=0.0), [EDGES]),
    "clip tensor bounds": (
        pg.clip,
        torch.clamp,
        [EDGES, np.zeros(5), np.ones(5)],
    ),
    "maximum": (pg.maximum, torch.maximum, [TIES, OTHER]),
    "minimum": (pg.minimum, torch.minimum, [TIES, OTHER]),
    "max": (pg.max, torch.max, [TIES]),
    "min": (pg.min, torch.min, [TIES]),
    "max over an axis": (
        lambda x: array_api.max(x, axis=1),
        lambda x: torch.amax(x, 1),
        [np.array([[1.0, 1.0, 0.0], [2.0, 2.0, 2.0]])],
    ),
    "max with indices": (
        lambda x: pg.max_with_indices(x, 1)[0],
        lambda x: torch.max(x, 1)[0],
        [np.array([[1.0, 1.0, 0.0], [2.0, 2.0, 2.0]])],
    ),
    "square": (lambda x: x**2, lambda x: x**2, [TIES]),
    "x ** 0.5": (lambda x: x**0.5, lambda x: x**0.5, [TIES * TIES]),
    "x ** 1.5": (lambda x: x**1.5, lambda x: x**1.5, [TIES * TIES]),
    "x ** 0": (lambda x: x**0.0, lambda x: x**0.0, [TIES]),
    "pow": (pg.pow, torch.pow, [TIES * TIES, np.array([0.0, 1.0, 2.0, 0.5, 1.5])]),
    "hypot": (pg.hypot, torch.hypot, [np.zeros(3), np.zeros(3)]),
    "atan2": (pg.atan2, torch.atan2, [np.zeros(3), np.zeros(3)]),
    "copysign": (pg.copysign, torch.copysign, [TIES, np.array([1.0, -1.0, 0.0, 1.0, -0.0])]),
    "std of a constant": (
        lambda x: pg.std(x, correction=1),
        lambda x: torch.std(x),
        [np.ones(4)],
    ),
    "var of a constant": (
        lambda x: array_api.var(x),
        lambda x: torch.var(x, unbiased=False),
        [np.ones(4)],
    ),
    "prod with a zero": (pg.prod, torch.prod, [TIES]),
    "prod with two zeros": (pg.prod, torch.prod, [np.array([0.0, 0.0, 2.0])]),
    "cumulative_prod with zeros": (
        lambda x: pg.cumulative_prod(x, axis=0),
        lambda x: torch.cumprod(x, 0),
        [TIES],
    ),
    "logsumexp of -inf": (
        lambda x: pg.logsumexp(x, axis=0),
        lambda x: torch.logsumexp(x, 0),
        [np.array([-np.inf, -np.inf])],
    ),
    "divide 0 / 0": (pg.divide, torch.divide, [TIES, TIES]),
    "floor": (pg.floor, torch.floor, [TIES]),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(KINKS))
def test_first_and_second_derivative_at_a_kink(name, backend):
    pg_fn, torch_fn, inputs = KINKS[name]
    check(pg_fn, torch_fn, inputs, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_hessian_of_a_norm_at_zero_is_nan(backend):
    """The reported case: torch's second derivative of ``vector_norm`` at 0 is NaN."""
    x = pg.tensor(np.zeros(5), backend=backend, requires_grad=True)
    (g,) = pg.autograd.grad(la.vector_norm(x), x, create_graph=True)
    (h,) = pg.autograd.grad(g.sum(), x)
    assert np.all(g.detach().numpy() == 0)
    assert np.all(np.isnan(h.numpy()))
