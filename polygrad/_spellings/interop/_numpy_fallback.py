"""What happens when NumPy code meets a polygrad tensor polygrad cannot follow.

A NumPy function or ufunc method with no polygrad counterpart still runs, on the
tensor's values (as ``np.asarray(x)`` would), when no tensor involved requires grad;
when one does, it raises a ``TypeError`` naming the function instead of returning a
silently detached result. ``out=`` is refused either way: writing into an existing
array would leave the graph. Used by ``__array_ufunc__``, ``__array_function__`` and
``__torch_function__``.
"""

from __future__ import annotations

from typing import Any

from ..._core._tensor import Tensor


def _no_out(label: str, kwargs: dict[str, Any]) -> None:
    """Refuse ``out=`` for the function the user called as ``label`` (``np.add``)."""
    out = kwargs.pop("out", None)
    if out is not None and not (isinstance(out, tuple) and all(o is None for o in out)):
        raise TypeError(
            f"{label}(..., out=...) is not supported on polygrad tensors: a result cannot "
            "be written into an existing array (ndarray += tensor does that too), it "
            f"would leave the graph; assign the result instead (y = {label}(...))"
        )


def _any_grad(values: Any) -> bool:
    stack = list(values)
    while stack:
        v = stack.pop()
        if isinstance(v, Tensor) and v.requires_grad:
            return True
        if isinstance(v, (list, tuple)):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
    return False


def _to_numpy(value: Any, copy: bool = False) -> Any:
    import numpy as np

    if isinstance(value, Tensor):
        return np.array(value._to_numpy(), copy=True) if copy else value._to_numpy()
    if copy and isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, (list, tuple)):
        return type(value)(_to_numpy(v, copy) for v in value)
    return value


def _carries_no_gradient(value: Any) -> bool:
    """Booleans, integers and other non-floating results: nothing to differentiate."""
    import numpy as np

    if isinstance(value, (list, tuple)):
        return all(_carries_no_gradient(v) for v in value)
    if isinstance(value, (np.ndarray, np.generic)):
        return value.dtype.kind in "biuSUM"
    return isinstance(value, (bool, int, str, np.dtype))  # None: maybe an in-place write


def _unsupported(label: str, args: Any, kwargs: dict[str, Any], run: Any) -> Any:
    """No polygrad counterpart: compute with NumPy on the values, and refuse (naming the
    function) when a tensor requires grad and the result could carry a gradient."""
    needs_grad = _any_grad(args) or _any_grad(kwargs.values())
    refusal = TypeError(
        f"{label} is not supported on polygrad tensors that require grad (its result "
        "would be detached from the graph); use the polygrad namespace "
        "(xp = x.__array_namespace__()) or file an issue for the missing function"
    )
    try:  # copies when grad is at stake: a function that writes in place changes no tensor
        result = run(
            *_to_numpy(tuple(args), needs_grad),
            **{k: _to_numpy(v, needs_grad) for k, v in kwargs.items()},
        )
    except Exception as error:
        if needs_grad:
            raise refusal from error
        raise
    if needs_grad and not _carries_no_gradient(result):
        raise refusal
    return result
