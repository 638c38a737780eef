"""``backward()`` and ``autograd.grad()``: checking what the user passed, then running the engine."""

from __future__ import annotations

import warnings
from typing import Any

from .. import ops
from .._core._backend import backend_of_array
from .._core._backward_step import fix_grad
from .._core._engine import execute
from .._core._node import Node, _edge
from .._core._record import mixed_backends_message, operand
from .._core._size import Size
from .._core._tensor import Tensor, _make


def _as_tuple(values: Any) -> tuple[Any, ...]:
    if values is None:
        return ()
    if isinstance(values, Tensor):
        return (values,)
    if backend_of_array(values) is not None:  # one raw array (wrapped later), not a sequence
        return (values,)
    return tuple(values)


def _required_edge(t: Tensor) -> tuple[Node, int]:
    """The edge of a tensor that requires grad (never a constant's ``(None, 0)``)."""
    return _edge(t)  # type: ignore[return-value]


def _roots(
    outputs: tuple[Tensor, ...], grads: tuple[Any, ...], create_graph: bool
) -> tuple[list[tuple[Node, int]], list[Any]]:
    """Validate outputs and their seed gradients (torch's errors), as engine roots."""
    for g in grads:
        if g is not None and not isinstance(g, Tensor):
            if backend_of_array(g) is None:
                raise TypeError(
                    f"gradients can be either Tensors or None, but got {type(g).__name__}"
                )
    if len(grads) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grads)} gradients")
    roots, seeds = [], []
    for i, (out, g) in enumerate(zip(outputs, grads)):
        if not isinstance(out, Tensor):
            raise TypeError(f"element {i} of tensors is a {type(out).__name__}, not a Tensor")
        if not out._requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        data = out._data
        if g is None:
            if out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            if out.dtype.is_complex:
                raise RuntimeError(
                    "grad can be implicitly created only for real scalar outputs but got "
                    f"{out.dtype!r}"
                )
            seed: Any = out._backend.ones_like(data)
        else:
            if not isinstance(g, Tensor):
                g = operand(g, out)
            if tuple(g._data.shape) != tuple(data.shape):
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of "
                    f"{Size(g._data.shape)!r} and output[{i}] has a shape of "
                    f"{Size(data.shape)!r}."
                )
            if g._backend is not out._backend:
                raise TypeError(mixed_backends_message(out._backend, g._backend))
            seed = g if create_graph else g._data
            if not create_graph and seed.dtype != data.dtype:
                seed = out._backend.xp.astype(seed, data.dtype)
        if create_graph and not isinstance(seed, Tensor):
            seed = _make(seed, out._backend)
        roots.append(_required_edge(out))
        seeds.append(seed)
    return roots, seeds


_warned_create_graph = False


def _warn_once_create_graph() -> None:
    """torch gives this warning once per process (TORCH_WARN_ONCE)."""
    global _warned_create_graph
    _warned_create_graph = True
    warnings.warn(
        "Using backward() with create_graph=True will create a reference cycle between "
        "the parameter and its gradient which can cause a memory leak. We recommend "
        "using autograd.grad when creating the graph to avoid this. If you have to use "
        "this function, make sure to reset the .grad fields of your parameters to None "
        "after use to break the cycle and avoid the leak.",
        UserWarning,
        stacklevel=4,
    )


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    grad_variables: Any = None,
    inputs: Any = None,
) -> None:
    """Accumulate gradients of ``tensors`` into the ``.grad`` of the leaves (torch's signature)."""
    if grad_variables is not None:
        warnings.warn(
            "`grad_variables` is deprecated. Use `grad_tensors` instead.",
            FutureWarning,
            stacklevel=2,
        )
        grad_tensors = grad_variables
    outputs = _as_tuple(tensors)
    grads = _as_tuple(grad_tensors) if grad_tensors is not None else (None,) * len(outputs)
    if isinstance(grad_tensors, Tensor):
        grads = (grad_tensors,)
    if retain_graph is None:
        retain_graph = create_graph
    if create_graph and not _warned_create_graph:
        _warn_once_create_graph()
    roots, seeds = _roots(outputs, grads, create_graph)
    if inputs is None:
        execute(roots, seeds, retain_graph=retain_graph, create_graph=create_graph)
        return
    inputs = _as_tuple(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    targets = []
    for t in inputs:
        if not t._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        targets.append(_required_edge(t))
    captured = execute(
        roots,
        seeds,
        retain_graph=retain_graph,
        create_graph=create_graph,
        targets=targets,
        accumulate=True,
    )
    for t, edge in zip(inputs, targets):
        g = captured.get(edge)
        if t._grad_fn is None or g is None or t.retains_grad:
            continue  # leaves accumulated through their AccumulateGrad node, retain_grad
            # tensors through their retain hook
        value = g if isinstance(g, Tensor) else _make(g, t._backend)
        t._grad = value if t._grad is None else t._grad + value


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    only_inputs: bool = True,
    allow_unused: bool | None = None,
    is_grads_batched: bool = False,
    materialize_grads: bool = False,
) -> tuple[Any, ...]:
    """Gradients of ``outputs`` with respect to ``inputs``, returned (never accumulated)."""
    if only_inputs is not True:
        warnings.warn(
            "only_inputs argument is deprecated and is ignored now (defaults to True). To "
            "accumulate gradient for other parts of the graph, please use "
            "pg.autograd.backward.",
            FutureWarning,
            stacklevel=2,
        )
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, "
            "but got: allow_unused=False."
        )
    allow_unused = bool(allow_unused) or materialize_grads
    outs = _as_tuple(outputs)
    is_dict = isinstance(inputs, dict)
    ins = tuple(inputs.values()) if is_dict else _as_tuple(inputs)
    if not ins:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    grads = _as_tuple(grad_outputs) if grad_outputs is not None else (None,) * len(outs)
    if isinstance(grad_outputs, Tensor):
        grads = (grad_outputs,)
    if is_grads_batched:
        return _batched_grad(
            outs, ins, grads, retain_graph, create_graph, allow_unused, materialize_grads
        )
    if retain_graph is None:
        retain_graph = create_graph
    for t in ins:
        if not isinstance(t, Tensor):
            raise RuntimeError(
                f"all inputs have to be Tensors or GradientEdges, but got {type(t).__name__}"
            )
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots, seeds = _roots(outs, grads, create_graph)
    targets = [_required_edge(t) for t in ins]
    captured = execute(
        roots,
        seeds,
        retain_graph=retain_graph,
        create_graph=create_graph,
        targets=targets,
        accumulate=False,
    )
    result: list[Tensor | None] = []
    for i, (t, edge) in enumerate(zip(ins, targets)):
        g = captured.get(edge)
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
            if materialize_grads:
                g = t._backend.xp.zeros_like(t._data)
                result.append(_make(g, t._backend))
            else:
                result.append(None)
            continue
        if not isinstance(g, Tensor):
            g = _make(fix_grad(t._backend.xp, g, (tuple(t._data.shape), t._data.dtype)), t._backend)
        result.append(g)
    if is_dict:
        return dict(zip(inputs.keys(), result))  # type: ignore[return-value]
    return tuple(result)


def _batched_grad(
    outs: tuple[Any, ...],
    ins: tuple[Any, ...],
    grads: tuple[Any, ...],
    retain_graph: bool | None,
    create_graph: bool,
    allow_unused: bool,
    materialize_grads: bool,
) -> tuple[Any, ...]:
    """``is_grads_batched``: one backward per row of the leading dim of ``grad_outputs``."""
    batch = grads[0].shape[0]
    rows = [
        grad(
            outs,
            ins,
            tuple(g[b] for g in grads),
            retain_graph=True,
            create_graph=create_graph,
            allow_unused=allow_unused,
            materialize_grads=materialize_grads,
        )
        for b in range(batch)
    ]
    return tuple(
        None if rows[0][i] is None else ops.stack([row[i] for row in rows], axis=0)
        for i in range(len(ins))
    )
