"""Differentiate existing array code as a function, JAX-style: ``pg.grad(f)(x)``.

``f`` is any function of polygrad tensors (including code written against the array
API standard, ``xp = array_namespace(x)``: SciPy, scikit-learn, einops...). Its
arguments may be NumPy, torch or JAX arrays, polygrad tensors, Python floats, or
nested tuples/lists/dicts of them; ``f`` receives polygrad tensors in the same
structure and the results come back as the kind of array that was passed::

    g = pg.grad(loss)(w, X, y)                     # w: a numpy array -> g: a numpy array
    value, (gw, gX) = pg.value_and_grad(loss, argnums=(0, 1))(w, X, y)
    out, f_vjp = pg.vjp(f, x);  (ct,) = f_vjp(cotangent)
    out, tangent_out = pg.jvp(f, (x,), (v,))       # forward mode
    J = pg.jacrev(f)(x);  J = pg.jacfwd(f)(x);  H = pg.hessian(f)(x)
    Hv = pg.hvp(f, (x,), (v,))

Transforms nest (``pg.grad(pg.grad(f))``, ``pg.jacfwd(pg.jacrev(f))``) and trace under
``jax.jit``/``jax.vmap`` on the JAX backend. Errors follow JAX's wording, naming polygrad's
functions. torch's
``torch.autograd.functional`` signatures are in ``pg.autograd.functional``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, Concatenate, Literal, ParamSpec, TypeVar, overload

import optree

from .._core._tensor import Tensor
from ..autograd import _functional_core as core
from ._arguments import (
    _argnums,
    _constant,
    _export_tree,
    _Inputs,
    _leaves,
    _raw,
    _split_aux,
    _unflatten,
)
from ._functional_jac import jacobian_fun

__all__ = ["grad", "hessian", "hvp", "jacfwd", "jacobian", "jacrev", "jvp", "value_and_grad", "vjp"]


def value_and_grad(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """``fun``'s value and its gradient with respect to the arguments ``argnums``."""

    @functools.wraps(fun)
    def value_and_grad_fun(*args: Any, **kwargs: Any) -> Any:
        inputs = _Inputs(args, _argnums(argnums, len(args)))
        with core.nested():
            value, aux = _split_aux(fun(*inputs.call_args, **kwargs), has_aux)
        value = value if isinstance(value, Tensor) else core.as_tensor(value, "output")
        if value.ndim != 0:
            raise TypeError(
                "Gradient only defined for scalar-output functions. Output had shape: "
                f"{tuple(value.shape)}."
            )
        if not value.dtype.differentiable:
            raise TypeError(
                "grad requires real-valued outputs (output dtype that is a sub-dtype of "
                f"np.floating), but got {value.dtype.name}. For differentiation of functions "
                "with integer outputs, use pg.vjp directly."
            )
        grads = core.pullback([value], inputs.tensors, [None], inputs.create_graph)
        found = inputs.regroup(grads, isinstance(argnums, int))
        value = core.export(value, inputs.raw)
        if has_aux:
            return (value, _export_tree(aux, inputs.raw)), found
        return value, found

    return value_and_grad_fun


_Argument = TypeVar("_Argument")
_Rest = ParamSpec("_Rest")


@overload
def grad(
    fun: Callable[Concatenate[_Argument, _Rest], Any],
    argnums: Literal[0] = 0,
    has_aux: Literal[False] = False,
) -> Callable[Concatenate[_Argument, _Rest], _Argument]: ...  # the gradient is shaped as the input


@overload
def grad(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]: ...


def grad(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The gradient of scalar-valued ``fun`` with respect to the arguments ``argnums``.

    With ``has_aux=True`` ``fun`` returns ``(value, aux)`` and the result is ``(grad, aux)``.
    """
    vg = value_and_grad(fun, argnums, has_aux)

    @functools.wraps(fun)
    def grad_fun(*args: Any, **kwargs: Any) -> Any:
        value, found = vg(*args, **kwargs)
        return (found, value[1]) if has_aux else found

    return grad_fun


def vjp(fun: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple[Any, ...]:
    """``(fun(*primals), vjp_fun)``: ``vjp_fun(cotangent)`` is a tuple, one entry per primal."""
    inputs = _Inputs(primals, tuple(range(len(primals))))
    with core.nested():
        out, aux = _split_aux(fun(*inputs.call_args), has_aux)
    out_leaves, out_spec = _leaves(out)
    create_graph = inputs.create_graph

    def vjp_fun(cotangent: Any) -> tuple[Any, ...]:
        cot_leaves, cot_spec = _leaves(cotangent)
        if cot_spec != out_spec:
            raise ValueError(
                f"Expected pytree structure of cotangents to be the same as that of the output "
                f"of the function, got {cot_spec} and {out_spec}."
            )
        seeds = []
        for o, c in zip(out_leaves, cot_leaves):
            c = core.as_tensor(c, "cotangent")
            if isinstance(o, Tensor) and tuple(c.shape) != tuple(o.shape):
                raise ValueError(
                    "unexpected type (e.g. shape/dtype) for argument to VJP function: got "
                    f"shape {tuple(c.shape)}, but expected shape {tuple(o.shape)} because the "
                    "corresponding output of the differentiated function had that shape"
                )
            seeds.append(c)
        grads = core.pullback(out_leaves, inputs.tensors, seeds, create_graph, retain_graph=True)
        return inputs.regroup(grads, False)

    result = (_export_tree(out, inputs.raw), vjp_fun)
    return (*result, _export_tree(aux, inputs.raw)) if has_aux else result


def _check_jvp_args(primals: Any, tangents: Any, caller: str) -> None:
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError(
            f"primal and tangent arguments to {caller} must be tuples or lists; found "
            f"{type(primals).__name__} and {type(tangents).__name__}."
        )
    if len(primals) != len(tangents):
        raise TypeError(
            f"primal and tangent arguments to {caller} do not match; dtypes must be equal, or in "
            "case of int/bool primal dtype the tangent dtype must be float0."
            f"Got {len(primals)} primals and {len(tangents)} tangents."
        )


def jvp(
    fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any], has_aux: bool = False
) -> tuple[Any, ...]:
    """``(fun(*primals), J @ tangents)`` by forward-mode AD (tuples/lists of pytrees)."""
    _check_jvp_args(primals, tangents, "pg.jvp")
    p_leaves, p_spec = _leaves(tuple(primals))
    t_leaves, t_spec = _leaves(tuple(tangents))
    if p_spec != t_spec:
        raise TypeError(
            f"primal and tangent arguments to pg.jvp must have the same tree "
            f"structure; primals have tree structure {p_spec} whereas tangents "
            f"have tree structure {t_spec}."
        )
    for p, t in zip(p_leaves, t_leaves):
        ps, ts = tuple(core.as_tensor(p).shape), tuple(core.as_tensor(t).shape)
        if ps != ts:
            raise ValueError(
                "jvp called with different primal and tangent shapes;"
                f"Got primal shape {ps} and tangent shape as {ts}"
            )
    raw = _raw([*p_leaves, *t_leaves])
    aux_box: list[Any] = []

    def call(duals: list[Tensor]) -> Any:
        args = [optree.tree_map(_constant, a, none_is_leaf=True) for a in _unflatten(p_spec, duals)]
        with core.nested():
            out, aux = _split_aux(fun(*args), has_aux)
        aux_box.append(aux)
        return out

    out, found = core.pushforward(call, p_leaves, t_leaves)
    out_spec = _leaves(out)[1]
    result = (_export_tree(out, raw), _export_tree(_unflatten(out_spec, found), raw))
    return (*result, _export_tree(aux_box[0], raw)) if has_aux else result


def _jacobian(
    fun: Callable[..., Any], argnums: int | Sequence[int], has_aux: bool, forward: bool
) -> Callable[..., Any]:
    return jacobian_fun(fun, argnums, has_aux, forward)


def jacrev(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The Jacobian of ``fun`` by reverse mode (one backward pass per output element).

    Each output leaf of shape ``o`` becomes, per input leaf of shape ``i``, an array of
    shape ``o + i``, nested as the output structure holding the input structure.
    """
    return _jacobian(fun, argnums, has_aux, forward=False)


jacobian = jacrev


def jacfwd(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The Jacobian of ``fun`` by forward mode (one forward pass per input element)."""
    return _jacobian(fun, argnums, has_aux, forward=True)


def hessian(
    fun: Callable[..., Any], argnums: int | Sequence[int] = 0, has_aux: bool = False
) -> Callable[..., Any]:
    """The Hessian of scalar ``fun``: ``jacfwd(jacrev(fun))`` (forward over reverse)."""
    return jacfwd(jacrev(fun, argnums, has_aux), argnums, has_aux)


def hvp(fun: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> Any:
    """Hessian-vector product of scalar ``fun``: ``jvp(grad(fun), primals, tangents)[1]``.

    ``primals`` and ``tangents`` are tuples (one entry per argument of ``fun``); the
    result has the structure of ``primals`` (a tuple).
    """
    _check_jvp_args(primals, tangents, "pg.hvp")
    return jvp(grad(fun, argnums=tuple(range(len(primals)))), tuple(primals), tuple(tangents))[1]
