"""Graph conformance: the same program in torch and in polygrad builds the same graph.

Each program is written once against the API both libraries share (polygrad's
Tensor methods follow torch); ``lib`` is ``torch`` or ``polygrad`` and ``T`` makes
a leaf on the backend under test. From the root, the graph is walked depth first
through ``next_functions``: every node's class name and ``name()``, the length of
its ``next_functions``, which slots are ``(None, 0)``, the ``output_nr`` of each
edge, which nodes are shared, and which leaf each ``AccumulateGrad`` feeds must
match. The leaves' gradients after ``backward()`` are compared too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from .backends import to_numpy
from .compare import close

PROGRAMS: dict[str, Callable[..., Any]] = {}
#: programs that modify a value saved for backward: torch runs them under
#: ``allow_mutation_on_saved_tensors`` (polygrad's deliberate behaviour)
MUTATES_SAVED: set[str] = set()
#: programs that need float64 (JAX without ``jax_enable_x64`` cannot run them)
NEEDS_FLOAT64: set[str] = set()


def program(fn: Callable[..., Any]) -> Callable[..., Any]:
    PROGRAMS[fn.__name__] = fn
    return fn


def _cat(lib: Any, tensors: list[Any], dim: int) -> Any:
    return lib.cat(tensors, dim) if lib.__name__ == "torch" else lib.concat(tensors, axis=dim)


def _stack(lib: Any, tensors: list[Any], dim: int) -> Any:
    return lib.stack(tensors, dim) if lib.__name__ == "torch" else lib.stack(tensors, axis=dim)


@program
def seed_wx_plus_b(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """The seed's z = w * x + b with a constant x (MulBackward0 has a (None, 0) slot)."""
    x, w, b = T([1.0]), T([0.4], True), T([0.7], True)
    return (w * x + b), [w, b]


@program
def seed_add_sum_and_exp(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """The seed's a.add(b).sum() and x**2 * exp(x)."""
    a, b = T(np.linspace(0.1, 0.6, 6).reshape(2, 3), True), T(np.zeros((2, 3)), True)
    x = T(np.linspace(-1, 1, 12).reshape(3, 4), True)
    return a.add(b).sum() + (x**2 * lib.exp(x)).sum(), [a, b, x]


@program
def mlp(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """Two layers, relu, log_softmax and a mean: the common training graph."""
    rng = np.random.default_rng(0)
    x = T(rng.standard_normal((4, 3)))
    w1, b1 = T(rng.standard_normal((3, 5)), True), T(rng.standard_normal(5), True)
    w2 = T(rng.standard_normal((5, 2)), True)
    h = (x @ w1 + b1).relu()
    logits = (h @ w2).sigmoid()
    return -logits.log_softmax(-1)[:, 0].mean(), [w1, b1, w2]


@program
def indexing_chain(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """Select, slice, alias, unsqueeze, advanced and mask indexing, chained."""
    x = T(np.arange(20.0).reshape(4, 5) - 7.5, True)
    parts = [x[0], x[:, 1:][1:][0], x[...][1], x[None][0, 2], x[[0, 0, 2]][1], x[x > 0][:5]]
    total = parts[0].sum()
    for p in parts[1:]:
        total = total + p.sum()
    return total, [x]


@program
def inplace_rebase(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """In-place ops replace grad_fn and chain to the old node; x[i] = v is CopySlices."""
    x, w, v = T([1.0, -2.0, 3.0], True), T([0.5, 0.25, 2.0], True), T(4.0, True)
    y = x * 2
    y.add_(1)
    y.mul_(w)
    y[0] = v
    y += 1
    y.sigmoid_()
    return y.sum(), [x, w, v]


@program
def inplace_on_saved(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """Modifying values saved for backward (torch raises; polygrad keeps the saved value,
    which is what torch computes under allow_mutation_on_saved_tensors)."""
    x = T([1.0, -2.0, 3.0], True)
    y = x.exp()
    z = y * y
    y.add_(1)
    y.sigmoid_()
    y.mul_(3)
    return (z + y).sum(), [x]


MUTATES_SAVED.add("inplace_on_saved")


@program
def scalars_and_powers(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """rsub, number / tensor (a MulBackward0), the three pow nodes, clamp, where."""
    x, y = T([0.5, 1.5, 2.5], True), T([1.0, 2.0, 0.5], True)
    parts = [
        2 - x,
        2 / x,
        x / 2,
        x**2,
        x**y,
        2**x,
        x.clamp(0.6, 2.0),
        x.clamp(min=1.0),
        lib.where(x > 1, x, y),
        -x,
        x.abs().sqrt(),
    ]
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return total.sum(), [x, y]


@program
def reductions(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """max/amax/min (whole and by dim), var, std, prod, cumsum, logsumexp, mean, softmax."""
    x = T(np.array([[1.0, 3.0, 2.0], [0.5, -1.0, 4.0]]), True)
    parts = [
        x.max(),
        x.max(0)[0].sum(),
        x.amax(1).sum(),
        x.min(),
        x.var(),
        x.std(0).sum(),
        x.prod(),
        x.cumsum(1).sum(),
        x.logsumexp(1).sum(),
        x.mean(0).sum(),
        x.softmax(-1)[0, 0],
        x.sum(1, keepdim=True).sum(),
    ]
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return total, [x]


@program
def shapes_and_matmul(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """Views, transposes, expand, cat/stack, and the one-node products (mm, mv, dot)."""
    m = T(np.linspace(-1, 1, 12).reshape(3, 4), True)
    v = T(np.array([0.5, -0.5, 1.0, 2.0]), True)
    parts = [
        m.reshape(4, 3).sum(),
        m.t().sum(),
        m.transpose(0, 1).sum(),
        m.permute(1, 0).sum(),
        m.unsqueeze(0).squeeze(0).sum(),
        v.expand(3, 4).sum(),
        m.flatten().sum(),
        m.view(2, 6).sum(),
        (m @ v).sum(),
        v @ v,
        (m @ m.t()).sum(),
        _cat(lib, [m, v.unsqueeze(0)], 0).sum(),
        _stack(lib, [v, v * 2], 1).sum(),
    ]
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return total, [m, v]


@program
def matmul_by_rank(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """1-d @ 2-d, batched @ 2-d and batched @ batched: torch records several nodes
    (Unsqueeze/Mm/Squeeze, View/Mm/UnsafeView, Expand/View/Bmm/UnsafeView). Operands
    are contiguous: with a transposed operand torch adds nodes that depend on memory
    strides (ReshapeAliasBackward0, CloneBackward0), which polygrad does not have."""
    m = T(np.linspace(-1, 1, 12).reshape(3, 4), True)
    w = T(np.linspace(-1, 1, 20).reshape(4, 5), True)
    v = T(np.array([0.5, -0.5, 1.0]), True)
    b = T(np.linspace(0, 1, 24).reshape(2, 3, 4), True)
    c = T(np.linspace(1, 2, 40).reshape(2, 4, 5), True)
    return (v @ m).sum() + (b @ w).sum() + (b @ c).sum(), [m, w, v, b, c]


@program
def dtype_changes(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """double()/float() and clone(); a no-op conversion adds no node."""
    x = T([1.0, 2.0], True)
    return (x.double() * 2).sum() + x.float().sum() + x.clone().sum(), [x]


NEEDS_FLOAT64.add("dtype_changes")


@program
def custom_function(lib: Any, T: Any) -> tuple[Any, list[Any]]:
    """A custom Function's node is <Cls>Backward with one edge per input."""

    class Scale(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any, k: float, y: Any) -> Any:
            ctx.save_for_backward(x, y)
            ctx.k = k
            return x * y * k

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            x, y = ctx.saved_tensors
            return g * y * ctx.k, None, g * x * ctx.k

    x, y = T([1.0, 2.0], True), T([3.0, 4.0])
    return Scale.apply(x, 2.0, y).exp().sum(), [x]


def _canonical(root: Any, leaves: list[Any]) -> list[tuple[Any, ...]]:
    """Depth-first records ``(type name, name(), leaf index, edges)`` where each edge is
    ``(record index or None, output_nr)``; shared nodes keep their first index."""
    index: dict[int, int] = {}
    records: list[Any] = []

    def visit(node: Any) -> int:
        key = id(node)
        if key in index:
            return index[key]
        index[key] = len(records)
        slot: list[Any] = [type(node).__name__, node.name(), None, ()]
        records.append(slot)
        variable = (
            getattr(node, "variable", None) if type(node).__name__ == "AccumulateGrad" else None
        )
        if variable is not None:
            slot[2] = next((i for i, t in enumerate(leaves) if t is variable), "unknown leaf")
        slot[3] = tuple(
            (None if child is None else visit(child), nr) for child, nr in node.next_functions
        )
        return index[key]

    if root.grad_fn is not None:
        visit(root.grad_fn)
    return [tuple(r) for r in records]


@dataclass
class GraphResult:
    name: str
    status: str  # pass | fail | error | skip
    message: str = ""


def _first_difference(want: list[Any], got: list[Any]) -> str:
    for i, (w, g) in enumerate(zip(want, got)):
        if w != g:
            return f"node {i}: torch {w}, polygrad {g}"
    return f"torch has {len(want)} nodes, polygrad {len(got)}"


def _torch_mode(torch: Any, name: str) -> Any:
    from contextlib import nullcontext

    if name in MUTATES_SAVED:
        return torch.autograd.graph.allow_mutation_on_saved_tensors()
    return nullcontext()


def run_program(name: str, backend: str) -> GraphResult:
    import torch

    import polygrad as pg

    fn = PROGRAMS[name]

    def torch_T(data: Any, requires_grad: bool = False) -> Any:
        return torch.tensor(np.asarray(data, dtype=np.float32), requires_grad=requires_grad)

    def pg_T(data: Any, requires_grad: bool = False) -> Any:
        return pg.tensor(
            np.asarray(data, dtype=np.float32), backend=backend, requires_grad=requires_grad
        )

    if name in NEEDS_FLOAT64 and backend == "jax":
        import jax

        if not jax.config.jax_enable_x64:
            return GraphResult(name, "skip", "needs float64: jax_enable_x64 is off")
    with _torch_mode(torch, name):
        root_t, leaves_t = fn(torch, torch_T)
        want = _canonical(root_t, leaves_t)
        root_t.backward()
    try:
        with pg.backend(backend):
            root_p, leaves_p = fn(pg, pg_T)
        got = _canonical(root_p, leaves_p)
        if got != want:
            return GraphResult(name, "fail", _first_difference(want, got))
        root_p.backward()
    except Exception as error:  # noqa: BLE001 - reported as the program's result
        return GraphResult(name, "error", f"{type(error).__name__}: {error}".splitlines()[0])
    for k, (lt, lp) in enumerate(zip(leaves_t, leaves_p)):
        if lp.grad is None or not close(to_numpy(lp.grad), to_numpy(lt.grad), 1e-5, 1e-6):
            return GraphResult(name, "fail", f"grad of leaf {k} differs from torch's")
    return GraphResult(name, "pass")
