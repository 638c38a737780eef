"""What a user sees around the numbers: which backend a tensor and the session use, how a
tensor prints, and that backward passes stay as silent as torch's about inf and nan."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import subprocess
import sys
import types
import warnings

import numpy as np
import pytest
import torch
from conftest import BACKENDS

import polygrad as pg


def test_get_backend_follows_the_session() -> None:
    assert pg.get_backend() == "numpy"
    with pg.backend("torch"):
        assert pg.get_backend() == "torch"
        assert pg.ones(1).backend == "torch"
        with pg.backend("array_api_strict"):
            assert pg.get_backend() == "array_api_strict"
        assert pg.get_backend() == "torch"
    assert pg.get_backend() == "numpy"


def test_repr_shows_a_backend_that_is_not_the_default() -> None:
    on_torch = pg.ones(2, backend="torch", requires_grad=True)
    assert repr(on_torch) == "tensor([1., 1.], backend='torch', requires_grad=True)"
    assert repr(pg.ones(2, requires_grad=True)) == "tensor([1., 1.], requires_grad=True)"
    strict = pg.ones(2, backend="array_api_strict", dtype=pg.float64)
    assert repr(strict) == ("tensor([1., 1.], backend='array_api_strict', dtype=polygrad.float64)")
    with pg.backend("torch"):  # the default is what the session uses now
        assert repr(on_torch) == repr(torch.ones(2, requires_grad=True))
        assert repr(pg.zeros(1, backend="numpy")) == "tensor([0.], backend='numpy')"


@pytest.mark.parametrize("backend", BACKENDS)
def test_backward_through_inf_and_nan_does_not_warn(backend: str) -> None:
    """torch is silent; NumPy would warn from inside polygrad's rules (sqrt at 0, 0/0)."""
    x = pg.tensor([0.0, 1.0, 4.0], dtype=pg.float64, backend=backend, requires_grad=True)
    tx = torch.tensor([0.0, 1.0, 4.0], dtype=torch.float64, requires_grad=True)
    with np.errstate(all="ignore"):  # the forward pass is NumPy's own arithmetic
        y = (pg.sqrt(x) + x / (x * 1.0)).sum()
    ty = (torch.sqrt(tx) + tx / (tx * 1.0)).sum()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        y.backward()
        ty.backward()
    np.testing.assert_array_equal(x.grad.numpy(), tx.grad.numpy())


def _public_modules() -> list[types.ModuleType]:
    """polygrad and every module a user imports from it (no private part in the name; the
    ops layer's files and the backend adapters are behind ``pg`` and ``pg.backends``)."""
    names = [
        info.name
        for info in pkgutil.walk_packages(pg.__path__, "polygrad.")
        if not any(part.startswith("_") for part in info.name.split("."))
        and not info.name.startswith(("polygrad.ops.", "polygrad.backends."))
    ]
    return [pg] + [importlib.import_module(name) for name in names]


def _undocumented(owner: object, names: list[str]) -> list[str]:
    def documented(value: object) -> bool:
        return (
            not callable(value)
            and not isinstance(value, types.ModuleType)
            or bool((value.__doc__ or "").strip())
        )

    return [n for n in names if not documented(getattr(owner, n))]


@pytest.mark.parametrize("module", _public_modules(), ids=lambda m: m.__name__)
def test_every_public_module_lists_its_names_and_documents_them(module: types.ModuleType) -> None:
    assert (module.__doc__ or "").strip()
    names = module.__all__
    assert len(names) == len(set(names))
    assert [n for n in names if not hasattr(module, n)] == []
    assert _undocumented(module, names) == []
    if module is pg:  # dir(pg) is exactly its public names
        assert sorted(names) == [n for n in dir(pg) if not n.startswith("_")]


def test_every_public_tensor_attribute_has_a_docstring() -> None:
    """help(x.sum), an IDE's hover: methods and properties alike (a property's getter)."""
    public = [n for n in dir(pg.Tensor) if not n.startswith("_")]
    getters = {
        n: getattr(inspect.getattr_static(pg.Tensor, n), "fget", None) or getattr(pg.Tensor, n)
        for n in public
    }
    assert [n for n, value in getters.items() if not (value.__doc__ or "").strip()] == []


def test_dir_shows_public_names_only() -> None:
    names = dir(pg)
    assert not [n for n in names if n.endswith("_recorded")]
    assert not [n for n in names if n.startswith("_") and not n.startswith("__")]
    assert {"tensor", "grad", "get_backend", "Tensor", "float64"} <= set(names)
    assert dir(pg.viz) == ["draw", "format_graph", "print_graph"]


def test_forward_inf_and_nan_are_silent_on_numpy_as_in_torch() -> None:
    """log(0), x / 0, sqrt(-1) and exp overflow give torch's values without NumPy's
    RuntimeWarnings, while the same NumPy call in the user's own code still warns. Run in
    a fresh interpreter: pytest resets warning filters around each test."""
    program = """
import warnings
import numpy as np
import polygrad as pg
x = pg.tensor([0.0, 1.0], dtype=pg.float64)
values = [pg.log(x), x / 0, pg.sqrt(-x - 1), pg.exp(x * 1e6)]
print([v.tolist() for v in values])
try:
    np.log(np.zeros(1))
except RuntimeWarning as warning:
    print("user code warns:", warning)
"""
    run = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-c", program],
        capture_output=True,
        text=True,
        check=True,
    )
    x = torch.tensor([0.0, 1.0], dtype=torch.float64)
    expected = [torch.log(x), x / 0, torch.sqrt(-x - 1), torch.exp(x * 1e6)]
    assert run.stdout.splitlines() == [
        str([v.tolist() for v in expected]),
        "user code warns: divide by zero encountered in log",
    ]
