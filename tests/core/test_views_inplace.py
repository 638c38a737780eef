"""In-place writes through views against torch, on every backend: the base and its other
views see the new values (also on JAX and Dask, whose arrays are immutable), the base's
history becomes CopySlices and each view's AsStridedBackward0, version counters are
shared (also by unbind/split/chunk/diagonal outputs), gradients match, and torch's
errors (views of leaves, outputs of multi-view ops, views made under no_grad, expanded
views) are raised with its messages."""

from __future__ import annotations

import pytest
from conftest import BACKENDS
from oracle import raised, same_as_torch, torch

import polygrad as pg


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


def no_grad(L):
    return torch.no_grad() if L.is_torch else pg.no_grad()


def diagonal(L, t):
    return torch.diagonal(t) if L.is_torch else pg.linalg.diagonal(t)


def grid(L):
    return L.tensor(
        [[1.0, -2.0, 3.0, 0.5], [4.0, 5.0, -6.0, 7.0], [0.25, 8.0, 9.0, -1.0]],
        dtype=L.float64,
        requires_grad=True,
    )


def history(t):
    """What a user sees of a tensor's history: its node and that node's edges."""
    fn = t.grad_fn
    return (
        None
        if fn is None
        else [fn.name()] + [None if n is None else n.name() for n, _ in fn.next_functions]
    )


# -- a write through a view changes the base, and records torch's nodes ----------------------

WRITES = {
    "slice_mul": lambda L, y: y[:, 1:].mul_(2),
    "row_add": lambda L, y: y[0].add_(1),
    "chained": lambda L, y: y[1:][0].sub_(3),
    "transpose": lambda L, y: y.t().mul_(3),
    "T": lambda L, y: y.T.mul_(-1),
    "permute": lambda L, y: y.permute(1, 0)[0].mul_(2),
    "view": lambda L, y: y.view(12).mul_(2),
    "reshape_then_index": lambda L, y: y.reshape(2, 6)[1].add_(5),
    "unsqueeze": lambda L, y: y.unsqueeze(0).mul_(2),
    "squeeze": lambda L, y: y[0:1].squeeze(0).add_(1),
    "diagonal": lambda L, y: diagonal(L, y).mul_(10),
    "setitem_in_view": lambda L, y: y[:, 1:].__setitem__(0, 5.0),
    "setitem_view_of_view": lambda L, y: y[1:].t().__setitem__(slice(0, 2), -1.0),
    "exp_of_a_view": lambda L, y: y[1].exp_(),
    "copy_into_a_view": lambda L, y: y[2].copy_(L.tensor([1.0, 2.0, 3.0, 4.0], dtype=L.float64)),
}


@pytest.mark.parametrize("write", list(WRITES))
def test_a_write_through_a_view_changes_the_base_like_torch(write, backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        other = y[2]  # a view not written: it sees the change and is rebased too
        out = WRITES[write](L, y)
        seen = [
            y,
            other,
            history(y),
            history(other),
            y._version,
            other._version,
            None if out is None else [out, history(out), out._version, out._base is y],
        ]
        (y * y).sum().backward()
        return seen + [x.grad]

    seen = same_as_torch(scenario, backend)
    assert seen[2][0] == "torch::autograd::CopySlices" and seen[3][0] == "AsStridedBackward0"


def test_the_issue_example(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        v = y[:, 1:]
        v.mul_(2)
        seen = [
            y,
            v,
            y.grad_fn.name(),
            type(y.grad_fn).__name__,
            v.grad_fn.name(),
            y._version,
            v._version,
            v._base is y,
            v._is_view(),
            y._is_view(),
        ]
        y.sum().backward()
        return seen + [x.grad]

    seen = same_as_torch(scenario, backend)
    assert seen[2:5] == ["torch::autograd::CopySlices", "CopySlices", "AsStridedBackward0"]


def test_a_write_with_a_tensor_that_requires_grad(backend):
    def scenario(L):
        x = grid(L)
        w = L.tensor([2.0, -1.0, 0.5], dtype=L.float64, requires_grad=True)
        y = x * 2
        v = y[:, 1]
        v.mul_(w)
        v.add_(w)
        seen = [y, v, history(y)]
        (y * y).sum().backward()
        return seen + [x.grad, w.grad]

    same_as_torch(scenario, backend)


def test_writing_the_base_rebases_its_views(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        v, r = y[0], y.view(12)
        y.add_(1)
        seen = [v, r, history(v), history(r), v._version]
        y[1] = 0.0
        seen += [v, r, history(v), history(r), r._version]
        (v * r[:4]).sum().backward()
        return seen + [x.grad]

    same_as_torch(scenario, backend)


def test_writes_under_no_grad_go_through_and_keep_the_base_history(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        v, w = y[0], y[1]
        with no_grad(L):
            v.mul_(3)
            y[2] = 1.0
        seen = [y, v, w, history(y), history(v), history(w), y._version]
        (y * v[0]).sum().backward()
        return seen + [x.grad]

    same_as_torch(scenario, backend)


def test_a_plain_base_becomes_part_of_the_graph(backend):
    def scenario(L):
        w = L.tensor([1.0, 2.0], dtype=L.float64, requires_grad=True)
        p = L.zeros(3, dtype=L.float64)
        pv, first = p[1:], p[:1]
        pv.add_(w)
        seen = [p, pv, first, history(p), history(pv), history(first), p.requires_grad]
        (p * p).sum().backward()
        return seen + [w.grad]

    same_as_torch(scenario, backend)


def test_second_order_through_copy_slices(backend):
    def scenario(L):
        x = L.tensor([0.5, -1.0, 2.0, 1.5], dtype=L.float64, requires_grad=True)
        y = x * x
        y[1:].mul_(x[:3])
        (g,) = L.autograd.grad((y * y).sum(), x, create_graph=True)
        g.sum().backward()
        return [y, g, x.grad]

    same_as_torch(scenario, backend)


def test_a_second_backward_through_copy_slices_needs_retain_graph(backend):
    def scenario(L):
        x = grid(L)
        w = L.tensor([1.0, 2.0, 3.0], dtype=L.float64, requires_grad=True)
        y = x * 2
        y[0, 1:].mul_(w)
        y.sum().backward()
        return [raised(lambda: y.sum().backward()), x.grad]

    seen = same_as_torch(scenario, backend)
    assert seen[0][1].startswith("Trying to backward through the graph a second time")


def test_detach_of_a_view_writes_into_the_base_without_history(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        v = y[0]
        d = v.detach()
        d.mul_(2)
        seen = [y, v, d, history(y), history(v), d._base, y._version, d._version]
        y.sum().backward()
        return seen + [x.grad]

    same_as_torch(scenario, backend)


def test_a_reshape_torch_cannot_view_is_a_copy(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        r = y.t().reshape(12)
        s = y[:, 1:].reshape(9)
        k = y[1:].reshape(8)  # rows of a contiguous tensor: a view
        r.mul_(2)
        s.add_(1)
        k.add_(1)
        seen = [
            y,
            r,
            s,
            history(r),
            history(s),
            r._base,
            s._base,
            k._base is y,
            r._version,
            y._version,
        ]
        (y.sum() + r.sum() + s.sum()).backward()
        return seen + [x.grad]

    same_as_torch(scenario, backend)


# -- version counters -------------------------------------------------------------------------


@pytest.mark.parametrize("op", ["unbind", "split", "chunk", "split_sizes", "diagonal"])
def test_multi_view_outputs_share_the_version_counter(op, backend):
    def scenario(L):
        y = L.zeros(3, 4, dtype=L.float64)
        pieces = {
            "unbind": lambda: y.unbind(1),
            "split": lambda: y.split(2),
            "chunk": lambda: y.chunk(2, 1),
            "split_sizes": lambda: y.split([1, 2]),
            "diagonal": lambda: (diagonal(L, y),),
        }[op]()
        y.add_(1)
        first = pieces[0]
        first.mul_(3)  # allowed: nothing requires grad
        return [[p._version for p in pieces], y._version, y, list(pieces), first._base is y]

    seen = same_as_torch(scenario, backend)
    assert seen[1] == 2


# -- torch's errors ---------------------------------------------------------------------------

VIEW_OF_LEAF = (
    "a view of a leaf Variable that requires grad is being used in an in-place operation."
)


@pytest.mark.parametrize("view", ["row", "slice", "t", "view", "chained", "diagonal", "setitem"])
def test_writing_a_view_of_a_leaf_that_requires_grad_raises(view, backend):
    def scenario(L):
        x = grid(L)
        call = {
            "row": lambda: x[0].add_(1),
            "slice": lambda: x[:, 1:].mul_(2),
            "t": lambda: x.t().mul_(2),
            "view": lambda: x.view(12).zero_(),
            "chained": lambda: x[1:][0].fill_(1.0),
            "diagonal": lambda: diagonal(L, x).mul_(2),
            "setitem": lambda: x[1:].__setitem__(0, 1.0),
        }[view]
        return [raised(call), x, x._version]

    assert same_as_torch(scenario, backend)[0] == ("RuntimeError", VIEW_OF_LEAF)


MULTI = {
    "unbind": lambda y: y.unbind()[1].mul_(2),
    "unbind_dim1": lambda y: y.unbind(1)[2].add_(1),
    "split": lambda y: y.split(1)[0].mul_(2),
    "split_sizes": lambda y: y.split([1, 2])[1].zero_(),
    "chunk": lambda y: y.chunk(3)[2].mul_(2),
    "slice_of_unbind": lambda y: y.unbind()[1][1:].mul_(2),
    "view_of_unbind": lambda y: y.unbind()[1].view(2, 2).mul_(2),
    "setitem_in_unbind": lambda y: y.unbind()[0].__setitem__(0, 1.0),
}


@pytest.mark.parametrize("case", list(MULTI))
@pytest.mark.parametrize("leaf", [False, True], ids=["non_leaf", "leaf"])
def test_writing_an_output_of_a_multi_view_op_raises(case, leaf, backend):
    def scenario(L):
        x = grid(L)
        y = x if leaf else x * 2
        return [raised(lambda: MULTI[case](y)), y, y._version]

    message = same_as_torch(scenario, backend)[0][1]
    assert "This view is the output of a function that returns multiple views" in message


def test_multi_view_outputs_cannot_follow_a_write_into_their_base(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        a, b, c = y.unbind()
        with no_grad(L):
            y.mul_(2)  # under no_grad too
        return [
            b.detach(),
            b._version,
            raised(lambda: b.grad_fn),
            raised(lambda: (a * 2).sum().backward()),
        ]

    seen = same_as_torch(scenario, backend)
    assert "its base or another view of its base has been modified inplace" in seen[2][1]


def test_a_view_made_under_no_grad(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        with no_grad(L):
            v = y[0]
            w = x[1]
        seen = [raised(lambda: v.add_(1)), raised(lambda: w.add_(1)), y._version]
        with no_grad(L):
            v.add_(1)  # allowed: the write is not recorded either
        return seen + [y, v.detach(), raised(lambda: v.grad_fn), history(y)]

    seen = same_as_torch(scenario, backend)
    assert seen[0][1].startswith("A view was created in no_grad mode and is being modified")


def test_a_plain_multi_view_output_written_with_a_tensor_that_requires_grad(backend):
    def scenario(L):
        p = L.zeros(3, 4, dtype=L.float64)
        w = L.ones(4, dtype=L.float64, requires_grad=True)
        a = p.unbind()[0]
        a.mul_(2)  # nothing recorded: allowed
        return [raised(lambda: a.add_(w)), p, p._version]

    same_as_torch(scenario, backend)


def test_writing_an_expanded_view_raises_unless_nothing_repeats(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        repeated = raised(lambda: y[0:1].expand(3, 4).mul_(2))
        e = y[0:1].expand(1, 4)
        e.mul_(2)
        return [repeated, y, history(y), history(e)]

    seen = same_as_torch(scenario, backend)
    assert seen[0][1].startswith("unsupported operation: more than one element")


# -- item assignment of a broadcast value, clamp with tensor bounds ---------------------------


@pytest.mark.parametrize("shape", [(1,), (1, 4), (), (4,)])
def test_item_assignment_broadcasts_the_value_like_torch(shape, backend):
    def scenario(L):
        x = grid(L)
        t = (
            L.ones(*shape, dtype=L.float64, requires_grad=True)
            if shape
            else L.tensor(2.0, dtype=L.float64, requires_grad=True)
        )
        y = x * 2
        y[0] = t * 3
        z = L.zeros(2, 4, dtype=L.float64)
        z[1] = t
        seen = [y, z, history(y), history(z)]
        (y.sum() + (z * z).sum()).backward()
        return seen + [x.grad, t.grad]

    same_as_torch(scenario, backend)


@pytest.mark.parametrize("method", ["clamp_min", "clamp_max"])
def test_clamp_with_a_tensor_bound(method, backend):
    def scenario(L):
        x = L.tensor([1.0, -2.0, 3.0, 0.0], dtype=L.float64, requires_grad=True)
        bound = L.tensor([0.0, 0.0, 5.0, 0.0], dtype=L.float64, requires_grad=True)
        y = getattr(x, method)(bound)
        seen = [y, history(y)]
        (y * L.tensor([1.0, 2.0, 3.0, 4.0], dtype=L.float64)).sum().backward()
        return seen + [x.grad, bound.grad]

    seen = same_as_torch(scenario, backend)
    assert seen[1][0] == method.title().replace("_", "") + "Backward1"


# -- contiguous() copies a view torch stores non-contiguously ---------------------------------

CONTIGUOUS = {  # the view, and whether torch calls it contiguous
    "t": lambda L, y: y.t(),
    "columns": lambda L, y: y[:, 1:],
    "one_column": lambda L, y: y[:, 1:2],
    "permute_then_row": lambda L, y: y.permute(1, 0)[0],
    "diagonal": lambda L, y: diagonal(L, y),
    "expand": lambda L, y: y[0:1].expand(2, 4),
    "row": lambda L, y: y[1],
    "rows": lambda L, y: y[1:],
    "unsqueeze": lambda L, y: y.unsqueeze(0),
    "view": lambda L, y: y.view(2, 6),
    "t_t": lambda L, y: y.t().t(),
    "one_element_column": lambda L, y: y[1:2, 2:3],
    "empty": lambda L, y: y[:, 2:2].t(),
    "base": lambda L, y: y,
}


@pytest.mark.parametrize("view", list(CONTIGUOUS))
def test_contiguous_copies_a_non_contiguous_view_like_torch(view, backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        v = CONTIGUOUS[view](L, y)
        c = v.contiguous()
        seen = [v.is_contiguous(), c is v, c, history(c), c._base is y, c._base is None]
        if c.numel() and c is not v:
            c.mul_(10)  # a copy: y and v stay as they were
        seen += [y, v, c, y._version, c._version]
        # (an empty slice's backward is left out: Dask cannot write an empty slice)
        (y.sum() + (c * c).sum() if c.numel() else y.sum()).backward()
        return seen + [x.grad]

    seen = same_as_torch(scenario, backend)
    assert seen[1] == seen[0]  # itself exactly when contiguous
    if not seen[0]:
        assert seen[3][0] == "CloneBackward0"


# -- a custom Function that modifies a view in place (ctx.mark_dirty) --------------------------


def _scale_in_place(L, *, first_is_view=True, outputs=1):
    """A custom Function multiplying its view argument in place, marked dirty."""
    Base = L.autograd.Function

    class ScaleInPlace(Base):
        @staticmethod
        def forward(ctx, a, b):
            view, factor = (a, b) if first_is_view else (b, a)
            view.mul_(factor)
            ctx.mark_dirty(view)
            ctx.save_for_backward(factor if isinstance(factor, type(view)) else None)
            return view if outputs == 1 else (view, view * 2)

        @staticmethod
        def backward(ctx, g, *rest):
            (factor,) = ctx.saved_tensors
            gf = None if factor is None else (g * 0 + 1).sum()
            g = g * 3  # a rule of its own, so the test sees it used
            return (g, gf) if first_is_view else (gf, g)

    return ScaleInPlace


def test_a_function_marking_a_view_dirty_records_copy_slices_on_the_base(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        v = y[:, 1:]
        other = y[2]  # another live view: rebased onto the new history
        out = _scale_in_place(L).apply(v, 2.0)
        seen = [
            out is v,
            history(out),
            history(y),
            history(other),
            y,
            other,
            out._version,
            y._version,
            other._version,
            out._base is y,
        ]
        (y * y).sum().backward()
        return seen + [x.grad]

    seen = same_as_torch(scenario, backend)
    assert seen[1][0] == "AsStridedBackward0" and seen[2][0] == "torch::autograd::CopySlices"


def test_a_function_marking_a_view_dirty_with_a_tensor_that_requires_grad(backend):
    def scenario(L):
        x = grid(L)
        w = L.tensor(2.0, dtype=L.float64, requires_grad=True)
        y = x * 1
        out = _scale_in_place(L).apply(y[1:].t(), w)
        seen = [history(out), history(y), y]
        (y * y).sum().backward()
        return seen + [x.grad, w.grad]

    same_as_torch(scenario, backend)


def test_a_function_marking_a_view_of_a_plain_tensor_dirty(backend):
    """The base requires no grad; the Function's other input does (torch keeps its edges,
    the view's first)."""

    def scenario(L):
        base = L.ones(2, 3, dtype=L.float64)
        w = L.tensor(2.0, dtype=L.float64, requires_grad=True)
        out = _scale_in_place(L, first_is_view=False).apply(w, base[1])
        seen = [history(out), history(base), base, base.requires_grad, base.is_leaf]
        base.sum().backward()
        return seen + [w.grad]

    same_as_torch(scenario, backend)


def test_a_function_marking_a_view_dirty_keeps_torch_errors(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        return [
            raised(lambda: _scale_in_place(L, outputs=2).apply(y[0], 2.0)),
            raised(lambda: _scale_in_place(L).apply(y.unbind(0)[0], 2.0)),
            raised(lambda: _scale_in_place(L).apply(x[0], 2.0)),
        ]

    seen = same_as_torch(scenario, backend)
    assert all(isinstance(s, tuple) and s[0] == "RuntimeError" for s in seen)


# -- forward AD: the tangent of a view is a part of its base's ---------------------------------


def fw(L):
    return L.autograd.forward_ad


def tangent(L, t):
    """A copy of ``t``'s tangent's values now: torch's tangent is a view that later in-place
    writes change (docs/differences.md), and whether it requires grad differs too (torch's
    tangents of ops on a primal that requires grad do, polygrad's where they depend on it)."""
    found = fw(L).unpack_dual(t).tangent
    return None if found is None else found.detach().clone()


def dual_grid(L, requires_grad=False):
    primal = grid(L).detach().requires_grad_(requires_grad)
    direction = L.tensor(
        [[0.5, 1.0, -1.0, 2.0], [0.0, 3.0, 1.5, -2.0], [1.0, -0.5, 0.25, 4.0]], dtype=L.float64
    )
    return fw(L).make_dual(primal, direction)


def dual_row(L, values=(7.0, 8.0, 9.0, 10.0), direction=(1.0, 2.0, 3.0, 4.0)):
    n = len(values)
    return fw(L).make_dual(
        L.tensor(list(values), dtype=L.float64), L.tensor(list(direction[:n]), dtype=L.float64)
    )


@pytest.mark.parametrize("requires_grad", [False, True], ids=["plain", "requires_grad"])
@pytest.mark.parametrize("write", list(WRITES))
def test_forward_ad_through_a_write_into_a_view(write, requires_grad, backend):
    def scenario(L):
        with fw(L).dual_level():
            y = dual_grid(L, requires_grad) * 2
            other = y[2]  # a view made before the write sees its part of the new tangent
            out = WRITES[write](L, y)
            later = y[:, 0]
            return [
                y,
                tangent(L, y),
                tangent(L, other),
                tangent(L, later),
                None if out is None else tangent(L, out),
            ]

    same_as_torch(scenario, backend)


def test_forward_ad_writes_of_duals_into_views(backend):
    """The issue's examples, and writes with a dual into a tensor that carries none."""

    def scenario(L):
        seen = []
        with fw(L).dual_level():
            y = dual_grid(L) * 2
            y[0] = dual_row(L)  # item assignment of a dual into the base
            seen += [tangent(L, y)]
            y = dual_grid(L) * 2
            y[:, 1:].mul_(2)
            seen += [tangent(L, y)]
            y = dual_grid(L) * 2
            y[1:][0] = dual_row(L)  # through a view of a view
            seen += [tangent(L, y), tangent(L, (y * y).sum(0))]
            p = L.zeros(3, 4, dtype=L.float64)  # no tangent anywhere yet
            a, b, c = p[1], p[:, 2], p[1][1:]
            a.copy_(dual_row(L))
            seen += [tangent(L, p), tangent(L, b), tangent(L, c)]
            c.mul_(10)  # a view of a view: its base and the sibling views follow
            seen += [tangent(L, p), tangent(L, a), tangent(L, b)]
            p.t()[1].mul_(dual_row(L, (1.0, 2.0, 3.0)))  # a transposed view
            seen += [tangent(L, p), tangent(L, a)]
            q = L.zeros(2, 3, dtype=L.float64)
            v = q[1]
            q.add_(dual_row(L, (1.0, 2.0, 3.0)))  # the base written: its view follows
            v.fill_(2.0)  # a write without a tangent zeroes that part
            seen += [tangent(L, q), tangent(L, v)]
        return seen

    same_as_torch(scenario, backend)


def test_forward_ad_dual_tensors_and_primals_have_their_own_tangents(backend):
    """``make_dual``'s output is a view of its primal whose tangent is its own, as is
    ``unpack_dual``'s primal; ``detach()`` shares the data but carries no tangent."""

    def scenario(L):
        seen = []
        with fw(L).dual_level():
            x = L.arange(4, dtype=L.float64)
            w = x[2:]
            d = fw(L).make_dual(x, L.ones(4, dtype=L.float64))
            v = d[1:]
            v.mul_(2)
            seen += [d._base is x, tangent(L, d), tangent(L, v), tangent(L, x), tangent(L, w)]
            x.add_(fw(L).make_dual(L.ones(4, dtype=L.float64), 7 * L.ones(4, dtype=L.float64)))
            seen += [tangent(L, d), tangent(L, v), tangent(L, x), tangent(L, w), x]
            y = d * 1
            u = y[1:]
            primal = fw(L).unpack_dual(u).primal
            primal.mul_(2)  # the primal's writes reach the values, not the tangents
            seen += [y, tangent(L, y), tangent(L, u), tangent(L, primal)]
            y.detach().mul_(2)
            seen += [y, tangent(L, y), tangent(L, u)]
        return seen

    same_as_torch(scenario, backend)


def test_forward_ad_through_a_view_then_backward(backend):
    """Reverse over forward: the tangent written through a view is differentiable."""

    def scenario(L):
        with fw(L).dual_level():
            y = dual_grid(L, requires_grad=True) * 2
            w = L.tensor([2.0, -1.0, 0.5], dtype=L.float64, requires_grad=True)
            y[:, 1].mul_(w)
            t = fw(L).unpack_dual(y).tangent
            gw = L.autograd.grad((t * t).sum(), w)
        return [t.detach(), gw]

    same_as_torch(scenario, backend)


# -- a view torch cannot follow through a write raises as soon as it is used ------------------

USES = {
    "mul": lambda L, a: a * 2,
    "sum": lambda L, a: a.sum(),
    "index": lambda L, a: a[0],
    "exp": lambda L, a: L.exp(a),
    "clone": lambda L, a: a.clone(),
    "stack": lambda L, a: L.stack([a, a]),
    "in_place": lambda L, a: a.add_(1),
    "is_leaf": lambda L, a: a.is_leaf,
    "grad_fn": lambda L, a: a.grad_fn,
    "retain_grad": lambda L, a: a.retain_grad(),
    "register_hook": lambda L, a: a.register_hook(lambda g: g),
}


@pytest.mark.parametrize("use", list(USES))
def test_an_invalidated_view_raises_when_used_with_grad_on(use, backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        a, b, c = y.unbind()
        y.mul_(2)
        seen = [raised(lambda: USES[use](L, b))]
        with no_grad(L):
            seen.append(b * 2)  # nothing recorded: allowed
        return seen + [b.detach(), b.output_nr, b.requires_grad, b._base is y, b.shape]

    seen = same_as_torch(scenario, backend)
    assert "Output 1 of Unbind is a view and" in seen[0][1]


def test_a_no_grad_view_raises_when_used_after_a_write_into_its_base(backend):
    def scenario(L):
        x = grid(L)
        y = x * 2
        with no_grad(L):
            v = y[0]
        y.mul_(2)
        return [raised(lambda: v * 2), raised(lambda: v[1:]), v.detach(), v.requires_grad]

    seen = same_as_torch(scenario, backend)
    assert seen[0][1].startswith("A view was created in no_grad mode and its base")


# -- real and imag are views of a complex tensor ----------------------------------------------


def complex_grid(L, requires_grad=True):
    return L.tensor(
        [[1 + 2j, 3 - 1j, 0.5j], [0.5 + 0.5j, -2 + 1j, 4.0]],
        dtype=L.complex128,
        requires_grad=requires_grad,
    )


PART_WRITES = {
    "real_mul": lambda L, z: z.real.mul_(3),
    "imag_add": lambda L, z: z.imag.add_(1),
    "imag_setitem": lambda L, z: z.imag.__setitem__(0, L.tensor([7.0, 8.0, 9.0], dtype=L.float64)),
    "real_of_a_view": lambda L, z: z[1].real.sub_(2),
    "view_of_real": lambda L, z: z.real[:, 1:].mul_(-1),
    "real_transposed": lambda L, z: z.real.t()[0].add_(10),
}


@pytest.mark.parametrize("write", list(PART_WRITES))
def test_real_and_imag_are_views(write, backend):
    def scenario(L):
        zr = complex_grid(L)
        z = zr * 2
        re, im = z.real, z.imag
        out = PART_WRITES[write](L, z)
        seen = [
            z,
            re,
            im,
            history(z),
            re.grad_fn.name(),  # torch's AsStridedBackward0 goes through a ViewAsRealBackward0
            z._version,
            im._version,
            re._base is z,
            im._base is z,
            None if out is None else [out, out._base is z],
        ]
        (z.abs() ** 2).sum().backward()
        return seen + [zr.grad.real, zr.grad.imag]  # (floats compare to a tolerance)

    seen = same_as_torch(scenario, backend)
    assert seen[3][0] == "torch::autograd::CopySlices"


def test_real_and_imag_of_a_plain_complex_tensor(backend):
    def scenario(L):
        z = complex_grid(L, requires_grad=False)
        w = L.tensor([1.0, 2.0, -1.0], dtype=L.float64, requires_grad=True)
        re = z.real
        z.imag.mul_(2)  # a write through one part: the other part sees the tensor change
        seen = [z, re, re.is_contiguous(), z.imag.is_contiguous(), z.real.t().is_contiguous()]
        z.real[0].mul_(w)
        seen += [z, history(z), re.grad_fn.name()]
        z.abs().sum().backward()
        return seen + [w.grad, raised(lambda: z.real.imag)]

    same_as_torch(scenario, backend)


def test_real_of_a_real_tensor_is_the_tensor(backend):
    def scenario(L):
        x = grid(L)
        return [x.real is x, raised(lambda: x.imag)]

    same_as_torch(scenario, backend)


def test_forward_ad_through_a_write_into_imag(backend):
    def scenario(L):
        with fw(L).dual_level():
            z = complex_grid(L, requires_grad=False) * 1
            z.imag[0].copy_(dual_row(L, (1.0, 2.0, 3.0)))
            return [z, tangent(L, z), tangent(L, z.real)]

    same_as_torch(scenario, backend)
