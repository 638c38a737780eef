"""What the ``make test`` slices (``test_ops.py``, ``test_graph.py``, ``test_semantics.py``)
share: skipping a backend that cannot run, and turning a check's outcome and the
backend's known failures (``xfails/<backend>.txt``) into pytest's pass, fail or xfail."""

from __future__ import annotations

from typing import Any

import pytest

from conformance import xfails
from conformance.backends import availability

#: Graph programs and semantics scenarios run here on these; JAX compiles every new op
#: shape on first use (seconds here), so it runs in the full sweep only
IN_MAKE_TEST = ("numpy", "torch", "array_api_strict", "dask")


def require(backend: str) -> None:
    """Skip the test when ``backend`` is not installed or cannot run."""
    available, why = availability(backend)
    if not available:
        pytest.skip(why)


def judge(backend: str, check_id: str, problem: str | None) -> None:
    """Pass, fail or xfail the check ``check_id`` (``problem``: what went wrong, None when
    nothing did); a listed known failure that passes fails as XPASS, so the lists shrink."""
    reason = xfails.load(backend).get(check_id)
    if reason is not None:
        if problem is not None:
            pytest.xfail(reason)
        pytest.fail(
            f"XPASS: {check_id} passes on {backend}; remove it from "
            f"conformance/xfails/{backend}.txt"
        )
    assert problem is None, f"{check_id} on {backend}: {problem}"


def judge_result(backend: str, check_id: str, result: Any) -> None:
    """``judge`` a graph program's or scenario's result (its ``status`` and ``message``)."""
    if result.status == "skip":
        pytest.skip(result.message)
    judge(backend, check_id, None if result.status == "pass" else result.message)
