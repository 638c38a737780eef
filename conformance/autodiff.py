"""Running one sample through an autograd library: forward, VJP, second-order product.

The same procedure runs on torch (the oracle) and on polygrad (the library under
test), so both see the same inputs, the same random cotangent ``u`` and the same
random direction ``v``:

* forward: every output's values, shape, dtype and ``requires_grad``;
* VJP: ``grad(outputs, leaves, u)``, each gradient's values, shape and dtype;
* second order: ``grad(sum_i <g_i, v_i>, leaves)`` with ``g`` from ``create_graph``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .backends import dtype_name, to_numpy
from .samples import Sample


@dataclass
class Output:
    value: np.ndarray
    dtype: str
    requires_grad: bool


@dataclass
class Run:
    """What one library computed for one sample (gradients are None where unused)."""

    outputs: list[Output] = field(default_factory=list)
    grads: list[tuple[np.ndarray, str] | None] = field(default_factory=list)
    second: list[np.ndarray | None] | None = None
    #: what the first-order ``grad`` call raised ("Type: message"), if it raised
    grad_error: str = ""
    #: what the second-order ``grad`` call raised (torch: no double backward for the op)
    second_error: str = ""


def flatten(result: Any) -> list[Any]:
    """Tensors of a result that may be a tensor, a tuple, a namedtuple or a list."""
    if isinstance(result, (tuple, list)):
        out: list[Any] = []
        for item in result:
            out.extend(flatten(item))
        return out
    return [result]


def directions(
    sample: Sample, outputs: list[Output], leaves_shapes: list[tuple[int, ...]], seed: int
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The cotangent ``u`` (one per differentiable output) and direction ``v`` (one per
    leaf), drawn from the oracle's outputs so both libraries get the same ones."""
    rng = np.random.default_rng(seed)
    cotangents = []
    for o in outputs:
        if o.requires_grad:
            u = rng.standard_normal(o.value.shape)
            if o.value.dtype.kind == "c":
                u = u + 1j * rng.standard_normal(o.value.shape)
            cotangents.append(u.astype(o.value.dtype))
    vs = [rng.standard_normal(shape) for shape in leaves_shapes]
    return cotangents, vs


class Library:
    """The few calls the procedure needs, for torch or for polygrad on one backend."""

    def __init__(self, module: Any, make_leaf: Any, make_constant: Any) -> None:
        self.module = module
        self.make_leaf = make_leaf  # (np array, requires_grad, noncontiguous) -> tensor
        self.make_constant = make_constant  # np array -> tensor without grad

    def is_tensor(self, value: Any) -> bool:
        return isinstance(value, self.module.Tensor)

    def grad(
        self,
        outputs: list[Any],
        inputs: list[Any],
        grad_outputs: list[Any] | None,
        create_graph: bool,
    ) -> tuple[Any, ...]:
        return self.module.autograd.grad(
            outputs, inputs, grad_outputs=grad_outputs, allow_unused=True, create_graph=create_graph
        )


def forward(lib: Library, fn: Any, sample: Sample) -> tuple[list[Any], list[Any], Any]:
    """Build the inputs and call ``fn``: (leaves that require grad, all args, result)."""
    wanted = sample.grad_indices()
    leaves, args = [], []
    for i, a in enumerate(sample.args):
        if isinstance(a, np.ndarray):
            t = lib.make_leaf(a, i in wanted, i in sample.noncontiguous)
            if i in wanted:
                leaves.append(t)
            args.append(t)
        else:
            args.append(a)
    return leaves, args, fn(*args, **sample.kwargs)


def run(
    lib: Library,
    fn: Any,
    sample: Sample,
    cotangents: list[np.ndarray] | None,
    vs: list[np.ndarray] | None,
    second_order: bool,
) -> tuple[Run, list[Any]]:
    """Forward, then VJP and second order when directions are given (they come from
    the oracle; the oracle's own first pass runs forward only to draw them)."""
    leaves, _, result = forward(lib, fn, sample)
    outs = flatten(result)
    record = Run()
    for o in outs:
        if lib.is_tensor(o):
            record.outputs.append(Output(to_numpy(o), dtype_name(o), bool(o.requires_grad)))
        else:
            value = np.asarray(o)
            record.outputs.append(Output(value, dtype_name(value), False))
    if cotangents is None or vs is None:
        return record, leaves
    diff = [o for o in outs if lib.is_tensor(o) and o.requires_grad]
    if not diff or not leaves:
        record.grads = [None] * len(leaves)
        record.second = [None] * len(leaves) if second_order else None
        return record, leaves
    if len(cotangents) != len(diff):
        raise AssertionError(f"{len(diff)} differentiable outputs, oracle had {len(cotangents)}")
    u = [lib.make_constant(c) for c in cotangents]
    try:
        grads = lib.grad(diff, leaves, u, create_graph=second_order)
    except Exception as error:  # noqa: BLE001 - compared with what the oracle raised
        record.grad_error = error_text(error)
        return record, leaves
    record.grads = [None if g is None else (to_numpy(g), dtype_name(g)) for g in grads]
    for g, leaf in zip(grads, leaves):
        if g is not None and tuple(g.shape) != tuple(leaf.shape):
            return record, leaves  # reported by the shape check; no second order on it
    if second_order:
        try:
            record.second = _second_order(lib, grads, leaves, vs)
        except Exception as error:  # noqa: BLE001 - torch lacks some double backwards
            record.second_error = error_text(error)
    return record, leaves


def error_text(error: BaseException) -> str:
    """``"RuntimeError: first line of the message"``."""
    lines = str(error).splitlines()
    return f"{type(error).__name__}: {lines[0] if lines else ''}"


def _second_order(
    lib: Library, grads: tuple[Any, ...], leaves: list[Any], vs: list[np.ndarray]
) -> list[np.ndarray | None]:
    terms = []
    for g, v in zip(grads, vs):
        if g is not None and g.requires_grad:
            terms.append((g * lib.make_constant(v.astype(dtype_name(g)))).sum())
    if not terms:
        return [None] * len(leaves)
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    if dtype_name(total).startswith("complex"):
        total = total.real  # a real objective: <grad, v> of complex leaves
    second = lib.grad([total], leaves, None, create_graph=False)
    return [None if s is None else to_numpy(s) for s in second]
