"""``polygrad.utils.checkpoint``, torch's module: ``checkpoint`` (both variants) and
``checkpoint_sequential`` give torch's gradients, recompute the function once, and
keep no intermediate values between forward and backward."""

from __future__ import annotations

import tracemalloc
import types
from typing import Any

import numpy as np
import pytest
import torch
import torch.utils.checkpoint as torch_checkpoint
from conftest import BACKENDS

import polygrad as pg

DATA = np.random.default_rng(3).standard_normal(6)
WEIGHTS = np.random.default_rng(4).standard_normal(6)


def layer(weights: Any) -> Any:
    """A function that closes over a parameter, as a model's block does."""
    return lambda t: ((t.sin() * weights).exp() * 0.5).tanh()


def gradients(lib: Any, make: Any, use_reentrant: bool, how: str) -> list[np.ndarray]:
    x, w = make(DATA), make(WEIGHTS)
    module = torch_checkpoint if lib is torch else pg.utils.checkpoint
    calls = []

    def block(t: Any) -> Any:
        calls.append(1)
        return layer(w)(t)

    if how == "sequential":
        out = module.checkpoint_sequential(
            [block, block, lambda t: t * t], 2, x, use_reentrant=use_reentrant
        ).sum()
    else:
        out = module.checkpoint(block, x, use_reentrant=use_reentrant).sum()
    if how == "autograd.grad":
        found = lib.autograd.grad(out, [x, w])
    else:
        out.backward()
        found = (x.grad, w.grad)
    return [np.asarray(g.detach().cpu().numpy() if lib is torch else g.numpy()) for g in found] + [
        np.array(len(calls))
    ]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "use_reentrant, how",
    [(False, "backward"), (False, "autograd.grad"), (True, "backward"), (False, "sequential")],
)
def test_gradients_and_recomputation_match_torch(use_reentrant, how, backend):
    expected = gradients(torch, lambda a: torch.tensor(a, requires_grad=True), use_reentrant, how)
    with pg.backend(backend):
        got = gradients(pg, lambda a: pg.tensor(a, requires_grad=True), use_reentrant, how)
    for g, e in zip(got, expected):
        np.testing.assert_allclose(g, e, rtol=1e-12)


def test_checkpoint_is_a_module_and_stays_callable():
    assert isinstance(pg.utils.checkpoint, types.ModuleType)
    x = pg.tensor(DATA, requires_grad=True)
    with pytest.warns(UserWarning, match="use_reentrant parameter should be passed explicitly"):
        out = pg.utils.checkpoint(lambda t: t.exp().sum(), x)
    assert out.grad_fn.name() == "CheckpointFunctionBackward"
    out = pg.utils.checkpoint.checkpoint(lambda t: t.exp().sum(), x, use_reentrant=False)
    assert out.grad_fn.name() == "SumBackward0"  # the function's own graph, as torch


def _chain(t: Any) -> Any:
    for _ in range(6):
        t = (t.sin() * 1.5).exp() / 3
    return t.sum()


@pytest.mark.parametrize("use_reentrant", [False, True])
def test_checkpoint_keeps_no_intermediate_values(use_reentrant):
    data = np.random.default_rng(0).standard_normal(200_000)

    def peak(use_checkpoint: bool) -> tuple[int, np.ndarray]:
        x = pg.tensor(data, requires_grad=True)
        tracemalloc.start()
        if use_checkpoint:
            out = pg.utils.checkpoint.checkpoint(_chain, x, use_reentrant=use_reentrant)
        else:
            out = _chain(x)
        held = tracemalloc.get_traced_memory()[0]
        out.backward()
        tracemalloc.stop()
        return held, x.grad.numpy()

    held_plain, grad_plain = peak(False)
    held_checkpointed, grad_checkpointed = peak(True)
    np.testing.assert_array_equal(grad_plain, grad_checkpointed)
    assert held_checkpointed < held_plain / 5


def test_a_function_that_saves_differently_when_rerun_is_an_error():
    x = pg.tensor(DATA, requires_grad=True)
    runs = []

    def unstable(t: Any) -> Any:
        runs.append(1)
        return (t.exp() if len(runs) == 1 else t.exp().exp()).sum()

    out = pg.utils.checkpoint.checkpoint(unstable, x, use_reentrant=False)
    with pytest.raises(RuntimeError, match="A different number of tensors was saved"):
        out.backward()
