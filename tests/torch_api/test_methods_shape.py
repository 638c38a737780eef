"""torch's indexing methods composed in ``_methods_shape`` (``gather``...) against torch
on every backend: values, gradients and errors."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS
from oracle import pg_from
from oracle import values_and_grads_as_torch as _both

import polygrad as pg


@pytest.mark.parametrize("backend", BACKENDS)
def test_gather_index_dtypes_and_empty_indices_as_torch(backend):
    """int32 and int64 indices pick; an empty index of any dtype and rank gives an empty
    result; other dtypes and ranks get torch's errors."""
    values = np.arange(10.0).reshape(5, 2)
    index = np.array([[4, 0], [1, 1]])
    for dtype in (np.int32, np.int64):
        _both(lambda lib, x, i: lib.gather(x, 0, i), (values, index.astype(dtype)), backend)
    for empty in (np.zeros((0,), np.uint8), np.zeros((2, 0), np.uint8), np.zeros((0, 2))):
        _both(lambda lib, x, i: x.gather(0, i), (values[:, 0], empty), backend)
    x = pg_from(values, backend)
    with pytest.raises(RuntimeError, match=r"gather\(\): Expected dtype int32/int64 for index"):
        pg.gather(x, 0, pg_from(index.astype(np.uint8), backend))
    with pytest.raises(RuntimeError, match="Index tensor must have the same number of dimensions"):
        pg.gather(x, 0, pg_from(index[0], backend))


@pytest.mark.parametrize("backend", BACKENDS)
def test_repeat_interleave_with_a_tensor_of_counts(backend):
    """Per-element counts (zeros included) on every backend, Dask too, whose own repeat
    takes only an int: the output's length is read from the counts."""
    values = np.arange(24.0).reshape(2, 3, 4)
    one_count_each = [(2, np.array(2)), (1, np.array([2])), (0, np.array([1]))]
    for dim, counts in [(1, np.array([0, 1, 2])), (0, np.array([3, 0])), *one_count_each]:
        _both(lambda lib, x, c, d=dim: x.repeat_interleave(c, dim=d), (values, counts), backend)
    _both(
        lambda lib, x, c: lib.repeat_interleave(x, c),
        (values[0, 0], np.array([1, 0, 2, 1])),
        backend,
    )
    _both(lambda lib, x, c: lib.repeat_interleave(x, c), (values[0, :0, 0], np.array([1])), backend)
    x = pg_from(values, backend)
    for counts, message in [
        (
            np.array([1, 2]),
            "repeats must have the same size as input along dim, but got "
            r"repeats.size\(0\) = 2 and input.size\(1\) = 3",
        ),
        (np.array([1, -1, 1]), "repeats can not be negative"),
        (np.ones((1, 3), dtype=np.int64), "repeats must be 0-dim or 1-dim tensor"),
    ]:
        with pytest.raises(RuntimeError, match=message):
            x.repeat_interleave(pg_from(counts, backend), dim=1)


@pytest.mark.parametrize("backend", BACKENDS)
def test_adjoints_of_complex_matrices_as_torch(backend):
    """``x.mH`` (batches) and ``x.H`` (a matrix) conjugate and transpose, with gradients;
    other ranks get torch's errors."""
    rng = np.random.default_rng(3)
    z = rng.standard_normal((2, 3, 4)) + 1j * rng.standard_normal((2, 3, 4))
    cotangent = rng.standard_normal((2, 4, 3)) + 1j * rng.standard_normal((2, 4, 3))
    for adjoint, data, u in ((lambda x: x.mH, z, cotangent), (lambda x: x.H, z[0], cotangent[0])):
        theirs = torch.tensor(data, requires_grad=True)
        out = adjoint(theirs)
        (grad,) = torch.autograd.grad(out, theirs, torch.tensor(u))
        mine = pg_from(data, backend, requires_grad=True)
        mine_out = adjoint(mine)
        (mine_grad,) = pg.autograd.grad(mine_out, mine, pg_from(u, backend))
        np.testing.assert_allclose(
            np.asarray(mine_out.detach().numpy()), out.detach().resolve_conj().numpy()
        )
        np.testing.assert_allclose(np.asarray(mine_grad.numpy()), grad.resolve_conj().numpy())
    with pytest.raises(RuntimeError, match="tensor.H is only supported on matrices"):
        _ = pg_from(z, backend).H
    with pytest.raises(RuntimeError, match="tensor.mH is only supported on matrices or batches"):
        _ = pg_from(z[0, 0], backend).mH
