"""The order backward runs nodes in, against torch's: until a hook is registered the engine
schedules by sequence number alone, afterwards by dependency counts (so that leaves
accumulate as soon as they are ready, which hooks can see). Either way non-leaf nodes run
in torch's order, and the gradients are the same to the last bit."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import torch
from conftest import BACKENDS

import polygrad as pg
from polygrad._core import _hook_dict


@pytest.fixture(params=["by sequence number", "by dependency counts"])
def schedule(request: Any, monkeypatch: Any) -> str:
    monkeypatch.setattr(_hook_dict, "registered", request.param == "by dependency counts")
    return str(request.param)


def logging_identity(lib: Any, log: list[str]) -> Any:
    """A custom Function that passes its input on and logs its name when its backward runs:
    the order of backward calls, seen without any hook."""

    class Logged(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any, name: str) -> Any:
            ctx.name = name
            return x * 1.0

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            log.append(ctx.name)
            return g, None

    return Logged.apply


def branching(lib: Any, tensor: Any, log: list[str]) -> tuple[Any, Any]:
    """Branches made in an order that differs from the order of the edges that reach them
    (``late + early``), joined again, and a leaf used four times."""
    logged = logging_identity(lib, log)
    x = tensor([0.3, -1.2, 2.5], requires_grad=True)
    early = logged(x * 2.0, "early")
    middle = logged(early.sin(), "middle")
    late = logged(x.exp() * 0.1, "late")
    joined = logged(late + early, "joined")
    total = logged(joined * middle + late.tanh() + (x / 7.0) * x, "total")
    return x, total.sum()


@pytest.mark.parametrize("backend", BACKENDS)
def test_nodes_run_in_torch_order(schedule: str, backend: str) -> None:
    mine: list[str] = []
    x, loss = branching(
        pg, lambda v, **k: pg.tensor(v, dtype="float64", backend=backend, **k), mine
    )
    loss.backward()
    theirs: list[str] = []
    tx, tloss = branching(torch, lambda v, **k: torch.tensor(v, dtype=torch.float64, **k), theirs)
    tloss.backward()
    assert mine == theirs
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


@pytest.mark.parametrize("backend", BACKENDS)
def test_both_schedules_sum_gradients_in_the_same_order(backend: str, monkeypatch: Any) -> None:
    found = []
    for registered in (False, True):
        monkeypatch.setattr(_hook_dict, "registered", registered)
        x, loss = branching(
            pg, lambda v, **k: pg.tensor(v, dtype="float64", backend=backend, **k), []
        )
        loss.backward()
        found.append(x.grad.numpy())
    np.testing.assert_array_equal(found[0], found[1])


def test_a_registered_hook_switches_to_dependency_counts(monkeypatch: Any) -> None:
    monkeypatch.setattr(_hook_dict, "registered", False)
    x = pg.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3.0
    assert not _hook_dict.registered
    y.register_hook(lambda g: None)
    assert _hook_dict.registered
