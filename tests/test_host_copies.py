"""Copies of values out of the graph (``numpy()``, ``np.asarray``, ``float()``, ``item()``).

Where torch allows them (grad mode off: ``no_grad`` and inside ``Function.forward``)
polygrad does too, checked against torch itself; inside ``pg.grad`` and the other
transforms, where the copy would silently zero the gradient, polygrad raises as JAX
does, with a message that does not advise ``detach()``.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import torch

import polygrad as pg

CONSTANT = (
    "{call} was called on a tensor that pg.grad (or pg.vjp, pg.jacrev, pg.jvp...) is "
    "differentiating; its result is a constant, so the gradient through it would silently "
    "be zero. Compute with tensor operations instead (X @ w, x.sum(), or the namespace "
    "xp = x.__array_namespace__()) and build arrays with xp.stack or xp.concat rather than "
    "by filling a NumPy array."
)


def _copies(module: Any, x: Any) -> list[Any]:
    return [x.numpy(), np.asarray(x), float(x.sum()), x.sum().item(), x.tolist()]


@pytest.mark.parametrize("module", [pg, torch], ids=["polygrad", "torch"])
def test_copies_under_no_grad_are_allowed_and_silent(module: Any) -> None:
    x = module.ones(3, dtype=module.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with module.no_grad():
            got = _copies(module, x)
    np.testing.assert_array_equal(got[0], [1.0, 1.0, 1.0])
    assert got[2:] == [3.0, 3.0, [1.0, 1.0, 1.0]]


@pytest.mark.parametrize("module", [pg, torch], ids=["polygrad", "torch"])
def test_copies_inside_function_forward_are_allowed(module: Any) -> None:
    seen: list[Any] = []

    class Double(module.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any) -> Any:
            seen.append((x.requires_grad, x.numpy().tolist()))
            return x * 2

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g * 2

    x = module.ones(2, dtype=module.float64, requires_grad=True)
    Double.apply(x).sum().backward()
    assert seen == [(True, [1.0, 1.0])]
    assert x.grad.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("module", [pg, torch], ids=["polygrad", "torch"])
def test_copies_while_recording_keep_torchs_refusal(module: Any) -> None:
    x = module.ones(3, requires_grad=True)
    message = (
        "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
    )
    with pytest.raises(RuntimeError, match=f"^{re.escape(message)}$"):
        x.numpy()
    with pytest.raises(RuntimeError, match=f"^{re.escape(message)}$"):
        np.asarray(x)


def _filled(w: Any, X: Any) -> Any:
    h = np.empty(X.shape[0])
    h[:] = X @ w  # plain NumPy code that would drop the graph
    return h.sum()


@pytest.mark.parametrize(
    ("fun", "call"),
    [
        (lambda w, X: float(np.sum(X @ w)), "float()"),
        (lambda w, X: (X @ w).sum().item() * w.sum(), "item()"),
        (_filled, "NumPy's __array__() (np.asarray, or writing into a NumPy array)"),
        (lambda w, X: np.asarray(w).sum() + w.sum(), "NumPy's __array__() "),
        (lambda w, X: (X @ w).numpy().sum() + w.sum(), "numpy()"),
    ],
    ids=["float", "item", "fill-numpy-array", "asarray", "numpy"],
)
def test_constants_inside_grad_raise_instead_of_zero_gradients(
    fun: Callable[..., Any], call: str
) -> None:
    X, w0 = np.arange(6.0).reshape(3, 2), np.ones(2)
    with pytest.raises(TypeError) as raised:
        pg.grad(fun)(w0, X)
    message = str(raised.value)
    assert message.startswith(call)
    full_call = message[: message.index(" was called")]
    assert message == CONSTANT.format(call=full_call)
    assert "detach" not in message


def test_constants_inside_jvp_raise() -> None:
    with pytest.raises(TypeError, match=re.escape(CONSTANT.format(call="float()"))):
        pg.jvp(lambda w: float(w.sum()), (np.ones(2),), (np.ones(2),))


def test_control_flow_on_values_inside_grad_still_works() -> None:
    """``bool``/``int`` of a value are allowed (as in JAX): control flow, not a constant."""

    def f(w: Any) -> Any:
        return w.sum() * int(w.sum()) if bool(w.sum() > 0) else -w.sum()

    np.testing.assert_array_equal(pg.grad(f)(np.ones(2)), [2.0, 2.0])
