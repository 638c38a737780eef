"""Per-op time budgets of the eager NumPy path: ``python -m benchmarks.budget``.

Splits one elementwise op on 16 float64 (``sin``, and its rule ``g * cos(x)``) into what
each layer adds, each measured as the best of several batches (the minimum is the least
disturbed by other processes on a shared machine), all in one process:

- kernel: NumPy's own ``np.sin(a)``, the floor;
- dispatch and wrap: ``pg.sin(x)`` with nothing requiring grad, less the kernel;
- record: ``pg.sin(x)`` with ``x`` requiring grad (a node, saved values), less the above;
- backward, per node: ``backward()`` through a chain of ``sin`` nodes, per node, less the
  rule's own kernels (``np.cos``, a multiply) measured alone: the engine's share;
- accumulate: ``backward()`` of ``sum(x * 1)`` into a leaf that already has a ``.grad``,
  less the same into a leaf without one;
- compiled: the same chain's forward and backward under ``pg.compile``, per op.
"""

from __future__ import annotations

import timeit
from typing import Any

import numpy as np

import polygrad as pg

CHAIN = 50


def _best(fn: Any, number: int, repeat: int = 7) -> float:
    """Seconds per call: the fastest of ``repeat`` batches of ``number`` calls."""
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number


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
    kernel = _best(lambda: np.sin(a), 20000)
    no_grad = _best(lambda: pg.sin(plain), 20000)
    recorded = _best(lambda: pg.sin(leaf), 20000)
    rule = _best(lambda: a * np.cos(a), 20000)

    def forward_backward() -> None:
        leaf.grad = None
        _chain(leaf).backward()

    def fresh() -> None:
        leaf.grad = None
        pg.sum(leaf * 1.0).backward()

    def into_existing() -> None:
        pg.sum(leaf * 1.0).backward()

    forward = _best(lambda: _chain(leaf), 200) / CHAIN
    both = _best(forward_backward, 200) / CHAIN
    accumulate = _best(into_existing, 5000) - _best(fresh, 5000)

    @pg.compile
    def compiled_chain(x: Any) -> Any:
        x.grad = None
        _chain(x).backward()
        return x.grad

    compiled = _best(lambda: compiled_chain(leaf), 200) / CHAIN
    per_node_backward = both - forward
    return {
        "kernel (np.sin, 16 float64)": kernel * 1e6,
        "dispatch and wrap": (no_grad - kernel) * 1e6,
        "record (node, saved values)": (recorded - no_grad) * 1e6,
        "rule kernels (g * cos(x))": rule * 1e6,
        "engine and rule's Python, per node": (per_node_backward - rule) * 1e6,
        "accumulate into an existing .grad": accumulate * 1e6,
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
