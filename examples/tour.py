"""A tour of polygrad: the seed tutorial's autograd chapter (sections 3.1-3.4), run live.

    python examples/tour.py                  # the tour on NumPy, then every backend side by side
    python examples/tour.py --backend torch  # the tour on another backend

Every value printed is computed here, by polygrad, on the chosen array library.
"""

from __future__ import annotations

import argparse
import importlib.util
import os

os.environ.setdefault("JAX_ENABLE_X64", "1")  # float64 on JAX too, for the side-by-side table

import numpy as np

import polygrad as t


def heading(text: str) -> None:
    print(f"\n=== {text} ===")


def show(label: str, value: object) -> None:
    print(f">>> {label}\n{value}")


def section_requires_grad() -> None:
    heading("3.2 requires_grad: tensors that record what happens to them")
    a = t.randn(2, 3, requires_grad=True)
    b = t.zeros(2, 3, requires_grad=True)
    c = a.add(b)
    d = c.sum()
    show("a", a)
    show("c.grad_fn", c.grad_fn)
    show("d", d)
    show("a.is_leaf, b.is_leaf, c.is_leaf, d.is_leaf", (a.is_leaf, b.is_leaf, c.is_leaf, d.is_leaf))

    heading("Automatic vs hand-derived gradient of y = x**2 * exp(x)")
    x = t.randn(3, 4, requires_grad=True)
    y = x**2 * t.exp(x)
    y.backward(t.ones(y.size()))
    by_hand = 2 * x * t.exp(x) + x**2 * t.exp(x)
    show("x.grad", x.grad)
    show("2x·e^x + x²·e^x (by hand)", by_hand)
    difference = float(t.max(t.abs(x.grad - by_hand.detach())))
    print(f"largest difference: {difference:.2e}")


def section_graph() -> None:
    heading("3.3 The computation graph: z = w*x + b")
    x = t.ones(1)
    w = t.rand(1, requires_grad=True)
    b = t.rand(1, requires_grad=True)
    y = w * x
    z = y + b
    show(
        "x, w, b, y, z requires_grad",
        (x.requires_grad, w.requires_grad, b.requires_grad, y.requires_grad, z.requires_grad),
    )
    show("z.grad_fn", z.grad_fn)
    show("z.grad_fn.next_functions", z.grad_fn.next_functions)
    show("z.grad_fn.next_functions[0][0] == y.grad_fn", z.grad_fn.next_functions[0][0] == y.grad_fn)
    show("y.grad_fn.next_functions", y.grad_fn.next_functions)
    z.backward(retain_graph=True)
    show("w.grad after one backward", w.grad)
    z.backward()
    show("w.grad after a second backward (gradients accumulate)", w.grad)
    try:
        z.backward()
    except RuntimeError as error:
        show("a third backward without retain_graph", f"RuntimeError: {str(error)[:80]}...")

    heading("Switching recording off")
    with t.no_grad():
        w = t.rand(1, requires_grad=True)
        y = w * t.ones(1)
    show("inside no_grad: w, y", (w, y))

    heading(".data and .detach(): the values without the history")
    a = t.ones(3, 4, requires_grad=True)
    a.data.sigmoid_()
    show("a after a.data.sigmoid_()", a)
    detached = a.detach()
    show(
        "a.detach().requires_grad, mean, std",
        (detached.requires_grad, detached.mean(), detached.std()),
    )

    heading("Gradients of non-leaves: autograd.grad and hooks")
    w = t.rand(3, requires_grad=True)
    x = t.ones(3, requires_grad=True)
    y = w * x
    z = y.sum()
    show("t.autograd.grad(z, y)", t.autograd.grad(z, y, retain_graph=True))
    handle = y.register_hook(lambda grad: print("hook sees the gradient of y:", grad))
    z.backward()
    handle.remove()

    heading("y = x**2 + 2x on t.Tensor([0, 1, 2])")
    x = t.Tensor([0, 1, 2]).requires_grad_()
    y = x**2 + 2 * x
    z = y.sum()
    print(x, y, z)
    z.backward()
    show("x.grad", x.grad)


class MultiplyAdd(t.autograd.Function):
    """z = w * x + b, with a hand-written backward (x needs no gradient)."""

    @staticmethod
    def forward(ctx, x, w, b, x_requires_grad=True):
        ctx.save_for_backward(w, x)
        return w * x + b

    @staticmethod
    def backward(ctx, grad_output):
        w, x = ctx.saved_tensors
        return grad_output * w, grad_output * x, grad_output, None


def section_function() -> None:
    heading("3.4 Extending autograd with a Function")
    x = t.ones(1)
    w = t.rand(1, requires_grad=True)
    b = t.rand(1, requires_grad=True)
    z = MultiplyAdd.apply(x, w, b)
    show("z.grad_fn", z.grad_fn)
    z.backward()
    show("w.grad, b.grad  # x and 1", (w.grad, b.grad))


def side_by_side() -> None:
    heading("The same program on every installed backend")
    rows = []
    for name in ("numpy", "torch", "jax", "array_api_strict", "dask"):
        if importlib.util.find_spec(name) is None:
            rows.append((name, "not installed", "", ""))
            continue
        x = t.tensor([0.5, -1.0, 2.0], dtype=t.float64, backend=name, requires_grad=True)
        y = (x**2 * t.exp(x)).sum()
        (g,) = t.autograd.grad(y, x, create_graph=True)
        (h,) = t.autograd.grad(g.sum(), x)
        rows.append(
            (
                name,
                y.grad_fn.name(),
                np.round(g.detach().numpy(), 4).tolist(),
                np.round(h.numpy(), 4).tolist(),
            )
        )
    print(f"{'backend':18s} {'grad_fn':14s} {'dy/dx':30s} d2y/dx2")
    for name, fn, g, h in rows:
        print(f"{name:18s} {fn:14s} {str(g):30s} {h}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="numpy")
    args = parser.parse_args()
    t.set_backend(args.backend)
    t.manual_seed(0)
    print(f"polygrad {t.__version__} on {args.backend}")
    section_requires_grad()
    section_graph()
    section_function()
    side_by_side()


if __name__ == "__main__":
    main()
