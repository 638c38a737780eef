"""``pg.optim.Adam`` and ``pg.optim.AdamW``: adaptive moment estimation, as in torch.optim.

Per parameter, with ``g`` the gradient (negated when maximizing; plus
``weight_decay * p`` for Adam, while AdamW instead shrinks ``p *= 1 - lr * weight_decay``):
``m = lerp(m, g, 1 - beta1)``, ``v = beta2 * v + (1 - beta2) * g * g`` (with ``amsgrad``
the running maximum of ``v`` is used below), then
``p -= lr / (1 - beta1**t) * m / (sqrt(v) / sqrt(1 - beta2**t) + eps)``. The formulas
and their order follow torch's single-tensor implementation, so float64 results agree
with torch.optim to rounding.
"""

from __future__ import annotations

import functools
from typing import Any

from .. import ops
from .._core._tensor import Tensor, _make
from ._flat import FlatState, can_flatten
from .optimizer import Optimizer, ParamsT

__all__ = ["Adam", "AdamW"]


def _lerp_(start: Tensor, end: Tensor, weight: float) -> None:
    """``start += weight * (end - start)`` in place, in torch's two numerically stable forms."""
    if weight < 0.5:
        start.add_((end - start) * weight)
    else:
        start.copy_(end - (end - start) * (1 - weight))


class Adam(Optimizer):
    """Adam (Kingma and Ba, 2014), optionally AMSGrad, like torch.optim.Adam."""

    def __init__(
        self,
        params: ParamsT,
        lr: float | Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
        decoupled_weight_decay: bool = False,
    ) -> None:
        if isinstance(lr, Tensor) and lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        defaults = {
            "lr": lr,
            "betas": (float(betas[0]), float(betas[1])),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        #: Flat state layouts of compiled steps, by the ids of the parameters they hold.
        self._flats: dict[tuple[int, ...], FlatState] = {}
        super().__init__(params, defaults)

    def _prepare_trace(self, tracing: Any) -> None:
        """Lay each group's state out flat where its parameters allow (``_flat``), and
        trace again when the layout breaks or their step counts part."""
        for group in self.param_groups:
            params = [p for p in group["params"] if p._grad is not None]
            states = [self.state[p] for p in params]
            names = _state_names(group)
            if not can_flatten(tracing, params, states, names):
                continue
            if len({state.get("step", 0.0) for state in states}) != 1:
                continue  # one set of step numbers for all of them, or none
            for state in states:
                state.setdefault("step", 0.0)
            key = tuple(map(id, params))
            flat = self._flats.get(key)
            if flat is None or flat.names != names or not flat.current(self.state, "step"):
                flat = self._flats[key] = FlatState(tracing.real, params, states, names)
            tracing.guard(functools.partial(flat.current, self.state, "step"))
            flat.bind(tracing)

    def _bound_flat(self, params: list[Tensor]) -> FlatState | None:
        """The flat layout of ``params`` bound to the trace being recorded, if any."""
        backend = params[0]._backend if params else None
        if backend is None or not backend.tracing:
            return None
        flat = self._flats.get(tuple(map(id, params)))
        return flat if flat is not None and flat.bound_to(backend) else None

    def _update_group(self, group: dict[str, Any]) -> None:
        weight_decay = group["weight_decay"]
        decoupled = weight_decay != 0 and group["decoupled_weight_decay"]
        names = _state_names(group)
        params, grads = [], []
        for param, grad in self._gradients(group):
            if param.dtype.is_complex:
                raise TypeError(
                    f"{type(self).__name__} in polygrad does not support complex parameters yet"
                )
            state = self.state[param]
            if len(state) == 0:
                # torch keeps ``step`` as a 0-d float32 tensor; a number is the same value
                state["step"] = 0.0
                for name in names:
                    state[name] = self._zeros(param)
            params.append(param)
            grads.append(grad)
        flat = self._bound_flat(params)

        def numbers() -> list[tuple[float, ...]]:
            """Per parameter: -lr / (1 - beta1**t), sqrt(1 - beta2**t) (and AdamW's decay)."""
            beta1, beta2 = group["betas"]
            lr = float(group["lr"])
            found: list[tuple[float, ...]] = []
            for param in params:
                state = self.state[param]
                state["step"] = step = float(state["step"]) + 1
                scales = (-(lr / (1 - beta1**step)), (1 - beta2**step) ** 0.5)
                found.append((*scales, 1 - lr * weight_decay) if decoupled else scales)
            return found

        if flat is not None:  # one set of numbers (the step counts agree: guarded)
            (scales,) = self._numbers(params[:1], lambda: numbers()[:1])
            every = [scales] * len(params)
        else:
            every = self._numbers(params, numbers)
        for index, (param, grad, scales) in enumerate(zip(params, grads, every)):
            if decoupled:
                param.mul_(scales[2])
            elif weight_decay != 0:
                grads[index] = grad.add(param, alpha=weight_decay)
        if flat is None:
            for param, grad, scales in zip(params, grads, every):
                state = self.state[param]
                param.add_(_update(group, grad, scales, *(state[name] for name in names)))
            return
        backend = params[0]._backend
        grad = _make(backend.xp.concat([g._data for g in grads], axis=None), backend)
        flat.update.copy_(_update(group, grad, every[0], *(flat.buffers[n] for n in names)))
        for param, part in zip(params, flat.update_parts):
            param.add_(part)


def _state_names(group: dict[str, Any]) -> tuple[str, ...]:
    names = ("exp_avg", "exp_avg_sq")
    return (*names, "max_exp_avg_sq") if group["amsgrad"] else names


def _update(
    group: dict[str, Any],
    grad: Tensor,
    scales: tuple[Any, ...],
    exp_avg: Tensor,
    exp_avg_sq: Tensor,
    max_exp_avg_sq: Tensor | None = None,
) -> Tensor:
    """Update the moments in place; returns what the parameter adds."""
    beta1, beta2 = group["betas"]
    _lerp_(exp_avg, grad, 1 - beta1)
    exp_avg_sq.mul_(beta2).add_(grad * (1 - beta2) * grad)  # addcmul's order
    if max_exp_avg_sq is not None:
        max_exp_avg_sq.copy_(ops.maximum(max_exp_avg_sq, exp_avg_sq))
        exp_avg_sq = max_exp_avg_sq
    denom = (ops.sqrt(exp_avg_sq) / scales[1]).add_(group["eps"])
    return exp_avg / denom * scales[0]


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter), like torch.optim.AdamW."""

    def __init__(
        self,
        params: ParamsT,
        lr: float | Tensor = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
        *,
        maximize: bool = False,
    ) -> None:
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            maximize=maximize,
            decoupled_weight_decay=True,
        )

    def load_state_dict(self, state_dict: Any) -> None:
        super().load_state_dict(state_dict)
        for group in self.param_groups:  # AdamW always decouples, whatever was saved
            group["decoupled_weight_decay"] = True
