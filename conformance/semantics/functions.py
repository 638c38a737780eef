"""Scenarios: custom ``autograd.Function`` (grad mode in forward/backward, saved
tensors, needs_input_grad, non-tensor arguments, ctx features, double backward,
``once_differentiable``) and its errors."""

from __future__ import annotations

from typing import Any

from . import scenario


def _once_differentiable(lib: Any) -> Any:
    if lib.__name__ == "torch":
        return lib.autograd.function.once_differentiable
    return lib.autograd.once_differentiable


@scenario
def function_basics(lib: Any, T: Any, rec: Any) -> None:
    class ScaledExp(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any, scale: float, other: Any) -> Any:
            rec("grad mode in forward", lib.is_grad_enabled())
            y = x.exp() * scale
            ctx.save_for_backward(y, None)
            ctx.scale = scale
            return y + other

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            rec("grad mode in backward", lib.is_grad_enabled())
            rec("needs_input_grad", ctx.needs_input_grad)
            y, nothing = ctx.saved_tensors
            rec("a saved None comes back as None", nothing)
            return g * y, None, g

    x, other = T([0.0, 1.0], True), T([1.0, 1.0])
    y = ScaledExp.apply(x, 2.0, other)
    rec("output", y)
    rec("node", (y.grad_fn.name(), type(y.grad_fn).__name__))
    y.sum().backward()
    rec("x.grad", x.grad)
    rec.attempt("saved_tensors after backward", lambda: y.grad_fn.saved_tensors)
    with lib.no_grad():
        rec("under no_grad", ScaledExp.apply(x, 1.0, other).requires_grad)
    rec("no input requires grad", ScaledExp.apply(T([1.0]), 1.0, T([0.0])).requires_grad)
    rec("keyword arguments", ScaledExp.apply(x, scale=1.0, other=other))


@scenario
def function_errors(lib: Any, T: Any, rec: Any) -> None:
    Function = lib.autograd.Function
    x, y = T([1.0, 2.0], True), T([3.0, 4.0], True)

    class Bad(Function):
        @staticmethod
        def forward(ctx: Any, a: Any, b: Any) -> Any:
            return a * b

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g

    class Bad3(Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            return a * 2

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return T([1.0] * 5)

    class Bad4(Function):
        @staticmethod
        def forward(ctx: Any, a: Any, k: float) -> Any:
            return a * k

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g, g

    class NoBackward(Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            return a * 2

    class SavesInt(Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            ctx.save_for_backward(a, 1)
            return a * 2

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g

    class DirtyNotReturned(Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            ctx.mark_dirty(a)
            return a * 2

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g

    rec.attempt("too few gradients", lambda: Bad.apply(x, y).sum().backward())
    rec.attempt("gradient of the wrong shape", lambda: Bad3.apply(x).sum().backward())
    rec.attempt("gradient for a non-tensor input", lambda: Bad4.apply(x, 2.0).sum().backward())
    rec.attempt("no backward", lambda: NoBackward.apply(x).sum().backward())
    rec.attempt("save_for_backward of an int", lambda: SavesInt.apply(x))
    rec.attempt("mark_dirty without returning it", lambda: DirtyNotReturned.apply(x * 1))


@scenario
def function_ctx_features(lib: Any, T: Any, rec: Any) -> None:
    Function = lib.autograd.Function

    class TwoOutputs(Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            doubled, tripled = a * 2, a * 3
            ctx.mark_non_differentiable(tripled)
            return doubled, tripled

        @staticmethod
        def backward(ctx: Any, g_doubled: Any, g_tripled: Any) -> Any:
            rec("grad of the non-differentiable output", g_tripled)
            return g_doubled * 2

    class Unmaterialized(Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            ctx.set_materialize_grads(False)
            return a * 2, a * 3

        @staticmethod
        def backward(ctx: Any, g0: Any, g1: Any) -> Any:
            rec("unused output's grad without materialize", g1)
            return g0 * 2

    class DoubleInPlace(Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            a.mul_(2)
            ctx.mark_dirty(a)
            return a

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g * 2

    x = T([1.0, 2.0], True)
    d, t = TwoOutputs.apply(x)
    rec("requires_grad of the outputs", (d.requires_grad, t.requires_grad))
    d.sum().backward()
    rec("x.grad", x.grad)
    u0, _ = Unmaterialized.apply(x)
    u0.sum().backward()
    rec("x.grad after the second function", x.grad)
    base = x * 1
    out = DoubleInPlace.apply(base)
    rec("mark_dirty returns the input object", out is base)
    rec("its version", base._version)
    rec("its node", base.grad_fn)
    rec.attempt(
        "mark_dirty on a leaf that requires grad", lambda: DoubleInPlace.apply(T([1.0], True))
    )


@scenario
def function_double_backward(lib: Any, T: Any, rec: Any) -> None:
    Function = lib.autograd.Function

    class Cube(Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            ctx.save_for_backward(a)
            return a**3

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            (a,) = ctx.saved_tensors
            return g * 3 * a**2

    class CubeOnce(Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            ctx.save_for_backward(a)
            return a**3

        @staticmethod
        @_once_differentiable(lib)
        def backward(ctx: Any, g: Any) -> Any:
            (a,) = ctx.saved_tensors
            return g * 3 * a**2

    x = T([1.0, 2.0], True)
    (g,) = lib.autograd.grad(Cube.apply(x).sum(), x, create_graph=True)
    rec("first derivative", g)
    rec("second derivative", lib.autograd.grad(g.sum(), x))
    (g2,) = lib.autograd.grad(CubeOnce.apply(x).sum(), x, create_graph=True)
    rec("once_differentiable: no graph", g2)
    rec.attempt(
        "second derivative through once_differentiable", lambda: lib.autograd.grad(g2.sum(), x)
    )
