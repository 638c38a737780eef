"""In-place operations against torch: the grad_fn rebase of every in-place op, version
counters (shared with detach() and views, not with .data), torch's errors on leaves,
in-place under no_grad, and THE DELIBERATE DIFFERENCE: where torch raises "one of the
variables needed for gradient computation has been modified by an inplace operation",
polygrad returns the gradient torch computes under
``torch.autograd.graph.allow_mutation_on_saved_tensors()``."""

from __future__ import annotations

import pytest
from conftest import BACKENDS
from oracle import (
    PG,
    TORCH,
    assert_close,
    assert_same,
    on_backend,
    raised,
    run_both,
    same_as_torch,
    to_np,
    torch,
)

import polygrad as pg

VERSION_ERROR = (
    "one of the variables needed for gradient computation has been modified by an inplace operation"
)


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


# -- the grad_fn rebase ----------------------------------------------------------------------

REBASES = {
    "add_number": (lambda L, y, t: y.add_(1), "AddBackward0"),
    "add_tensor": (lambda L, y, t: y.add_(t), "AddBackward0"),
    "iadd": (lambda L, y, t: y.__iadd__(1), "AddBackward0"),
    "sub": (lambda L, y, t: y.sub_(t), "SubBackward0"),
    "isub": (lambda L, y, t: y.__isub__(t), "SubBackward0"),
    "mul_number": (lambda L, y, t: y.mul_(2), "MulBackward0"),
    "imul_tensor": (lambda L, y, t: y.__imul__(t), "MulBackward0"),
    "div": (lambda L, y, t: y.div_(2), "DivBackward0"),
    "itruediv": (lambda L, y, t: y.__itruediv__(t), "DivBackward0"),
    "pow": (lambda L, y, t: y.pow_(2), "PowBackward0"),
    "sigmoid": (lambda L, y, t: y.sigmoid_(), "SigmoidBackward0"),
    "exp": (lambda L, y, t: y.exp_(), "ExpBackward0"),
    "relu": (lambda L, y, t: y.relu_(), "ReluBackward0"),
    "clamp": (lambda L, y, t: y.clamp_(0, 1), "ClampBackward1"),
    "zero": (lambda L, y, t: y.zero_(), "ZeroBackward0"),
    "fill": (lambda L, y, t: y.fill_(1.0), "FillBackward2"),
    "copy": (lambda L, y, t: y.copy_(t), "torch::autograd::CopyBackwards"),
    "setitem_int": (lambda L, y, t: y.__setitem__(0, 5.0), "torch::autograd::CopySlices"),
    "setitem_slice_tensor": (
        lambda L, y, t: y.__setitem__(slice(1, None), t[1:]),
        "torch::autograd::CopySlices",
    ),
    "setitem_mask": (lambda L, y, t: y.__setitem__(y > 0, 0.0), "IndexPutBackward0"),
    "setitem_index": (lambda L, y, t: y.__setitem__(L.idx([0, 2]), t[:2]), "IndexPutBackward0"),
}


@pytest.mark.parametrize("op", list(REBASES))
def test_inplace_rebases_grad_fn_like_torch(op, backend):
    fn, expected = REBASES[op]

    def scenario(L):
        x = L.tensor([0.5, -1.0, 2.0], requires_grad=True)
        t = L.tensor([0.25, 3.0, -0.5], requires_grad=True)
        y = x * 2
        old = y.grad_fn
        out = fn(L, y, t)
        first_edge = y.grad_fn.next_functions[0][0]
        seen = [
            out is y,
            y.grad_fn.name(),
            first_edge is old,
            y._version,
            y.is_leaf,
            [None if n is None else n.name() for n, _ in y.grad_fn.next_functions],
            y,
        ]
        (y * L.tensor([1.0, 2.0, 3.0])).sum().backward()
        return seen + [x.grad, t.grad]

    seen = same_as_torch(scenario, backend)
    returns_self = seen[0] is True or op.startswith("setitem")  # x[k] = v returns nothing
    assert returns_self and seen[1] == expected and seen[2] is True and seen[3] == 1


def test_name_of_rebased_nodes(backend):
    with on_backend(backend):
        x = pg.ones(3, requires_grad=True)
        y = x * 2
        y.add_(1)
        assert type(y.grad_fn).__name__ == "AddBackward0"
        y[0] = 5.0
        assert type(y.grad_fn).__name__ == "CopySlices"
        assert y.grad_fn.name() == "torch::autograd::CopySlices"


def test_a_plain_tensor_becomes_a_non_leaf_when_a_requires_grad_value_is_written(backend):
    def scenario(L):
        w = L.tensor([2.0, 3.0], requires_grad=True)
        p = L.zeros(3)
        p[0] = w[0]
        q = L.zeros(2)
        q.add_(w)
        seen = [
            p.requires_grad,
            p.is_leaf,
            p.grad_fn.name(),
            q.requires_grad,
            q.is_leaf,
            q.grad_fn.name(),
            p,
            q,
        ]
        (p.sum() + (q * q).sum()).backward()
        return seen + [w.grad]

    seen = same_as_torch(scenario, backend)
    assert seen[:6] == [True, False, "torch::autograd::CopySlices", True, False, "AddBackward0"]


# -- version counters --------------------------------------------------------------------------


def test_every_inplace_op_bumps_the_version(backend):
    def scenario(L):
        x = L.ones(3)
        versions = [x._version]
        for op in (
            lambda: x.add_(1),
            lambda: x.__iadd__(1),
            lambda: x.__setitem__(0, 2.0),
            lambda: x.copy_(L.zeros(3)),
            lambda: x.mul_(2),
            lambda: x.zero_(),
            lambda: x.fill_(3.0),
            lambda: x.sigmoid_(),
            lambda: x.clamp_(0, 1),
        ):
            op()
            versions.append(x._version)
        d = x.detach()
        d.add_(1)
        dd = x.data
        dd.add_(1)
        with pg.no_grad() if not L.is_torch else torch.no_grad():
            x.mul_(2)
        return [versions, x._version, d._version, dd._version, x.clone()._version, x]

    seen = same_as_torch(scenario, backend)
    assert seen[0] == list(range(10)) and seen[1] == 11 and seen[3] == 1


def test_views_share_the_version_counter(backend):
    def scenario(L):
        x = L.zeros(2, 3)
        v = x[0]
        r = x.reshape(6)
        v.add_(1)
        return [x._version, v._version, r._version]

    assert same_as_torch(scenario, backend) == [1, 1, 1]


# -- leaves --------------------------------------------------------------------------------------

LEAF = "a leaf Variable that requires grad is being used in an in-place operation."


@pytest.mark.parametrize(
    "op",
    [
        "add_",
        "iadd",
        "zero_",
        "fill_",
        "copy_",
        "sigmoid_",
        "mul_",
        "setitem_mask",
        "setitem_index",
    ],
)
def test_inplace_on_a_leaf_that_requires_grad_raises(op, backend):
    def scenario(L):
        a = L.ones(3, requires_grad=True)
        call = {
            "add_": lambda: a.add_(1),
            "iadd": lambda: a.__iadd__(1),
            "zero_": a.zero_,
            "fill_": lambda: a.fill_(2.0),
            "copy_": lambda: a.copy_(L.zeros(3)),
            "sigmoid_": a.sigmoid_,
            "mul_": lambda: a.mul_(2),
            "setitem_mask": lambda: a.__setitem__(a > 0, 0.0),
            "setitem_index": lambda: a.__setitem__(L.idx([0, 1]), 0.0),
        }[op]
        return [raised(call), a, a._version]

    assert same_as_torch(scenario, backend)[0] == ("RuntimeError", LEAF)


def test_writing_into_a_leaf_through_a_basic_index(backend):
    def scenario(L):
        a = L.ones(3, requires_grad=True)
        return [raised(lambda: a.__setitem__(0, 5.0)), a]

    # torch's a[0] = 5 writes through a view of the leaf, and says so
    seen = same_as_torch(scenario, backend)
    assert seen[0] == (
        "RuntimeError",
        "a view of a leaf Variable that requires grad is being used in an in-place operation.",
    )


def test_inplace_on_a_leaf_is_allowed_under_no_grad(backend):
    def scenario(L):
        w = L.tensor([1.0, 2.0], requires_grad=True)
        (w * w).sum().backward()
        with torch.no_grad() if L.is_torch else pg.no_grad():
            w.mul_(3)
            w -= 0.5 * w.grad  # a manual SGD step
            w[0] = 7.0
        w.grad.zero_()
        return [w, w.is_leaf, w.grad_fn, w.requires_grad, w._version, w.grad]

    seen = same_as_torch(scenario, backend)
    assert seen[1] is True and seen[2] is None and seen[4] == 3


def test_inplace_on_a_non_leaf_under_no_grad_keeps_its_node(backend):
    def scenario(L):
        x = L.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2  # saves only the number 2 and x: y itself is not saved
        with torch.no_grad() if L.is_torch else pg.no_grad():
            y.mul_(3)
        seen = [y.grad_fn.name(), y._version, y]
        y.sum().backward()
        return seen + [x.grad]

    same_as_torch(scenario, backend)


def test_data_mutation_is_invisible_to_autograd_as_in_torch(backend):
    def scenario(L):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        dd = a.data
        y = a * a
        dd.add_(1)
        y.sum().backward()
        return [a._version, dd._version, a.grad, a]

    mine, theirs = run_both(scenario, backend)
    assert theirs[2][1] == [4.0, 6.0, 8.0]  # torch: 2 * (new a), silently
    if pg.zeros(1, backend=backend)._backend.mutable:
        assert_same(mine, theirs)  # the same buffer: the same silent result
    else:
        # immutable arrays (JAX, Dask): the write rebinds a and .data to a new array, the
        # node keeps what the forward used, and the gradient is 2 * (old a)
        assert_same(mine[:2] + mine[3:], theirs[:2] + theirs[3:])
        assert mine[2][1] == [2.0, 4.0, 6.0]


# -- the deliberate difference: mutating a value saved for backward -------------------------------


def mutation_scenarios():
    """(name, scenario(L) -> observations); torch raises the version error on each."""

    def saved_input(L):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = a * 2
        c = b * b
        b.add_(1)
        c.sum().backward()
        return [a.grad, b]

    def saved_input_mutated_three_times(L):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = a * 2
        c = b * b
        b.add_(1)
        b.add_(1)
        b.mul_(3)
        (c.sum() + b.sum()).backward()
        return [a.grad, b, b._version]

    def through_detach(L):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        d = a.detach()
        y = a * a
        d.add_(1)
        y.sum().backward()
        return [a.grad, a, d, a._version]  # 2 * old a; a shows the new values

    def exp_output(L):
        a = L.tensor([0.5, 1.0, -1.0], requires_grad=True)
        b = a.exp()
        b.add_(1)
        b.sum().backward()
        return [a.grad, b]

    def sigmoid_output(L):
        a = L.tensor([0.5, 1.0, -1.0], requires_grad=True)
        s = a.sigmoid()
        s.mul_(2)
        s.sum().backward()
        return [a.grad, s]

    def setitem_on_saved(L):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = a * 2
        c = b.sin()
        b[0] = 0.0
        (c.sum() + b.sum()).backward()
        return [a.grad, b]

    def leaf_under_no_grad(L):
        w = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = w * w
        with torch.no_grad() if L.is_torch else pg.no_grad():
            w.add_(1)
        y.sum().backward()
        return [w.grad, w]

    def through_a_view(L):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = a * 2
        c = b * b
        v = b[0:2]
        v.add_(100)
        c.sum().backward()
        return [a.grad]

    def saved_view_then_base_written(L):
        a = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = a * 2
        v = b[0:2]
        c = v * v
        with torch.no_grad() if L.is_torch else pg.no_grad():
            b.add_(1)
        c.sum().backward()
        return [a.grad]

    def mutate_and_reuse(L):
        a = L.tensor([1.0, 2.0], requires_grad=True)
        b = a.tanh()
        b.mul_(a)  # tanh saved its output b; b is then overwritten and used again
        (b * b).sum().backward()
        return [a.grad, b]

    return [
        saved_input,
        saved_input_mutated_three_times,
        through_detach,
        exp_output,
        sigmoid_output,
        setitem_on_saved,
        leaf_under_no_grad,
        through_a_view,
        saved_view_then_base_written,
        mutate_and_reuse,
    ]


@pytest.mark.parametrize("scenario", mutation_scenarios(), ids=lambda f: f.__name__)
def test_mutating_a_saved_value_gives_the_gradient_torch_computes_with_mutation_allowed(
    scenario, backend
):
    plain = raised(lambda: scenario(TORCH))
    assert isinstance(plain, RuntimeError) and str(plain).startswith(VERSION_ERROR)
    with torch.autograd.graph.allow_mutation_on_saved_tensors():
        expected = scenario(TORCH)
    with on_backend(backend):
        mine = scenario(PG)
    assert len(mine) == len(expected)
    for m, e in zip(mine, expected):
        if isinstance(e, torch.Tensor):
            assert_close(m.detach(), e, rtol=1e-6)
        else:
            assert m == e


def test_detach_mutation_keeps_old_value_for_backward_and_new_value_for_reading(backend):
    with on_backend(backend):
        a = pg.tensor([1.0, 2.0, 3.0], requires_grad=True)
        d = a.detach()
        y = a * a
        d.add_(1)
        assert to_np(a.detach()).tolist() == [2.0, 3.0, 4.0]
        y.sum().backward()
        assert to_np(a.grad).tolist() == [2.0, 4.0, 6.0]  # 2 * old a, no error
        assert a._version == d._version == 1


def test_copy_on_write_only_when_a_live_node_saved_the_value(backend):
    with on_backend(backend):
        x = pg.tensor([1.0, 2.0], requires_grad=True)
        y = x * 2  # y is not saved by anyone: written in place
        data_before = y._data
        y.add_(1)
        assert y._data is data_before or not y._backend.mutable
        z = y * y  # now y is saved: the next write copies
        saved = y._data
        y.add_(1)
        assert y._data is not saved
        assert to_np(pg.tensor(saved)).tolist() == [3.0, 5.0]
        assert to_np(y.detach()).tolist() == [4.0, 6.0]
        z.sum().backward()
        assert to_np(x.grad).tolist() == [12.0, 20.0]


def test_views_under_no_grad_write_through_to_the_base_like_torch(backend):
    def scenario(L):
        w = L.zeros(2, 3, requires_grad=True)
        with torch.no_grad() if L.is_torch else pg.no_grad():
            w[0].fill_(1.0)  # an initialisation through a view
            w.view(6)[5] = 7.0
        return [w, w._version, w.is_leaf]

    same_as_torch(scenario, backend)  # on JAX and Dask too: the view writes into w


def test_a_recorded_write_through_a_view_writes_into_the_base_like_torch(backend):
    def scenario(L):
        x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
        w = L.tensor([5.0, 7.0], requires_grad=True)
        y = x * 2
        v = y[0:2]
        v.mul_(w)
        seen = [y, v, y.grad_fn.name(), v.grad_fn.name(), y._version, v._version]
        (y.sum() + v.sum()).backward()
        return seen + [x.grad, w.grad, x._version]

    seen = same_as_torch(scenario, backend)
    assert seen[0][1] == [10.0, 28.0, 6.0]


def _write_an_element_from_another(L):
    x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.clone()
    y[1] = y[0] * 10
    y.sum().backward()
    return [y, x.grad, y.grad_fn.name()]


def _masked_write_of_a_tensor(L):
    x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    y[L.tensor([True, False, True])] = L.tensor([5.0, 6.0])
    (y * y).sum().backward()
    return [y, x.grad]


def _augmented_write_of_a_column(L):
    x = L.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    y = x * 1
    y[:, 0] += y[:, 1]
    (y * y).sum().backward()
    return [y, x.grad]


def _add_to_itself(L):
    x = L.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 2
    y += y
    y.sum().backward()
    return [y, x.grad]


@pytest.mark.parametrize(
    "scenario",
    [
        _write_an_element_from_another,
        _masked_write_of_a_tensor,
        _augmented_write_of_a_column,
        _add_to_itself,
    ],
    ids=lambda f: f.__name__.strip("_"),
)
def test_writes_that_read_what_they_overwrite(scenario, backend):
    same_as_torch(scenario, backend)


def test_a_range_indexes_like_a_list(backend):
    """torch takes ``x[range(2)]`` (and writes through one) as an integer-array index."""
    with on_backend(backend):
        xs = (
            pg.tensor([1.0, 2.0, 3.0], requires_grad=True),
            torch.tensor([1.0, 2.0, 3.0], requires_grad=True),
        )
    for x in xs:
        y = x[range(2)]
        assert y.grad_fn.name() == "IndexBackward0"
        y.sum().backward()
        assert to_np(x.grad).tolist() == [1.0, 1.0, 0.0]
        z = x.detach().clone()
        z[range(1, 3)] = 0.0
        assert to_np(z).tolist() == [1.0, 0.0, 0.0]
