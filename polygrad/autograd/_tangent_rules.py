"""Tangent (Jacobian-vector product) rules for forward-mode AD, and the fallback.

``output_tangents(pending, xp)`` computes the tangents of one recorded op's outputs
from its inputs' tangents. A node class may define ``jvp(self, xp, tangents, *saved)``
next to its ``vjp``; otherwise a rule here, keyed by node class, is used; otherwise
the double-vjp fallback ``J v = d/du <vjp(u), v>`` (exact: a vjp is linear in ``u``;
``<,>`` is the real inner product, ``Re(conj(a) b)`` on complex values).
A rule here is ``rule(node, xp, tangents, inputs, outputs)``: ``inputs`` are the op's
operands (tensors, or the Python numbers that stood for them), ``outputs`` its results,
``tangents`` one entry per input, None where an input carries none. Rules use only
polygrad's array-API namespace ``xp`` on polygrad tensors, so they are themselves
differentiable. The rules here are checked against torch.func.jvp in
tests/autograd/test_forward_ad.py.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._backward_step import fix_grad
from .._core._grad_mode import _grad_enabled
from .._core._tensor import Tensor, _make
from ..ops import (
    arithmetic,
    compare,
    conversion,
    elementwise,
    indexing,
    linalg,
    shape,
    softmax_family,
    sums,
)
from ..ops import elementwise_math as em
from ..ops._support import conj
from ._dual_store import _NEEDED, all_slots
from ._entry import grad


def _plus(*terms: Any) -> Any:
    out = None
    for term in terms:
        if term is not None:
            out = term if out is None else out + term
    return out


def _times(t: Any, factor: Any) -> Any:
    return None if t is None else t * factor


def _unary(derivative: Any) -> Any:
    """Rule ``t * derivative(x, out)`` for a one-input elementwise op."""

    def rule(
        node: Any, xp: Any, t: tuple[Any, ...], inputs: tuple[Any, ...], outputs: tuple[Any, ...]
    ) -> Any:
        return t[0] * derivative(xp, inputs[0], outputs[0])

    return rule


def _zeros_where(xp: Any, condition: Any, t: Any) -> Any:
    return xp.where(condition, xp.zeros_like(t), t)


def _pow0(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    p = node.exponent
    return xp.zeros_like(t[0]) if p == 0 else t[0] * (p * inputs[0] ** (p - 1))


def _pow1(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    x, y = inputs
    tx = ty = None
    if t[0] is not None:  # the same conventions as PowBackward1's vjp
        tx = xp.where(y == 0, xp.zeros_like(t[0] * x), t[0] * y * x ** (y - 1))
    if t[1] is not None:
        ty = xp.where((x == 0) & (y >= 0), xp.zeros_like(t[1] * x), t[1] * outputs[0] * xp.log(x))
    return _plus(tx, ty)


def _pow2(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    if node.base == 0:
        return xp.where(inputs[0] >= 0, xp.zeros_like(t[0]), t[0] * outputs[0] * float("-inf"))
    return t[0] * outputs[0] * math.log(node.base)


def _clamp_numbers(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    x = inputs[0]
    outside = None
    if node.min is not None:
        outside = x < node.min
    if node.max is not None:
        above = x > node.max
        outside = above if outside is None else outside | above
    return t[0] if outside is None else _zeros_where(xp, outside, t[0])


def _clamp_tensors(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    x, lo, hi = inputs
    below = None if lo is None else x < lo
    above = None if hi is None else x > hi
    if above is not None and below is not None:
        above = above & ~below
    outside = below if above is None else above if below is None else below | above
    tx = t[0] if t[0] is None or outside is None else _zeros_where(xp, outside, t[0])
    tlo = None if t[1] is None else xp.where(below, t[1], xp.zeros_like(t[1]))
    thi = None if t[2] is None else xp.where(above, t[2], xp.zeros_like(t[2]))
    return _plus(tx, tlo, thi)


def _where(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    zero = xp.zeros_like(outputs[0])
    return xp.where(node.condition, zero if t[0] is None else t[0], zero if t[1] is None else t[1])


def _extremum(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    x, y = inputs
    zero = xp.zeros_like(outputs[0])
    tx = zero if t[0] is None else t[0]
    ty = zero if t[1] is None else t[1]
    return xp.where(x == y, (tx + ty) / 2, xp.where(node._wins(x, y), tx, ty))


def _matmul(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    x, y = inputs
    return _plus(
        None if t[0] is None else xp.matmul(t[0], y), None if t[1] is None else xp.matmul(x, t[1])
    )


def _reduced(fn: str) -> Any:
    def rule(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        axes = node.axes if node.axes else None
        if not inputs[0].ndim:
            return t[0]
        return xp.reshape(getattr(xp, fn)(t[0], axis=axes), tuple(outputs[0].shape))

    return rule


def _logsumexp(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    x, out = inputs[0], outputs[0]
    if not x.ndim:
        return t[0]
    kept = tuple(1 if i in node.axes else n for i, n in enumerate(x.shape))
    weights = xp.exp(x - xp.reshape(out, kept))
    return xp.reshape(xp.sum(weights * t[0], axis=node.axes), tuple(out.shape))


def _softmax(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    y = outputs[0]
    return y * (t[0] - xp.sum(y * t[0], axis=node.axis, keepdims=True))


def _log_softmax(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    return t[0] - xp.sum(xp.exp(outputs[0]) * t[0], axis=node.axis, keepdims=True)


def _reshaped(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    return xp.reshape(t[0], tuple(outputs[0].shape))


def _permuted(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    return xp.permute_dims(t[0], tuple(node.axes))


def _indexed(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
    return t[0][node.key]


def _joined(fn: str) -> Any:
    def rule(node: Any, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        parts = [ti if ti is not None else xp.zeros_like(x) for ti, x in zip(t, inputs)]
        return getattr(xp, fn)(parts, axis=node.axis)

    return rule


def _table() -> dict[type, Any]:
    """Rules by node class (classes an op module no longer has are skipped)."""
    ln2, ln10 = math.log(2.0), math.log(10.0)
    wanted: dict[tuple[Any, str], Any] = {
        (arithmetic, "AddBackward0"): lambda n, xp, t, i, o: _plus(t[0], t[1]),
        (arithmetic, "SubBackward0"): lambda n, xp, t, i, o: _plus(t[0], _times(t[1], -1)),
        (arithmetic, "RsubBackward1"): lambda n, xp, t, i, o: -t[0],
        (arithmetic, "MulBackward0"): lambda n, xp, t, i, o: _plus(
            _times(t[0], i[1]), _times(t[1], i[0])
        ),
        (arithmetic, "DivBackward0"): lambda n, xp, t, i, o: _plus(
            None if t[0] is None else t[0] / i[1], None if t[1] is None else -t[1] * o[0] / i[1]
        ),
        (arithmetic, "NegBackward0"): lambda n, xp, t, i, o: -t[0],
        (arithmetic, "ReciprocalBackward0"): lambda n, xp, t, i, o: -t[0] * o[0] * o[0],
        (arithmetic, "PowBackward0"): _pow0,
        (arithmetic, "PowBackward1"): _pow1,
        (arithmetic, "PowBackward2"): _pow2,
        (elementwise, "ExpBackward0"): _unary(lambda xp, x, y: y),
        (elementwise, "LogBackward0"): _unary(lambda xp, x, y: 1 / x),
        (elementwise, "SinBackward0"): _unary(lambda xp, x, y: xp.cos(x)),
        (elementwise, "CosBackward0"): _unary(lambda xp, x, y: -xp.sin(x)),
        (elementwise, "TanhBackward0"): _unary(lambda xp, x, y: 1 - y * y),
        (elementwise, "SigmoidBackward0"): _unary(lambda xp, x, y: y * (1 - y)),
        (elementwise, "ReluBackward0"): lambda n, xp, t, i, o: _zeros_where(xp, o[0] <= 0, t[0]),
        (elementwise, "AbsBackward0"): _unary(lambda xp, x, y: elementwise.sgn(xp, x)),
        (elementwise, "SqrtBackward0"): _unary(lambda xp, x, y: 1 / (2 * y)),
        (elementwise, "ClampBackward1"): _clamp_numbers,
        (elementwise, "ClampMinBackward0"): _clamp_numbers,
        (elementwise, "ClampMaxBackward0"): _clamp_numbers,
        (elementwise, "ClampBackward0"): _clamp_tensors,
        (elementwise, "WhereBackward0"): _where,
        (em, "AcosBackward0"): _unary(lambda xp, x, y: -1 / xp.sqrt(1 - x * x)),
        (em, "AsinBackward0"): _unary(lambda xp, x, y: 1 / xp.sqrt(1 - x * x)),
        (em, "AtanBackward0"): _unary(lambda xp, x, y: 1 / (x * x + 1)),
        (em, "AcoshBackward0"): _unary(lambda xp, x, y: 1 / xp.sqrt(x * x - 1)),
        (em, "AsinhBackward0"): _unary(lambda xp, x, y: 1 / xp.sqrt(x * x + 1)),
        (em, "AtanhBackward0"): _unary(lambda xp, x, y: 1 / (1 - x * x)),
        (em, "SinhBackward0"): _unary(lambda xp, x, y: xp.cosh(x)),
        (em, "CoshBackward0"): _unary(lambda xp, x, y: xp.sinh(x)),
        (em, "TanBackward0"): _unary(lambda xp, x, y: 1 + y * y),
        (em, "Expm1Backward0"): _unary(lambda xp, x, y: y + 1),
        (em, "Log1PBackward0"): _unary(lambda xp, x, y: 1 / (x + 1)),
        (em, "Log2Backward0"): _unary(lambda xp, x, y: 1 / (x * ln2)),
        (em, "Log10Backward0"): _unary(lambda xp, x, y: 1 / (x * ln10)),
        (em, "Atan2Backward0"): lambda n, xp, t, i, o: _plus(
            _times(t[0], i[1] / (i[0] * i[0] + i[1] * i[1])),
            _times(t[1], -i[0] / (i[0] * i[0] + i[1] * i[1])),
        ),
        (em, "HypotBackward0"): lambda n, xp, t, i, o: _plus(
            _times(t[0], i[0] / o[0]), _times(t[1], i[1] / o[0])
        ),
        (em, "LogaddexpBackward0"): lambda n, xp, t, i, o: _plus(
            _times(t[0], xp.exp(i[0] - o[0])), _times(t[1], xp.exp(i[1] - o[0]))
        ),
        (compare, "MaximumBackward0"): _extremum,
        (compare, "MinimumBackward0"): _extremum,
        (sums, "SumBackward0"): _reduced("sum"),
        (sums, "SumBackward1"): _reduced("sum"),
        (sums, "MeanBackward0"): _reduced("mean"),
        (sums, "MeanBackward1"): _reduced("mean"),
        (softmax_family, "LogsumexpBackward0"): _logsumexp,
        (softmax_family, "SoftmaxBackward0"): _softmax,
        (softmax_family, "LogSoftmaxBackward0"): _log_softmax,
        (conversion, "CloneBackward0"): lambda n, xp, t, i, o: t[0],
        (conversion, "ToCopyBackward0"): lambda n, xp, t, i, o: xp.astype(t[0], o[0].dtype),
        (shape, "ViewBackward0"): _reshaped,
        (shape, "SqueezeBackward0"): _reshaped,
        (shape, "SqueezeBackward1"): _reshaped,
        (shape, "SqueezeBackward2"): _reshaped,
        (shape, "UnsqueezeBackward0"): _reshaped,
        (shape, "PermuteBackward0"): _permuted,
        (shape, "TransposeBackward0"): _permuted,
        (shape, "TBackward0"): _permuted,
        (shape, "ExpandBackward0"): lambda n, xp, t, i, o: t[0],
        (shape, "CatBackward0"): _joined("concat"),
        (shape, "StackBackward0"): _joined("stack"),
        (indexing, "SelectBackward0"): _indexed,
        (indexing, "SliceBackward0"): _indexed,
        (indexing, "IndexBackward0"): _indexed,
        (indexing, "AliasBackward0"): lambda n, xp, t, i, o: t[0],
    }
    for name in (
        "MmBackward0",
        "MvBackward0",
        "DotBackward0",
        "BmmBackward0",
        "CloneBackward0",
    ):
        wanted[(linalg, name)] = _matmul
    wanted[(linalg, "SqueezeBackward4")] = _reshaped  # the views around torch's mm/bmm
    wanted[(shape, "UnsafeViewBackward0")] = _reshaped
    table = {}
    for (module, name), rule in wanted.items():
        cls = module.__dict__.get(name)
        if isinstance(cls, type):
            table[cls] = rule
    return table


_RULES: dict[type, Any] | None = None


def rules() -> dict[type, Any]:
    """The rule table (built on first use: it imports the op modules)."""
    global _RULES
    if _RULES is None:
        _RULES = _table()
    return _RULES


# -- applying a rule -------------------------------------------------------------------------


def _saved(pending: Any) -> tuple[Any, ...]:
    """The values ``_saved_from`` names, as tensors (or numbers), for ``jvp``/``vjp``."""
    return tuple(
        pending.inputs[s] if s >= 0 else pending.results[-1 - s]
        for s in type(pending.node)._saved_from
    )


def _conform(xp: Any, tangent: Any, like: Tensor) -> Tensor:
    """A rule's tangent in its output's shape and dtype (zeros where it gave none)."""
    if tangent is None:
        return xp.zeros_like(like)
    if not isinstance(tangent, Tensor):
        tangent = xp.asarray(tangent)
    if tuple(tangent.shape) != tuple(like.shape):
        tangent = xp.broadcast_to(tangent, tuple(like.shape))
    if tangent.dtype != like.dtype:
        tangent = xp.astype(tangent, like.dtype)
    return tangent


def output_tangents(pending: Any, xp: Any) -> list[Tensor]:
    """Tangents of ``pending``'s differentiable outputs (in order)."""
    node = pending.node
    cls = type(node)
    outputs = pending.outputs()
    method = getattr(cls, "jvp", None)
    rule = None if method is not None else rules().get(cls)
    if method is not None:
        found = method(node, xp, pending.tangents, *_saved(pending))
    elif rule is not None:
        found = rule(node, xp, pending.tangents, pending.inputs, tuple(pending.results))
    else:
        return double_vjp(pending, xp)
    if len(pending.results) == 1:
        found = (found,)
    else:
        found = tuple(f for f, d in zip(found, pending.differentiable) if d)
    return [_conform(xp, f, r) for f, r in zip(found, outputs)]


def _shadow(node: Any) -> Any:
    """A copy of ``node`` whose vjp computes a gradient for every input."""
    cls = type(node)
    copy = object.__new__(cls)
    for name in all_slots(cls):
        if hasattr(node, name):
            setattr(copy, name, getattr(node, name))
    copy.next_functions = tuple((_NEEDED, 0) for _ in node.next_functions)
    copy._hooks = None
    copy._fix = None
    copy._saved = ()
    return copy


def double_vjp(pending: Any, xp: Any) -> list[Tensor]:
    """``J v = d/du <vjp(u), v>``: tangents from the op's vjp alone."""
    node = pending.node
    backend = node._backend
    seeds = []
    for r, d in zip(pending.results, pending.differentiable):
        zeros = backend.xp.zeros_like(r._data)
        seeds.append(_make(zeros, backend, None, 0, True) if d else _make(zeros, backend))
    outputs = pending.outputs()
    token = _grad_enabled.set(True)
    try:
        g = _shadow(node).vjp(xp, seeds[0] if len(seeds) == 1 else tuple(seeds), *_saved(pending))
        total = None
        for gi, ti, x in zip(g, pending.tangents, pending.inputs):
            if gi is None or ti is None:
                continue
            if not isinstance(gi, Tensor):
                gi = _make(gi, backend)
            gi = fix_grad(xp, gi, (tuple(x.shape), x.dtype))
            # the real inner product: on complex values, Re(conj(gi) ti)
            total = _plus(total, xp.real(xp.sum(conj(xp, gi) * ti)))
    finally:
        _grad_enabled.reset(token)
    if total is None or not total.requires_grad:
        return [xp.zeros_like(r) for r in outputs]
    seeds_used = [s for s, d in zip(seeds, pending.differentiable) if d]
    found = grad(
        total, seeds_used, allow_unused=True, materialize_grads=True, create_graph=pending.grad_mode
    )
    return [_conform(xp, f, r) for f, r in zip(found, outputs)]
