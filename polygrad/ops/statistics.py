"""Spread over axes, differentiable: ``var`` and ``std`` with the standard's
``correction`` (torch's warning, inf and NaN where ``N - correction <= 0``).
"""

from __future__ import annotations

import math
from typing import Any

from .._core._tensor import Tensor
from ._support import zero_at_kink
from .reduction import _normalize_axes, _reduce, _Reduction, _with_params


class _SpreadBackward(_Reduction):
    """var and std: both rules end in the gradient of the variance."""

    __slots__ = ("correction",)
    correction: float

    def var_grad(self, xp: Any, g: Any, x: Any) -> Any:
        return self.expand(xp, g) * self.var_slope(xp, x)

    def var_tangent(self, xp: Any, t: Any, x: Any, out: Any) -> Any:
        return self.reduced(xp, xp.sum, self.var_slope(xp, x) * t, out)

    def var_slope(self, xp: Any, x: Any) -> Any:
        """The variance's derivative in each element: ``2 (x - mean) / (N - correction)``."""
        centered = x - xp.mean(x, axis=self.axes, keepdims=True)
        dof = math.prod(self.shape[a] for a in self.axes) - self.correction
        if dof <= 0:  # torch: inf, and nan where x equals the mean (0 * inf)
            nan, inf = xp.full_like(x, float("nan")), xp.full_like(x, float("inf"))
            return xp.where(centered == 0, nan, inf)
        return centered * (2.0 / dof)


class VarBackward0(_SpreadBackward):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (self.var_grad(xp, g, x),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return self.var_tangent(xp, t[0], inputs[0], outputs[0])


class StdBackward0(_SpreadBackward):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, std: Any) -> tuple[Any, ...]:
        # d std = d var / (2 std); torch sends 0 where std is 0 (and NaN at second order)
        g_var = zero_at_kink(xp, std == 0, lambda s: g / (2 * s), std)
        return (self.var_grad(xp, g_var, x),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        std = outputs[0]
        is_zero = std == 0
        safe_std = xp.where(is_zero, xp.ones_like(std), std)
        t_var = self.var_tangent(xp, t[0], inputs[0], std)
        return xp.where(is_zero, xp.zeros_like(t_var), t_var / (2 * safe_std))


def _warn_no_degrees_of_freedom(fn: str, x: Any, axis: Any, correction: float) -> bool:
    """torch warns (and returns inf/nan) when ``N - correction <= 0``; True when it warned."""
    shape = tuple(getattr(x, "shape", ()))
    count = 1
    for a in _normalize_axes(axis, len(shape)):
        if not isinstance(shape[a], int):
            return False  # a lazy backend's unknown size
        count *= shape[a]
    if correction and count - correction <= 0:  # nan sizes (lazy backends) compare False
        import warnings

        warnings.warn(
            f"{fn}(): degrees of freedom is <= 0. Correction should be strictly less than the "
            "reduction factor (input numel divided by output numel).",
            UserWarning,
            stacklevel=4,
        )
        return True
    return False


def _quietly(thunk: Any) -> Any:
    """Run a reduction whose backend (torch itself) would repeat the warning just given."""
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"(std|var)\(\): degrees of freedom")
        return thunk()


def _spread(
    cls: type[_SpreadBackward], fn: str, x: Any, axis: Any, correction: float, keepdims: bool
) -> Tensor:
    def run() -> Tensor:
        return _reduce(cls, cls, fn, x, axis, keepdims, correction=correction)

    result = _quietly(run) if _warn_no_degrees_of_freedom(fn, x, axis, correction) else run()
    return _with_params(result, correction=correction)


def var(x: Any, /, *, axis: Any = None, correction: float = 0.0, keepdims: bool = False) -> Tensor:
    """Variance over ``axis``, dividing by ``N - correction`` (the standard's default 0)."""
    return _spread(VarBackward0, "var", x, axis, correction, keepdims)


def std(x: Any, /, *, axis: Any = None, correction: float = 0.0, keepdims: bool = False) -> Tensor:
    """Standard deviation over ``axis``, dividing by ``N - correction``."""
    return _spread(StdBackward0, "std", x, axis, correction, keepdims)
