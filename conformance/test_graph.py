"""Graph conformance in ``make test``: every program on every installed backend but JAX
(``python -m conformance`` runs JAX too); the grad_fn names and next_functions walked
from the root must match torch's."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from conformance import graph  # noqa: E402
from conformance.in_pytest import IN_MAKE_TEST, judge_result, require  # noqa: E402


@pytest.mark.parametrize("backend", IN_MAKE_TEST)
@pytest.mark.parametrize("name", list(graph.PROGRAMS))
def test_graph_matches_torch(name: str, backend: str) -> None:
    require(backend)
    judge_result(backend, f"graph:{name}", graph.run_program(name, backend))
