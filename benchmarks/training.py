"""The digits training loop, eager against ``pg.compile``: ``python -m benchmarks.training``.

Runs ``examples/digits.py``'s loop (64-64-10 tanh MLP, batches of 64, cross-entropy,
Adam with lr 1e-2, float32) for a few epochs three ways, interleaved, on one pinned core:

- ``eager``: the example as written (``zero_grad``, loss, ``backward``, ``Adam.step``);
- ``compiled gradient``: the loss and ``backward`` under ``pg.compile``, ``Adam.step``
  outside, eager;
- ``compiled step``: the whole step under ``pg.compile``, ``Adam.step`` and ``zero_grad``
  included (the optimizer binds its moments to the trace and feeds its step-dependent
  numbers on every call); the batches go in as NumPy arrays, wrapped inside.

and prints seconds per epoch and each one's final loss.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

import numpy as np

import polygrad as pg
from examples.digits import cross_entropy, forward, init_params, load_digits

LR = 1e-2


def _batches(data: Any, epochs: int, batch_size: int = 64) -> list[tuple[Any, Any]]:
    one_hot = np.eye(10)[data.y_train]
    rng = np.random.default_rng(0)
    batches = []
    for _ in range(epochs):
        order = rng.permutation(len(data.x_train))
        for begin in range(0, len(order), batch_size):
            batch = order[begin : begin + batch_size]
            batches.append((data.x_train[batch], one_hot[batch]))
    return batches


def _params() -> list[Any]:
    return [
        pg.tensor(p, dtype="float32").requires_grad_() for p in init_params((64, 64, 10), seed=0)
    ]


def _tensor(a: np.ndarray) -> Any:
    return pg.tensor(a, dtype="float32")


def eager(batches: list[tuple[Any, Any]]) -> float:
    params = _params()
    optimizer = pg.optim.Adam(params, lr=LR)
    for x, y in batches:
        optimizer.zero_grad()
        loss = cross_entropy(forward(params, _tensor(x)), _tensor(y))
        loss.backward()
        optimizer.step()
    return loss.item()


def compiled_gradient(batches: list[tuple[Any, Any]]) -> float:
    params = _params()
    optimizer = pg.optim.Adam(params, lr=LR)

    @pg.compile
    def loss_and_backward(params: list[Any], x: Any, y: Any) -> Any:
        loss = cross_entropy(forward(params, x), y)
        loss.backward()
        return loss

    for x, y in batches:
        optimizer.zero_grad()
        loss = loss_and_backward(params, _tensor(x), _tensor(y))
        optimizer.step()
    return loss.item()


def compiled_step(batches: list[tuple[Any, Any]]) -> float:
    params = _params()
    optimizer = pg.optim.Adam(params, lr=LR)

    @pg.compile
    def train_step(params: list[Any], x: Any, y: Any) -> Any:
        loss = cross_entropy(forward(params, pg.as_tensor(x)), pg.as_tensor(y))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss

    for x, y in batches:
        loss = train_step(params, x.astype(np.float32), y.astype(np.float32))
    return loss.item()


RUNS = {"eager": eager, "compiled gradient": compiled_gradient, "compiled step": compiled_step}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.training", description=__doc__)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    from .__main__ import _setup

    _setup()
    batches = _batches(load_digits(), args.epochs)
    times: dict[str, list[float]] = {name: [] for name in RUNS}
    losses = {}
    for _ in range(args.rounds):
        for name, run in RUNS.items():
            start = time.perf_counter()
            losses[name] = run(batches)
            times[name].append((time.perf_counter() - start) / args.epochs)
    base = statistics.median(times["eager"])
    rows = {}
    for name, samples in times.items():
        median = statistics.median(samples)
        rows[name] = {"seconds_per_epoch": median, "speedup": base / median, "loss": losses[name]}
        print(
            f"  {name:18s} {median * 1e3:7.1f} ms/epoch  {base / median:4.2f}x faster than "
            f"eager  final loss {losses[name]:.6f}"
        )
    return rows


if __name__ == "__main__":
    main()
