"""torch's index-building and padding functions (``index_reduce``, ``unique_consecutive``,
``combinations``, ``unravel_index``, ``nonzero_static``, ``constant_pad_nd``,
``unfold_copy``, ``x.sum_to_size``) against torch: values, dtypes, gradients and errors,
on every backend."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS
from oracle import assert_close, on_backend
from oracle import values_and_grads_as_torch as both

import polygrad as pg

SELF = np.array([[1.0, 2.0, 0.0, 4.0], [5.0, 2.0, 7.0, 1.0], [3.0, 3.0, 3.0, 0.5]])
# ties with self and with each other (amax/amin share the gradient), a zero (prod)
SOURCE = np.array([[5.0, 2.0, 0.0, 4.0], [3.0, 2.0, 7.0, 1.0]])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("include_self", [True, False])
@pytest.mark.parametrize("reduce", ["prod", "mean", "amax", "amin"])
def test_index_reduce(reduce: str, include_self: bool, backend: str) -> None:
    both(
        lambda lib, x, s: lib.index_reduce(
            x, 0, lib.tensor([2, 2]), s, reduce, include_self=include_self
        ),
        (SELF, SOURCE),
        backend,
    )
    both(
        lambda lib, x, s: x.index_reduce(
            1, lib.tensor([3, 0, 3]), s, reduce, include_self=include_self
        ),
        (SELF, SELF[:, [1, 0, 3]]),
        backend,
    )


@pytest.mark.parametrize("backend", BACKENDS)
def test_index_reduce_in_place_and_errors(backend: str) -> None:
    with on_backend(backend):
        x = pg.tensor(SELF)
        out = x.index_reduce_(0, pg.tensor([1]), pg.tensor(SOURCE[:1]), "amax")
        assert out is x
    want = torch.tensor(SELF).index_reduce_(0, torch.tensor([1]), torch.tensor(SOURCE[:1]), "amax")
    assert_close(x, want)
    with on_backend(backend):
        x, s = pg.tensor(SELF), pg.tensor(SOURCE)
        with pytest.raises(RuntimeError, match="Expected reduce to be one of prod"):
            x.index_reduce(0, pg.tensor([0, 1]), s, "sum")
        with pytest.raises(IndexError, match="index out of range in self"):
            x.index_reduce(0, pg.tensor([0, -1]), s, "prod")
        with pytest.raises(RuntimeError, match=r"Number of indices \(1\) should be equal"):
            x.index_reduce(0, pg.tensor([0]), s, "prod")
        with pytest.raises(RuntimeError, match="source tensor shape must match"):
            x.index_reduce(0, pg.tensor([0, 1]), s[:, :3], "prod")


def _same(mine: object, theirs: object) -> None:
    if isinstance(theirs, tuple):
        assert isinstance(mine, tuple) and len(mine) == len(theirs)
        for m, t in zip(mine, theirs):
            _same(m, t)
        return
    assert isinstance(mine, pg.Tensor) and isinstance(theirs, torch.Tensor)
    assert tuple(mine.shape) == tuple(theirs.shape)
    assert mine.dtype.name == str(theirs.dtype).removeprefix("torch.")
    assert_close(mine, theirs)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dim", [None, 0, 1, -1])
def test_unique_consecutive(dim: int | None, backend: str) -> None:
    data = np.array([[1, 1, 2], [1, 1, 2], [3, 1, 2], [1, 1, 2]])
    for values in (data, data[:, :1], np.zeros((0, 3), dtype=np.int64)):
        if dim is not None and values.size == 0 and dim != 0:
            continue
        for inverse in (False, True):
            for counts in (False, True):
                theirs = torch.unique_consecutive(
                    torch.tensor(values), return_inverse=inverse, return_counts=counts, dim=dim
                )
                with on_backend(backend):
                    x = pg.tensor(values)
                    _same(pg.unique_consecutive(x, inverse, counts, dim), theirs)
                    _same(x.unique_consecutive(inverse, counts, dim=dim), theirs)
    theirs = torch.unique_consecutive(torch.tensor(4.0), return_inverse=True, return_counts=True)
    with on_backend(backend):
        _same(pg.unique_consecutive(pg.tensor(4.0), True, True), theirs)
        with pytest.raises(IndexError, match="Dimension specified as 0 but tensor has no"):
            pg.unique_consecutive(pg.tensor(4.0), dim=0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_unique_with_dim(dim: int, backend: str) -> None:
    """torch.unique(dim=): the distinct slices in lexicographic order, inverse and counts."""
    data = np.array([[3, 1, 3], [1, 2, 1], [3, 1, 3], [1, 0, 1]])
    for values in (data, data.astype(np.float64)[:, ::-1], np.zeros((0, 3), dtype=np.int64)):
        if values.size == 0 and dim != 0:
            continue
        for inverse in (False, True):
            for counts in (False, True):
                theirs = torch.unique(
                    torch.tensor(values.copy()),
                    return_inverse=inverse,
                    return_counts=counts,
                    dim=dim,
                )
                with on_backend(backend):
                    x = pg.tensor(values.copy())
                    _same(
                        pg.unique(x, return_inverse=inverse, return_counts=counts, dim=dim), theirs
                    )
                    _same(x.unique(return_inverse=inverse, return_counts=counts, dim=dim), theirs)
    with on_backend(backend):
        with pytest.raises(RuntimeError, match="There are 0 sized dimensions"):
            pg.unique(pg.zeros((0, 3)), dim=1)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("replace", [False, True])
@pytest.mark.parametrize("r", [0, 1, 2, 3, 5])
def test_combinations(r: int, replace: bool, backend: str) -> None:
    both(lambda lib, x: lib.combinations(x, r, replace), np.array([1.0, -2.0, 3.0]), backend)
    with on_backend(backend), pytest.raises(RuntimeError, match="Expect a 1D vector"):
        pg.combinations(pg.tensor(SELF))


@pytest.mark.parametrize("backend", BACKENDS)
def test_unravel_index_and_nonzero_static(backend: str) -> None:
    flat = np.array([[0, 7, -1], [11, 3, 25]])
    for shape in ((3, 4), (2, 2, 3), 5, ()):
        with on_backend(backend):
            mine = pg.unravel_index(pg.tensor(flat), shape)
        _same(mine, torch.unravel_index(torch.tensor(flat), shape))
    with on_backend(backend):
        with pytest.raises(TypeError, match="expected 'indices' to be integer dtype"):
            pg.unravel_index(pg.tensor([1.0]), (2, 2))
        with pytest.raises(ValueError, match="'shape' cannot have negative values"):
            pg.unravel_index(pg.tensor([1]), (2, -1))
    values = np.array([[0.0, 1.5, 0.0], [2.0, 0.0, -1.0]])
    for size in (0, 2, 3, 5):
        for fill in (-1, 7):
            theirs = torch.nonzero_static(torch.tensor(values), size=size, fill_value=fill)
            with on_backend(backend):
                x = pg.tensor(values)
                _same(pg.nonzero_static(x, size=size, fill_value=fill), theirs)
                _same(x.nonzero_static(size=size, fill_value=fill), theirs)
    with on_backend(backend):
        _same(
            pg.nonzero_static(pg.tensor(2.0), size=2),
            torch.nonzero_static(torch.tensor(2.0), size=2),
        )
        with pytest.raises(RuntimeError, match="'size' must be an non-negative integer"):
            pg.nonzero_static(pg.tensor(values), size=-1)


PADS = [((1, 2), 0.5), ((0, 1, 2, 0), -1.0), ((-1, 2, 1, -2), 3.0), ((-4, 0), 0.0)]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("pad", "value"), PADS)
def test_constant_pad_nd(pad: tuple[int, ...], value: float, backend: str) -> None:
    both(lambda lib, x: lib.constant_pad_nd(x, pad, value), SELF, backend)
    both(lambda lib, x: lib.constant_pad_nd(x, (1, 1, 1, 1, 1, 1)), np.zeros((0, 2, 1)), backend)
    with on_backend(backend):
        with pytest.raises(RuntimeError, match="Length of pad must be even"):
            pg.constant_pad_nd(pg.tensor(SELF), (1, 2, 3))
        with pytest.raises(RuntimeError, match="no more than twice the number of dimensions"):
            pg.constant_pad_nd(pg.tensor(SELF), (1,) * 6)
        with pytest.raises(RuntimeError, match="resulted in a negative output size"):
            pg.constant_pad_nd(pg.tensor(SELF), (-3, -2))


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("size", [(1, 4), (3, 1), (4,), (1, 1)])
def test_unfold_copy_and_sum_to_size(size: tuple[int, ...], backend: str) -> None:
    both(lambda lib, x: lib.unfold_copy(x, 1, 2, 1), SELF, backend)
    both(lambda lib, x: x.sum_to_size(size), SELF, backend)
    both(lambda lib, x: x.sum_to_size(*size), SELF, backend)
    both(lambda lib, x: x.sum_to_size(()), np.array(2.5), backend)
    with on_backend(backend), pytest.raises(RuntimeError, match=r"size \{\[2, 4\]\} is not"):
        pg.tensor(SELF).sum_to_size(2, 4)
