"""Per-op time budgets of the eager NumPy path: ``python -m benchmarks.budget``.

Splits one elementwise op on 16 float64 (``sin``, and its rule ``g * cos(x)``) into what
each layer adds, each the fastest of 40 interleaved batches of about a millisecond (the
minimum is the least disturbed by other processes on a shared machine), in one process:

- kernel: NumPy's own ``np.sin(a)``, the floor;
- dispatch and wrap: ``pg.sin(x)`` with nothing requiring grad, less the kernel;
- record: ``pg.sin`` in a chain that requires grad (a node, saved values each), per op,
  less ``pg.sin`` with nothing requiring grad;
- backward, per node: ``backward()`` through a chain of ``sin`` nodes, per node, less the
  rule's own kernels (``np.cos``, a multiply) measured alone: the engine's share;
- compiled: the same chain's forward and backward under ``pg.compile``, per op.
"""

from __future__ import annotations

import timeit
from typing import Any

import numpy as np

import polygrad as pg

CHAIN = 50


def _fastest(subjects: dict[str, tuple[Any, int]], rounds: int = 40) -> dict[str, float]:
    """Seconds per call of each ``(fn, calls per batch)``: the fastest batch of ``rounds``,
    the subjects interleaved so that a slow spell of the machine hits them all alike, and
    batches of about a millisecond each so that each has the same chance of a quiet one."""
    best = {name: float("inf") for name in subjects}
    for _ in range(rounds):
        for name, (fn, number) in subjects.items():
            best[name] = min(best[name], timeit.timeit(fn, number=number) / number)
    return best


def _chain(x: Any) -> Any:
    y = x
    for _ in range(CHAIN):
        y = pg.sin(y)
    return pg.sum(y)


def measure() -> dict[str, float]:
    """Microseconds per op for each layer."""
    a = np.linspace(0.1, 1.0, 16)
    plain = pg.tensor(a)
    leaf = pg.tensor(a, requires_grad=True)

    def forward_backward() -> None:
        leaf.grad = None
        _chain(leaf).backward()

    @pg.compile
    def compiled_chain(x: Any) -> Any:
        x.grad = None
        _chain(x).backward()
        return x.grad

    t = _fastest(
        {
            "kernel": (lambda: np.sin(a), 2000),
            "no_grad": (lambda: pg.sin(plain), 2000),
            "rule": (lambda: a * np.cos(a), 2000),
            "forward": (lambda: _chain(leaf), 8),
            "both": (forward_backward, 4),
            "compiled": (lambda: compiled_chain(leaf), 8),
        }
    )
    kernel, no_grad, rule = t["kernel"], t["no_grad"], t["rule"]
    forward, both = t["forward"] / CHAIN, t["both"] / CHAIN
    compiled = t["compiled"] / CHAIN
    per_node_backward = both - forward
    return {
        "kernel (np.sin, 16 float64)": kernel * 1e6,
        "dispatch and wrap": (no_grad - kernel) * 1e6,
        "record (node, saved values)": (forward - no_grad) * 1e6,
        "rule kernels (g * cos(x))": rule * 1e6,
        "engine and rule's Python, per node": (per_node_backward - rule) * 1e6,
        "eager forward + backward, per op": both * 1e6,
        "pg.compile replay, per op": compiled * 1e6,
    }


def main() -> dict[str, float]:
    from .__main__ import _setup

    _setup()
    budgets = measure()
    kernel = next(iter(budgets.values()))
    for name, micros in budgets.items():  # in kernels too: steadier under a varying load
        print(f"  {name:36s} {micros:6.2f} µs  {micros / kernel:5.1f} kernels")
    return budgets


if __name__ == "__main__":
    main()
