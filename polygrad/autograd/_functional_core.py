"""The machinery under polygrad's functional APIs (``pg.grad``, ``pg.autograd.functional``).

It turns the user's arrays (NumPy, torch, JAX... or polygrad tensors) into fresh
differentiable polygrad tensors, pulls cotangents back with the reverse-mode engine,
pushes tangents forward with forward-mode AD, and hands results back as the kind of
array the user passed. Nothing here reads array values on the host, so the
transforms trace under ``jax.jit`` and ``jax.vmap``.

Each transform differentiates with respect to a fresh alias of its inputs, so nested
transforms never confuse their variables (``grad(lambda x: grad(lambda y: x * y)(x))``
gives 1 like JAX), and an inner gradient is built with ``create_graph`` whenever an
outer transform (or a forward-AD level) may differentiate it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from .._core._backend import backend_of_array
from .._core._creation import tensor
from .._core._grad_mode import _grad_enabled, _transform_depth
from .._core._tensor import Tensor, _make
from ..ops import reshape
from . import forward_ad
from ._entry import grad

_NUMBERS = (int, float, complex)


@contextmanager
def nested() -> Iterator[None]:
    """Mark the user's function as running inside a transform (inner ones keep graphs)."""
    token = _transform_depth.set(_transform_depth.get() + 1)
    try:
        yield
    finally:
        _transform_depth.reset(token)


def is_array(x: Any) -> bool:
    """A polygrad tensor or an array of a library polygrad has a backend for."""
    if isinstance(x, Tensor):
        return True
    return backend_of_array(x) is not None


def as_tensor(x: Any, what: str = "input") -> Tensor:
    """``x`` as a polygrad tensor without copying (Python numbers: the default backend)."""
    if isinstance(x, Tensor):
        return x
    backend = backend_of_array(x)
    if backend is None:
        if isinstance(x, _NUMBERS) and not isinstance(x, bool):
            return tensor(x)
        raise TypeError(f"{what} must be an array or a polygrad Tensor, got {type(x).__name__}")
    return _make(backend.adopt(x), backend)


def as_input(x: Any, what: str = "input") -> Tensor:
    """A fresh tensor to differentiate with respect to, standing for ``x``.

    A tensor that is part of a graph gets a view (so an outer transform sees through
    it); anything else a new leaf sharing its data. A forward-AD tangent is kept.
    """
    t = as_tensor(x, what)
    if not t.dtype.differentiable:
        raise TypeError(
            f"differentiation requires floating point or complex inputs, but {what} has dtype "
            f"{t.dtype.name}"
        )
    if t._requires_grad:
        return reshape(t, tuple(t.shape))
    alias = _make(t._data, t._backend, None, 0, True)
    tangent = forward_ad.tangent_of(t)
    if tangent is not None:
        forward_ad._set_tangent(alias, tangent)
    return alias


def wants_graph(values: Sequence[Any]) -> bool:
    """Build gradients that can be differentiated again?

    Yes inside another transform or a forward-AD level, and for polygrad tensors (as
    torch.func does); plain arrays at top level take the fast path.
    """
    if not _grad_enabled.get():
        return False
    if _transform_depth.get() > 0 or forward_ad.is_active():
        return True
    return any(isinstance(v, Tensor) for v in values)


def export(value: Any, raw: bool) -> Any:
    """A result for the user: the backend array when the user passed backend arrays."""
    if raw and isinstance(value, Tensor):
        return value._data
    return value


def zeros_like(t: Tensor) -> Tensor:
    return _make(t._backend.xp.zeros_like(t._data), t._backend)


def pullback(
    outputs: Sequence[Any],
    inputs: Sequence[Tensor],
    cotangents: Sequence[Any],
    create_graph: bool,
    retain_graph: bool = False,
) -> list[Tensor]:
    """Sum over outputs of cotangent @ d output / d input, for each input (zeros if unused).

    ``outputs`` that are not tensors in the graph (constants) contribute nothing; a
    None cotangent means 1 for a one-element output.
    """
    roots, seeds = [], []
    for out, cot in zip(outputs, cotangents):
        if isinstance(out, Tensor) and out._requires_grad:
            roots.append(out)
            seeds.append(cot)
    if not roots:
        return [zeros_like(t) for t in inputs]
    found = grad(
        roots,
        list(inputs),
        grad_outputs=seeds,
        retain_graph=retain_graph or create_graph,
        create_graph=create_graph,
        allow_unused=True,
        materialize_grads=True,
    )
    return list(found)


def one_hot_rows(like: Tensor) -> Iterator[Tensor]:
    """Tensors shaped like ``like``, each 1 at one element (in C order) and 0 elsewhere."""
    backend = like._backend
    xp = backend.xp
    shape = tuple(like._data.shape)
    size = 1
    for n in shape:
        size *= n
    eye = xp.eye(size, dtype=like._data.dtype, device=backend.device_of(like._data))
    for i in range(size):
        yield _make(xp.reshape(eye[i, ...], shape), backend)


def pushforward(
    call: Callable[[list[Tensor]], Any], primals: Sequence[Any], tangents: Sequence[Any]
) -> tuple[Any, list[Any]]:
    """Run ``call(inputs)`` carrying ``tangents``; returns its output and output tangents.

    The output tangents line up with ``optree.tree_leaves(output)`` (None for leaves
    that are not tensors). Uses a forward-AD level; when one is already open it uses
    reverse mode twice instead (``J v = d/du <J^T u, v>``), which nests.
    """
    import optree

    if forward_ad.is_active():
        return _pushforward_by_reverse(call, primals, tangents)
    with forward_ad.dual_level():
        duals = [
            forward_ad.make_dual(as_tensor(p, "primal"), as_tensor(t, "tangent"))
            for p, t in zip(primals, tangents)
        ]
        out = call(duals)
        found = []
        for leaf in optree.tree_leaves(out, none_is_leaf=True):
            if isinstance(leaf, Tensor):
                tangent = forward_ad.unpack_dual(leaf).tangent
                found.append(zeros_like(leaf) if tangent is None else tangent)
            else:
                found.append(None)
    return out, found


def _pushforward_by_reverse(
    call: Callable[[list[Tensor]], Any], primals: Sequence[Any], tangents: Sequence[Any]
) -> tuple[Any, list[Any]]:
    import optree

    inputs = [as_input(p, "primal") for p in primals]
    with nested():
        out = call(inputs)
    leaves = optree.tree_leaves(out, none_is_leaf=True)
    tensors = [leaf for leaf in leaves if isinstance(leaf, Tensor) and leaf._requires_grad]
    dummies = [_make(t._backend.xp.zeros_like(t._data), t._backend, None, 0, True) for t in tensors]
    total = None
    if tensors:
        pulled = grad(
            tensors,
            inputs,
            grad_outputs=dummies,
            create_graph=True,
            allow_unused=True,
            materialize_grads=True,
        )
        for g, v in zip(pulled, tangents):
            term = (g * as_tensor(v, "tangent")).sum()
            total = term if total is None else total + term
    if total is not None and total._requires_grad:
        pushed = iter(
            grad(total, dummies, create_graph=True, allow_unused=True, materialize_grads=True)
        )
    else:
        pushed = iter(zeros_like(t) for t in tensors)
    found: list[Any] = []
    for leaf in leaves:
        if not isinstance(leaf, Tensor):
            found.append(None)
        elif leaf._requires_grad:
            found.append(next(pushed))
        else:
            found.append(zeros_like(leaf))
    return out, found
