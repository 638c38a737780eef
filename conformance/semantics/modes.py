"""Scenarios: grad modes (no_grad, enable_grad, set_grad_enabled as function, context
and decorator), detach and .data, requires_grad rules, leaving the graph."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from . import scenario


@scenario
def no_grad_results(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0, 2.0], True)
    with lib.no_grad():
        y = x * 2
        w = lib.ones(2, requires_grad=True)
        rec("is_grad_enabled inside", lib.is_grad_enabled())
    rec("result", y)
    rec("result is a leaf", y.is_leaf)
    rec("factory requires_grad inside no_grad", w.requires_grad)
    rec.attempt("backward of a no-grad result", lambda: y.sum().backward())
    z = (x * x).sum()
    with lib.no_grad():
        z.backward()
    rec("backward inside no_grad", x.grad)


@scenario
def grad_mode_forms(lib: Any, T: Any, rec: Any) -> None:
    x = T([1.0], True)
    lib.set_grad_enabled(False)
    rec("set_grad_enabled(False) as a function", (x * 2).requires_grad)
    lib.set_grad_enabled(True)
    rec("set_grad_enabled(True)", (x * 2).requires_grad)
    with lib.set_grad_enabled(False):
        rec("as a context", (x * 2).requires_grad)
    rec("restored", lib.is_grad_enabled())
    with lib.no_grad():
        with lib.enable_grad():
            rec("enable_grad inside no_grad", (x * 2).requires_grad)
        rec("back in no_grad", (x * 2).requires_grad)

    @lib.no_grad()
    def called(v: Any) -> Any:
        """doc"""
        return v * 2

    @lib.no_grad
    def bare(v: Any) -> Any:
        return v * 2

    rec("decorator", called(x).requires_grad)
    rec("bare decorator", bare(x).requires_grad)
    rec("decorators keep name and doc", (called.__name__, called.__doc__, bare.__name__))

    @lib.set_grad_enabled(False)
    def disabled(v: Any) -> Any:
        return v * 2

    rec("set_grad_enabled decorator", disabled(x).requires_grad)
    rec("after the decorated call", lib.is_grad_enabled())
    reused = lib.no_grad()
    with reused:
        with reused:
            pass
    rec("one no_grad instance nested", lib.is_grad_enabled())
    lib.set_grad_enabled(True)
    rec.attempt("set_grad_enabled(1)", lambda: lib.set_grad_enabled(1))


@scenario
def seed_no_grad(lib: Any, T: Any, rec: Any) -> None:
    with lib.no_grad():
        w = T([0.5], True)
        x = lib.ones(1)
        y = w * x
    rec("w, x, y", (w, x, y))
    lib.set_grad_enabled(False)
    w2 = T([0.25], True)
    y2 = w2 * lib.ones(1)
    rec("after set_grad_enabled(False)", (w2, y2))
    lib.set_grad_enabled(True)
    rec("after set_grad_enabled(True)", (w2 * lib.ones(1)).requires_grad)


@scenario
def detach_shares_version(lib: Any, T: Any, rec: Any) -> None:
    a = T([1.0, 2.0, 3.0], True)
    d = a.detach()
    rec("detached", (d.requires_grad, d.is_leaf, d.grad_fn))
    d[0] = 10.0
    rec("a sees the write", a)
    rec("versions", (a._version, d._version))
    b = (a * 2).detach()
    rec("detach of a non-leaf", (b, b.is_leaf))
    rec.attempt("detach_ on a leaf", lambda: T([1.0], True).detach_())


@scenario(mutates_saved=True)
def detach_write_to_saved(lib: Any, T: Any, rec: Any) -> None:
    a = T([1.0, 2.0, 3.0], True)
    d = a.detach()
    y = a * a
    d.add_(1)
    rec.attempt("backward after writing a saved leaf through detach()", lambda: y.sum().backward())
    rec("a.grad uses the forward's values", a.grad)


@scenario
def data_is_unseen(lib: Any, T: Any, rec: Any) -> None:
    a = T([1.0, 2.0, 3.0], True)
    dd = a.data
    y = a * a
    dd.add_(1)
    rec("versions", (a._version, dd._version))
    y.sum().backward()
    rec("a.grad uses the new values (silently)", a.grad)
    rec(".data is a new object each time", a.data is a.data)
    rec(".data requires_grad", a.data.requires_grad)


@scenario
def seed_data_sigmoid(lib: Any, T: Any, rec: Any) -> None:
    a, b = T(np.ones((3, 4)), True), T(np.ones((3, 4)), True)
    c = a * b
    rec("a.data", a.data)
    d = a.data.sigmoid_()
    rec("d.requires_grad", d.requires_grad)
    rec("a changed, keeps requires_grad", a)
    t = a.detach()
    rec("detached mean and std", (t.mean(), t.std()))
    rec("c unchanged", c)


@scenario
def requires_grad_rules(lib: Any, T: Any, rec: Any) -> None:
    a = T([1.0, 2.0], True)
    b = a * 2
    rec.attempt("non-leaf requires_grad = False", lambda: setattr(b, "requires_grad", False))
    rec.attempt("non-leaf requires_grad = True", lambda: setattr(b, "requires_grad", True))
    rec.attempt("non-leaf requires_grad_(True)", lambda: b.requires_grad_(True))
    rec.attempt("non-leaf requires_grad_(False)", lambda: b.requires_grad_(False))
    i = T([1, 2, 3], dtype="int32")
    rec.attempt("int requires_grad = True", lambda: setattr(i, "requires_grad", True))
    rec.attempt("int requires_grad_()", lambda: i.requires_grad_())
    rec.attempt(
        "int factory requires_grad", lambda: lib.ones(3, dtype=lib.int32, requires_grad=True)
    )
    rec.attempt("bool requires_grad_()", lambda: T([True]).requires_grad_())
    plain, w = T([1.0, 1.0]), T([1.0, -1.0], True)
    rec("plain * plain", (plain * plain).requires_grad)
    rec("plain * w", (plain * w).requires_grad)
    rec("ones_like(w)", lib.ones_like(w).requires_grad)
    rec("w > 0", (w > 0).requires_grad)
    rec("where(w > 0, w, plain)", lib.where(w > 0, w, plain).requires_grad)
    rec("is_leaf of w * 0.1 and of a no-op w.float()", ((w * 0.1).is_leaf, w.float().is_leaf))


@scenario
def leaving_the_graph(lib: Any, T: Any, rec: Any) -> None:
    w = T([1.0, -1.0], True)
    rec.attempt("numpy() of a tensor that requires grad", lambda: w.numpy())
    rec.attempt("numpy(force=True)", lambda: w.numpy(force=True).tolist())
    # torch warns here only once per process (TORCH_WARN_ONCE): compare the value only
    rec("float()", rec.quiet(lambda: float(w.sum())))
    rec.attempt("item() does not warn", lambda: w.sum().item())
    rec.attempt("tolist()", lambda: w.tolist())
    rec.attempt("deepcopy of a non-leaf", lambda: copy.deepcopy(w * 2))
    rec.attempt("deepcopy of a leaf", lambda: copy.deepcopy(w))
    rec.attempt(".grad of the wrong size", lambda: setattr(w, "grad", T([1.0, 2.0, 3.0])))
    rec.attempt(".grad set to a list", lambda: setattr(w, "grad", [1.0, 2.0]))
    w.grad = T([0.5, 0.5])
    rec(".grad assigned", w.grad)
