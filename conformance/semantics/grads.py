"""Scenarios: accumulation, retain_graph, non-leaf .grad, ``backward`` and
``autograd.grad`` options and their errors."""

from __future__ import annotations

from typing import Any

from . import scenario


@scenario
def accumulation(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0, 3.0], True)
    first = None
    for i in range(3):
        (x * x).sum().backward()
        rec(f"x.grad after backward {i + 1}", x.grad)
        first = x.grad if first is None else first
        rec("same .grad object", x.grad is first)
    x.grad.zero_()
    rec("after zero_", x.grad)
    rec("zero_ keeps the object", x.grad is first)
    x.grad = None
    (x * 2).sum().backward()
    rec("after .grad = None", x.grad)


@scenario
def seed_retain_graph(lib: Any, T: Any, rec: Any) -> None:
    x, w, b = T([1.0]), T([0.5], True), T([0.25], True)
    z = w * x + b
    rec("requires_grad", (x.requires_grad, w.requires_grad, b.requires_grad, z.requires_grad))
    rec("is_leaf", (x.is_leaf, w.is_leaf, b.is_leaf, z.is_leaf))
    z.backward(retain_graph=True)
    rec("w.grad", w.grad)
    z.backward()
    rec("w.grad after the second backward", w.grad)


@scenario
def second_backward(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0, 3.0], True)
    y = (x * x).sum()
    y.backward()
    rec.attempt("second backward without retain_graph", lambda: y.backward())
    free = (x.reshape(3) + 1).sum()  # no node saves anything: may run twice
    x.grad = None
    free.backward()
    free.backward()
    rec("graph without saved values, twice", x.grad)


@scenario
def retain_graph_follows_create_graph(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0], True)
    y = (x**3).sum()
    rec.attempt("backward(create_graph=True)", lambda: y.backward(create_graph=True))
    rec("x.grad (a graph)", x.grad)
    rec.attempt("second backward", lambda: y.backward())
    rec("x.grad accumulated", x.grad)
    rec.attempt("third backward", lambda: y.backward())
    g = T(3.0, True)
    out = g**2
    rec.attempt("x**2 create_graph", lambda: out.backward(create_graph=True))
    rec("g.grad", g.grad)
    g.grad.backward()
    rec("g.grad after backward of g.grad", g.grad)


@scenario
def non_leaf_grad(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0], True)
    y = x * 2
    (y * y).sum().backward()
    rec.attempt("y.grad of a non-leaf", lambda: y.grad)
    x2 = T([1.0, 2.0], True)
    y2 = x2 * 2
    y2.retain_grad()
    for i in range(2):
        (y2 * y2).sum().backward(retain_graph=True)  # y2 = x2 * 2 saved nothing; x2*2 did
        rec(f"retained y.grad {i + 1}", y2.grad)
        rec(f"x.grad {i + 1}", x2.grad)
    rec("retains_grad", (y2.retains_grad, x2.retains_grad))
    rec.attempt("retain_grad without grad", lambda: T([1.0]).retain_grad())
    rec.attempt("retain_grad on a leaf", lambda: x2.retain_grad())


@scenario
def backward_arguments(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0, 3.0], True)
    rec.attempt("implicit gradient of a non-scalar", lambda: (x * 2).backward())
    rec.attempt("gradient of the wrong shape", lambda: (x * 2).backward(T([1.0] * 4)))
    rec.attempt("gradient (1,) for (3,)", lambda: (x * 2).backward(T([1.0])))
    rec.attempt("a Python float gradient", lambda: (x * 2).backward(1.0))
    rec.attempt("root without grad", lambda: (T([1.0]) * 2).sum().backward())
    rec.attempt("numel-1 root (1, 1)", lambda: (x.sum() * 1).reshape(1, 1).backward())
    rec("x.grad", x.grad)
    x.grad = None
    lib.autograd.backward([(x * 2).sum(), (x * 3).sum()])
    rec("several roots are summed", x.grad)
    rec.attempt("second root without grad", lambda: lib.autograd.backward([(x * 2).sum(), T(1.0)]))
    rec.attempt(
        "grad_tensors with None for a scalar root",
        lambda: lib.autograd.backward([(x * 2).sum(), x * 3], [None, T([1.0, 1.0, 2.0])]),
    )
    rec("x.grad", x.grad)


@scenario
def backward_inputs(lib: Any, T: Any, rec: Any) -> None:
    x, w = T([1.0, 2.0, 3.0], True), T([2.0, 2.0, 2.0], True)
    (x * w).sum().backward(inputs=[w])
    rec("only w accumulates", (x.grad, w.grad))
    h = x * 2
    (h * h).sum().backward(inputs=[h])
    rec("a non-leaf input gets .grad", h.grad)
    rec.attempt("inputs=[]", lambda: (x * 2).sum().backward(inputs=[]))
    rec.attempt("input without grad", lambda: (x * 2).sum().backward(inputs=[T([1.0])]))


@scenario
def grad_function(lib: Any, T: Any, rec: Any) -> None:
    grad = lib.autograd.grad
    x, w, plain, unused = T([1.0, 2.0], True), T([3.0, 4.0], True), T([1.0, 1.0]), T([5.0], True)
    y = (x * w).sum()
    rec.attempt("one input: a tuple", lambda: grad(y, x, retain_graph=True))
    rec("never touches .grad", (x.grad, w.grad))
    rec.attempt("two inputs", lambda: grad(y, [x, w], retain_graph=True))
    rec.attempt("dict inputs", lambda: sorted(grad(y, {"a": x, "b": w}, retain_graph=True).items()))
    rec.attempt("unused input", lambda: grad(y, [x, unused], retain_graph=True))
    rec.attempt("allow_unused", lambda: grad(y, [x, unused], retain_graph=True, allow_unused=True))
    rec.attempt(
        "materialize_grads", lambda: grad(y, [x, unused], retain_graph=True, materialize_grads=True)
    )
    rec.attempt(
        "materialize_grads with allow_unused=False",
        lambda: grad(y, [unused], retain_graph=True, materialize_grads=True, allow_unused=False),
    )
    rec.attempt("input without grad", lambda: grad(y, plain, retain_graph=True))
    rec.attempt(
        "input without grad, allow_unused",
        lambda: grad(y, plain, retain_graph=True, allow_unused=True),
    )
    rec.attempt("empty inputs", lambda: grad(y, [], retain_graph=True))
    rec.attempt("fresh non-leaf input", lambda: grad(y, x * 1, retain_graph=True))
    h = x * w
    rec.attempt("intermediate input", lambda: grad((h * h).sum(), h))
    rec.attempt("output without grad", lambda: grad((plain * 2).sum(), x))
    rec.attempt("implicit gradient of a non-scalar", lambda: grad(x * 2, x))
    rec.attempt("grad_outputs of the wrong shape", lambda: grad(x * 2, x, T([1.0, 1.0, 1.0])))
    rec.attempt("counts differ", lambda: grad([x * 2, x * 3], x, grad_outputs=[T([1.0, 1.0])]))
    rec.attempt("outputs are summed", lambda: grad([(x * 2).sum(), (x * x).sum()], x))
    rec.attempt(
        "grad_outputs with None",
        lambda: grad([(x * 2).sum(), x * 3], x, grad_outputs=[None, T([1.0, 2.0])]),
    )
    rec.attempt("only_inputs=False warns", lambda: grad((x * 2).sum(), x, only_inputs=False))


@scenario
def grad_create_graph(lib: Any, T: Any, rec: Any) -> None:
    grad = lib.autograd.grad
    x = T([1.0, 2.0], True)
    (g,) = grad((x**3).sum(), x, create_graph=True)
    rec("first derivative", g)
    rec("second derivative", grad(g.sum(), x))
    y = (x**2).sum()
    (g1,) = grad(y, x, create_graph=True, retain_graph=False)
    rec.attempt("y graph freed", lambda: grad(y, x))
    rec("graph of g usable", grad(g1.sum(), x))
    v = T([1.0, 1.0], True)
    (gv,) = grad(x * x, x, grad_outputs=v, create_graph=True)
    rec("depends on grad_outputs", grad(gv.sum(), v))
    (gn,) = grad(x * x, x, grad_outputs=v)
    rec("without create_graph", gn)
    rec.attempt(
        "second order without create_graph", lambda: grad(grad((x**3).sum(), x)[0].sum(), x)
    )
