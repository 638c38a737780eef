"""Jacobians for ``pg.jacrev``/``pg.jacfwd`` (and so ``pg.hessian``), on pytrees.

Reverse mode runs ``fun`` once and one backward pass per output element; forward mode
runs ``fun`` once per input element with a one-hot tangent. Either way the block for
an output leaf of shape ``o`` and an input leaf of shape ``i`` has shape ``o + i``,
assembled with polygrad ops so that nested transforms can differentiate it again.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import optree

from .._core._tensor import Tensor
from ..autograd import _functional_core as core
from ..ops import permute_dims, reshape, stack
from ._arguments import _argnums, _constant, _export_tree, _Inputs, _leaves, _split_aux, _unflatten


def _block(
    columns: Sequence[Tensor],
    out_shape: tuple[int, ...],
    in_shape: tuple[int, ...],
    like: Tensor,
    by_rows: bool,
) -> Tensor:
    """Stack per-element derivatives into the ``out_shape + in_shape`` block."""
    if not columns:
        xp = like._backend.xp
        zeros = xp.zeros(
            out_shape + in_shape, dtype=like._data.dtype, device=like._backend.device_of(like._data)
        )
        return core.as_tensor(zeros)
    stacked = stack(list(columns), axis=0)
    if by_rows:  # rows: one per output element, each shaped like the input
        return reshape(stacked, out_shape + in_shape)
    # columns: one per input element, each shaped like the output
    flat = reshape(stacked, (len(columns), -1))
    return reshape(permute_dims(flat, (1, 0)), out_shape + in_shape)


def _assemble(out: Any, inputs: _Inputs, blocks: list[list[Tensor]], single: bool) -> Any:
    """The output structure, each leaf holding the (structure of) its input blocks."""
    out_leaves, out_spec = _leaves(out)
    per_output = [inputs.regroup(row, single) for row in blocks]
    return _unflatten(out_spec, per_output) if out_leaves else out


def _jacrev(
    fun: Callable[..., Any], inputs: _Inputs, kwargs: dict[str, Any], single: bool, has_aux: bool
) -> Any:
    with core.nested():
        out, aux = _split_aux(fun(*inputs.call_args, **kwargs), has_aux)
    blocks = []
    for o in _leaves(out)[0]:
        o = core.as_tensor(o, "output")
        rows = [
            core.pullback([o], inputs.tensors, [e], inputs.create_graph, retain_graph=True)
            for e in core.one_hot_rows(o)
        ]
        blocks.append(
            [
                _block([r[k] for r in rows], tuple(o.shape), tuple(x.shape), x, True)
                for k, x in enumerate(inputs.tensors)
            ]
        )
    jac = _assemble(out, inputs, blocks, single)
    return (jac, _export_tree(aux, inputs.raw)) if has_aux else jac


def _jacfwd(
    fun: Callable[..., Any], inputs: _Inputs, kwargs: dict[str, Any], single: bool, has_aux: bool
) -> Any:
    primals = inputs.tensors
    aux_box: list[Any] = []

    def call(duals: list[Tensor]) -> Any:
        call_args = list(inputs.call_args)
        i = 0
        for n, spec, given in zip(inputs.argnums, inputs.specs, inputs.given):
            call_args[n] = _unflatten(spec, duals[i : i + len(given)])
            i += len(given)
        call_args = [optree.tree_map(_constant, a, none_is_leaf=True) for a in call_args]
        with core.nested():
            out, aux = _split_aux(fun(*call_args, **kwargs), has_aux)
        aux_box[:] = [aux]
        return out

    zeros = [core.zeros_like(p) for p in primals]
    columns: list[list[list[Tensor]]] = []  # [input][column][output leaf]
    out = None
    for k, p in enumerate(primals):
        per_column = []
        for e in core.one_hot_rows(p):
            tangents = zeros[:k] + [e] + zeros[k + 1 :]
            out, found = core.pushforward(call, primals, tangents)
            per_column.append([f if f is not None else core.as_tensor(0.0) for f in found])
        columns.append(per_column)
    if out is None:  # no input elements: evaluate once for the output's structure
        out = call(primals)
    out_leaves = [core.as_tensor(o, "output") for o in _leaves(out)[0]]
    blocks = [
        [
            _block([col[j] for col in columns[k]], tuple(o.shape), tuple(x.shape), x, False)
            for k, x in enumerate(primals)
        ]
        for j, o in enumerate(out_leaves)
    ]
    jac = _assemble(out, inputs, blocks, single)
    return (jac, _export_tree(aux_box[0], inputs.raw)) if has_aux else jac


def jacobian_fun(
    fun: Callable[..., Any], argnums: int | Sequence[int], has_aux: bool, forward: bool
) -> Callable[..., Any]:
    """``jacrev``/``jacfwd``: a function returning ``fun``'s Jacobian at its arguments."""

    @functools.wraps(fun)
    def jac_fun(*args: Any, **kwargs: Any) -> Any:
        inputs = _Inputs(args, _argnums(argnums, len(args)))
        compute = _jacfwd if forward else _jacrev
        return compute(fun, inputs, kwargs, isinstance(argnums, int), has_aux)

    return jac_fun
