"""torch's ``native_*`` normalizations over polygrad's reductions:
``pg.native_batch_norm(x, w, b, running_mean, running_var, training, momentum, eps)``,
``pg.native_layer_norm(x, normalized_shape, w, b, eps)`` and
``pg.native_group_norm(x, w, b, N, C, HxW, group, eps)``.

Each returns torch's triple: the normalized output, and the mean and the inverse
standard deviation it used (``save_mean``, ``save_invstd``/``rstd``). The output's
gradients are those of the composed mean, variance and reciprocal square root. As in
torch, batch and layer norm return their statistics detached, and group norm's are
differentiable (torch drops their cotangents when only one of the two has one).
``native_batch_norm`` in training mode updates ``running_mean``/``running_var`` in
place, as torch does (the variance unbiased, ``momentum`` the new statistics' weight).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from ... import ops
from ..._core._tensor import Tensor, _make


def _affine(out: Tensor, weight: Any, bias: Any, shape: tuple[int, ...]) -> Tensor:
    if weight is not None:
        out = ops.multiply(out, ops.reshape(weight, shape))
    if bias is not None:
        out = ops.add(out, ops.reshape(bias, shape))
    return out


def _inverse_std(var: Tensor, eps: float) -> Tensor:
    return ops.divide(1.0, ops.sqrt(ops.add(var, eps)))


def _empty(like: Tensor) -> Tensor:
    xp = like._backend.xp
    data = xp.zeros((0,), dtype=like._data.dtype, device=like._backend.device_of(like._data))
    return _make(data, like._backend)


def native_batch_norm(
    input: Any,  # noqa: A002 - torch's name
    weight: Any,
    bias: Any,
    running_mean: Any,
    running_var: Any,
    training: bool,
    momentum: float,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:
    """Batch normalization over every axis but the channels (axis 1): ``(output,
    save_mean, save_invstd)`` (torch.native_batch_norm)."""
    if input.ndim < 2:
        raise RuntimeError(
            f"batch_norm: Expected input to have at least 2 dimensions, but got {input.ndim}"
        )
    channels = input.shape[1]
    shape = (1, channels) + (1,) * (input.ndim - 2)
    axes = (0, *range(2, input.ndim))
    if training:
        mean = ops.mean(input, axis=axes)
        var = ops.var(input, axis=axes, correction=0)
        invstd = _inverse_std(var, eps)
        if running_mean is not None or running_var is not None:
            count = math.prod(input.shape) // max(channels, 1)
            unbiased = ops.multiply(var.detach(), count / max(count - 1, 1))
            for running, new in ((running_mean, mean.detach()), (running_var, unbiased)):
                if running is not None:
                    updated = ops.add(
                        ops.multiply(running, 1 - momentum), ops.multiply(new, momentum)
                    )
                    running.copy_(updated)
        saved = (mean.detach(), invstd.detach())
    else:
        if running_mean is None or running_var is None:
            raise RuntimeError("running_mean must be defined in evaluation mode")
        mean, invstd = running_mean, _inverse_std(running_var, eps)
        saved = (_empty(input), _empty(input))
    centered = ops.subtract(input, ops.reshape(mean, shape))
    out = ops.multiply(centered, ops.reshape(invstd, shape))
    return (_affine(out, weight, bias, shape), *saved)


def native_layer_norm(
    input: Any,  # noqa: A002 - torch's name
    normalized_shape: Any,
    weight: Any,
    bias: Any,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:
    """Layer normalization over the last ``len(normalized_shape)`` axes: ``(output, mean,
    rstd)``, the statistics keeping those axes as size 1 (torch.native_layer_norm)."""
    normalized = tuple(normalized_shape)
    k = len(normalized)
    if k == 0 or input.ndim < k or tuple(input.shape[input.ndim - k :]) != normalized:
        raise RuntimeError(
            f"Given normalized_shape={list(normalized)}, expected input with shape "
            f"[*, {', '.join(str(n) for n in normalized)}], but got input of size"
            f"{list(input.shape)}"
        )
    axes = tuple(range(input.ndim - k, input.ndim))
    mean = ops.mean(input, axis=axes, keepdims=True)
    rstd = _inverse_std(ops.var(input, axis=axes, correction=0, keepdims=True), eps)
    out = ops.multiply(ops.subtract(input, mean), rstd)
    return _affine(out, weight, bias, normalized), mean.detach(), rstd.detach()


def native_group_norm(
    input: Any,  # noqa: A002 - torch's name
    weight: Any,
    bias: Any,
    N: int,  # noqa: N803 - torch's names
    C: int,  # noqa: N803
    HxW: int,  # noqa: N803
    group: int,
    eps: float,
) -> tuple[Tensor, Tensor, Tensor]:
    """Group normalization: the ``C`` channels in ``group`` groups, each normalized over
    its channels and the ``HxW`` positions: ``(output, mean, rstd)``, the statistics of
    shape ``(N, group)`` (torch.native_group_norm)."""
    if group <= 0 or C % group:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got "
            f"input of shape {list(input.shape)} and num_groups={group}"
        )
    if input.numel() != N * C * HxW:
        raise RuntimeError(
            f"Expected input.numel() == N * C * HxW to be true, but got false. "
            f"(input.numel() = {input.numel()}, N = {N}, C = {C}, HxW = {HxW})"
        )
    grouped = ops.reshape(input, (N, group, (C // group) * HxW))
    mean = ops.mean(grouped, axis=2, keepdims=True)
    rstd = _inverse_std(ops.var(grouped, axis=2, correction=0, keepdims=True), eps)
    out = ops.reshape(ops.multiply(ops.subtract(grouped, mean), rstd), tuple(input.shape))
    shape = (1, C) + (1,) * (input.ndim - 2)
    # differentiable, as torch's are when cotangents reach both (with only one of the
    # two, torch drops it)
    statistics = (ops.reshape(mean, (N, group)), ops.reshape(rstd, (N, group)))
    return (_affine(out, weight, bias, shape), *statistics)


FUNCTIONS_NORM: dict[str, Callable[..., Any]] = {
    "native_batch_norm": native_batch_norm,
    "native_layer_norm": native_layer_norm,
    "native_group_norm": native_group_norm,
}
