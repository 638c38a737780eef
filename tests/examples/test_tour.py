"""``make demo`` runs examples/tour.py: it must run and show the seed's results."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

TOUR = Path(__file__).resolve().parents[2] / "examples" / "tour.py"


def test_tour_runs_and_shows_the_seed_results():
    out = subprocess.run(
        [sys.executable, str(TOUR)], capture_output=True, text=True, timeout=600, check=True
    ).stdout
    assert "(True, True, False, False)" in out  # a, b leaves; c, d not
    assert "<MulBackward0 object at" in out and "<AccumulateGrad object at" in out
    assert "tensor([2., 4., 6.])" in out  # x**2 + 2x at [0, 1, 2]
    assert "w.grad after a second backward (gradients accumulate)" in out
    assert "Trying to backward through the graph a second time" in out
    assert "<MultiplyAddBackward object at" in out
    largest = float(out.split("largest difference: ")[1].split()[0])
    assert largest < 1e-5  # automatic == hand-derived gradient
    table = out.split("The same program on every installed backend")[1]
    lines = [line.split() for line in table.strip().splitlines()[2:]]
    gradients = {line[2:5].__str__() for line in lines if "not" not in line}
    assert len(gradients) == 1  # every installed backend computes the same gradient
