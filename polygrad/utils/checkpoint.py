"""Activation checkpointing, torch's ``torch.utils.checkpoint`` module: trade compute
for memory.

``checkpoint(fn, *args, use_reentrant=False)`` runs ``fn`` without keeping its
intermediate values and runs it again during backward to get them, so only the
inputs are held between forward and backward; the gradients are the same as running
``fn`` directly. ``use_reentrant=False`` (torch's recommendation) records ``fn``'s own
graph and recomputes the saved values on their first use, so ``autograd.grad`` and
parameters that ``fn`` closes over work as without checkpointing;
``use_reentrant=True`` records one ``CheckpointFunctionBackward`` node that reruns
``fn`` and its backward inside the outer backward. ``checkpoint_sequential`` splits a
list of functions into checkpointed segments.

The module itself stays callable (``pg.utils.checkpoint(fn, x)``), as polygrad's
earlier function was.
"""

from __future__ import annotations

import sys
import types
import warnings
from collections.abc import Sequence
from typing import Any

from .._core._grad_mode import enable_grad
from .._core._tensor import Tensor
from ..autograd import backward as run_backward
from ..autograd.function import Function
from ..autograd.graph import saved_tensors_hooks

__all__ = ["CheckpointFunction", "checkpoint", "checkpoint_sequential"]


_USE_REENTRANT_WARNING = (
    "polygrad.utils.checkpoint: the use_reentrant parameter should be passed explicitly. "
    "Starting in PyTorch 2.9, calling checkpoint without use_reentrant will raise an "
    "exception. use_reentrant=False is recommended, but if you need to preserve the current "
    "default behavior, you can pass use_reentrant=True. Refer to docs for more details on "
    "the differences between the two variants."
)


class CheckpointFunction(Function):
    """``checkpoint(..., use_reentrant=True)`` as a custom Function (torch's name): forward
    runs ``run_function`` without recording, backward runs it again with grad and
    backpropagates through that."""

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


class _Recomputation:
    """The values one checkpointed call saves: handed out as indices in the forward,
    recomputed all together on the first use in backward."""

    def __init__(self, function: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.function, self.args, self.kwargs = function, args, kwargs
        self.count = 0
        self.values: list[Tensor] | None = None

    def pack(self, tensor: Tensor) -> int:
        self.count += 1
        return self.count - 1

    def unpack(self, index: int) -> Tensor:
        if self.values is None:
            self.values = self._recompute()
        return self.values[index]

    def _recompute(self) -> list[Tensor]:
        values: list[Tensor] = []

        def keep(tensor: Tensor) -> Tensor:
            values.append(tensor)
            return tensor

        inputs = [
            a.detach().requires_grad_(a.requires_grad) if isinstance(a, Tensor) else a
            for a in self.args
        ]
        with enable_grad(), saved_tensors_hooks(keep, lambda tensor: tensor):
            self.function(*inputs, **self.kwargs)
        if len(values) != self.count:
            raise RuntimeError(
                "torch.utils.checkpoint: A different number of tensors was saved during the "
                "original forward and recomputation.\n"
                f"Number of tensors saved during forward: {self.count}\n"
                f"Number of tensors saved during recomputation: {len(values)}"
            )
        return values


def checkpoint(function: Any, *args: Any, use_reentrant: bool | None = None, **kwargs: Any) -> Any:
    """Run ``function(*args, **kwargs)`` keeping only its inputs; recompute it during
    backward. Without ``use_reentrant`` torch warns and uses the reentrant variant."""
    if use_reentrant is None:
        warnings.warn(_USE_REENTRANT_WARNING, UserWarning, stacklevel=2)
        use_reentrant = True
    if not use_reentrant:
        recomputation = _Recomputation(function, args, kwargs)
        with saved_tensors_hooks(recomputation.pack, recomputation.unpack):
            return function(*args, **kwargs)
    if kwargs:
        return CheckpointFunction.apply(lambda *a: function(*a, **kwargs), *args)
    return CheckpointFunction.apply(function, *args)


def checkpoint_sequential(
    functions: Any, segments: int, input: Any, use_reentrant: bool | None = None
) -> Any:
    """Run ``functions`` one after another on ``input``, in ``segments`` parts of which
    all but the last are checkpointed (torch's split). ``functions`` is a sequence, or
    a container with ``children()``."""
    if use_reentrant is None:
        warnings.warn(_USE_REENTRANT_WARNING, UserWarning, stacklevel=2)
        use_reentrant = True
    steps: Sequence[Any] = (
        list(functions.children()) if hasattr(functions, "children") else list(functions)
    )

    def run(start: int, end: int) -> Any:
        def forward(value: Any) -> Any:
            for step in steps[start : end + 1]:
                value = step(value)
            return value

        return forward

    size = len(steps) // segments
    end = -1
    for start in range(0, size * (segments - 1), size):
        end = start + size - 1
        input = checkpoint(run(start, end), input, use_reentrant=use_reentrant)
    return run(end + 1, len(steps) - 1)(input)


class _CallableModule(types.ModuleType):
    """``pg.utils.checkpoint(fn, x)`` calls ``checkpoint`` (polygrad's earlier spelling)."""

    def __call__(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        if "use_reentrant" not in kwargs:
            warnings.warn(_USE_REENTRANT_WARNING, UserWarning, stacklevel=2)
            kwargs["use_reentrant"] = True
        return checkpoint(function, *args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
