"""Activation checkpointing: trade compute for memory.

``checkpoint(fn, *args)`` runs ``fn`` without keeping its intermediate values and
runs it again during backward to get them, so only the inputs are held between
forward and backward. The gradients are the same as running ``fn`` directly.
"""

from __future__ import annotations

import warnings
from typing import Any

from .._core._grad_mode import enable_grad
from .._core._tensor import Tensor
from ..autograd import backward as run_backward
from ..autograd.function import Function

_USE_REENTRANT_WARNING = (
    "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
    "Starting in PyTorch 2.9, calling checkpoint without use_reentrant will raise an "
    "exception. use_reentrant=False is recommended, but if you need to preserve the current "
    "default behavior, you can pass use_reentrant=True. Refer to docs for more details on "
    "the differences between the two variants."
)


class CheckpointFunction(Function):
    @staticmethod
    def forward(ctx: Any, run_function: Any, *args: Any) -> Any:
        ctx.run_function = run_function
        ctx.tensor_positions = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
        ctx.inputs = list(args)
        ctx.save_for_backward(*[a for a in args if isinstance(a, Tensor)])
        return run_function(*args)

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        inputs = list(ctx.inputs)
        saved = ctx.saved_tensors
        detached = []
        for position, tensor in zip(ctx.tensor_positions, saved):
            copy = tensor.detach()
            copy.requires_grad_(tensor.requires_grad)
            inputs[position] = copy
            detached.append(copy)
        with enable_grad():
            outputs = ctx.run_function(*inputs)
        outputs = outputs if isinstance(outputs, tuple) else (outputs,)
        pairs = [
            (o, g)
            for o, g in zip(outputs, grad_outputs)
            if isinstance(o, Tensor) and o.requires_grad and g is not None
        ]
        if pairs:
            run_backward([o for o, _ in pairs], [g for _, g in pairs])
        grads = iter(t.grad if t.requires_grad else None for t in detached)
        return (None,) + tuple(next(grads) if isinstance(a, Tensor) else None for a in ctx.inputs)


def checkpoint(function: Any, *args: Any, use_reentrant: bool | None = None, **kwargs: Any) -> Any:
    """Run ``function(*args)`` keeping only its inputs; recompute it during backward."""
    if use_reentrant is None:
        warnings.warn(_USE_REENTRANT_WARNING, UserWarning, stacklevel=2)
    if kwargs:
        return CheckpointFunction.apply(lambda *a: function(*a, **kwargs), *args)
    return CheckpointFunction.apply(function, *args)
