"""``torch.autograd.functional.jacobian`` and ``hessian`` on polygrad (see ``functional``).

Reverse mode takes one backward pass per output element; ``strategy="forward-mode"``
one forward-AD pass per input element. The Jacobian of output ``i`` with respect to
input ``j`` has shape ``outputs[i].shape + inputs[j].shape``, as in torch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core._grad_mode import enable_grad
from .._core._tensor import Tensor
from ..ops import permute_dims, reshape, stack
from . import _functional_core as core
from ._functional_args import (
    _as_tuple,
    _autograd_grad,
    _check_requires_grad,
    _is_raw,
    _postprocess,
    _preprocess,
    _tuple_postprocess,
)


def _stack(rows: list[Tensor], shape: tuple[int, ...], like: Tensor) -> Tensor:
    if not rows:
        xp = like._backend.xp
        return core.as_tensor(
            xp.zeros(shape, dtype=like._data.dtype, device=like._backend.device_of(like._data))
        )
    return reshape(stack(rows, axis=0), shape)


def jacobian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    strategy: str = "reverse-mode",
) -> Any:
    """The Jacobian of ``func`` at ``inputs`` (a tensor, or tuples of tensors for tuples)."""
    if strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                "polygrad.autograd.functional.jacobian: `create_graph=True` and "
                '`strategy="forward-mode"` are not supported together (yet). Please either set '
                '`create_graph=False` or `strategy="reverse-mode"`.'
            )
        return _jacfwd(func, inputs, strict, vectorize)
    with enable_grad():
        raw = _is_raw(inputs)
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _preprocess(inputs, create_graph, need_graph=True)
        is_outputs_tuple, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "jacobian"
        )
        _check_requires_grad(outputs, "outputs", strict)
        if vectorize and strict:
            raise RuntimeError(
                "polygrad.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
                "supported together. Please either set `strict=False` or `vectorize=False`."
            )
        jac = []
        for i, out in enumerate(outputs):
            rows: list[list[Tensor]] = [[] for _ in inputs]
            for e in core.one_hot_rows(out):
                vj = _autograd_grad(
                    (out,), inputs, (e,), create_graph=create_graph, retain_graph=True
                )
                for k, (g, x) in enumerate(zip(vj, inputs)):
                    if g is not None:
                        if strict and create_graph and not g._requires_grad:
                            raise RuntimeError(
                                f"The jacobian of the user-provided function is independent of "
                                f"input {i}. This is not allowed in strict mode when create_graph=True."
                            )
                        rows[k].append(g)
                    else:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent of input "
                                f"{k}. This is not allowed in strict mode."
                            )
                        rows[k].append(core.zeros_like(x))
            jac.append(
                tuple(_stack(r, tuple(out.shape) + tuple(x.shape), x) for r, x in zip(rows, inputs))
            )
        result = _postprocess(tuple(jac), create_graph, raw)
        return _tuple_postprocess(result, (is_outputs_tuple, is_inputs_tuple))


def _jacfwd(func: Callable[..., Any], inputs: Any, strict: bool, vectorize: bool) -> Any:
    if strict:
        raise RuntimeError(
            'torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` '
            "are not supported together (yet). Please either set `strict=False` or "
            '`strategy="reverse-mode"`.'
        )
    if not vectorize:
        raise NotImplementedError(
            "Computing Jacobian using forward-AD or forward-over-reverse Hessian is"
            "only implemented for `vectorize=True`."
        )
    raw = _is_raw(inputs)
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
    zeros = [core.zeros_like(x) for x in inputs]
    columns: list[list[list[Tensor]]] = []  # [input][column][output]
    outputs: tuple[Any, ...] = ()
    is_outputs_tuple = False
    for k, x in enumerate(inputs):
        per_column = []
        for e in core.one_hot_rows(x):
            out, found = core.pushforward(
                lambda duals: func(*duals), inputs, zeros[:k] + [e] + zeros[k + 1 :]
            )
            is_outputs_tuple, outputs = _as_tuple(
                out, "outputs of the user-provided function", "jacobian"
            )
            per_column.append(list(found))
        columns.append(per_column)
    if not columns or not columns[0]:
        is_outputs_tuple, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "jacobian"
        )
    jac = []
    for i, out in enumerate(outputs):
        blocks = []
        for k, x in enumerate(inputs):
            cols = [col[i] for col in columns[k]] if columns and columns[k] else []
            shape = tuple(out.shape) + tuple(x.shape)
            if not cols:
                blocks.append(_stack([], shape, x))
                continue
            flat = _stack(cols, (len(cols), -1), x)
            blocks.append(reshape(permute_dims(flat, (1, 0)), shape))
        jac.append(tuple(blocks))
    result = _postprocess(tuple(jac), False, raw)
    # torch's forward-mode Jacobians come back in lists (reverse mode: tuples)
    return _tuple_postprocess([list(row) for row in result], (is_outputs_tuple, is_inputs_tuple))


def hessian(
    func: Callable[..., Any],
    inputs: Any,
    create_graph: bool = False,
    strict: bool = False,
    vectorize: bool = False,
    outer_jacobian_strategy: str = "reverse-mode",
) -> Any:
    """The Hessian of scalar ``func``: the Jacobian of its (reverse-mode) Jacobian."""
    is_inputs_tuple, as_tuple = _as_tuple(inputs, "inputs", "hessian")
    if outer_jacobian_strategy not in ("forward-mode", "reverse-mode"):
        raise AssertionError('Expected strategy to be either "forward-mode" or "reverse-mode".')

    def ensure_single_output_function(*inp: Tensor) -> Tensor:
        out = func(*inp)
        is_out_tuple, t_out = _as_tuple(out, "outputs of the user-provided function", "hessian")
        _check_requires_grad(t_out, "outputs", strict)
        if is_out_tuple or not isinstance(out, Tensor):
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if out.numel() != 1:
            raise RuntimeError(
                "The Tensor returned by the function given to hessian should contain a single element"
            )
        return reshape(out, ())

    def jac_func(*inp: Tensor) -> Any:
        if outer_jacobian_strategy == "forward-mode":
            inp = tuple(t.requires_grad_(True) if t.is_leaf else t for t in inp)
        jac = jacobian(ensure_single_output_function, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        return jac

    res = jacobian(
        jac_func,
        as_tuple,
        create_graph=create_graph,
        strict=strict,
        vectorize=vectorize,
        strategy=outer_jacobian_strategy,
    )
    if _is_raw(inputs):
        res = type(res)(type(row)(block._data for block in row) for row in res)
    return _tuple_postprocess(res, (is_inputs_tuple, is_inputs_tuple))
