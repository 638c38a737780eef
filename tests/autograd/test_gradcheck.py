"""``pg.gradcheck``/``pg.gradgradcheck`` on every backend, against torch.autograd.gradcheck.

Correct functions pass (as in torch), wrong backward rules are caught with torch's
``GradcheckError`` text (the same numerical and analytical matrices), and the flags,
warnings and errors behave like torch's.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest
from conftest import BACKENDS
from oracle import pg_from, torch, torch_from

import polygrad as pg
from polygrad.autograd.gradcheck import GradcheckError

TorchGradcheckError = pytest.importorskip("torch.autograd.gradcheck").GradcheckError

rng = np.random.default_rng(0)
X, W = rng.uniform(0.2, 1.0, (2, 3)), rng.uniform(-1, 1, (3, 2))


def fn(L: Any, x: Any, w: Any) -> Any:
    return ((x @ w).tanh() * x.sum(1, keepdim=True)).exp(), (x**3).sum()


def _pair(L: Any, lib_tensor: Any) -> tuple[Any, Any]:
    return lib_tensor(X, requires_grad=True), lib_tensor(W, requires_grad=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_correct_gradients_pass_like_torch(backend: str) -> None:
    x, w = pg_from(X, backend, requires_grad=True), pg_from(W, backend, requires_grad=True)
    assert pg.gradcheck(lambda x, w: fn(pg, x, w), (x, w))
    assert pg.gradcheck(lambda x, w: fn(pg, x, w), (x, w), check_forward_ad=True)
    assert pg.gradgradcheck(lambda x, w: fn(pg, x, w), (x, w))
    xt, wt = torch_from(X, requires_grad=True), torch_from(W, requires_grad=True)
    assert torch.autograd.gradcheck(lambda x, w: fn(torch, x, w), (xt, wt))


class _Lib:
    """A custom Function with a wrong backward, spelled for polygrad and for torch."""

    def __init__(self, lib: Any) -> None:
        base = lib.autograd.Function

        class Square(base):  # type: ignore[misc, valid-type]
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                ctx.save_for_backward(x)
                return x**2

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                (x,) = ctx.saved_tensors
                return g * 3 * x  # wrong: should be 2x

        class Cube(base):  # type: ignore[misc, valid-type]
            @staticmethod
            def forward(ctx: Any, x: Any) -> Any:
                ctx.save_for_backward(x)
                return x**3

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                (x,) = ctx.saved_tensors
                return g * 3 * x.detach() ** 2  # right once, not differentiable again

        self.Square, self.Cube = Square, Cube


@pytest.mark.parametrize("backend", BACKENDS)
def test_wrong_backward_gives_torchs_error(backend: str) -> None:
    x = pg_from([1.0, 2.0], backend, requires_grad=True)
    xt = torch_from([1.0, 2.0], requires_grad=True)
    mine, theirs = _Lib(pg), _Lib(torch)
    with pytest.raises(TorchGradcheckError) as expected:
        torch.autograd.gradcheck(theirs.Square.apply, (xt,))
    with pytest.raises(GradcheckError) as found:
        pg.gradcheck(mine.Square.apply, (x,))
    assert isinstance(found.value, RuntimeError)
    assert str(found.value).replace("polygrad", "torch") == str(expected.value)
    assert pg.gradcheck(mine.Square.apply, (x,), raise_exception=False) is False
    assert pg.gradcheck(mine.Cube.apply, (x,))
    with pytest.raises(
        GradcheckError, match="^Jacobian mismatch for output 0 with respect to input 0,\nnumerical:"
    ):
        pg.gradgradcheck(mine.Cube.apply, (x,))
    with pytest.raises(TorchGradcheckError):
        torch.autograd.gradgradcheck(theirs.Cube.apply, (xt,))


def test_wrong_input_and_output_index_are_named() -> None:
    class Swapped(pg.autograd.Function):
        @staticmethod
        def forward(ctx: Any, x: Any, y: Any) -> Any:
            return x * 2, x * y

        @staticmethod
        def backward(ctx: Any, g0: Any, g1: Any) -> Any:
            return g0 * 2, g1 * 0

    x = pg.tensor([1.0, 2.0], dtype=pg.float64, requires_grad=True)
    y = pg.tensor([3.0, 4.0], dtype=pg.float64, requires_grad=True)
    with pytest.raises(
        GradcheckError, match="^Jacobian mismatch for output 1 with respect to input 0,"
    ):
        pg.gradcheck(Swapped.apply, (x, y))


def test_flags_warnings_and_errors_match_torch() -> None:
    pg_x = pg.tensor([1.0, 2.0], requires_grad=True)  # float32
    t_x = torch.tensor([1.0, 2.0], requires_grad=True)
    with warnings.catch_warnings(record=True) as found:
        warnings.simplefilter("always")
        assert pg.gradcheck(lambda x: x * 2, (pg_x,), eps=1e-3, atol=1e-2)
    with warnings.catch_warnings(record=True) as expected:
        warnings.simplefilter("always")
        assert torch.autograd.gradcheck(lambda x: x * 2, (t_x,), eps=1e-3, atol=1e-2)
    assert [str(w.message) for w in found] == [str(w.message) for w in expected]
    assert found[0].category is UserWarning
    for lib, x in (
        (pg, pg.tensor([1.0], dtype=pg.float64)),
        (torch, torch.tensor([1.0], dtype=torch.float64)),
    ):
        with pytest.raises(
            ValueError, match="gradcheck expects at least one input tensor to require gradient"
        ):
            lib.autograd.gradcheck(lambda x: x * 2, (x,))
    x = pg.tensor([1.0, 2.0], dtype=pg.float64, requires_grad=True)
    with pytest.raises(
        GradcheckError, match="^Numerical gradient for function expected to be zero$"
    ):
        pg.gradcheck(lambda x: (x * 2).detach(), (x,))
    assert pg.autograd.gradcheck is pg.gradcheck and pg.autograd.gradgradcheck is pg.gradgradcheck


def test_forward_ad_check_catches_a_wrong_tangent_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    from polygrad.ops import elementwise

    wrong = lambda node, xp, t, inputs, outputs: t[0] * 2  # noqa: E731
    monkeypatch.setattr(elementwise.SinBackward0, "jvp", wrong)
    x = pg.tensor([0.3, 0.7], dtype=pg.float64, requires_grad=True)
    assert pg.gradcheck(lambda x: x.sin(), (x,))  # backward mode is right
    with pytest.raises(
        GradcheckError, match="^Jacobian computed with forward mode mismatch for output 0"
    ):
        pg.gradcheck(lambda x: x.sin(), (x,), check_forward_ad=True)
