"""Custom autograd Functions against torch: static forward/backward, ctx (saved tensors,
needs_input_grad, attributes), None for non-differentiable inputs, the checks torch
makes on what backward returns, mark_dirty / mark_non_differentiable /
set_materialize_grads, once_differentiable, double backward, and node naming."""

from __future__ import annotations

import pytest
from conftest import BACKENDS
from oracle import PG, TORCH, on_backend, raised, same_as_torch, to_np, torch

import polygrad as pg


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def functions(L):
    """Function classes written once, built on polygrad or on torch."""
    F = L.autograd.Function

    class Scale(F):
        @staticmethod
        def forward(ctx, x, factor, y=None):
            ctx.factor = factor
            ctx.record = (L.is_grad_enabled(), ctx.needs_input_grad)
            ctx.save_for_backward(x, None)
            return x * factor

        @staticmethod
        def backward(ctx, g):
            x, nothing = ctx.saved_tensors
            assert nothing is None
            return g * ctx.factor, None, None

    class Bad(F):
        @staticmethod
        def forward(ctx, x, y):
            return x + y

        @staticmethod
        def backward(ctx, g):
            return (g,)

    class Bad3(F):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return L.ones(5)

    class Bad4(F):
        @staticmethod
        def forward(ctx, x, n):
            return x * n

        @staticmethod
        def backward(ctx, g):
            return g, g

    class Bad5(F):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return [1.0, 2.0]

    class NoBackward(F):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    class SaveInt(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x, 3)
            return x

    class Double(F):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return (g * 2).double(), None, None  # wrong dtype, and trailing Nones

    class TwoOutputs(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, ga, gb):
            ctx.seen = (ga is None, gb is None)
            return ga * 2 + gb * 3

    class Cube(F):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x**2

    return dict(
        Scale=Scale,
        Bad=Bad,
        Bad3=Bad3,
        Bad4=Bad4,
        Bad5=Bad5,
        NoBackward=NoBackward,
        SaveInt=SaveInt,
        Double=Double,
        TwoOutputs=TwoOutputs,
        Cube=Cube,
    )


def test_forward_context_and_gradients(backend):
    def scenario(L):
        fn = functions(L)["Scale"]
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = L.tensor([1.0, 2.0], requires_grad=True)
        out = fn.apply(x, 3.0, y=None)
        node = out.grad_fn
        record = node.ctx.record if not L.is_torch else None
        out.sum().backward()
        plain = fn.apply(L.ones(2), 3.0)
        with L.no_grad():
            quiet = fn.apply(x, 3.0)
        return [
            out,
            node.name(),
            type(node).__name__,
            x.grad,
            y.grad,
            plain.requires_grad,
            quiet.requires_grad,
            record,
        ]

    mine = same_as_torch(lambda L: scenario(L)[:7], backend)
    assert mine[1] == "ScaleBackward" and mine[3][1] == [3.0, 3.0]
    with on_backend(backend):
        record = scenario(PG)[7]
    assert record == (False, (True, False))  # forward runs with grad off


def test_needs_input_grad(backend):
    def scenario(L):
        F = L.autograd.Function
        seen = []

        class Probe(F):
            @staticmethod
            def forward(ctx, a, b, c, n):
                seen.append(ctx.needs_input_grad)
                return a * 1

            @staticmethod
            def backward(ctx, g):
                return g, None, None, None

        Probe.apply(L.ones(1, requires_grad=True), L.ones(1), L.ones(1, requires_grad=True), 4)
        return seen

    assert same_as_torch(scenario, backend) == [(True, False, True, False)]


@pytest.mark.parametrize("name", ["Bad", "Bad3", "Bad4", "Bad5", "NoBackward"])
def test_what_backward_returns_is_checked(name, backend):
    def scenario(L):
        fn = functions(L)[name]
        x = L.ones(2, requires_grad=True)
        args = {"Bad": (x, L.ones(2, requires_grad=True)), "Bad4": (x, 2)}.get(name, (x,))
        return raised(lambda: fn.apply(*args).sum().backward())

    seen = same_as_torch(scenario, backend)
    expected = {
        "Bad": (
            "RuntimeError",
            "function BadBackward returned an incorrect number of gradients (expected 2, got 1)",
        ),
        "Bad3": (
            "RuntimeError",
            "Function Bad3Backward returned an invalid gradient at index 0 "
            "- got [5] but expected shape compatible with [2]",
        ),
        "Bad4": (
            "RuntimeError",
            "function Bad4Backward returned a gradient different than None "
            "at position 2, but the corresponding forward input was not a "
            "Variable",
        ),
        "Bad5": ("RuntimeError", "expected Variable or None (got list)"),
        "NoBackward": (
            "NotImplementedError",
            "You must implement either the backward or vjp "
            "method for your custom autograd.Function to use it with backward mode AD.",
        ),
    }[name]
    assert seen == expected


def test_save_for_backward_accepts_only_tensors(backend):
    def scenario(L):
        return raised(lambda: functions(L)["SaveInt"].apply(L.ones(2, requires_grad=True)))

    assert same_as_torch(scenario, backend) == (
        "TypeError",
        "save_for_backward can only save variables, but argument 1 is of type int",
    )


def test_returned_dtype_is_cast_and_trailing_nones_tolerated(backend):
    def scenario(L):
        x = L.ones(2, requires_grad=True)
        functions(L)["Double"].apply(x).sum().backward()
        return [x.grad]

    assert same_as_torch(scenario, backend)[0][2] == "float32"


def test_two_outputs(backend):
    def scenario(L):
        fn = functions(L)["TwoOutputs"]
        x = L.tensor([1.0, 2.0], requires_grad=True)
        a, b = fn.apply(x)
        (a.sum() + b.sum()).backward()
        first = x.grad.clone()
        x.grad = None
        a, b = fn.apply(x)
        a.sum().backward()  # b unused: its gradient arrives as zeros (materialized)
        return [
            a.grad_fn is b.grad_fn,
            a.output_nr,
            b.output_nr,
            first,
            x.grad,
            a.grad_fn.ctx.seen if not L.is_torch else (False, False),
        ]

    seen = same_as_torch(scenario, backend)
    assert seen[3][1] == [5.0, 5.0] and seen[4][1] == [2.0, 2.0]


def test_saved_tensors_are_freed_after_backward(backend):
    def scenario(L):
        x = L.ones(2, requires_grad=True)
        y = functions(L)["Cube"].apply(x)
        y.sum().backward()
        return [raised(lambda: y.grad_fn.saved_tensors), raised(lambda: y.sum().backward())]

    seen = same_as_torch(scenario, backend)
    assert seen[0][1].startswith("Trying to backward through the graph a second time")


def test_double_backward_through_a_function(backend):
    def scenario(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = functions(L)["Cube"].apply(x)
        (g,) = L.autograd.grad(y.sum(), x, create_graph=True)
        (h,) = L.autograd.grad(g.sum(), x)
        return [g, h]

    seen = same_as_torch(scenario, backend)
    assert seen[0][1] == [3.0, 12.0] and seen[1][1] == [6.0, 12.0]


def test_once_differentiable(backend):
    def scenario(L):
        from_module = pg.autograd.function if not L.is_torch else torch.autograd.function

        class Square(L.autograd.Function):
            @staticmethod
            def forward(ctx, x):
                ctx.save_for_backward(x)
                return x * x

            @staticmethod
            @from_module.once_differentiable
            def backward(ctx, g):
                (x,) = ctx.saved_tensors
                return 2 * x * g

        x = L.tensor([3.0], requires_grad=True)
        (g,) = L.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
        return [g, raised(lambda: L.autograd.grad(g.sum(), x))]

    seen = same_as_torch(scenario, backend)
    assert seen[0][3] is False
    assert seen[1] == (
        "RuntimeError",
        "element 0 of tensors does not require grad and does not have a grad_fn",
    )


def test_mark_dirty_non_differentiable_and_materialize(backend):
    def scenario(L):
        F = L.autograd.Function

        class AddOneInPlace(F):
            @staticmethod
            def forward(ctx, x):
                x.add_(1)
                ctx.mark_dirty(x)
                return x

            @staticmethod
            def backward(ctx, g):
                return g

        class WithIndex(F):
            @staticmethod
            def forward(ctx, x):
                idx = (x > 0).long()
                ctx.mark_non_differentiable(idx)
                return x * 2, idx

            @staticmethod
            def backward(ctx, g, g_idx):
                ctx.got = g_idx
                return g * 2

        class Lazy(F):
            @staticmethod
            def forward(ctx, x):
                ctx.set_materialize_grads(False)
                return x * 2, x * 3

            @staticmethod
            def backward(ctx, ga, gb):
                ctx.none = (ga is None, gb is None)
                return ga * 2

        x = L.tensor([1.0, -2.0], requires_grad=True)
        y = x * 1
        v0 = y._version
        out = AddOneInPlace.apply(y)
        dirty = [out is y, y._version - v0, y.grad_fn.name()]
        out.sum().backward()
        leaf = raised(lambda: AddOneInPlace.apply(L.ones(2, requires_grad=True)))
        values, idx = WithIndex.apply(x)
        values.sum().backward()
        a, b = Lazy.apply(x)
        a.sum().backward()
        return [
            dirty,
            x.grad,
            leaf,
            idx.requires_grad,
            idx,
            values.grad_fn.ctx.got.tolist() if not L.is_torch else [0, 0],
            a.grad_fn.ctx.none if not L.is_torch else (False, True),
        ]

    seen = same_as_torch(scenario, backend)
    assert seen[0][0] is True and seen[0][2] == "AddOneInPlaceBackward"
    assert seen[2] == (
        "RuntimeError",
        "a leaf Variable that requires grad has been used in an in-place operation.",
    )


def test_mutating_a_value_a_function_saved(backend):
    def scenario(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        h = x * 1
        y = functions(L)["Cube"].apply(h)
        h.add_(1)  # Cube saved h: torch raises, polygrad keeps the saved value
        y.sum().backward()
        return [x.grad]

    plain = raised(lambda: scenario(TORCH))
    assert isinstance(plain, RuntimeError) and "modified by an inplace operation" in str(plain)
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        expected = scenario(TORCH)[0]
    with on_backend(backend):
        mine = scenario(PG)[0]
    assert to_np(mine).tolist() == expected.tolist() == [3.0, 12.0]
