"""Graph conformance in ``make test``: every program on every installed backend but JAX
(``python -m conformance`` runs JAX too); the grad_fn names and next_functions walked
from the root must match torch's."""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from conformance import graph, xfails  # noqa: E402
from conformance.backends import availability  # noqa: E402

#: JAX compiles every new op shape on first use (seconds here); it runs in the full sweep
IN_MAKE_TEST = ("numpy", "torch", "array_api_strict", "dask")


@pytest.mark.parametrize("backend", IN_MAKE_TEST)
@pytest.mark.parametrize("name", list(graph.PROGRAMS))
def test_graph_matches_torch(name: str, backend: str) -> None:
    available, why = availability(backend)
    if not available:
        pytest.skip(why)
    result = graph.run_program(name, backend)
    if result.status == "skip":
        pytest.skip(result.message)
    reason = xfails.load(backend).get(f"graph:{name}")
    if reason is not None:
        if result.status != "pass":
            pytest.xfail(reason)
        pytest.fail(f"XPASS: graph:{name} passes on {backend}; remove it from the xfails")
    assert result.status == "pass", f"{name} on {backend}: {result.message}"
