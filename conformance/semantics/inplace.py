"""Scenarios: in-place operations, version counters, history rebase, and the one
deliberate difference: writes to values saved for backward give the gradient torch
computes under ``allow_mutation_on_saved_tensors`` instead of an error."""

from __future__ import annotations

from typing import Any

from . import scenario


@scenario
def version_counter(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0, 3.0], True)
    y = x * 2
    rec("new result", y._version)
    y.add_(1)
    rec("after add_", y._version)
    y += 1
    rec("after +=", y._version)
    y[0] = 5.0
    rec("after y[0] = 5", y._version)
    y.copy_(T([1.0, 1.0, 1.0]))
    rec("after copy_", y._version)
    with lib.no_grad():
        y.mul_(2)
    rec("in-place under no_grad still counts", y._version)
    rec("clone starts at 0", y.clone()._version)
    d = y.detach()
    d.add_(1)
    rec("detach shares the counter", (y._version, d._version))


@scenario
def inplace_on_leaves(lib: Any, T: Any, rec: Any) -> None:
    a = T([1.0, 2.0, 3.0], True)
    rec.attempt("add_ on a leaf that requires grad", lambda: a.add_(1))
    rec.attempt("a[0] = 5 on such a leaf", lambda: a.__setitem__(0, 5.0))
    with lib.no_grad():
        a.mul_(3)
    rec("under no_grad: still a leaf", (a.is_leaf, a.grad_fn, a._version, a))
    plain, w = T([1.0, 2.0]), T([3.0, 4.0], True)
    plain.add_(w)
    rec("plain.add_(w): a non-leaf now", (plain.is_leaf, plain.requires_grad, plain.grad_fn))
    p2 = T([1.0, 2.0])
    p2[0] = w[1]
    rec("plain[0] = w[1]", (p2.is_leaf, p2.requires_grad, p2.grad_fn))
    (plain.sum() + p2.sum()).backward()
    rec("w.grad", w.grad)


@scenario
def inplace_rebase(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0, 3.0], True)
    y = x * 2
    y.add_(1)
    rec("grad_fn after add_", y.grad_fn)
    rec("its first edge is the old node", y.grad_fn.next_functions[0][0])
    y.mul_(T([1.0, 0.5, 2.0]))
    y[1] = 0.0
    rec("grad_fn after y[1] = 0", y.grad_fn)
    y.exp_()
    y.sum().backward()
    rec("x.grad", x.grad)
    z = x * 1
    z.zero_()
    rec("zero_", z.grad_fn)
    z.fill_(2.0)
    rec("fill_", z.grad_fn)
    z.copy_(x * 3)
    rec("copy_", z.grad_fn)
    x.grad = None
    z.sum().backward()
    rec("x.grad through copy_", x.grad)


@scenario(mutates_saved=True)
def write_to_saved_input(lib: Any, T: Any, rec: Any) -> None:
    a = T([1.0, 1.0, 1.0], True)
    b = a * 2
    c = b * b
    b.add_(1)
    rec.attempt("backward after b.add_(1)", lambda: c.sum().backward())
    rec("a.grad", a.grad)
    rec("b after the write", b)


@scenario(mutates_saved=True)
def write_to_saved_output(lib: Any, T: Any, rec: Any) -> None:
    a = T([0.0, 1.0], True)
    b = a.exp()
    b.add_(1)
    b.add_(1)
    rec.attempt("exp's saved result written twice", lambda: b.sum().backward())
    rec("a.grad", a.grad)
    s = T([0.5, -0.5], True)
    t = s.sigmoid()
    u = t * 3
    t.mul_(2)
    (u + t).sum().backward()
    rec("sigmoid's saved result", s.grad)


@scenario(mutates_saved=True)
def write_to_saved_by_setitem(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0, 3.0], True)
    y = x * 1
    z = (y * y).sum()
    if lib.__name__ == "torch":
        # allow_mutation_on_saved_tensors misses writes through a view (y[1] = 0 gives
        # [3, 0, 7], using the new value); the same write as mul_ is handled: [3, 4, 7]
        y.mul_(T([1.0, 0.0, 1.0]))
    else:
        y[1] = 0.0
    (z + y.sum()).backward()
    rec("x.grad", x.grad)


@scenario(mutates_saved=True)
def update_leaf_between_forward_and_backward(lib: Any, T: Any, rec: Any) -> None:
    w = T([1.0, 2.0], True)
    loss = (w * w).sum()
    with lib.no_grad():
        w.sub_(T([0.5, 0.5]))  # an optimizer step before backward
    loss.backward()
    rec("w.grad from the forward's w", w.grad)
    rec("w", w)


@scenario
def inplace_through_views(lib: Any, T: Any, rec: Any) -> None:
    x = T([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], True)
    y = x * 2
    v = y[:, 1:]
    row = y[0]
    v.mul_(2)
    rec("the base sees a write into its view", y)
    rec("another view of the base sees it too", row)
    rec("the base's grad_fn", y.grad_fn)
    rec("the written view's grad_fn", v.grad_fn)
    rec("the other view's grad_fn", row.grad_fn)
    rec("one version counter", (y._version, v._version, row._version))
    y.t()[0].add_(1)
    rec("a write through a transpose", y)
    (y * y).sum().backward()
    rec("x.grad", x.grad)
    rec.attempt("in place on a view of a leaf", lambda: x[0].mul_(2))
    a = (x * 2).unbind()[0]
    rec.attempt("in place on an unbind output", lambda: a.mul_(2))
