"""``pg.optim.SGD``: stochastic gradient descent with momentum, Nesterov and weight decay.

The update is torch.optim.SGD's, step for step (``maximize``, ``dampening`` and
per-group hyperparameters included): with ``g`` the gradient (negated when
maximizing) plus ``weight_decay * p``, the momentum buffer ``b = momentum * b +
(1 - dampening) * g`` (``b = g`` on the first step), the direction ``g + momentum * b``
with Nesterov or ``b`` without, and ``p -= lr * direction``.
"""

from __future__ import annotations

from typing import Any

from .._core._tensor import Tensor
from .optimizer import Optimizer, ParamsT

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent, optionally with (Nesterov) momentum, like torch.optim.SGD."""

    def __init__(
        self,
        params: ParamsT,
        lr: float | Tensor = 1e-3,
        momentum: float = 0,
        dampening: float = 0,
        weight_decay: float = 0,
        nesterov: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update_group(self, group: dict[str, Any]) -> None:
        momentum = group["momentum"]
        dampening = group["dampening"]
        weight_decay = group["weight_decay"]
        updates = list(self._gradients(group))
        params = [param for param, _ in updates]
        rates = self._numbers(params, lambda: [(-float(group["lr"]),)] * len(params))
        for (param, grad), (rate,) in zip(updates, rates):
            if weight_decay != 0:
                grad = grad.add(param, alpha=weight_decay)
            if momentum != 0:
                state = self.state[param]
                buf = state.get("momentum_buffer")
                if buf is None:  # the first step: a compiled step traces again after it
                    buf = state["momentum_buffer"] = self._zeros(param)
                    buf.copy_(grad)
                else:
                    buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                grad = grad.add(buf, alpha=momentum) if group["nesterov"] else buf
            param.add_(grad * rate)

    def _layout(self) -> Any:
        """Also whether each parameter has its momentum buffer (the first step differs)."""
        buffers = [
            "momentum_buffer" in self.state.get(p, {})
            for group in self.param_groups
            for p in group["params"]
        ]
        return super()._layout(), buffers
