"""Graph nodes against torch: names (including the odd ones), next_functions with
(None, 0) for constants and one cached AccumulateGrad per leaf, node hooks and
metadata, the node repr, calling a node, and what does not enter the graph."""

from __future__ import annotations

import re

import pytest
from conftest import BACKENDS
from oracle import edge_names, on_backend, same_as_torch, torch

import polygrad as pg


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def structure(node, depth=3):
    """A node's name and its inputs' structure, ``depth`` levels down."""
    if node is None:
        return None
    if depth == 0:
        return node.name()
    return (node.name(), tuple((structure(n, depth - 1), nr) for n, nr in node.next_functions))


ODD_NAMES = {
    "x.max()": (lambda L, x, y: x.max(), "MaxBackward1"),
    "x.max(0).values": (lambda L, x, y: x.max(0).values, "MaxBackward0"),
    "x.min()": (lambda L, x, y: x.min(), "MinBackward1"),
    "2 - x": (lambda L, x, y: 2 - x, "RsubBackward1"),
    "2 / x": (lambda L, x, y: 2 / x, "MulBackward0"),
    "2 ** x": (lambda L, x, y: 2**x, "PowBackward2"),
    "x ** y": (lambda L, x, y: x**y, "PowBackward1"),
    "x ** 2": (lambda L, x, y: x**2, "PowBackward0"),
    "x.sum(0)": (lambda L, x, y: x.sum(0), "SumBackward1"),
    "x.mean(0)": (lambda L, x, y: x.mean(0), "MeanBackward1"),
    "x.t()": (lambda L, x, y: x.t(), "TBackward0"),
    "x.T": (lambda L, x, y: x.T, "PermuteBackward0"),
    "x.mT": (lambda L, x, y: x.mT, "TransposeBackward0"),
    "x[0]": (lambda L, x, y: x[0], "SelectBackward0"),
    "x[:, 1:]": (lambda L, x, y: x[:, 1:], "SliceBackward0"),
    "x[...]": (lambda L, x, y: x[...], "AliasBackward0"),
    "x[None]": (lambda L, x, y: x[None], "UnsqueezeBackward0"),
    "x[[0, 1]]": (lambda L, x, y: x[[0, 1]], "IndexBackward0"),
    "x[x > 0]": (lambda L, x, y: x[x > 0], "IndexBackward0"),
    "x.squeeze()": (lambda L, x, y: x[None].squeeze(), "SqueezeBackward0"),
    "x.clamp(min=0)": (lambda L, x, y: x.clamp(min=0), "ClampBackward1"),
    "x.clamp_min(0.)": (lambda L, x, y: x.clamp_min(0.0), "ClampMinBackward0"),
    "x.clone()": (lambda L, x, y: x.clone(), "CloneBackward0"),
    "x.double()": (lambda L, x, y: x.double(), "ToCopyBackward0"),
    "x.reshape(6)": (lambda L, x, y: x.reshape(6), "ViewBackward0"),
    "x.expand(2, 2, 3)": (lambda L, x, y: x.expand(2, 2, 3), "ExpandBackward0"),
}


@pytest.mark.parametrize("expr", list(ODD_NAMES))
def test_node_names_and_structure(expr, backend):
    fn, expected = ODD_NAMES[expr]

    def scenario(L):
        x = L.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]], requires_grad=True)
        y = L.tensor([[1.0, 2.0, 0.5], [2.0, 1.0, 3.0]], requires_grad=True)
        x = x.abs() if expr in ("x ** y",) else x
        out = fn(L, x, y)
        return [out.grad_fn.name(), structure(out.grad_fn)]

    seen = same_as_torch(scenario, backend)
    assert seen[0] == expected


def test_next_functions_constants_and_accumulators(backend):
    def scenario(L):
        x = L.ones(3, requires_grad=True)
        c = L.ones(3)
        a = x * 2
        b = x * c
        d = 2 - x
        acc = a.grad_fn.next_functions[0][0]
        return [
            edge_names(a.grad_fn),
            edge_names(b.grad_fn),
            edge_names(d.grad_fn),
            acc is b.grad_fn.next_functions[0][0],
            acc.variable is x,
            acc.next_functions,
            type(acc).__name__,
            acc.name(),
        ]

    seen = same_as_torch(scenario, backend)
    assert seen[2] == [("torch::autograd::AccumulateGrad", 0)]  # the number has no edge
    assert seen[3] is True and seen[4] is True and seen[5] == ()


def test_no_graph_for_results_that_cannot_require_grad(backend):
    def scenario(L):
        w = L.tensor([1.0, -2.0], requires_grad=True)
        return [
            (w > 0).grad_fn,
            w.argmax().grad_fn,
            w.long().grad_fn,
            w.max(0).indices.grad_fn,
            (w > 0).requires_grad,
        ]

    assert same_as_torch(scenario, backend) == [None, None, None, None, False]


def test_node_repr_and_identity(backend):
    with on_backend(backend):
        x = pg.ones(2, requires_grad=True)
        y = x * 2
        z = y + 1
    assert re.fullmatch(r"<AddBackward0 object at 0x[0-9a-f]+>", repr(z.grad_fn))
    assert re.fullmatch(
        r"<MulBackward0 object at 0x[0-9a-f]+>", repr(z.grad_fn.next_functions[0][0])
    )
    assert z.grad_fn.next_functions[0][0] == y.grad_fn
    assert z.grad_fn.next_functions[0][0] is y.grad_fn
    assert isinstance(y.grad_fn, pg.autograd.Node)


def test_node_hooks_and_metadata(backend):
    def scenario(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        node = y.grad_fn
        node.metadata["note"] = "mine"
        h = node.register_prehook(lambda gout: (gout[0] * 2,))
        node.register_hook(lambda gin, gout: (gin[0] + 1, None))
        y.sum().backward(retain_graph=True)
        first = x.grad.clone()
        h.remove()
        y.sum().backward()
        acc = node.next_functions[0][0]
        acc_seen = []
        acc.register_prehook(lambda gout: acc_seen.append(gout[0].tolist()))
        (x * 1).sum().backward()
        return [first, x.grad, node.metadata, acc_seen]

    seen = same_as_torch(scenario, backend)
    assert seen[0][1] == [7.0, 7.0] and seen[2] == {"note": "mine"}


def test_node_hook_errors(backend):
    from oracle import raised

    def scenario(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = x * 3
        y.grad_fn.register_hook(lambda gin, gout: (gin[0],))
        first = raised(lambda: y.sum().backward(retain_graph=True))
        z = x * 3
        z.grad_fn.register_hook(lambda gin, gout: (gin[0], L.ones(2)))
        second = raised(lambda: z.sum().backward())
        return [first, second]

    seen = same_as_torch(scenario, backend)
    assert seen[0] == (
        "RuntimeError",
        "hook '<lambda>' has returned an incorrect number of values (got 1, but expected 2)",
    )
    assert seen[1] == ("RuntimeError", "can't replace a None gradient with a non-None value")


def test_calling_a_node_applies_its_rule(backend):
    def scenario(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = x * x
        return [y.grad_fn(L.ones(2))]

    seen = same_as_torch(scenario, backend)
    assert [s[1] for s in seen[0]] == [[1.0, 2.0], [1.0, 2.0]]


def test_saved_values_are_released_after_backward():
    x = pg.ones(3, requires_grad=True)
    y = x * x
    node = y.grad_fn
    assert node._saved is not None
    y.sum().backward()
    assert node._saved is None  # freed as soon as the node ran
    z = x * x
    z.sum().backward(retain_graph=True)
    assert z.grad_fn._saved is not None
    tx = torch.ones(3, requires_grad=True)
    ty = tx * tx
    ty.sum().backward()
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        ty.grad_fn._saved_self  # noqa: B018 - torch frees its saved values the same way


def test_tanh_rule_records_one_node_to_third_order(backend):
    """Under create_graph tanh's rule is one node, TanhBackwardBackward0, as in torch (not
    the three of ``g * (1 - y * y)``), with torch's values at second and third order."""

    def scenario(L):
        x = L.tensor([0.5, -1.0, 2.0], dtype=L.float64, requires_grad=True)
        (g,) = L.autograd.grad((L.tanh(x) ** 3).sum(), x, create_graph=True)
        (h,) = L.autograd.grad((g * g).sum(), x, create_graph=True)
        (k,) = L.autograd.grad((h * h).sum(), x)
        return [g, h, k, structure(g.grad_fn, depth=1)]

    same_as_torch(scenario, backend)


def test_cube_is_torch_product_bit_for_bit():
    """``x ** 3`` is ``x * x * x``, torch's kernel, not the library's general ``pow``."""
    data = [0.1 * i - 3.3 for i in range(67)]
    mine, theirs = (
        pg.tensor(data, dtype=pg.float64) ** 3,
        torch.tensor(data, dtype=torch.float64) ** 3,
    )
    assert mine.tolist() == theirs.tolist()
