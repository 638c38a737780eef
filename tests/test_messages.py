"""Errors speak of polygrad: its own names (``polygrad.Size``, ``pg.hvp``, the function the
user called), correct grammar, and torch's words where torch has an error for the case."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
import scipy.special
import torch
from conftest import BACKENDS

import polygrad as pg


def _message(fn: Any, exc: type[BaseException]) -> str:
    with pytest.raises(exc) as raised:
        fn()
    return str(raised.value)


def test_wrong_gradient_shape_names_polygrad_size() -> None:
    x = pg.ones(4, requires_grad=True)
    assert _message(lambda: (x * 2).backward(pg.ones(3)), RuntimeError) == (
        "Mismatch in shape: grad_output[0] has a shape of polygrad.Size([3]) and output[0] "
        "has a shape of polygrad.Size([4])."
    )


def test_functional_v_of_wrong_shape_names_polygrad_size() -> None:
    message = _message(
        lambda: pg.autograd.functional.vjp(lambda x: x * 2, pg.ones(3), pg.ones(2)),
        RuntimeError,
    )
    assert message == "v has invalid size: should be polygrad.Size([3]) but got polygrad.Size([2])."


def test_complex_implicit_gradient_names_polygrad_dtype() -> None:
    z = pg.tensor(1j, requires_grad=True)
    assert _message(lambda: (z * 2).backward(), RuntimeError) == (
        "grad can be implicitly created only for real scalar outputs but got polygrad.complex64"
    )


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    "data",
    [[[1.0, 2.0], [3.0]], [[[1.0], [2.0]], [[1.0], [2.0, 3.0]]], [[1, 2], []]],
    ids=["dim1", "dim2", "empty-row"],
)
def test_ragged_lists_get_torchs_message(backend: str, data: Any) -> None:
    with pytest.raises(ValueError) as expected:
        torch.tensor(data)
    assert _message(lambda: pg.tensor(data, backend=backend), ValueError) == str(expected.value)


def test_hvp_with_bad_arguments_names_pg_hvp() -> None:
    message = _message(lambda: pg.hvp(lambda x: (x * x).sum(), np.ones(2), np.ones(2)), TypeError)
    assert message == (
        "primal and tangent arguments to pg.hvp must be tuples or lists; found ndarray and ndarray."
    )
    message = _message(lambda: pg.jvp(lambda x: x, np.ones(2), np.ones(2)), TypeError)
    assert message.startswith("primal and tangent arguments to pg.jvp must be tuples")


def test_scipy_special_ufuncs_are_named_as_scipy_and_run_pg_special() -> None:
    x = pg.tensor([0.5, 1.0], dtype=pg.float64, requires_grad=True)
    scipy.special.erfcx(x).sum().backward()
    tx = torch.tensor([0.5, 1.0], dtype=torch.float64, requires_grad=True)
    torch.special.erfcx(tx).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-12)
    assert _message(lambda: scipy.special.dawsn(x), TypeError) == (
        "scipy.special.dawsn is not supported on polygrad tensors that require grad (its "
        "result would be detached from the graph); use the polygrad namespace "
        "(xp = x.__array_namespace__()) or file an issue for the missing function"
    )
    assert _message(lambda: np.add(x, 1, out=np.ones(2)), TypeError).startswith(
        "np.add(..., out=...) is not supported on polygrad tensors"
    )


def test_backend_names_take_the_right_article() -> None:
    message = _message(lambda: pg.ones(2) + pg.ones(2, backend="array_api_strict"), TypeError)
    assert message == (
        "expected all tensors on the same backend, but found a numpy tensor and an "
        "array_api_strict tensor; convert one with pg.tensor(..., backend=...)"
    )


class _ScipyOnNumpy(pg.autograd.Function):
    """A Function that computes with SciPy and wraps the result without a backend."""

    @staticmethod
    def forward(ctx: Any, x: Any) -> Any:
        return pg.tensor(scipy.special.erfcx(x.numpy()))

    @staticmethod
    def backward(ctx: Any, g: Any) -> Any:
        return g


def test_function_returning_another_backend_is_refused_at_apply() -> None:
    x = pg.ones(2, dtype=pg.float64, backend="torch", requires_grad=True)
    message = _message(lambda: _ScipyOnNumpy.apply(x), TypeError)
    assert message == (
        "_ScipyOnNumpy.forward returned a numpy tensor as output 0, but its inputs are torch "
        "tensors, so backward would mix two backends; convert the output inside forward, "
        'e.g. pg.tensor(result, backend="torch")'
    )
    with pg.no_grad():  # nothing recorded, nothing to mix
        assert _ScipyOnNumpy.apply(x).backend == "numpy"


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: pg.tensor(pg.ones(2)), "rather than pg.tensor(sourceTensor)."),
        (
            lambda: pg.autograd.Variable(pg.ones(2), volatile=True),
            "Use `with pg.no_grad():` instead.",
        ),
        (
            lambda: pg.utils.checkpoint(lambda t: t * 2, pg.ones(2, requires_grad=True)),
            "polygrad.utils.checkpoint: the use_reentrant parameter",
        ),
        (
            lambda: pg.autograd.grad(
                (pg.ones(1, requires_grad=True) * 2).sum(), [], only_inputs=False
            ),
            "please use pg.autograd.backward.",
        ),
    ],
    ids=["tensor-of-tensor", "volatile", "checkpoint", "only-inputs"],
)
def test_warnings_name_polygrads_api(call: Any, words: str) -> None:
    with pytest.warns(Warning) as caught:
        try:
            call()
        except RuntimeError:  # only the warning matters here
            pass
    assert any(words in str(w.message) for w in caught), [str(w.message) for w in caught]
    assert not any(re.search(r"\b(torch|jax)\.[a-z]", str(w.message)) for w in caught)
