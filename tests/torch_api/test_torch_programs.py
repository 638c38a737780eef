"""Autograd programs written for torch run unchanged on polygrad (``import polygrad as
torch``) on every backend and give torch's numbers.

Each program takes the module it runs on as ``torch`` and returns plain numbers; the
test runs it once on real torch and once on polygrad inside ``pg.backend(name)``.
The programs follow PyTorch's tutorials (polynomial fitting, a two-layer net with
manual updates, a custom Function, saved-tensor hooks, forward-mode AD) plus a step
using torch's tensor vocabulary (``cat``, ``max(x, 1)``, ``gather``, ``masked_fill``...).
"""

from __future__ import annotations

import io
import math
from typing import Any

import numpy as np
import pytest
from conftest import BACKENDS

import polygrad as pg

real_torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((16, 10))
Y = RNG.standard_normal((16, 3))
W1 = RNG.standard_normal((10, 20)) * 0.3
W2 = RNG.standard_normal((20, 3)) * 0.3
LABELS = RNG.integers(0, 3, size=16)


def _numbers(value: Any) -> Any:
    """Tensors and containers of them as nested Python floats."""
    if isinstance(value, (list, tuple)):
        return [_numbers(v) for v in value]
    if hasattr(value, "detach"):
        return np.asarray(value.detach().cpu().numpy(), dtype=float).tolist()
    return value


def polynomial_fit(torch: Any) -> Any:
    """ "Learning PyTorch with examples": fit sin(x) with a cubic by hand-written SGD."""
    dtype = torch.float64
    device = torch.device("cpu")
    x = torch.linspace(-math.pi, math.pi, 200, device=device, dtype=dtype)
    y = torch.sin(x)
    a, b, c, d = (
        torch.tensor(v, device=device, dtype=dtype, requires_grad=True)
        for v in (0.1, -0.2, 0.3, 0.05)
    )
    learning_rate = 1e-6
    for _ in range(100):
        y_pred = a + b * x + c * x**2 + d * x**3
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        with torch.no_grad():
            for p in (a, b, c, d):
                p -= learning_rate * p.grad
                p.grad = None
    return [f"{loss:.6f}", a.item(), b.item(), c.item(), d.item()]


def two_layer_net(torch: Any) -> Any:
    """A two-layer ReLU net trained with manual updates, from NumPy data."""
    x, y = torch.tensor(X), torch.tensor(Y)
    w1 = torch.tensor(W1, requires_grad=True)
    w2 = torch.tensor(W2, requires_grad=True)
    losses = []
    for _ in range(20):
        y_pred = x.mm(w1).clamp(min=0).mm(w2)
        loss = (y_pred - y).pow(2).sum()
        losses.append(loss.item())
        loss.backward()
        with torch.no_grad():
            w1 -= 1e-3 * w1.grad
            w2 -= 1e-3 * w2.grad
            w1.grad.zero_()
            w2.grad.zero_()
    return [losses, w1, w2]


def custom_function(torch: Any) -> Any:
    """The tutorial's LegendrePolynomial3 as an autograd.Function."""

    class LegendrePolynomial3(torch.autograd.Function):
        @staticmethod
        def forward(ctx: Any, input: Any) -> Any:  # noqa: A002 - the tutorial's name
            ctx.save_for_backward(input)
            return 0.5 * (5 * input**3 - 3 * input)

        @staticmethod
        def backward(ctx: Any, grad_output: Any) -> Any:
            (input,) = ctx.saved_tensors  # noqa: A001
            return grad_output * 1.5 * (5 * input**2 - 1)

    x = torch.linspace(-1.0, 1.0, 7, dtype=torch.float64)
    w = torch.tensor([0.3, -0.2], dtype=torch.float64, requires_grad=True)
    p3 = LegendrePolynomial3.apply
    y = w[0] + w[1] * p3(x * w[0])
    loss = (y - torch.sin(x)).pow(2).sum()
    loss.backward()
    return [loss, w.grad]


def saved_tensor_hooks(torch: Any) -> Any:
    """The saved-tensor-hooks tutorial: what a node saved, and pack/unpack hooks."""
    a = torch.tensor([0.5, -1.5, 2.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([1.0, 2.0, -3.0], dtype=torch.float64, requires_grad=True)
    out = a * b
    saved = [out.grad_fn._saved_self, out.grad_fn._saved_other]
    e = a.exp()
    saved.append(e.grad_fn._saved_result)
    packed = []

    def pack(t: Any) -> Any:
        packed.append(t.shape)
        return t * 2

    def unpack(t: Any) -> Any:
        return t / 2

    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        y = (a * b).sin()
    y.sum().backward()
    s = a.sin()
    s.grad_fn._raw_saved_self.register_hooks(lambda t: t + 1, lambda t: t - 1)
    s.sum().backward()
    return [saved, a.grad, b.grad, len(packed)]


def forward_ad(torch: Any) -> Any:
    """Forward-mode AD with dual numbers (the forward-AD tutorial)."""
    fwad = torch.autograd.forward_ad
    primal = torch.tensor([[0.5, -1.0], [2.0, 0.25]], dtype=torch.float64)
    tangent = torch.tensor([[1.0, 0.5], [-0.5, 2.0]], dtype=torch.float64)

    def fn(x: Any, y: Any) -> Any:
        return x**2 + y.sin() * x

    with fwad.dual_level():
        dual = fwad.make_dual(primal, tangent)
        out = fn(dual, primal)
        jvp = fwad.unpack_dual(out).tangent
    return [out.detach() if hasattr(out, "detach") else out, jvp]


def vocabulary_step(torch: Any) -> Any:
    """One classification step in torch's tensor vocabulary, checkpointed and reloaded."""
    x = torch.tensor(X)
    w = torch.tensor(W1[:, :3], requires_grad=True)
    labels = torch.tensor(LABELS)
    logits = torch.cat([x.mm(w), torch.zeros(16, 1, dtype=torch.float64)], dim=1)
    values, indices = torch.max(logits, 1)
    picked = logits.gather(1, labels.unsqueeze(1)).squeeze(1)
    masked = logits.masked_fill(logits < 0, 0.0)
    loss = (torch.logsumexp(logits, dim=1) - picked).mean() + masked.sum(axis=0).norm() * 0.01
    loss = loss + torch.stack([values, picked], 1).softmax(dim=-1)[:, 0].sum() * 0.1
    loss.backward()
    top = torch.sort(logits.detach(), dim=1, descending=True)
    buffer = io.BytesIO()
    torch.save({"w": w.detach(), "grad": w.grad}, buffer)
    buffer.seek(0)
    restored = torch.load(buffer)
    same = torch.equal(restored["grad"], w.grad)
    return [loss, w.grad, indices, top.values, top.indices, same]


PROGRAMS = [
    polynomial_fit,
    two_layer_net,
    custom_function,
    saved_tensor_hooks,
    forward_ad,
    vocabulary_step,
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("program", PROGRAMS, ids=[p.__name__ for p in PROGRAMS])
def test_torch_program_runs_unchanged(program: Any, backend: str) -> None:
    expected = _numbers(program(real_torch))
    with pg.backend(backend):
        got = _numbers(program(pg))
    _assert_same(got, expected, program.__name__)


def _assert_same(got: Any, expected: Any, where: str) -> None:
    if isinstance(expected, list):
        assert isinstance(got, list) and len(got) == len(expected), where
        for i, (g, e) in enumerate(zip(got, expected)):
            _assert_same(g, e, f"{where}[{i}]")
    elif isinstance(expected, float):
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12, err_msg=where)
    else:
        assert got == expected, where


def test_tensors_of_host_data_follow_the_selected_backend() -> None:
    data = np.arange(3.0)
    with pg.backend("torch"):
        made = [pg.tensor(data), pg.as_tensor(data), pg.from_numpy(data), pg.tensor([1.0])]
        assert all(t._backend.name == "torch" for t in made)
        other = pg.tensor(real_torch.ones(2))
    assert other._backend.name == "torch"
    assert pg.from_numpy(data)._backend.name == "numpy"


def test_load_refuses_a_pickle_without_running_it(tmp_path: Any) -> None:
    import os
    import pickle

    ran = tmp_path / "ran"

    class Crafted:
        def __reduce__(self) -> Any:
            return (os.mkdir, (str(ran),))

    path = tmp_path / "checkpoint.pt"
    path.write_bytes(pickle.dumps(Crafted()))
    with pytest.raises(pickle.UnpicklingError, match="never unpickles"):
        pg.load(path)
    assert not ran.exists()
    real_torch.save({"w": real_torch.ones(2)}, tmp_path / "torch.pt")
    with pytest.raises(pickle.UnpicklingError, match="not a file written by pg.save"):
        pg.load(tmp_path / "torch.pt")


@pytest.mark.parametrize("backend", BACKENDS)
def test_saved_state_loads_on_another_backend(backend: str) -> None:
    w = pg.tensor([1.0, 2.0], dtype=pg.float64, requires_grad=True)
    opt = pg.optim.SGD([w], lr=0.1, momentum=0.9)
    (w * w).sum().backward()
    opt.step()
    buffer = io.BytesIO()
    pg.save({"params": [w], "optim": opt.state_dict(), "step": 3}, buffer)
    buffer.seek(0)
    loaded = pg.load(buffer, backend=backend)
    assert loaded["params"][0]._backend.name == backend
    assert loaded["params"][0].requires_grad and loaded["step"] == 3
    np.testing.assert_allclose(_numbers(loaded["params"][0]), [0.8, 1.6])
    state = loaded["optim"]["state"][0]["momentum_buffer"]
    np.testing.assert_allclose(_numbers(state), [2.0, 4.0])


def test_cuda_answers_for_the_backend() -> None:
    with pg.backend("numpy"):
        assert pg.cuda.is_available() is False and pg.cuda.device_count() == 0
        with pytest.raises(RuntimeError, match="numpy backend"):
            pg.ones(2).pin_memory()
    with pg.backend("torch"):
        assert pg.cuda.is_available() == real_torch.cuda.is_available()
