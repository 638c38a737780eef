"""Semantics conformance in ``make test``: every scenario on every installed backend but
JAX (``python -m conformance`` runs JAX too) must log the same values, exceptions and
warnings as torch."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from conformance import semantics  # noqa: E402
from conformance.in_pytest import IN_MAKE_TEST, judge_result, require  # noqa: E402


@pytest.mark.parametrize("backend", IN_MAKE_TEST)
@pytest.mark.parametrize("name", list(semantics.SCENARIOS))
def test_scenario_matches_torch(name: str, backend: str) -> None:
    require(backend)
    judge_result(backend, f"semantics:{name}", semantics.run_scenario(name, backend))
