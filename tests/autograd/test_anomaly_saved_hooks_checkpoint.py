"""Anomaly mode, saved-tensor hooks and checkpointing, compared with torch 2.13."""

from __future__ import annotations

import tracemalloc
import warnings

import numpy as np
import pytest

import polygrad as pg
from polygrad.autograd.graph import disable_saved_tensors_hooks, saved_tensors_hooks

torch = pytest.importorskip("torch")


def _count_hooks(lib, hooks_cls, x):
    calls = {"pack": 0, "unpack": 0}

    def pack(t):
        calls["pack"] += 1
        return t

    def unpack(t):
        calls["unpack"] += 1
        return t

    with hooks_cls(pack, unpack):
        y = (x * x).exp()
    y.sum().backward()
    return calls


def test_saved_tensor_hooks_call_counts_match_torch():
    ours = _count_hooks(pg, saved_tensors_hooks, pg.tensor([1.0, 2.0], requires_grad=True))
    theirs = _count_hooks(
        torch,
        torch.autograd.graph.saved_tensors_hooks,
        torch.tensor([1.0, 2.0], requires_grad=True),
    )
    assert ours == theirs == {"pack": 3, "unpack": 3}


def test_unpack_result_is_used_as_is():
    x = pg.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with saved_tensors_hooks(lambda t: t, lambda t: pg.zeros_like(t)):
        y = x * x
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0, 0.0, 0.0])


def test_unpack_must_return_a_tensor():
    x = pg.tensor([1.0], requires_grad=True)
    with saved_tensors_hooks(lambda t: t, lambda t: 3):
        y = x * x
    with pytest.raises(
        TypeError,
        match="Output of saved tensor unpack_hook expected to be a "
        "Tensor but got result of type int",
    ):
        y.sum().backward()


def test_disable_saved_tensors_hooks():
    with disable_saved_tensors_hooks("no hooks here"):
        with pytest.raises(RuntimeError, match="no hooks here"):
            with saved_tensors_hooks(lambda t: t, lambda t: t):
                pass


def test_anomaly_mode_reports_node_and_forward_line():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pg.autograd.detect_anomaly():
            x = pg.tensor([-1.0, 4.0], requires_grad=True)
            y = x.sqrt().sum()  # the forward line the report must name
            with pytest.raises(RuntimeError) as ours:
                y.backward()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.autograd.detect_anomaly():
            tx = torch.tensor([-1.0, 4.0], requires_grad=True)
            with pytest.raises(RuntimeError) as theirs:
                tx.sqrt().sum().backward()
    assert (
        str(ours.value)
        == str(theirs.value)
        == ("Function 'SqrtBackward0' returned nan values in its 0th output.")
    )
    messages = [str(w.message) for w in caught]
    assert any(m.startswith("Anomaly Detection has been enabled") for m in messages)
    report = next(m for m in messages if m.startswith("Error detected in SqrtBackward0."))
    assert "Traceback of forward call that caused the error" in report
    assert "y = x.sqrt().sum()" in report
    assert not pg.autograd.anomaly_mode.is_anomaly_enabled()


def test_set_detect_anomaly_function_and_context():
    pg.autograd.set_detect_anomaly(True)
    assert pg.autograd.anomaly_mode.is_anomaly_enabled()
    pg.autograd.set_detect_anomaly(False)
    assert not pg.autograd.anomaly_mode.is_anomaly_enabled()
    with pg.autograd.set_detect_anomaly(True, check_nan=False):
        assert not pg.autograd.anomaly_mode.is_anomaly_check_nan_enabled()
        x = pg.tensor([-1.0], requires_grad=True)
        x.sqrt().sum().backward()  # NaN allowed without check_nan
        assert np.isnan(x.grad.numpy()[0])
    assert not pg.autograd.anomaly_mode.is_anomaly_enabled()


def _chain(t):
    for _ in range(6):
        t = (t.sin() * 1.5).exp() / 3
    return t.sum()


def test_checkpoint_gives_identical_gradients_and_recomputes():
    calls = []

    def fn(t):
        calls.append(1)
        return _chain(t)

    data = np.random.default_rng(0).standard_normal(50)
    x = pg.tensor(data, requires_grad=True)
    with pytest.warns(UserWarning, match="use_reentrant parameter should be passed explicitly"):
        out = pg.utils.checkpoint(fn, x)
    out.backward()
    assert len(calls) == 2
    assert out.grad_fn.name() == "CheckpointFunctionBackward"
    tx = torch.tensor(data, requires_grad=True)
    _chain(tx).backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)


def test_checkpoint_lowers_peak_memory():
    data = np.random.default_rng(0).standard_normal(200_000)

    def peak(use_checkpoint):
        x = pg.tensor(data, requires_grad=True)
        tracemalloc.start()
        out = pg.utils.checkpoint(_chain, x, use_reentrant=True) if use_checkpoint else _chain(x)
        held = tracemalloc.get_traced_memory()[0]
        out.backward()
        tracemalloc.stop()
        return held, x.grad.numpy()

    held_plain, grad_plain = peak(False)
    held_checkpointed, grad_checkpointed = peak(True)
    np.testing.assert_array_equal(grad_plain, grad_checkpointed)
    # the plain graph holds ~12 arrays of 1.6 MB between forward and backward; checkpointing none
    assert held_checkpointed < held_plain / 5
