"""Scenarios: tensor hooks, node pre/post hooks, post-accumulate hooks, retain_grad,
their order, removal, and their errors."""

from __future__ import annotations

from typing import Any

from . import scenario


def _values(grads: Any) -> Any:
    return [None if g is None else g.tolist() for g in grads]


@scenario
def hook_order(lib: Any, T: Any, rec: Any) -> None:
    order: list[Any] = []
    x = T([1.0, 1.0], True)
    y = x * 3
    z = y.sum()
    y.register_hook(lambda g: order.append(("y hook", g.tolist())))
    y.grad_fn.register_prehook(lambda gout: order.append(("Mul prehook", _values(gout))))
    y.grad_fn.register_hook(
        lambda gin, gout: order.append(("Mul post-hook", _values(gin), _values(gout)))
    )

    def times_ten(g: Any) -> Any:
        order.append(("x hook 1", g.tolist()))
        return g * 10

    x.register_hook(times_ten)
    x.register_hook(lambda g: order.append(("x hook 2 sees hook 1's result", g.tolist())))

    def after_accumulation(t: Any) -> None:
        order.append(("post-accumulate", t.grad.tolist()))
        t.grad.mul_(0.5)

    x.register_post_accumulate_grad_hook(after_accumulation)
    z.backward()
    rec("order", order)
    rec("x.grad", x.grad)
    order.clear()
    lib.autograd.grad((x * 3).sum(), x)
    rec("autograd.grad runs tensor hooks but no post-accumulate hook", order)


@scenario
def retain_grad_runs_last(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0], True)
    y = x * 2
    y.retain_grad()
    y.register_hook(lambda g: g * 100)
    y.sum().backward()
    rec("y.grad sees the hook's result", y.grad)
    rec("x.grad", x.grad)


@scenario
def hook_removal(lib: Any, T: Any, rec: Any) -> None:
    calls: list[str] = []
    x = T([1.0, 2.0], True)
    y = x * 2
    handle = y.register_hook(lambda g: calls.append("removed hook"))
    handle.remove()
    handle.remove()
    with x.register_hook(lambda g: calls.append("hook of a with block")):
        pass
    branch = x * 5
    branch.register_hook(lambda g: calls.append("branch off the root"))
    y.register_hook(lambda g: calls.append("kept hook"))
    y.sum().backward()
    rec("calls", calls)
    rec("handle id is an int", isinstance(handle.id, int))


@scenario
def hook_replaces_grad(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0], True)
    y = x * x
    y.register_hook(lambda g: g + 1)
    y.grad_fn.register_prehook(lambda gout: (gout[0] * 2,))
    y.grad_fn.register_hook(lambda gin, gout: (gin[0] * 3, gin[1]))
    y.sum().backward()
    rec("x.grad", x.grad)
    acc = (x * 1).grad_fn.next_functions[0][0]
    rec("AccumulateGrad", (acc.name(), acc.variable is x, acc.next_functions))


@scenario
def hook_errors(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0], True)
    rec.attempt("hook on a tensor without grad", lambda: T([1.0]).register_hook(lambda g: g))
    rec.attempt(
        "post-accumulate hook on a non-leaf",
        lambda: (x * 2).register_post_accumulate_grad_hook(lambda t: None),
    )
    y = x * 2
    y.register_hook(lambda g: T([1.0, 2.0, 3.0]))
    rec.attempt("hook changes the size", lambda: y.sum().backward())

    def named_hook(g: Any) -> Any:
        return g.sum()

    y = x * 2
    y.register_hook(named_hook)
    rec.attempt("named hook changes the size", lambda: y.sum().backward())
    y = x * 2
    y.register_hook(lambda g: 1)
    rec.attempt("hook returns an int", lambda: y.sum().backward())
    x2 = T([1.0, 2.0], True)
    x2.register_post_accumulate_grad_hook(lambda t: t * 1)
    rec.attempt("post-accumulate hook returns a tensor", lambda: (x2 * 2).sum().backward())
    x3 = T([1.0, 2.0], True)
    x3.register_post_accumulate_grad_hook(lambda t: 5)
    rec.attempt("post-accumulate hook returns an int", lambda: (x3 * 2).sum().backward())
    y = x * T(3.0, True)
    y.grad_fn.register_hook(lambda gin, gout: (gin[0],))
    rec.attempt("node hook returns too few values", lambda: y.sum().backward())
    y = x * 3
    y.grad_fn.register_hook(lambda gin, gout: (gin[0], gin[0]))
    rec.attempt("node hook fills a None slot", lambda: y.sum().backward())


@scenario
def hooks_under_create_graph(lib: Any, T: Any, rec: Any) -> None:
    seen: list[Any] = []
    x = T([1.0, 2.0], True)
    y = x * x
    y.register_hook(lambda g: seen.append((g.requires_grad, lib.is_grad_enabled())))
    lib.autograd.grad(y.sum(), x, create_graph=True)
    rec("create_graph: grad requires grad, grad mode on", seen)
    seen.clear()
    y = x * x
    y.register_hook(lambda g: seen.append((g.requires_grad, lib.is_grad_enabled())))
    y.sum().backward()
    rec("plain backward: grad mode off in hooks", seen)


@scenario
def hook_on_unused_output(lib: Any, T: Any, rec: Any) -> None:
    calls: list[Any] = []
    x = T([1.0, 2.0, 3.0], True)
    a0, a1, a2 = x.unbind()
    a0.register_hook(lambda g: calls.append(("a0", None if g is None else g.tolist())))
    a1.sum().backward()
    rec("hook of the unused output", calls)
    rec("x.grad", x.grad)
