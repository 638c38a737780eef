"""Edge cases against torch.autograd: custom Functions (unmaterialized gradients,
mark_dirty), hooks on unused outputs and after accumulation, grad assignment of another
dtype, var/std without degrees of freedom, the graph gradient of a leaf."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import polygrad as pg

torch = pytest.importorskip("torch")


def _unmaterialized(lib: Any) -> tuple[list[Any], Any]:
    seen: list[Any] = []

    class Unmaterialized(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            ctx.set_materialize_grads(False)
            return a * 2, a * 3

        @staticmethod
        def backward(ctx: Any, g0: Any, g1: Any) -> Any:
            seen.append(g1)
            return g0 * 2

    return seen, Unmaterialized


@pytest.mark.parametrize("lib", [torch, pg])
def test_set_materialize_grads_false_passes_none_for_unused_outputs(lib: Any) -> None:
    seen, fn = _unmaterialized(lib)
    x = lib.tensor([1.0, 2.0], requires_grad=True)
    u0, _ = fn.apply(x)
    u0.sum().backward()
    assert seen == [None]
    np.testing.assert_allclose(np.asarray(x.grad.tolist()), [2.0, 2.0])


def _double_in_place(lib: Any) -> Any:
    class DoubleInPlace(lib.autograd.Function):
        @staticmethod
        def forward(ctx: Any, a: Any) -> Any:
            a.mul_(2)
            ctx.mark_dirty(a)
            return a

        @staticmethod
        def backward(ctx: Any, g: Any) -> Any:
            return g * 2

    return DoubleInPlace


def _error(thunk: Any) -> tuple[type, str]:
    with pytest.raises(Exception) as info:
        thunk()
    return info.type, str(info.value)


def test_mark_dirty_on_a_leaf_requiring_grad_raises_like_torch() -> None:
    expected = _error(
        lambda: _double_in_place(torch).apply(torch.tensor([1.0], requires_grad=True))
    )
    got = _error(lambda: _double_in_place(pg).apply(pg.tensor([1.0], requires_grad=True)))
    assert got == expected


def test_mark_dirty_on_a_non_leaf_bumps_version_and_gives_torch_grads() -> None:
    results = []
    for lib in (torch, pg):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        base = x * 1
        version = base._version
        out = _double_in_place(lib).apply(base)
        assert out is base and base._version > version
        (out * out).sum().backward()
        results.append((out.tolist(), x.grad.tolist()))
    assert results[0] == results[1]


def test_hook_on_unused_output_of_multi_output_op_is_called_with_none() -> None:
    logs = []
    for lib in (torch, pg):
        calls: list[Any] = []
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        a0, a1, _ = x.unbind()
        a0.register_hook(lambda g, calls=calls: calls.append(None if g is None else g.tolist()))
        a1.sum().backward()
        logs.append((calls, x.grad.tolist()))
    assert logs[0] == logs[1] == ([None], [0.0, 1.0, 0.0])


@pytest.mark.parametrize("returned", ["int", "new tensor"])
def test_post_accumulate_hook_returning_a_value_raises_like_torch(returned: str) -> None:
    errors = []
    for lib in (torch, pg):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        x.register_post_accumulate_grad_hook(
            (lambda t: 5) if returned == "int" else (lambda t: t * 1)
        )
        errors.append(_error(lambda x=x: (x * 2).sum().backward()))
    assert errors[0] == errors[1]


@pytest.mark.parametrize(
    ("mine", "other"), [("float32", "float64"), ("float64", "float32"), ("float32", "float16")]
)
def test_assigning_grad_of_another_dtype_raises_torch_message(mine: str, other: str) -> None:
    errors = []
    for lib in (torch, pg):
        w = lib.tensor([1.0, 2.0], dtype=getattr(lib, mine), requires_grad=True)
        g = lib.tensor([1.0, 1.0], dtype=getattr(lib, other))
        errors.append(_error(lambda w=w, g=g: setattr(w, "grad", g)))
    assert errors[0] == errors[1]


@pytest.mark.parametrize("fn", ["var", "std"])
@pytest.mark.parametrize(("data", "dim"), [([1.0], None), ([[1.0, 2.0]], 0), ([1.0, 2.0], None)])
def test_var_std_warn_like_torch_without_degrees_of_freedom(fn: str, data: Any, dim: Any) -> None:
    import warnings

    logs = []
    for lib in (torch, pg):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            getattr(lib.tensor(data), fn)(dim)
        logs.append(
            [
                (w.category, str(w.message).split(" (Triggered")[0])
                for w in caught
                if issubclass(w.category, UserWarning)
            ]
        )
    assert logs[0] == logs[1]


def test_graph_grad_of_a_leaf_is_a_copy_like_torch() -> None:
    logs = []
    for lib in (torch, pg):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        y = (x**3).sum()
        y.backward(create_graph=True)
        first = (x.grad.grad_fn.name(), x.grad.tolist(), x.grad.requires_grad)
        y.backward()
        second = (x.grad.grad_fn.name(), x.grad.tolist())
        logs.append((first, second))
    assert logs[0] == logs[1]
