"""Semantics conformance: autograd behaviour scenarios run in torch and in polygrad.

Each scenario (accumulation, retain_graph, hooks and their order, no_grad,
detach/.data, in-place and version counters, autograd.grad options, custom
Function, values at ties and kinks...) runs once in torch and once in polygrad on
each backend; the logs of values, exceptions and warnings must be equal. Where
torch raises because a saved value was modified in place, polygrad must give
what torch computes under ``allow_mutation_on_saved_tensors()``: such scenarios
run the torch side in that context.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np

from ._recorder import Recorder, differences


@dataclass
class Scenario:
    name: str
    fn: Callable[..., None]
    mutates_saved: bool = False
    needs_float64: bool = False


SCENARIOS: dict[str, Scenario] = {}


def scenario(
    fn: Callable[..., None] | None = None,
    *,
    mutates_saved: bool = False,
    needs_float64: bool = False,
) -> Any:
    """Register ``fn(lib, T, rec)`` as a scenario (also usable with options)."""

    def register(f: Callable[..., None]) -> Callable[..., None]:
        if f.__name__ in SCENARIOS:
            raise ValueError(f"duplicate scenario {f.__name__}")
        SCENARIOS[f.__name__] = Scenario(f.__name__, f, mutates_saved, needs_float64)
        return f

    return register(fn) if fn is not None else register


@dataclass
class ScenarioResult:
    name: str
    status: str  # pass | fail | error | skip
    message: str = ""


def _torch_log(s: Scenario) -> list[tuple[str, Any]]:
    import torch

    def T(data: Any, requires_grad: bool = False, dtype: str = "float32") -> Any:
        return torch.tensor(np.asarray(data, dtype=dtype), requires_grad=requires_grad)

    rec = Recorder()
    context = (
        torch.autograd.graph.allow_mutation_on_saved_tensors() if s.mutates_saved else nullcontext()
    )
    try:
        with context:
            s.fn(torch, T, rec)
    finally:
        torch.set_grad_enabled(True)
    return rec.log


def run_scenario(name: str, backend: str) -> ScenarioResult:
    import polygrad as pg

    s = SCENARIOS[name]
    if s.needs_float64 and backend == "jax":
        import jax

        if not jax.config.jax_enable_x64:
            return ScenarioResult(name, "skip", "needs float64: jax_enable_x64 is off")
    try:
        want = _torch_log(s)
    except Exception as error:  # noqa: BLE001 - a broken scenario is reported, not raised
        return ScenarioResult(
            name, "error", f"oracle (torch) failed: {type(error).__name__}: {error}".splitlines()[0]
        )

    def T(data: Any, requires_grad: bool = False, dtype: str = "float32") -> Any:
        return pg.tensor(
            np.asarray(data, dtype=dtype), backend=backend, requires_grad=requires_grad
        )

    rec = Recorder()
    grad_mode = pg.is_grad_enabled()
    try:
        with pg.backend(backend):
            s.fn(pg, T, rec)
    except Exception as error:  # noqa: BLE001 - an unexpected exception is the finding
        lines = str(error).splitlines()
        return ScenarioResult(
            name,
            "error",
            f"{type(error).__name__}: "
            f"{lines[0] if lines else ''} (after "
            f"{len(rec.log)} observations)",
        )
    finally:
        pg.set_grad_enabled(grad_mode)
    found = differences(want, rec.log)
    return ScenarioResult(name, "fail" if found else "pass", " | ".join(found))


from . import functions, grads, hooks, inplace, modes, values  # noqa: E402,F401 - registration

__all__ = ["SCENARIOS", "Scenario", "ScenarioResult", "run_scenario", "scenario"]
