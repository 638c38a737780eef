"""Graph-size scaling: ``python -m benchmarks.scale``.

Backpropagates chains of 10,000 to 1,000,000 nodes and fan-ins of 100 to 10,000
inputs, printing the time per node so linear scaling (a constant per-node cost)
is visible, and checking each gradient.
"""

from __future__ import annotations

import time

import polygrad as pg


def chain(length: int) -> float:
    x = pg.tensor([0.5], requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(length):
        y = y * 1.0
    y.sum().backward()
    elapsed = time.perf_counter() - start
    assert x.grad.item() == 1.0
    return elapsed


def fan_in(width: int) -> float:
    leaves = [pg.tensor([1.0], requires_grad=True) for _ in range(width)]
    start = time.perf_counter()
    total = leaves[0]
    for leaf in leaves[1:]:
        total = total + leaf
    total.sum().backward()
    elapsed = time.perf_counter() - start
    assert all(leaf.grad.item() == 1.0 for leaf in leaves)
    return elapsed


def main() -> None:
    print("| graph | nodes | seconds | µs per node |")
    print("|---|--:|--:|--:|")
    for n in (10_000, 100_000, 1_000_000):
        t = chain(n)
        print(f"| chain | {n:,} | {t:.2f} | {t / n * 1e6:.2f} |", flush=True)
    for n in (100, 1_000, 10_000):
        t = fan_in(n)
        print(f"| fan-in | {n:,} | {t:.3f} | {t / n * 1e6:.2f} |", flush=True)


if __name__ == "__main__":
    main()
