"""Shared test parametrization: one test per known backend, missing ones skipped with a reason.

The backend lists are defined here only: ``BACKENDS`` (every known backend) and
``STANDARD_BACKENDS`` (NumPy and array-api-strict). Use them in any test file
(``tests/`` is on ``sys.path`` under pytest)::

    from conftest import BACKENDS

    @pytest.mark.parametrize("backend", BACKENDS)
    def test_something(backend):            # backend is a name: "numpy", "torch", ...
        x = pg.tensor(np.ones(3), backend=backend, requires_grad=True)

or ask for the ``xp_backend`` fixture, which is the same parametrization. A backend
whose library is not installed shows up as a skip ("jax is not installed"), never as
an import error. Every test starts from the same state, whatever ran before it in its
process (``_same_start``). JAX runs with ``jax_enable_x64`` on (set here, before JAX is
imported) so float64 comparisons against torch work on every backend;
``tests/backends/test_jax.py`` checks JAX's default 32-bit mode explicitly.
"""

from __future__ import annotations

import importlib.util
import os
import zlib
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

os.environ.setdefault("JAX_ENABLE_X64", "1")
# SciPy dispatches on array-API inputs (polygrad tensors) only when this is set before
# scipy is first imported (tests/interop/test_dropin.py).
os.environ.setdefault("SCIPY_ARRAY_API", "1")

try:  # Hypothesis budgets: "ci" inside ``make test``, "long" for ``make fuzz``
    from hypothesis import HealthCheck, settings

    settings.register_profile(
        "ci",
        max_examples=40,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
    settings.register_profile(
        "long", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    settings.load_profile("ci")
except ImportError:
    pass

#: Known backends and the library each needs (the adapter names of ``polygrad._core._backend``).
KNOWN = {
    "numpy": "numpy",
    "torch": "torch",
    "jax": "jax",
    "array_api_strict": "array_api_strict",
    "dask": "dask",
}


def is_installed(name: str) -> bool:
    """Whether backend ``name``'s library can be found (without importing it)."""
    return importlib.util.find_spec(KNOWN[name]) is not None


def installed_backends(names: Any = None) -> list[Any]:
    """``pytest.param`` per backend in ``names`` (default: all known), skipping missing ones."""
    return [
        pytest.param(
            name,
            id=name,
            marks=pytest.mark.skipif(
                not is_installed(name), reason=f"{KNOWN[name]} is not installed"
            ),
        )
        for name in (names or KNOWN)
    ]


#: Every known backend as a parametrization (missing libraries skip): the default for a
#: test of behaviour users see.
BACKENDS = installed_backends()
#: NumPy and array-api-strict: the reference library and the standard to the letter. Op
#: checks against torch run on these two; together they prove the core speaks only the
#: standard, and ``BACKENDS`` covers the other libraries where behaviour differs.
STANDARD_BACKENDS = installed_backends(["numpy", "array_api_strict"])


@pytest.fixture(params=BACKENDS)
def xp_backend(request: pytest.FixtureRequest) -> str:
    """The name of one installed backend; tests using it run once per backend."""
    return request.param


@pytest.fixture(autouse=True)
def _same_start(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test draws the same numbers and sees the same settings however tests are
    ordered, selected (``-k``) or spread over xdist workers.

    A module's NumPy generators (``rng = np.random.default_rng(...)`` at module level,
    drawn from inside tests) and polygrad's own generators restart from a seed of the
    test's id; the process-wide settings a test may change (default backend and float
    dtype, grad and inference mode, anomaly mode) are put back after it.
    """
    import polygrad as pg
    from polygrad._core import _backend, _grad_mode
    from polygrad.autograd import anomaly_mode

    seed = zlib.crc32(request.node.nodeid.encode())
    module = request.module
    generators = [k for k, v in vars(module).items() if isinstance(v, np.random.Generator)]
    for name in generators:
        setattr(module, name, np.random.default_rng(seed))
    pg.manual_seed(seed)
    backend, dtype = _backend._process_default, pg.get_default_dtype()
    grad, inference = _grad_mode._grad_enabled.get(), _grad_mode._inference.get()
    anomaly = (anomaly_mode.is_anomaly_enabled(), anomaly_mode.is_anomaly_check_nan_enabled())
    yield
    _backend._process_default = backend
    pg.set_default_dtype(dtype)
    _grad_mode._grad_enabled.set(grad)
    _grad_mode._inference.set(inference)
    if (anomaly_mode.is_anomaly_enabled(), anomaly_mode.is_anomaly_check_nan_enabled()) != anomaly:
        anomaly_mode._set(*anomaly)
