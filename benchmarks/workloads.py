"""The six benchmark workloads, written once against a NumPy-like namespace ``xp``.

Every subject (polygrad on each backend, torch.autograd, HIPS autograd, MyGrad,
JAX) runs the same ``loss`` functions below with its own ``xp`` and its own way of
taking gradients. ``manual`` gives hand-written NumPy forward+backward code with
no graph: the baseline every ratio is measured against, and (in float64) the
reference the results are checked against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


def w1_loss(xp: Any, x: Any, w: Any) -> Any:
    y = x
    for _ in range(20):
        y = xp.sin(y)
        y = y * w
        y = xp.exp(y)
        y = y + x
        y = xp.tanh(y)
        y = y / 1.5
        y = y * y
        y = y + w
        y = xp.exp(y)
        y = y / 3
    return xp.sum(y)


def _logsumexp_rows(xp: Any, z: Any) -> Any:
    m = xp.max(z, axis=1, keepdims=True)
    return xp.log(xp.sum(xp.exp(z - m), axis=1)) + m[:, 0]


def mlp_loss(xp: Any, X: Any, Y: Any, *params: Any) -> Any:
    h = X
    for i in range(0, len(params) - 2, 2):
        h = xp.tanh(h @ params[i] + params[i + 1])
    z = h @ params[-2] + params[-1]
    return xp.mean(_logsumexp_rows(xp, z) - xp.sum(z * Y, axis=1))


def w4_loss(xp: Any, x: Any) -> Any:
    return xp.sum(xp.exp(xp.sin(x)) * x**2 + xp.tanh(x))


def w5_loss(xp: Any, idx: Any, x: Any, b: Any) -> Any:
    y = x + b
    s = y[::2, idx]
    m = xp.mean(s, axis=0)
    e = xp.exp(s - xp.max(s, axis=1, keepdims=True))
    p = e / xp.sum(e, axis=1, keepdims=True)
    return xp.sum(p * m)


def w6_f(xp: Any, x: Any) -> Any:
    return xp.sum(xp.tanh(x) ** 3)


# -- hand-written NumPy: forward and backward with no graph ---------------------------------


def w1_manual(x: np.ndarray, w: np.ndarray) -> tuple[float, list[np.ndarray]]:
    tape = []
    y = x
    for _ in range(20):
        s = np.sin(y)
        e1 = np.exp(s * w)
        t = np.tanh(e1 + x)
        u = t / 1.5
        e2 = np.exp(u * u + w)
        tape.append((y, s, e1, t, u, e2))
        y = e2 / 3
    gx = np.zeros_like(x)
    gw = np.zeros_like(w)
    g = np.ones_like(y)
    for y_in, s, e1, t, u, e2 in reversed(tape):
        g = g / 3 * e2
        gw += g
        g = 2 * u * g / 1.5 * (1 - t * t)
        gx += g
        g = g * e1
        gw += g * s
        g = g * w * np.cos(y_in)
    return float(y.sum()), [gx + g, gw]


def mlp_manual(X: np.ndarray, Y: np.ndarray, *params: np.ndarray) -> tuple[float, list[np.ndarray]]:
    acts = [X]
    h = X
    for i in range(0, len(params) - 2, 2):
        h = np.tanh(h @ params[i] + params[i + 1])
        acts.append(h)
    z = h @ params[-2] + params[-1]
    m = z.max(axis=1, keepdims=True)
    e = np.exp(z - m)
    se = e.sum(axis=1, keepdims=True)
    n = X.shape[0]
    loss = float(np.mean(np.log(se[:, 0]) + m[:, 0] - (z * Y).sum(axis=1)))
    gz = (e / se - Y) / n
    grads = [acts[-1].T @ gz, gz.sum(axis=0)]
    g = gz @ params[-2].T
    for i in range(len(params) - 4, -1, -2):
        g = g * (1 - acts[i // 2 + 1] ** 2)
        grads[:0] = [acts[i // 2].T @ g, g.sum(axis=0)]
        if i:
            g = g @ params[i].T
    return loss, grads


def w4_manual(x: np.ndarray) -> tuple[float, list[np.ndarray]]:
    # written with in-place updates, as a careful NumPy user would, to keep memory low
    e = np.exp(np.sin(x))
    x2 = x * x
    t = np.tanh(x)
    value = e * x2
    value += t
    loss = float(value.sum())
    grad = np.cos(x, out=value)
    grad *= x2
    np.multiply(x, 2, out=x2)
    grad += x2
    grad *= e
    np.multiply(t, t, out=t)
    grad += 1
    grad -= t
    return loss, [grad]


def w5_manual(idx: np.ndarray, x: np.ndarray, b: np.ndarray) -> tuple[float, list[np.ndarray]]:
    y = x + b
    s = y[::2, idx]
    m = s.mean(axis=0)
    e = np.exp(s - s.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    loss = float(np.sum(p * m))
    gp = np.broadcast_to(m, p.shape)
    gs = p * (gp - (gp * p).sum(axis=1, keepdims=True)) + (p.sum(axis=0) / s.shape[0])
    gy = np.zeros_like(y)
    np.add.at(gy, (slice(None, None, 2), idx), gs)
    return loss, [gy, gy.sum(axis=0)]


def w6_manual(v: np.ndarray, x: np.ndarray) -> tuple[float, list[np.ndarray]]:
    t = np.tanh(x)
    return float(np.sum(t**3)), [v * (6 * t - 12 * t**3) * (1 - t * t)]


@dataclass
class Workload:
    name: str
    title: str
    loss: Callable[..., Any]
    manual: Callable[..., tuple[float, list[np.ndarray]]]
    #: (constants, differentiable inputs); the loss takes ``xp, *constants, *inputs``
    make_inputs: Callable[[bool], tuple[tuple[Any, ...], tuple[np.ndarray, ...]]]
    ops: int = 1  # ops per run, for per-op timings
    #: the gradient asked for is the Hessian-vector product with the first constant
    hvp: bool = False


def _mlp_inputs(sizes: tuple[int, ...], batch: int) -> Callable[[bool], Any]:
    def make(quick: bool) -> Any:
        rng = np.random.default_rng(0)
        n = batch if not quick else min(batch, 64)
        X = rng.standard_normal((n, sizes[0])).astype(np.float32)
        Y = np.eye(sizes[-1], dtype=np.float32)[rng.integers(0, sizes[-1], n)]
        params = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            params += [
                (rng.standard_normal((a, b)) / np.sqrt(a)).astype(np.float32),
                np.zeros(b, np.float32),
            ]
        return (X, Y), tuple(params)

    return make


def _w1_inputs(quick: bool) -> Any:
    rng = np.random.default_rng(0)
    return (), (rng.standard_normal(16), rng.standard_normal(16) * 0.1)


def _w4_inputs(quick: bool) -> Any:
    n = 10_000_000 if not quick else 100_000
    return (), (np.random.default_rng(0).standard_normal(n),)


def _w5_inputs(quick: bool) -> Any:
    rng = np.random.default_rng(0)
    n = 1000 if not quick else 200
    return (rng.integers(0, n, n // 2),), (rng.standard_normal((n, n)), rng.standard_normal(n))


def _w6_inputs(quick: bool) -> Any:
    rng = np.random.default_rng(0)
    return (rng.standard_normal(1000),), (rng.standard_normal(1000),)  # (v,), (x,)


WORKLOADS = {
    "W1": Workload(
        "W1", "overhead: 200 cheap ops on 16 float64", w1_loss, w1_manual, _w1_inputs, ops=201
    ),
    "W2": Workload(
        "W2",
        "mlp-small 784-128-10, batch 64, float32",
        mlp_loss,
        mlp_manual,
        _mlp_inputs((784, 128, 10), 64),
    ),
    "W3": Workload(
        "W3",
        "mlp-large 1024-2048-2048-10, batch 512, float32",
        mlp_loss,
        mlp_manual,
        _mlp_inputs((1024, 2048, 2048, 10), 512),
    ),
    "W4": Workload("W4", "big-elementwise, 10M float64", w4_loss, w4_manual, _w4_inputs),
    "W5": Workload(
        "W5", "reduce/broadcast/index 1000x1000 float64", w5_loss, w5_manual, _w5_inputs
    ),
    "W6": Workload(
        "W6", "Hessian-vector product, 1000 float64", w6_f, w6_manual, _w6_inputs, hvp=True
    ),
}
