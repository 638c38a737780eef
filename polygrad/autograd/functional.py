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
from ._entry import grad as _grad

__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]


def _as_tuple(inp: Any, arg_name: str, fn_name: str) -> tuple[bool, tuple[Any, ...]]:
    is_tuple = isinstance(inp, tuple)
    items = inp if is_tuple else (inp,)
    for i, el in enumerate(items):
        if not core.is_array(el):
            where = (
                f"the value at index {i} has type {type(el)}."
                if is_tuple
                else f"the given {arg_name} has type {type(el)}."
            )
            raise TypeError(
                f"The {arg_name} given to {fn_name} must be either a Tensor or a "
                f"tuple of Tensors but {where}"
            )
    return is_tuple, tuple(core.as_tensor(el) for el in items)


def _tuple_postprocess(res: Any, to_unpack: Any) -> Any:
    if isinstance(to_unpack, tuple):
        if not to_unpack[1]:
            res = tuple(el[0] for el in res)
        if not to_unpack[0]:
            res = res[0]
    elif not to_unpack:
        res = res[0]
    return res


def _preprocess(
    inputs: tuple[Tensor, ...], create_graph: bool, need_graph: bool
) -> tuple[Tensor, ...]:
    """New tensor objects to differentiate with respect to (torch's ``_grad_preprocess``)."""
    out = []
    for t in inputs:
        if create_graph and t._requires_grad:
            out.append(core.as_input(t))
        elif need_graph:
            alias = core.as_input(_make(t._data, t._backend))
            tangent = forward_ad.tangent_of(t)
            if tangent is not None:
                forward_ad._set_tangent(alias, tangent)
            out.append(alias)
        else:
            out.append(_make(t._data, t._backend))
    return tuple(out)


def _postprocess(values: Any, create_graph: bool, raw: bool) -> Any:
    if isinstance(values, tuple):
        return tuple(_postprocess(v, create_graph, raw) for v in values)
    if raw:
        return values._data
    return values if create_graph else values.detach()


def _validate_v(v: tuple[Tensor, ...], other: tuple[Tensor, ...], is_other_tuple: bool) -> None:
    if len(other) != len(v):
        if is_other_tuple:
            raise RuntimeError(
                f"v is a tuple of invalid length: should be {len(other)} but got {len(v)}."
            )
        raise RuntimeError("The given v should contain a single Tensor.")
    for idx, (el_v, el_other) in enumerate(zip(v, other)):
        if tuple(el_v.shape) != tuple(el_other.shape):
            prepend = f"Entry {idx} in " if is_other_tuple else ""
            raise RuntimeError(
                f"{prepend}v has invalid size: should be torch.Size("
                f"{list(el_other.shape)}) but got torch.Size({list(el_v.shape)})."
            )


_STRICT = {
    "hessian": "The hessian of the user-provided function with respect to input {i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is thrice differentiable and that the hessian depends on the inputs.",
    "jacobian": "While computing the hessian, found that the jacobian of the user-provided function with respect to input {i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example).",
    "grad_inputs": "The gradient with respect to input {i} is independent of the inputs of the user-provided function. This is not allowed in strict mode.",
    "outputs": "Output {i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.",
}


def _check_requires_grad(values: tuple[Any, ...], kind: str, strict: bool) -> None:
    if not strict:
        return
    for i, t in enumerate(values):
        if t is None:
            raise RuntimeError(
                f"The output of the user-provided function is independent of input {i}. This is not allowed in strict mode."
            )
        if not t._requires_grad:
            raise RuntimeError(_STRICT[kind].format(i=i))


def _autograd_grad(
    outputs: tuple[Any, ...],
    inputs: tuple[Tensor, ...],
    grad_outputs: Any = None,
    create_graph: bool = False,
    retain_graph: bool | None = None,
) -> tuple[Any, ...]:
    grad_outputs = (None,) * len(outputs) if grad_outputs is None else grad_outputs
    pairs = [(o, g) for o, g in zip(outputs, grad_outputs) if o is not None and o._requires_grad]
    if not pairs:
        return (None,) * len(inputs)
    return _grad(
        [o for o, _ in pairs],
        list(inputs),
        [g for _, g in pairs],
        allow_unused=True,
        create_graph=create_graph,
        retain_graph=retain_graph,
    )


_FILL = {
    "back": "The output of the user-provided function is independent of input {i}. This is not allowed in strict mode.",
    "back_trick": "The gradient with respect to the input is independent of entry {i} in the grad_outputs when using the double backward trick to compute forward mode gradients. This is not allowed in strict mode.",
    "double_back": "The jacobian of the user-provided function is independent of input {i}. This is not allowed in strict mode.",
    "double_back_trick": "The hessian of the user-provided function is independent of entry {i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.",
}


def _fill_in_zeros(
    grads: tuple[Any, ...], refs: tuple[Tensor, ...], strict: bool, create_graph: bool, stage: str
) -> tuple[Tensor, ...]:
    out = []
    for i, g in enumerate(grads):
        if g is None:
            if strict:
                raise RuntimeError(_FILL[stage].format(i=i))
            g = core.zeros_like(refs[i])
        elif strict and create_graph and not g._requires_grad:
            what = "hessian" if "double" in stage else "jacobian"
            raise RuntimeError(
                f"The {what} of the user-provided function is independent of input {i}. This is not allowed in strict mode when create_graph=True."
            )
        out.append(g)
    return tuple(out)


def _is_raw(values: Any) -> bool:
    return not isinstance(values, Tensor) and not (
        isinstance(values, tuple) and any(isinstance(v, Tensor) for v in values)
    )


def _prepare(inputs: Any, name: str, create_graph: bool) -> tuple[bool, bool, tuple[Tensor, ...]]:
    """(raw, is_inputs_tuple, fresh inputs) for the ``name`` transform."""
    raw = _is_raw(inputs)
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", name)
    inputs = _preprocess(inputs, create_graph, need_graph=True)
    return raw, is_inputs_tuple, inputs


def _checked_v(
    v: Any, against: tuple[Tensor, ...], is_tuple: bool, create_graph: bool, name: str, single: str
) -> tuple[Tensor, ...] | None:
    """``v`` as fresh tensors shaped like ``against``; None only where ``against`` is one
    single-element tensor (``single`` says which, in torch's message)."""
    if v is not None:
        v = _preprocess(_as_tuple(v, "v", name)[1], create_graph, need_graph=False)
        _validate_v(v, against, is_tuple)
        return v
    if len(against) != 1 or against[0].numel() != 1:
        raise RuntimeError(
            f"The vector v can only be None if {single} a single Tensor with a single element."
        )
    return None


#: ``single`` of ``_checked_v`` where ``v`` pairs with the inputs (jvp, hvp, vhp)
_SINGLE_INPUT = "the input to the user-provided function is"


def _finish(create_graph: bool, raw: bool, *parts: tuple[Any, bool]) -> tuple[Any, ...]:
    """Each ``(values, was_tuple)`` detached (or raw arrays) and unpacked as it came in."""
    return tuple(
        _tuple_postprocess(_postprocess(values, create_graph, raw), was_tuple)
        for values, was_tuple in parts
    )


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


from ._functional_jacobian import hessian, jacobian  # noqa: E402  (they use the helpers above)
