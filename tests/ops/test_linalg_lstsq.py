"""``linalg.lstsq`` against torch.linalg.lstsq on every backend: each driver's results
(residuals, rank, singular values present or empty as torch's on the CPU), gradients
to second order through the solution and residuals, and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest
from autograd_check import check, pg_tensor, to_np, torch
from conftest import BACKENDS

import polygrad as pg

rng = np.random.default_rng(7)

SHAPES = {
    "tall": ((5, 3), (5, 2)),
    "square": ((3, 3), (3, 1)),
    "wide": ((2, 4), (2, 2)),
    "batch": ((2, 4, 3), (2, 4, 2)),
    "vector": ((4, 3), (4,)),
}


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("driver", [None, "gels", "gelsd", "gelss"])
@pytest.mark.parametrize("shape", SHAPES, ids=list(SHAPES))
def test_lstsq(shape, driver, backend):
    a_shape, b_shape = SHAPES[shape]
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    if shape == "wide" and driver in (None, "gels"):
        pytest.skip("torch's gels needs full column rank; wide A is covered by gelsd/gelss")
    got = pg.linalg.lstsq(pg_tensor(a, backend, True), pg_tensor(b, backend, True), driver=driver)
    check(
        lambda x, y: tuple(pg.linalg.lstsq(x, y, driver=driver))[:2],
        lambda x, y: tuple(torch.linalg.lstsq(x, y, driver=driver))[:2],
        [a, b],
        backend,
        names=[got.solution.grad_fn.name(), got.residuals.grad_fn.name()],
        rtol=1e-8,
        atol=1e-9,
    )
    want = torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), driver=driver)
    for name in ("rank", "singular_values"):
        g, w = getattr(got, name), getattr(want, name)
        assert tuple(g.shape) == tuple(w.shape), name
        assert not g.requires_grad
        np.testing.assert_allclose(to_np(g), w.numpy(), atol=1e-10)


@pytest.mark.parametrize("backend", BACKENDS)
def test_lstsq_errors(backend):
    for a, b, kwargs in (
        (np.ones(()), np.ones(()), {}),
        (np.ones((3, 2)), np.ones(()), {}),
        (np.ones((3, 2)), np.ones((3, 1)), {"driver": "bad"}),
        (np.ones((3, 2)), np.ones((4, 1)), {}),
    ):
        with pytest.raises(RuntimeError) as expected:
            torch.linalg.lstsq(torch.tensor(a), torch.tensor(b), **kwargs)
        with pytest.raises(RuntimeError) as caught:
            pg.linalg.lstsq(pg_tensor(a, backend), pg_tensor(b, backend), **kwargs)
        assert str(caught.value) == str(expected.value)
