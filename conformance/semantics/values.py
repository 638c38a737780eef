"""Scenarios: gradient values users rely on: higher orders, the seed's examples,
diamonds and repeated indices, broadcasting, gradient dtypes, and torch's
conventions at ties and kinks (max/min splits, abs/relu/sqrt/pow at 0, prod with
zeros, NaN leaking through ``where``)."""

from __future__ import annotations

from typing import Any

import numpy as np

from . import scenario


def _grad_of(T: Any, f: Any, data: Any) -> Any:
    x = T(data, True)
    f(x).sum().backward()
    return x.grad


@scenario
def higher_order(lib: Any, T: Any, rec: Any) -> None:
    x = T(2.0, True)
    y = x**4
    for k in range(5):
        (y,) = lib.autograd.grad(y, x, create_graph=True)
        rec(f"d{k + 1}/dx{k + 1} x**4", y)
    s = T(0.5, True)
    y = s.sin()
    for k in range(4):
        (y,) = lib.autograd.grad(y, s, create_graph=True)
        rec(f"d{k + 1} sin", y)


@scenario
def seed_examples(lib: Any, T: Any, rec: Any) -> None:
    x = T(1.0, True)
    y = x**2 * lib.exp(x)
    (dy,) = lib.autograd.grad(y, x, create_graph=True)
    (d2y,) = lib.autograd.grad(dy, x)
    rec("x**2 exp(x) and two derivatives", (y, dy, d2y))
    x = lib.Tensor([0, 1, 2]).requires_grad_()
    y = x**2 + 2 * x
    z = y.sum()
    rec("y, z", (x, y, z))
    z.backward()
    rec("x.grad via z.backward()", x.grad)
    x2 = lib.Tensor([0, 1, 2]).requires_grad_()
    y2 = x2**2 + 2 * x2
    y2.backward(lib.Tensor([1, 1, 1]))
    rec("x.grad via y.backward(ones)", x2.grad)
    w, x3 = T([0.5, 0.25, 0.125], True), T([1.0, 1.0, 1.0], True)
    y3 = w * x3
    rec("autograd.grad(z, y)", lib.autograd.grad(y3.sum(), y3))


@scenario
def diamonds_and_repeats(lib: Any, T: Any, rec: Any) -> None:
    rec("3x * x**2 at 2", _grad_of(T, lambda x: (3 * x) * x**2, 2.0))
    rec("x * x * x at 3", _grad_of(T, lambda x: x * x * x, 3.0))
    rec("x[[0, 0, 2]].sum()", _grad_of(T, lambda x: x[[0, 0, 2]], [1.0, 2.0, 3.0]))
    rec(
        "x[[0, 0, 2]] * weights",
        _grad_of(T, lambda x: x[[0, 0, 2]] * T([1.0, 2.0, 3.0]), [1.0, 2.0, 3.0]),
    )


@scenario
def broadcasting(lib: Any, T: Any, rec: Any) -> None:
    x, y = T(np.ones((3, 1)), True), T(np.ones((1, 4)), True)
    s, c = T(np.ones(4), True), T(2.0, True)
    ((x * y + s) * c).sum().backward()
    rec("grads keep their leaves' shapes", (x.grad, y.grad, s.grad, c.grad))
    v = T([1.0, 2.0, 3.0], True)
    v.expand(4, 3).sum().backward()
    rec("expand", v.grad)
    m = T(np.ones((2, 3)), True)
    m.mean(1).sum().backward()
    rec("mean(1)", m.grad)


@scenario(needs_float64=True)
def gradient_dtypes(lib: Any, T: Any, rec: Any) -> None:
    a, b = T([1.0, 2.0], True, "float64"), T([3.0, 4.0], True, "float32")
    out = a * b
    out.sum().backward()
    rec("f64 * f32", (out.dtype == a.dtype, a.grad, b.grad))
    c, d = T([1.0, 2.0], True, "float32"), T(3.0, True, "float64")
    (c * d).sum().backward()
    rec("f32 * 0-d f64: each grad in its leaf's dtype", (c.grad, d.grad))
    e = T([1.0, 2.0], True, "float32")
    (e * 2).backward(T([1.0, 1.0], False, "float64"))
    rec("a float64 gradient= is cast", e.grad)
    f = T([1.0, 2.0], True, "float32")
    f.double().sum().backward()
    rec("through double()", f.grad)


@scenario(needs_float64=True)
def hook_changes_dtype(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0], True)
    y = x * 2
    y.register_hook(lambda g: g.double())
    rec.attempt("hook changes the dtype", lambda: y.sum().backward())
    w = T([1.0, 2.0], True)
    rec.attempt(
        ".grad of another dtype", lambda: setattr(w, "grad", T([1.0, 1.0], False, "float64"))
    )


@scenario
def ties_and_kinks(lib: Any, T: Any, rec: Any) -> None:
    def check(label: str, f: Any, data: Any) -> None:
        rec.attempt(label, lambda: _grad_of(T, f, data))

    check("max() at a tie", lambda x: x.max(), [1.0, 3.0, 3.0, 2.0])
    check("amax() at a tie", lambda x: x.amax(), [1.0, 3.0, 3.0, 2.0])
    check("amax(0) at a tie", lambda x: x.amax(0), [1.0, 3.0, 3.0, 2.0])
    check("max(dim=0): first index only", lambda x: x.max(dim=0)[0], [1.0, 3.0, 3.0, 2.0])
    check("min() at a tie", lambda x: x.min(), [1.0, 1.0, 3.0])
    check("amin() at a tie", lambda x: x.amin(), [1.0, 1.0, 3.0])
    check("maximum(x, 2) at a tie", lambda x: lib.maximum(x, T(2.0)), [1.0, 2.0, 3.0])
    rec.attempt("maximum of two grads at a tie", lambda: _both(lib, T))
    check("clamp(0, 1) bounds inclusive", lambda x: x.clamp(0, 1), [-1.0, 0.0, 0.5, 1.0, 2.0])
    check("abs at 0", lambda x: x.abs(), [-1.0, 0.0, 1.0])
    check("relu at 0", lambda x: x.relu(), [-1.0, 0.0, 1.0])
    check("sign", lambda x: x.sign(), [-1.0, 0.0, 1.0])
    check("sqrt at 0", lambda x: x.sqrt(), [0.0, 1.0, 4.0])
    check("sqrt of -1", lambda x: x.sqrt(), [-1.0])
    for p in (0, 0.0, 0.5, 1, 2, -1):
        check(f"x**{p!r} at 0", lambda x, p=p: x**p, [0.0, 2.0])
    check("x**y with y = 0", lambda x: x ** T([0.0, 0.0]), [0.0, 2.0])
    check("zeros**x", lambda x: T([0.0, 0.0]) ** x, [0.0, 2.0])
    check("log at 0", lambda x: x.log(), [0.0, 1.0])
    check("prod with one zero", lambda x: x.prod(), [0.0, 2.0, 3.0])
    check("prod with two zeros", lambda x: x.prod(), [0.0, 0.0, 3.0])
    check("std of one element", lambda x: x.std(), [1.0])
    check(
        "where leaks NaN from the other branch",
        lambda x: lib.where(x > 0, x.sqrt(), x),
        [-1.0, 4.0],
    )
    check("round, floor: zero grad", lambda x: x.round() + x.floor(), [0.4, 1.6])


def _both(lib: Any, T: Any) -> Any:
    x, y = T([1.0, 2.0, 3.0], True), T([2.0, 2.0, 2.0], True)
    lib.maximum(x, y).sum().backward()
    return x.grad, y.grad
