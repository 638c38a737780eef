"""Semantics conformance in ``make test``: every scenario on every installed backend but
JAX (``python -m conformance`` runs JAX too) must log the same values, exceptions and
warnings as torch."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from conformance import semantics, xfails  # noqa: E402
from conformance.backends import availability  # noqa: E402

#: JAX compiles every new op shape on first use (seconds here); it runs in the full sweep
IN_MAKE_TEST = ("numpy", "torch", "array_api_strict", "dask")


@pytest.mark.parametrize("backend", IN_MAKE_TEST)
@pytest.mark.parametrize("name", list(semantics.SCENARIOS))
def test_scenario_matches_torch(name: str, backend: str) -> None:
    available, why = availability(backend)
    if not available:
        pytest.skip(why)
    result = semantics.run_scenario(name, backend)
    if result.status == "skip":
        pytest.skip(result.message)
    reason = xfails.load(backend).get(f"semantics:{name}")
    if reason is not None:
        if result.status != "pass":
            pytest.xfail(reason)
        pytest.fail(f"XPASS: semantics:{name} passes on {backend}; remove it from the xfails")
    assert result.status == "pass", f"{name} on {backend}: {result.message}"
