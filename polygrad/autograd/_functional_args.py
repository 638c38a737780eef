"""How ``torch.autograd.functional``'s transforms read their arguments (``autograd.functional``).

``inputs`` and ``v`` are a tensor or a tuple of them (polygrad tensors or the backend's
own arrays); each input becomes a fresh tensor to differentiate with respect to
(torch's ``_grad_preprocess``), ``v`` is checked against what it pairs with, the
gradients come from the reverse-mode engine with torch's ``strict`` checks and zeros
filled in, and results go back detached (or as raw arrays) in the structure they came.
"""

from __future__ import annotations

from typing import Any

from .._core._tensor import Tensor, _make
from . import _functional_core as core
from . import forward_ad
from ._entry import grad as _grad


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
                f"{prepend}v has invalid size: should be {el_other.shape!r} but got {el_v.shape!r}."
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
