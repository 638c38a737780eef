"""torch's running extremes, medians, modes and quantiles (``pg.cummax``, ``pg.median``,
``pg.mode``, ``pg.quantile``...) against torch: values, indices, named tuples, gradients
(to the selected element, or shared on ties) and errors, on every backend."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from conftest import BACKENDS
from oracle import assert_close, on_backend, pg_from, to_np, torch_from
from oracle import values_and_grads_as_torch as _both

import polygrad as pg

NAN = float("nan")
ROWS = np.array([[1.0, 3.0, 3.0, NAN, 2.0, NAN], [4.0, 0.5, 0.5, 2.0, 9.0, -1.0]])
TIES = np.array([[3.0, 1.0, 3.0, 1.0, 2.0], [2.0, 2.0, 5.0, 5.0, 5.0]])


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_running_extremes_point_at_the_latest_tie_and_nan(name: str, backend: str) -> None:
    _both(lambda lib, x: getattr(lib, name)(x, 1), ROWS, backend)
    _both(lambda lib, x: getattr(x, name)(dim=0), TIES, backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_logcumsumexp_is_stable_with_second_order(backend: str) -> None:
    values = np.array([[-800.0, 1.0, 700.0, 3.0], [0.5, -2.0, 0.0, 10.0]])
    _both(lambda lib, x: lib.logcumsumexp(x, 1), values, backend)
    tx, px = torch_from(values, True), pg_from(values, backend, True)
    (tg,) = torch.autograd.grad(torch.logcumsumexp(tx, 0).sum(), tx, create_graph=True)
    (pgr,) = pg.autograd.grad(pg.logcumsumexp(px, 0).sum(), px, create_graph=True)
    (th,) = torch.autograd.grad((tg * tx).sum(), tx)
    (ph,) = pg.autograd.grad((pgr * px).sum(), px)
    assert_close(ph, th, what="second order")


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["median", "nanmedian"])
def test_medians(name: str, backend: str) -> None:
    _both(lambda lib, x: getattr(lib, name)(x, 1), ROWS, backend)
    _both(lambda lib, x: getattr(x, name)(0, keepdim=True), ROWS, backend)
    _both(lambda lib, x: getattr(lib, name)(x), ROWS, backend)
    # the global median's gradient is shared by the elements equal to it
    _both(lambda lib, x: getattr(x, name)(), np.array([2.0, 1.0, 2.0, 5.0, 2.0]), backend)


@pytest.mark.parametrize("backend", BACKENDS)
def test_mode_takes_the_smallest_most_frequent_and_its_last_position(backend: str) -> None:
    _both(lambda lib, x: lib.mode(x, 1), TIES, backend)
    _both(lambda lib, x: x.mode(0, True), TIES, backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "midpoint", "nearest"])
@pytest.mark.parametrize("name", ["quantile", "nanquantile"])
def test_quantiles(name: str, interpolation: str, backend: str) -> None:
    qs = np.array([0.0, 0.25, 0.5, 0.9, 1.0])
    _both(
        lambda lib, x: getattr(lib, name)(
            x, lib.tensor(qs, dtype=lib.float64), 1, interpolation=interpolation
        ),
        ROWS,
        backend,
    )
    _both(
        lambda lib, x: getattr(x, name)(0.3, None, True, interpolation=interpolation),
        TIES,
        backend,
    )


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda lib: lib.quantile(lib.tensor([1.0]), 1.5), RuntimeError, "in the range"),
        (lambda lib: lib.quantile(lib.tensor([1, 2]), 0.5), RuntimeError, "float or double"),
        (lambda lib: lib.cummax(lib.tensor([1.0]), 1), IndexError, "Dimension out of range"),
        (
            lambda lib: lib.quantile(lib.tensor([1.0]), 0.5, interpolation="cubic"),
            (ValueError, RuntimeError),
            "interpolation must be one of",
        ),
    ],
)
def test_errors_as_torch(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call(torch)
    with pytest.raises(error, match=message):
        call(pg)


def test_results_are_plain_data() -> None:
    values, indices = pg.cummax(pg.tensor([1.0, 0.0, 2.0]), 0)
    assert to_np(indices).tolist() == [0, 0, 2]
    assert to_np(values).tolist() == [1.0, 1.0, 2.0]


@pytest.mark.parametrize("backend", BACKENDS)
def test_selections_record_torchs_nodes(backend: str) -> None:
    calls = {
        "CummaxBackward0": lambda lib, x: lib.cummax(x, 1),
        "CumminBackward0": lambda lib, x: x.cummin(0),
        "MedianBackward1": lambda lib, x: x.median(1),
        "NanmedianBackward1": lambda lib, x: lib.nanmedian(x, 0, True),
        "ModeBackward0": lambda lib, x: x.mode(1),
    }
    for name, call in calls.items():
        for lib in (torch, pg):
            with on_backend(backend):
                x = lib.tensor(TIES, requires_grad=True)
                assert call(lib, x).values.grad_fn.name() == name
