"""The seed tutorial (../shared/seed/, a PyTorch autograd chapter, sections 3.1-3.4) run
cell by cell with ``import polygrad as t``: each test is one or a few cells, asserting
what the tutorial shows, and where the values are not random, what torch prints for
the same code."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import assert_close, on_backend, to_np, torch

import polygrad as t

NODE_REPR = re.compile(r"<(\w+) object at 0x[0-9a-f]+>")


@pytest.fixture(params=BACKENDS)
def backend(request):
    with on_backend(request.param):
        yield request.param
    t.set_grad_enabled(True)  # a failing cell must not leave grad mode off for others


def values(x):
    return to_np(x.detach())


# -- 3.2 requires_grad -------------------------------------------------------------------


def test_in2_three_ways_to_require_grad(backend):
    a = t.randn(2, 3, requires_grad=True)
    assert a.requires_grad and a.is_leaf and tuple(a.shape) == (2, 3)
    a = t.randn(2, 3).requires_grad_()
    assert a.requires_grad and a.is_leaf
    a = t.rand(2, 3)
    assert not a.requires_grad
    a.requires_grad = True
    assert a.requires_grad and a.dtype == t.float32
    assert ((values(a) >= 0) & (values(a) < 1)).all()
    assert repr(a).startswith("tensor([[") and repr(a).endswith("]], requires_grad=True)")


def test_in4_to_in6_add_sum_is_leaf(backend):
    a = t.rand(2, 3)
    a.requires_grad = True
    b = t.zeros(2, 3, requires_grad=True)
    c = a.add(b)
    assert c.grad_fn.name() == "AddBackward0"
    assert NODE_REPR.fullmatch(repr(c.grad_fn)).group(1) == "AddBackward0"
    d = c.sum()
    total = float(values(a).sum())
    assert str(d) == f"tensor({total:.4f}, grad_fn=<SumBackward0>)"
    d.backward  # noqa: B018 - the tutorial's cell reads the method without calling it
    assert str(d) == f"tensor({total:.4f}, grad_fn=<SumBackward0>)"
    assert a.grad is None  # nothing was computed
    assert (a.is_leaf, b.is_leaf, c.is_leaf, d.is_leaf) == (True, True, False, False)


def f(x):
    y = x**2 * t.exp(x)
    return y


def gradf(x):
    dx = 2 * x * t.exp(x) + x**2 * t.exp(x)
    return dx


def test_in7_to_in10_automatic_vs_hand_derived_gradient(backend):
    x = t.randn(3, 4, requires_grad=True)
    y = f(x)
    assert y.grad_fn.name() == "MulBackward0"
    assert repr(y).endswith("grad_fn=<MulBackward0>)")
    y.backward(t.ones(y.size()))
    by_hand = gradf(x)
    assert by_hand.grad_fn.name() == "AddBackward0"
    assert x.grad.grad_fn is None and x.grad.dtype == t.float32
    assert_close(x.grad, values(by_hand), rtol=1e-5, atol=1e-6)
    # the same values through torch
    tx = torch.tensor(values(x), requires_grad=True)
    (tx**2 * torch.exp(tx)).backward(torch.ones(3, 4))
    assert_close(x.grad, tx.grad, rtol=1e-5, atol=1e-6)


# -- 3.3 the computation graph -------------------------------------------------------------


def test_in11_to_in18_graph_structure(backend):
    x = t.ones(1)
    w = t.rand(1, requires_grad=True)
    b = t.rand(1, requires_grad=True)
    y = w * x
    z = y + b
    assert (
        x.requires_grad,
        w.requires_grad,
        b.requires_grad,
        y.requires_grad,
        z.requires_grad,
    ) == (False, True, True, True, True)
    assert (x.is_leaf, w.is_leaf, b.is_leaf, y.is_leaf, z.is_leaf) == (
        True,
        True,
        True,
        False,
        False,
    )
    assert NODE_REPR.fullmatch(repr(z.grad_fn)).group(1) == "AddBackward0"
    (mul, mul_nr), (acc_b, acc_b_nr) = z.grad_fn.next_functions
    assert (mul.name(), mul_nr) == ("MulBackward0", 0)
    assert type(acc_b).__name__ == "AccumulateGrad" and acc_b_nr == 0
    assert acc_b.variable is b
    assert z.grad_fn.next_functions[0][0] == y.grad_fn
    assert z.grad_fn.next_functions[0][0] is y.grad_fn
    (acc_w, nr_w), (const, nr_const) = y.grad_fn.next_functions
    assert type(acc_w).__name__ == "AccumulateGrad" and acc_w.variable is w
    assert (nr_w, const, nr_const) == (0, None, 0)
    assert (w.grad_fn, x.grad_fn) == (None, None)
    # one AccumulateGrad per leaf, shared by every op that uses it
    assert (w * 2).grad_fn.next_functions[0][0] is acc_w
    assert repr(z.grad_fn.next_functions).count("AccumulateGrad object at 0x") == 1


def test_in19_in20_gradients_accumulate_and_retain_graph(backend):
    x = t.ones(1)
    w = t.rand(1, requires_grad=True)
    b = t.rand(1, requires_grad=True)
    z = w * x + b
    z.backward(retain_graph=True)
    assert str(w.grad) == "tensor([1.])"
    first = w.grad
    z.backward()
    assert str(w.grad) == "tensor([2.])"
    assert w.grad is first  # accumulated into the same tensor
    assert str(b.grad) == "tensor([2.])"
    with pytest.raises(
        RuntimeError,
        match=re.escape(
            "Trying to backward through the graph a second time (or directly access saved "
            "tensors after they have already been freed). Saved intermediate values of the "
            "graph are freed when you call .backward() or autograd.grad(). Specify "
            "retain_graph=True if you need to backward through the graph a second time or "
            "if you need to access saved tensors after calling backward."
        ),
    ):
        z.backward()


def test_in21_requires_grad_spreads_to_results(backend):
    w = t.rand(1, requires_grad=True)
    x = t.ones(1, requires_grad=True)
    y = w * x
    wv = float(values(w)[0])
    assert (repr(w), repr(x), repr(y)) == (
        f"tensor([{wv:.4f}], requires_grad=True)",
        "tensor([1.], requires_grad=True)",
        f"tensor([{wv:.4f}], grad_fn=<MulBackward0>)",
    )


def test_in22_no_grad(backend):
    with t.no_grad():
        w = t.rand(1, requires_grad=True)
        x = t.ones(1)
        y = w * x
    wv = float(values(w)[0])
    assert (repr(w), repr(x), repr(y)) == (
        f"tensor([{wv:.4f}], requires_grad=True)",
        "tensor([1.])",
        f"tensor([{wv:.4f}])",
    )
    assert w.requires_grad and not y.requires_grad and y.grad_fn is None and y.is_leaf
    assert t.is_grad_enabled()


def test_in23_in24_set_grad_enabled_as_a_plain_call(backend):
    try:
        t.set_grad_enabled(False)
        assert not t.is_grad_enabled()
        w = t.rand(1, requires_grad=True)
        x = t.ones(1)
        y = w * x
        assert w.requires_grad and not y.requires_grad and y.grad_fn is None
        assert repr(y) == f"tensor([{float(values(w)[0]):.4f}])"
    finally:
        switch = t.set_grad_enabled(True)
    assert t.is_grad_enabled()
    # torch prints torch.autograd.grad_mode.set_grad_enabled(mode=True)
    assert repr(switch).endswith("set_grad_enabled(mode=True)")
    assert repr(switch).startswith("polygrad.")


def test_in25_to_in28_data_is_outside_the_graph(backend):
    a = t.ones(3, 4, requires_grad=True)
    b = t.ones(3, 4, requires_grad=True)
    c = a * b
    assert repr(a.data) == repr(torch.ones(3, 4))
    assert a.data.requires_grad is False
    d = a.data.sigmoid_()
    assert d.requires_grad is False
    assert repr(a) == repr(torch.ones(3, 4).sigmoid().requires_grad_())
    assert a.requires_grad and a.is_leaf
    assert c.grad_fn.name() == "MulBackward0"


def test_in29_in30_detach_and_statistics(backend):
    a = t.ones(3, 4, requires_grad=True)
    a.data.sigmoid_()
    tensor = a.detach()
    assert tensor.requires_grad is False
    assert repr((tensor, tensor.requires_grad)) == repr((torch.ones(3, 4).sigmoid(), False))
    mean = tensor.mean()
    std = tensor.std()
    assert (repr(mean), repr(std)) == ("tensor(0.7311)", "tensor(0.)")
    assert mean.grad_fn is None and std.grad_fn is None


def test_in31_in32_non_leaf_grad_is_none_with_torch_warning(backend):
    w = t.rand(1, requires_grad=True)
    x = t.ones(1, requires_grad=True)
    y = w * x
    z = y.sum()
    assert repr(z) == f"tensor({float(values(w)[0]):.4f}, grad_fn=<SumBackward0>)"
    z.backward()
    assert str(w.grad) == "tensor([1.])"
    assert_close(x.grad, values(w))
    with pytest.warns(UserWarning, match=r"The \.grad attribute of a Tensor that is not a leaf"):
        assert y.grad is None


def test_in33_in34_autograd_grad_of_an_intermediate(backend):
    w = t.rand(3, requires_grad=True)
    x = t.ones(3, requires_grad=True)
    y = w * x
    z = y.sum()
    result = t.autograd.grad(z, y)
    assert isinstance(result, tuple) and len(result) == 1
    assert repr(result) == "(tensor([1., 1., 1.]),)"
    assert w.grad is None and x.grad is None  # grad() never touches .grad


def test_in35_hook_then_remove(backend, capsys):
    def variable_hook(grad):
        print("y的梯度：", grad)

    w = t.rand(3, requires_grad=True)
    x = t.ones(3, requires_grad=True)
    y = w * x
    z = y.sum()
    hook = y.register_hook(variable_hook)
    z.backward()
    hook.remove()
    assert capsys.readouterr().out == "y的梯度： tensor([1., 1., 1.])\n"
    hook.remove()  # idempotent

    y = w + x  # a graph that can run twice without retain_graph (nothing saved)
    hook = y.register_hook(variable_hook)
    y.sum().backward()
    hook.remove()
    y.sum().backward()  # the removed hook is not called again
    assert capsys.readouterr().out == "y的梯度： tensor([1., 1., 1.])\n"


def test_in36_in37_legacy_tensor_and_explicit_gradient(backend):
    x = t.Tensor([0, 1, 2]).requires_grad_()
    y = x**2 + 2 * x
    z = y.sum()
    assert x.dtype == t.float32
    line = " ".join(str(v) for v in (x, y, z))
    assert line == (
        "tensor([0., 1., 2.], requires_grad=True) tensor([0., 3., 8.], "
        "grad_fn=<AddBackward0>) tensor(11., grad_fn=<SumBackward0>)"
    )
    tx = torch.Tensor([0, 1, 2]).requires_grad_()
    ty = tx**2 + 2 * tx
    assert line == " ".join(str(v) for v in (tx, ty, ty.sum()))
    z.backward()
    assert repr(x.grad) == "tensor([2., 4., 6.])"

    x = t.Tensor([0, 1, 2]).requires_grad_()
    y = x**2 + 2 * x
    y_gredient = t.Tensor([1, 1, 1])  # dz/dy
    y.backward(y_gredient)
    assert repr(x.grad) == "tensor([2., 4., 6.])"


def test_original_chapter_second_derivative_through_create_graph(backend):
    x = t.tensor([5.0], requires_grad=True)
    y = x**2
    grad_x = t.autograd.grad(y, x, create_graph=True)
    assert repr(grad_x) == "(tensor([10.], grad_fn=<MulBackward0>),)"
    grad_grad_x = t.autograd.grad(grad_x[0], x)
    assert repr(grad_grad_x) == "(tensor([2.]),)"


# -- 3.4 extending autograd: a custom Function ----------------------------------------------


def make_functions(lib):
    """The tutorial's Functions, written once and built on polygrad or on torch."""
    Function = lib.autograd.Function

    class MultiplyAdd(Function):
        @staticmethod
        def forward(ctx, w, x, b, x_requires_grad=True):
            ctx.x_requires_grad = x_requires_grad  # state that is not a tensor
            ctx.save_for_backward(w, x)
            output = w * x + b
            return output

        @staticmethod
        def backward(ctx, grad_output):
            w, x = ctx.saved_tensors
            grad_w = grad_output * x
            grad_x = grad_output * w if ctx.x_requires_grad else None
            grad_b = grad_output * 1
            return grad_w, grad_x, grad_b, None  # None: x_requires_grad is not a tensor

    class Sigmoid(Function):
        @staticmethod
        def forward(ctx, x):
            output = 1 / (1 + lib.exp(-x))
            ctx.save_for_backward(output)  # an intermediate result, kept for backward
            return output

        @staticmethod
        def backward(ctx, grad_output):
            (output,) = ctx.saved_tensors
            return output * (1 - output) * grad_output

    return MultiplyAdd, Sigmoid


def test_custom_function_multiply_add(backend):
    MultiplyAdd, _ = make_functions(t)
    TMultiplyAdd, _ = make_functions(torch)
    x = t.ones(1)
    w = t.rand(1, requires_grad=True)
    b = t.rand(1, requires_grad=True)
    z = MultiplyAdd.apply(w, x, b)
    assert z.grad_fn.name() == "MultiplyAddBackward"
    assert type(z.grad_fn).__name__ == "MultiplyAddBackward"
    assert [(type(n).__name__ if n else None, i) for n, i in z.grad_fn.next_functions] == [
        ("AccumulateGrad", 0),
        (None, 0),
        ("AccumulateGrad", 0),
    ]
    assert z.grad_fn.next_functions[0][0].variable is w
    z.backward()
    assert (x.grad, str(w.grad), str(b.grad)) == (None, "tensor([1.])", "tensor([1.])")
    # the same in torch
    tw = torch.tensor(values(w), requires_grad=True)
    tb = torch.tensor(values(b), requires_grad=True)
    tz = TMultiplyAdd.apply(tw, torch.ones(1), tb)
    assert tz.grad_fn.name() == "MultiplyAddBackward"
    assert_close(z.detach(), tz, rtol=1e-6)
    tz.backward()
    assert_close(w.grad, tw.grad) and assert_close(b.grad, tb.grad)


def test_custom_function_with_non_differentiable_flag(backend):
    MultiplyAdd, _ = make_functions(t)
    x = t.ones(1, requires_grad=True)
    w = t.rand(1, requires_grad=True)
    b = t.rand(1, requires_grad=True)
    z = MultiplyAdd.apply(w, x, b, False)  # the flag turns x's gradient off
    z.backward()
    assert x.grad is None and str(w.grad) == "tensor([1.])"
    x.grad = None
    z = MultiplyAdd.apply(w, x, b, True)
    z.backward()
    assert_close(x.grad, values(w))


def test_custom_function_saves_an_intermediate_and_matches_autograd(backend):
    _, Sigmoid = make_functions(t)
    x = t.randn(3, 4, requires_grad=True)
    y = Sigmoid.apply(x)
    assert y.grad_fn.name() == "SigmoidBackward"
    y.backward(t.ones(x.size()))
    custom = x.grad
    x.grad = None
    y = 1 / (1 + t.exp(-x))  # the same through built-in ops
    y.backward(t.ones(x.size()))
    assert_close(custom, x.grad, rtol=1e-6, atol=1e-7)
    # and through the built-in sigmoid
    x.grad = None
    t.sigmoid(x).backward(t.ones(x.size()))
    assert_close(custom, x.grad, rtol=1e-6, atol=1e-7)


def test_custom_function_backward_is_differentiable(backend):
    _, Sigmoid = make_functions(t)
    _, TSigmoid = make_functions(torch)
    data = np.linspace(-2, 2, 5)
    x = t.tensor(data, requires_grad=True)
    tx = torch.tensor(data, requires_grad=True)
    (g,) = t.autograd.grad(Sigmoid.apply(x).sum(), x, create_graph=True)
    (tg,) = torch.autograd.grad(TSigmoid.apply(tx).sum(), tx, create_graph=True)
    assert_close(g, tg)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        (h,) = t.autograd.grad(g.sum(), x)
        (th,) = torch.autograd.grad(tg.sum(), tx)
    assert_close(h, th)
