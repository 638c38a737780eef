"""torch.autograd.functional on polygrad: ``jacobian``, ``hessian``, ``vjp``, ``jvp``, ``hvp``, ``vhp``.

Same signatures, return structures and error messages as torch 2.13::

    from polygrad.autograd.functional import jacobian, hessian, vjp, jvp, hvp, vhp
    J = jacobian(lambda x: x ** 2 + x.sum(), x)            # [[3, 1], [1, 5]] at x = [1, 2]
    out, v_J = vjp(f, x, v);  out, J_v = jvp(f, x, v);  out, H_v = hvp(f, x, v)

``inputs`` is a tensor or a tuple of them: polygrad tensors, or the backend's own
arrays (NumPy, torch, JAX...), in which case the results are arrays of that library.
``jvp`` uses forward-mode AD (torch uses the double-backward trick; polygrad falls
back to it with ``strict=True`` or inside an open forward-AD level). ``vectorize``
is accepted and gives the same results (polygrad computes one row at a time).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .._core._grad_mode import enable_grad, set_grad_enabled
from .._core._grad_mode import is_grad_enabled as _is_grad_enabled
from .._core._tensor import Tensor, _make
from . import _functional_core as core
from . import forward_ad
from ._functional_args import (
    _SINGLE_INPUT,
    _as_tuple,
    _autograd_grad,
    _check_requires_grad,
    _checked_v,
    _fill_in_zeros,
    _finish,
    _prepare,
)
from ._functional_jacobian import hessian, jacobian

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def vjp(
    func: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), v @ J)``: the vector-Jacobian product at ``inputs``."""
    with enable_grad():
        raw, is_inputs_tuple, inputs = _prepare(inputs, "vjp", create_graph)
        is_outputs_tuple, outputs = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "vjp"
        )
        _check_requires_grad(outputs, "outputs", strict)
        v = _checked_v(
            v, outputs, is_outputs_tuple, create_graph, "vjp", "the user-provided function returns"
        )
    with set_grad_enabled(True if create_graph else _is_grad_enabled()):
        result = _fill_in_zeros(
            _autograd_grad(outputs, inputs, v, create_graph=create_graph),
            inputs,
            strict,
            create_graph,
            "back",
        )
    return _finish(create_graph, raw, (outputs, is_outputs_tuple), (result, is_inputs_tuple))


def jvp(
    func: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), J @ v)``: the Jacobian-vector product at ``inputs`` (forward mode)."""
    with enable_grad():
        raw, is_inputs_tuple, inputs = _prepare(inputs, "jvp", create_graph)
        v = _checked_v(v, inputs, is_inputs_tuple, create_graph, "jvp", _SINGLE_INPUT)
        if v is None:
            v = (_make(inputs[0]._backend.xp.ones_like(inputs[0]._data), inputs[0]._backend),)
        if strict or forward_ad.is_active():
            return _jvp_double_backward(func, inputs, v, create_graph, strict, raw)
        outputs, found = core.pushforward(lambda duals: func(*duals), inputs, v)
    is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jvp")
    pushed = tuple(f if f is not None else core.zeros_like(o) for f, o in zip(found, outputs))
    return _finish(create_graph, raw, (outputs, is_outputs_tuple), (pushed, is_outputs_tuple))


def _jvp_double_backward(
    func: Callable[..., Any],
    inputs: tuple[Tensor, ...],
    v: Any,
    create_graph: bool,
    strict: bool,
    raw: bool,
) -> tuple[Any, Any]:
    """torch's double-backward trick (what torch itself always uses)."""
    is_outputs_tuple, outputs = _as_tuple(
        func(*inputs), "outputs of the user-provided function", "jvp"
    )
    _check_requires_grad(outputs, "outputs", strict)
    grad_outputs = tuple(
        _make(o._backend.xp.zeros_like(o._data), o._backend, None, 0, True) for o in outputs
    )
    grad_inputs = _autograd_grad(outputs, inputs, grad_outputs, create_graph=True)
    _check_requires_grad(grad_inputs, "grad_inputs", strict)
    with set_grad_enabled(True if create_graph else _is_grad_enabled()):
        res = _autograd_grad(grad_inputs, grad_outputs, v, create_graph=create_graph)
        result = _fill_in_zeros(res, outputs, strict, create_graph, "back_trick")
    return _finish(create_graph, raw, (outputs, is_outputs_tuple), (result, is_outputs_tuple))


def _second_order(
    func: Callable[..., Any], inputs: Any, v: Any, create_graph: bool, strict: bool, name: str
) -> Any:
    with enable_grad():
        raw, is_inputs_tuple, inputs = _prepare(inputs, name, create_graph)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(
            outputs, "outputs of the user-provided function", name
        )
        _check_requires_grad(outputs, "outputs", strict)
        if is_outputs_tuple or not isinstance(outputs[0], Tensor):
            raise RuntimeError(f"The function given to {name} should return a single Tensor")
        if outputs[0].numel() != 1:
            raise RuntimeError(
                f"The Tensor returned by the function given to {name} should contain a single element"
            )
        v = _checked_v(v, inputs, is_inputs_tuple, create_graph, name, _SINGLE_INPUT)
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict)
        if name == "hvp":
            grad_jac = tuple(
                _make(t._backend.xp.zeros_like(t._data), t._backend, None, 0, True) for t in inputs
            )
            double_back = _autograd_grad(jac, inputs, grad_jac, create_graph=True)
            _check_requires_grad(jac, "hessian", strict)
    with set_grad_enabled(True if create_graph else _is_grad_enabled()):
        if name == "hvp":
            res = _autograd_grad(double_back, grad_jac, v, create_graph=create_graph)
            result = _fill_in_zeros(res, inputs, strict, create_graph, "double_back_trick")
        else:
            res = _autograd_grad(jac, inputs, v, create_graph=create_graph)
            result = _fill_in_zeros(res, inputs, strict, create_graph, "double_back")
    return _finish(create_graph, raw, (outputs, is_outputs_tuple), (result, is_inputs_tuple))


def vhp(
    func: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), v @ H)`` for a scalar ``func`` (reverse over reverse)."""
    return _second_order(func, inputs, v, create_graph, strict, "vhp")


def hvp(
    func: Callable[..., Any],
    inputs: Any,
    v: Any = None,
    create_graph: bool = False,
    strict: bool = False,
) -> tuple[Any, Any]:
    """``(func(inputs), H @ v)`` for a scalar ``func`` (the double-backward trick, as torch)."""
    return _second_order(func, inputs, v, create_graph, strict, "hvp")
