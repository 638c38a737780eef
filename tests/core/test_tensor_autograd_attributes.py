"""Autograd attributes of a Tensor against torch: requires_grad and its errors, is_leaf,
grad (assignment checks), retain_grad, register_hook and its errors, detach vs .data,
numpy()/float() conversions, deepcopy. Each scenario runs the same code on polygrad
and on torch and compares what a user sees (values, flags, node names, error type and
message)."""

from __future__ import annotations

import copy
import re
import warnings

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import assert_same, on_backend, raised, run_both, same_as_torch, to_np, torch

import polygrad as pg


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


# -- requires_grad ------------------------------------------------------------------------


def test_requires_grad_on_integer_tensors_three_wordings(backend):
    def scenario(L):
        return [
            raised(lambda: L.ones(3, dtype=L.long, requires_grad=True)),
            raised(lambda: L.tensor([1, 2, 3], requires_grad=True)),
            raised(lambda: setattr(L.arange(3), "requires_grad", True)),
            raised(lambda: L.arange(3).requires_grad_()),
            raised(lambda: L.tensor([True, False]).requires_grad_()),
        ]

    seen = same_as_torch(scenario, backend)
    assert seen[0] == (
        "RuntimeError",
        "Only Tensors of floating point and complex dtype can require gradients",
    )
    assert seen[2] == (
        "RuntimeError",
        "only Tensors of floating point and complex dtype can require gradients",
    )
    assert seen[3] == ("RuntimeError", "only Tensors of floating point dtype can require gradients")


def test_complex_leaves_can_require_grad_every_way(backend):
    def scenario(L):
        z = L.tensor([1 + 2j, -0.5j], dtype=L.complex128)
        a = z.clone().requires_grad_()
        b = z.clone()
        b.requires_grad = True
        c = L.ones(2, dtype=L.complex64, requires_grad=True)
        (a.abs().sum() + (b * b).real.sum()).backward()
        return [a, b, c, a.grad, b.grad, raised(lambda: L.arange(3).requires_grad_())]

    seen = same_as_torch(scenario, backend)
    assert [leaf[3] for leaf in seen[:3]] == [True, True, True]
    assert seen[5] == ("RuntimeError", "only Tensors of floating point dtype can require gradients")


def test_requires_grad_setter_on_non_leaves(backend):
    def scenario(L):
        a = L.ones(3, requires_grad=True)
        b = a * 2
        return [
            raised(lambda: setattr(b, "requires_grad", False)),
            raised(lambda: setattr(b, "requires_grad", True)),
            raised(lambda: b.requires_grad_(False)),
            b.requires_grad_(True) is b,  # a silent no-op
            b.requires_grad,
            b.is_leaf,
            a.requires_grad_(False) is a,
            a.requires_grad,
            a.is_leaf,
        ]

    seen = same_as_torch(scenario, backend)
    assert seen[0][1].startswith("you can only change requires_grad flags of leaf variables. If")
    assert seen[1] == ("RuntimeError", "you can only change requires_grad flags of leaf variables.")


def test_results_require_grad_only_when_an_input_does(backend):
    def scenario(L):
        x = L.ones(2)
        w = L.ones(2, requires_grad=True)
        return [
            (x * x).requires_grad,
            (x * w).requires_grad,
            L.ones_like(w).requires_grad,
            (w > 0).requires_grad,
            w.max(0).indices.requires_grad,
            w.long().requires_grad,
            L.where(w > 0, w, x).requires_grad,
            (w * 0.1).is_leaf,
            w.double().is_leaf,
            w.detach().is_leaf,
            w.detach().requires_grad,
            w.sign().requires_grad,
        ]

    assert same_as_torch(scenario, backend) == [
        False,
        True,
        False,
        False,
        False,
        False,
        True,
        False,
        False,
        True,
        False,
        True,
    ]


# -- grad ---------------------------------------------------------------------------------


def test_grad_assignment_checks(backend):
    def scenario(L):
        x = L.ones(3, requires_grad=True)
        return [
            raised(lambda: setattr(x, "grad", L.ones(4))),
            raised(lambda: setattr(x, "grad", [1.0, 2.0, 3.0])),
            setattr(x, "grad", L.full((3,), 2.0)),
            x.grad,
            setattr(x, "grad", None),
            x.grad,
        ]

    seen = same_as_torch(scenario, backend)
    assert seen[0] == (
        "RuntimeError",
        "attempting to assign a gradient of size '[4]' to a tensor of size '[3]'. "
        "Please ensure that the gradient and the tensor are the same size",
    )
    assert seen[1] == (
        "TypeError",
        "assigned grad expected to be a Tensor or None but got grad of type list",
    )


def test_grad_assignment_dtype_mismatch(backend):
    x = pg.ones(3, requires_grad=True, backend=backend)
    tx = torch.ones(3, requires_grad=True)
    mine = raised(lambda: setattr(x, "grad", pg.ones(3, dtype=pg.float64, backend=backend)))
    theirs = raised(lambda: setattr(tx, "grad", torch.ones(3, dtype=torch.float64)))
    assert type(mine) is type(theirs) is RuntimeError
    # torch names the dtypes by its C++ names ('double', 'Float'); polygrad quotes them too
    assert str(mine) == str(theirs)


def test_non_leaf_grad_warns_unless_retained(backend):
    with on_backend(backend):
        x = pg.ones(2, requires_grad=True)
        y = x * 2
        with pytest.warns(UserWarning, match="is not a leaf Tensor is being accessed"):
            assert y.grad is None
        y.retain_grad()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert y.grad is None  # retained: no warning
            assert x.grad is None  # a leaf: no warning


def test_retain_grad(backend):
    def scenario(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = 2 * x
        y.retain_grad()
        x.retain_grad()  # a no-op on leaves
        (y * y).sum().backward(retain_graph=True)
        first = (y.grad.clone(), x.grad.clone())
        (y * y).sum().backward()
        return [
            first,
            y.grad,
            x.grad,
            y.retains_grad,
            x.retains_grad,
            raised(lambda: L.ones(2).retain_grad()),
        ]

    seen = same_as_torch(scenario, backend)
    assert seen[0][0][1] == [4.0, 8.0] and seen[1][1] == [8.0, 16.0]
    assert seen[2][1] == [16.0, 32.0]
    assert seen[5] == ("RuntimeError", "can't retain_grad on Tensor that has requires_grad=False")


# -- hooks ----------------------------------------------------------------------------------


def test_hook_errors(backend):
    def named_hook(g):
        return g[:2]

    def scenario(L):
        def backward_with(hook):
            x = L.ones(3, requires_grad=True)
            y = x * 2
            y.register_hook(hook)
            return raised(lambda: y.sum().backward())

        return [
            backward_with(lambda g: g[:2]),
            backward_with(named_hook),
            backward_with(lambda g: g.double()),
            backward_with(lambda g: 1),
            raised(lambda: L.ones(3).register_hook(lambda g: g)),
            raised(lambda: L.ones(3).register_post_accumulate_grad_hook(lambda t: None)),
            raised(
                lambda: (L.ones(3, requires_grad=True) * 2).register_post_accumulate_grad_hook(
                    lambda t: None
                )
            ),
        ]

    seen = same_as_torch(scenario, backend)
    assert seen[0] == ("RuntimeError", "hook '<lambda>' has changed the size of value")
    assert seen[1] == ("RuntimeError", "hook 'named_hook' has changed the size of value")
    assert seen[2] == (
        "RuntimeError",
        "hook '<lambda>' has changed the type of value (was "
        "torch.FloatTensor got torch.DoubleTensor)",
    )
    assert seen[3] == ("TypeError", "expected Variable, but hook returned 'int'")
    assert seen[4] == (
        "RuntimeError",
        "cannot register a hook on a tensor that doesn't require gradient",
    )


def test_hooks_replace_gradients_in_order_and_handles(backend):
    def scenario(L):
        x = L.ones(2, requires_grad=True)
        y = x * 3
        seen = []
        y.register_hook(lambda g: seen.append(("y", g.tolist())))
        h1 = x.register_hook(lambda g: g * 10)
        x.register_hook(lambda g: seen.append(("x second", g.tolist())))
        y.sum().backward(retain_graph=True)
        h1.remove()
        h1.remove()
        with x.register_hook(lambda g: g * 0) as h2:
            assert isinstance(h2.id, int)
        y.sum().backward()
        return [seen, x.grad]

    seen = same_as_torch(scenario, backend)
    assert seen[1][1] == [33.0, 33.0]


# -- detach and .data -------------------------------------------------------------------------


def test_detach_shares_data_and_version_counter(backend):
    def scenario(L):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        d = a.detach()
        before = (d.requires_grad, d.is_leaf, d.grad_fn, a._version, d._version)
        d[0] = 10.0
        return [before, a, a._version, d._version]

    seen = same_as_torch(scenario, backend)
    assert seen[0] == (False, True, None, 0, 0)
    assert seen[1][1] == [10.0, 2.0, 3.0] and seen[2] == 1 and seen[3] == 1


def test_data_shares_values_but_not_the_version_counter(backend):
    def scenario(L):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        first, second = a.data, a.data
        dd = a.data
        dd.add_(1)
        return [
            first is second,
            first.requires_grad,
            a,
            a._version,
            dd._version,
            a.requires_grad,
            a.is_leaf,
        ]

    assert same_as_torch(scenario, backend) == [
        False,
        False,
        ("tensor", [2.0, 3.0, 4.0], "float32", True, True, None),
        0,
        1,
        True,
        True,
    ]


def test_data_setter_swaps_the_values(backend):
    def scenario(L):
        a = L.ones(3, requires_grad=True)
        a.data = L.zeros(2, 2)
        return [a, a.requires_grad, tuple(a.shape)]

    same_as_torch(scenario, backend)


# -- conversions ---------------------------------------------------------------------------------

NUMPY_MESSAGE = (
    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
)


def test_numpy_refused_while_requiring_grad(backend):
    x = pg.ones(3, requires_grad=True, backend=backend)
    tx = torch.ones(3, requires_grad=True)
    for mine, theirs in [(x, tx), (x * 2, tx * 2)]:
        for call in (lambda t: t.numpy(), np.asarray):
            e_mine = raised(lambda c=call, t=mine: c(t))
            e_theirs = raised(lambda c=call, t=theirs: c(t))
            assert (type(e_mine), str(e_mine)) == (type(e_theirs), str(e_theirs))
            assert str(e_mine) == NUMPY_MESSAGE
        np.testing.assert_array_equal(mine.numpy(force=True), theirs.numpy(force=True))
        np.testing.assert_array_equal(mine.detach().numpy(), theirs.detach().numpy())


def test_python_number_conversions(backend):
    x = pg.tensor([2.5], requires_grad=True, backend=backend)
    with pytest.warns(
        UserWarning,
        match=re.escape(
            "Converting a tensor with requires_grad=True to a scalar may lead to unexpected "
            "behavior.\nConsider using tensor.detach() first."
        ),
    ):
        assert float(x) == 2.5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.item() == 2.5 and int(x) == 2 and bool(x) and x.tolist() == [2.5]


def test_metadata_matches_torch(backend):
    def scenario(L):
        x = L.zeros(2, 3, requires_grad=True)
        return [
            tuple(x.shape),
            tuple(x.size()),
            x.size(1),
            x.size(-1),
            x.ndim,
            x.dim(),
            x.numel(),
            str(x.dtype).split(".")[-1],
            x.float() is x,
            len(x),
            x.requires_grad,
            x.is_leaf,
            x.grad_fn,
            x.grad,
            x.output_nr,
        ]

    same_as_torch(scenario, backend)


def test_deepcopy(backend):
    def scenario(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        (x * x).sum().backward()
        y = copy.deepcopy(x)
        return [y is x, y, y.grad, y.grad is x.grad, raised(lambda: copy.deepcopy(x * 2))]

    mine, theirs = run_both(scenario, backend)
    assert_same(mine[:4], theirs[:4])
    # torch's first sentence; its second is about torch.nn, which polygrad does not have
    first = (
        "Only Tensors created explicitly by the user (graph leaves) "
        "support the deepcopy protocol at the moment."
    )
    assert mine[4] == ("RuntimeError", first)
    assert theirs[4][1].startswith(first)


def test_repr_matches_torch(backend):
    with on_backend(backend):
        x = pg.tensor([1.0, 2.0], requires_grad=True)
        y = (x * 1.8166).sum()
        shown = repr(x), repr(y)  # on the session's backend: no backend= suffix
    tx = torch.tensor([1.0, 2.0], requires_grad=True)
    ty = (tx * 1.8166).sum()
    assert shown == (repr(tx), repr(ty))
    assert shown[1] == "tensor(5.4498, grad_fn=<SumBackward0>)"
    assert to_np(y) == pytest.approx(5.4498)
