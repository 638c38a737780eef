"""``examples/tour.py`` (what ``make demo`` shows) on every installed backend, in a fresh
process: each section prints what the seed tutorial shows. (tests/examples/test_tour.py checks
the default run and its side-by-side table.)"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import BACKENDS

TOUR = Path(__file__).resolve().parents[2] / "examples" / "tour.py"


def run_tour(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(TOUR), *args], capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def shown(label: str, text: str) -> str:
    """The value the tour prints under ``>>> label``."""
    match = re.search(
        r"^>>> " + re.escape(label) + r"\n(.*?)(?=^>>> |^=== |^\S*hook|\Z)", text, re.S | re.M
    )
    assert match, f"{label!r} not shown"
    return match.group(1).strip()


@pytest.mark.parametrize("backend", BACKENDS)
def test_tour_on_each_backend(backend):
    out = run_tour("--backend", backend)
    assert out.startswith(f"polygrad {__import__('polygrad').__version__} on {backend}")
    for heading in (
        "3.2 requires_grad",
        "Automatic vs hand-derived gradient",
        "3.3 The computation graph",
        "Switching recording off",
        ".data and .detach()",
        "Gradients of non-leaves",
        "3.4 Extending autograd with a Function",
    ):
        assert f"=== {heading}" in out
    assert re.fullmatch(r"<AddBackward0 object at 0x[0-9a-f]+>", shown("c.grad_fn", out))
    assert shown("a.is_leaf, b.is_leaf, c.is_leaf, d.is_leaf", out) == "(True, True, False, False)"
    assert float(out.split("largest difference: ")[1].split()[0]) < 1e-5
    assert re.fullmatch(
        r"\(\(<MulBackward0 object at 0x[0-9a-f]+>, 0\), "
        r"\(<AccumulateGrad object at 0x[0-9a-f]+>, 0\)\)",
        shown("z.grad_fn.next_functions", out),
    )
    assert shown("z.grad_fn.next_functions[0][0] == y.grad_fn", out) == "True"
    assert re.fullmatch(
        r"\(\(<AccumulateGrad object at 0x[0-9a-f]+>, 0\), \(None, 0\)\)",
        shown("y.grad_fn.next_functions", out),
    )
    assert shown("w.grad after one backward", out) == "tensor([1.])"
    assert shown("w.grad after a second backward (gradients accumulate)", out) == "tensor([2.])"
    assert shown("a third backward without retain_graph", out).startswith(
        "RuntimeError: Trying to backward through the graph a second time"
    )
    assert "0.7311, 0.7311, 0.7311, 0.7311" in shown("a after a.data.sigmoid_()", out)
    assert (
        shown("a.detach().requires_grad, mean, std", out) == "(False, tensor(0.7311), tensor(0.))"
    )
    assert shown("t.autograd.grad(z, y)", out) == "(tensor([1., 1., 1.]),)"
    assert "hook sees the gradient of y: tensor([1., 1., 1.])" in out
    assert (
        "tensor([0., 1., 2.], requires_grad=True) tensor([0., 3., 8.], "
        "grad_fn=<AddBackward0>) tensor(11., grad_fn=<SumBackward0>)"
    ) in out
    assert shown("x.grad", out.split("=== y = x**2 + 2x")[1]) == "tensor([2., 4., 6.])"
    assert re.fullmatch(
        r"<MultiplyAddBackward object at 0x[0-9a-f]+>", shown("z.grad_fn", out.split("=== 3.4")[1])
    )
    assert shown("w.grad, b.grad  # x and 1", out) == "(tensor([1.]), tensor([1.]))"


def test_tour_is_reproducible():
    first, second = (re.sub(r"0x[0-9a-f]+", "0x", run_tour()) for _ in range(2))
    assert first == second
