"""The digits training loop, eager against ``pg.compile``: ``python -m benchmarks.training``.

Runs ``examples/digits.py``'s loop (64-64-10 tanh MLP, batches of 64, cross-entropy,
Adam with lr 1e-2, float32) three ways, interleaved, on one pinned core:

- ``eager``: the example as written (``zero_grad``, loss, ``backward``, ``Adam.step``);
- ``compiled gradient``: the loss and ``backward`` under ``pg.compile``, ``Adam.step``
  outside, eager;
- ``compiled step``: the whole step under ``pg.compile``, ``Adam.step`` and ``zero_grad``
  included (the optimizer binds its moments to the trace and feeds its step-dependent
  numbers on every call); the batches go in as NumPy arrays, wrapped inside.

and prints, for each, seconds per epoch of the whole loop, the example's 30 epochs and a
short one of 3 (each round starts from fresh parameters, so the compiled ones trace their
two signatures, batches of 64 and the epoch's last batch of 29, inside the loop), the time of a single step once traced
(median and fastest tenth of single steps, the three interleaved 20 steps at a time: on
a shared machine a stall lands in few steps, but in many whole loops), the time of the
compiled step's two traces, and each one's final loss.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

import polygrad as pg
from examples.digits import EPOCHS, cross_entropy, forward, init_params, load_digits

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


def eager() -> Callable[[Any, Any], Any]:
    params = _params()
    optimizer = pg.optim.Adam(params, lr=LR)

    def step(x: Any, y: Any) -> Any:
        optimizer.zero_grad()
        loss = cross_entropy(forward(params, _tensor(x)), _tensor(y))
        loss.backward()
        optimizer.step()
        return loss

    return step


def compiled_gradient() -> Callable[[Any, Any], Any]:
    params = _params()
    optimizer = pg.optim.Adam(params, lr=LR)

    @pg.compile
    def loss_and_backward(params: list[Any], x: Any, y: Any) -> Any:
        loss = cross_entropy(forward(params, x), y)
        loss.backward()
        return loss

    def step(x: Any, y: Any) -> Any:
        optimizer.zero_grad()
        loss = loss_and_backward(params, _tensor(x), _tensor(y))
        optimizer.step()
        return loss

    return step


def compiled_step() -> Callable[[Any, Any], Any]:
    params = _params()
    optimizer = pg.optim.Adam(params, lr=LR)

    @pg.compile
    def train_step(params: list[Any], x: Any, y: Any) -> Any:
        loss = cross_entropy(forward(params, pg.as_tensor(x)), pg.as_tensor(y))
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        return loss

    def step(x: Any, y: Any) -> Any:
        return train_step(params, x.astype(np.float32), y.astype(np.float32))

    return step


RUNS = {"eager": eager, "compiled gradient": compiled_gradient, "compiled step": compiled_step}


def _loop(make: Callable[[], Callable[[Any, Any], Any]], batches: list[Any]) -> float:
    """The whole training loop from fresh parameters (tracing included); the final loss."""
    step = make()
    for x, y in batches:
        loss = step(x, y)
    return float(loss.item())


def _per_step(batches: list[Any], rounds: int) -> dict[str, list[float]]:
    """Seconds of single steps once every signature is traced: each subject's steps
    timed one by one, subjects interleaved 20 steps at a time."""
    steps = {name: make() for name, make in RUNS.items()}
    for step in steps.values():  # trace both batch sizes (64, and 29 at an epoch's end)
        for x, y in batches[-2:]:
            step(x, y)
    times: dict[str, list[float]] = {name: [] for name in RUNS}
    for begin in range(0, 20 * rounds, 20):
        for name, step in steps.items():
            for x, y in (batches[i % len(batches)] for i in range(begin, begin + 20)):
                start = time.perf_counter()
                step(x, y)
                times[name].append(time.perf_counter() - start)
    return times


def _first_calls(batches: list[Any]) -> list[float]:
    """Seconds of the compiled step's two traces (a batch of 64, then the last batch)."""
    step = compiled_step()
    found = []
    for x, y in (batches[0], batches[-1]):
        start = time.perf_counter()
        step(x, y)
        found.append(time.perf_counter() - start)
    return found


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.training", description=__doc__)
    parser.add_argument(
        "--epochs", type=int, default=EPOCHS, help="the whole loop (default: the example's)"
    )
    parser.add_argument(
        "--short-epochs", type=int, default=3, help="a short loop, where the traces weigh more"
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--step-rounds", type=int, default=30)
    args = parser.parse_args(argv)
    from .__main__ import _setup

    _setup()
    batches = _batches(load_digits(), args.epochs)
    short = batches[: len(batches) * args.short_epochs // args.epochs]
    loops = {"loop": (batches, args.epochs), "short loop": (short, args.short_epochs)}
    times: dict[str, dict[str, list[float]]] = {loop: {n: [] for n in RUNS} for loop in loops}
    losses = {}
    for _ in range(args.rounds):
        for loop, (loop_batches, epochs) in loops.items():
            for name, make in RUNS.items():
                start = time.perf_counter()
                loss = _loop(make, loop_batches)
                times[loop][name].append((time.perf_counter() - start) / epochs)
                if loop == "loop":
                    losses[name] = loss
    steps = _per_step(batches, args.step_rounds)
    traces = _first_calls(batches)
    step_base = statistics.median(steps["eager"]), _fastest_tenth(steps["eager"])
    rows = {}
    for name in RUNS:
        row: dict[str, Any] = {"loss": losses[name]}
        line = f"  {name:18s}"
        for loop, (_, epochs) in loops.items():
            base, median = (statistics.median(times[loop][n]) for n in ("eager", name))
            key = "" if loop == "loop" else "short_"
            row[f"{key}seconds_per_epoch"], row[f"{key}speedup"] = median, base / median
            line += f" {epochs:2d} epochs {median * 1e3:5.1f} ms/epoch {base / median:4.2f}x;"
        step_median, step_fastest = statistics.median(steps[name]), _fastest_tenth(steps[name])
        row["seconds_per_step"] = step_median
        row["step_speedup"] = step_base[0] / step_median
        row["step_speedup_fastest_tenth"] = step_base[1] / step_fastest
        rows[name] = row
        print(
            f"{line} a step {step_median * 1e6:6.1f} us {step_base[0] / step_median:4.2f}x "
            f"(fastest tenth {step_fastest * 1e6:6.1f} us {step_base[1] / step_fastest:4.2f}x)  "
            f"final loss {losses[name]:.6f}"
        )
    print(f"  compiled step's two traces: {traces[0] * 1e3:.1f} and {traces[1] * 1e3:.1f} ms")
    rows["compiled step"]["trace_seconds"] = traces
    return rows


def _fastest_tenth(samples: list[float]) -> float:
    ordered = sorted(samples)
    return statistics.mean(ordered[: max(1, len(ordered) // 10)])


if __name__ == "__main__":
    main()
