"""Running the suite: every op entry, graph program and semantics scenario on every
selected backend, folded into one cell per (check, backend) with the xfail lists
applied. ``python -m conformance`` prints and writes the result (``report``)."""

from __future__ import annotations

import math
import sys
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from . import backends as backend_info
from . import graph, semantics, xfails
from .check import SampleResult, check_entry
from .ops import ENTRIES, OpEntry

#: cell statuses, worst first (a cell shows the worst of its samples)
STATUSES = ("ERROR", "FAIL", "XPASS", "xfail", "pass", "skip", "n/a")


@dataclass
class Cell:
    status: str
    max_err: float = float("nan")
    details: list[str] = field(default_factory=list)
    samples: int = 0
    reason: str = ""

    def text(self) -> str:
        if self.status == "FAIL" and not math.isnan(self.max_err):
            return f"FAIL({self.max_err:.1e})"
        return self.status


@dataclass
class Results:
    backends: dict[str, dict[str, Any]] = field(default_factory=dict)
    dtypes: tuple[str, ...] = ()
    ops: dict[str, dict[str, Cell]] = field(default_factory=dict)
    graph: dict[str, dict[str, Cell]] = field(default_factory=dict)
    semantics: dict[str, dict[str, Cell]] = field(default_factory=dict)

    def available(self) -> list[str]:
        return [b for b, info in self.backends.items() if info["available"]]


def fold(samples: list[SampleResult]) -> Cell:
    """One cell from an entry's sample results."""
    statuses = {s.status for s in samples}
    bad = [s for s in samples if s.status in ("fail", "error")]
    if "error" in statuses:
        status = "ERROR"
    elif "fail" in statuses:
        status = "FAIL"
    elif statuses <= {"absent"}:
        return Cell("n/a", reason=samples[0].message if samples else "no samples")
    else:
        status = "pass"
    errs = [s.max_err for s in bad if not math.isnan(s.max_err)]
    notes = [s.describe() for s in samples if s.status == "pass" and s.message][:1]
    return Cell(
        status,
        max(errs) if errs else float("nan"),
        [s.describe() for s in bad][:6] + notes,
        len(samples),
    )


def apply_xfail(cell: Cell, check_id: str, known: dict[str, str]) -> Cell:
    reason = known.get(check_id)
    if reason is None:
        return cell
    cell.reason = reason
    if cell.status in ("FAIL", "ERROR"):
        cell.status = "xfail"
    elif cell.status == "pass":
        cell.status = "XPASS"
    return cell


def select_entries(patterns: Iterable[str] | None) -> list[OpEntry]:
    """Entries whose id equals a pattern, starts with ``pattern[`` or, for a pattern
    ending in ``*``, starts with its prefix."""
    if not patterns:
        return list(ENTRIES.values())
    chosen = []
    for entry in ENTRIES.values():
        for p in patterns:
            if (
                entry.id == p
                or entry.id.startswith(p + "[")
                or (p.endswith("*") and entry.id.startswith(p[:-1]))
            ):
                chosen.append(entry)
                break
    return chosen


def _progress(total: int, enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    return tqdm(total=total, file=sys.stderr, leave=False, unit="check")


def run(
    backend_names: list[str],
    entries: list[OpEntry],
    dtypes: tuple[str, ...],
    first_only: bool = False,
    enable_x64: bool = True,
    progress: bool = True,
    graphs: bool = True,
    scenarios: bool = True,
    jobs: int = 1,
) -> Results:
    """Check ``entries`` (and the graph programs and scenarios) on each backend; with
    ``jobs > 1`` backends run in that many worker processes."""
    results = Results(dtypes=dtypes)
    for name in backend_names:
        ok, detail = backend_info.availability(name)
        results.backends[name] = {"available": ok, "version" if ok else "reason": detail}
    live = results.available()
    plan = Plan([e.id for e in entries], dtypes, first_only, enable_x64, graphs, scenarios)
    if jobs > 1 and len(live) > 1:
        done = _in_processes(plan, live, jobs)
    else:
        bar = _progress(plan.size() * len(live), progress)
        cache: dict[Any, Any] = {}
        done = {b: check_backend(plan, b, cache, bar) for b in live}
        if bar is not None:
            bar.close()
    for b in backend_names:
        part = done.get(b)
        if part is not None:
            results.backends[b]["seconds"] = round(part.seconds, 1)
        for table in ("ops", "graph", "semantics"):
            names = plan.names(table)
            rows = getattr(results, table)
            for name in names:
                row = rows.setdefault(name, {})
                row[b] = (
                    getattr(part, table)[name]
                    if part is not None
                    else Cell("skip", reason=results.backends[b]["reason"])
                )
    return results


@dataclass
class Plan:
    """What to check on each backend (plain data: it travels to worker processes)."""

    entry_ids: list[str]
    dtypes: tuple[str, ...]
    first_only: bool
    enable_x64: bool
    graphs: bool
    scenarios: bool

    def names(self, table: str) -> list[str]:
        if table == "ops":
            return self.entry_ids
        if table == "graph":
            return list(graph.PROGRAMS) if self.graphs else []
        return list(semantics.SCENARIOS) if self.scenarios else []

    def size(self) -> int:
        return sum(len(self.names(t)) for t in ("ops", "graph", "semantics"))


@dataclass
class BackendPart:
    ops: dict[str, Cell] = field(default_factory=dict)
    graph: dict[str, Cell] = field(default_factory=dict)
    semantics: dict[str, Cell] = field(default_factory=dict)
    seconds: float = 0.0


def check_backend(
    plan: Plan, backend: str, cache: dict[Any, Any] | None = None, bar: Any = None
) -> BackendPart:
    """Every check of ``plan`` on one backend (``cache`` shares torch's results)."""
    started = time.process_time()
    cache = {} if cache is None else cache
    part = BackendPart()
    known = xfails.load(backend)
    float64, _ = backend_info.supports_float64(backend, plan.enable_x64)
    with warnings.catch_warnings():
        # ops warn as they should (NumPy's divide by zero, torch's std of one element);
        # the semantics scenarios record the warnings that matter themselves
        warnings.simplefilter("ignore")
        for entry_id in plan.entry_ids:
            entry = ENTRIES[entry_id]
            samples: list[SampleResult] = []
            for dtype in plan.dtypes:
                if dtype in entry.dtypes and (dtype != "float64" or float64):
                    samples += check_entry(entry, dtype, backend, cache, plan.first_only)
            part.ops[entry_id] = apply_xfail(fold(samples), entry_id, known)
            _tick(bar)
        for table, fn in (("graph", graph.run_program), ("semantics", semantics.run_scenario)):
            for name in plan.names(table):
                getattr(part, table)[name] = _named_cell(fn(name, backend), table, name, known)
                _tick(bar)
    part.seconds = time.process_time() - started
    return part


def _tick(bar: Any) -> None:
    if bar is not None:
        bar.update()


def _named_cell(outcome: Any, kind: str, name: str, known: dict[str, str]) -> Cell:
    status = {"pass": "pass", "fail": "FAIL", "error": "ERROR", "skip": "skip"}[outcome.status]
    cell = Cell(status, details=[outcome.message] if outcome.message else [])
    if status == "skip":
        cell.reason = outcome.message
    return apply_xfail(cell, f"{kind}:{name}", known)


def _in_processes(plan: Plan, backends: list[str], jobs: int) -> dict[str, BackendPart]:
    """One worker process per backend (spawned: JAX and torch dislike forked threads)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(backends)), mp_context=context) as pool:
        futures = {b: pool.submit(check_backend, plan, b) for b in backends}
        return {b: f.result() for b, f in futures.items()}


def counts(table: dict[str, dict[str, Cell]], backend: str) -> dict[str, int]:
    tally = dict.fromkeys(STATUSES, 0)
    for row in table.values():
        if backend in row:
            tally[row[backend].status] += 1
    return tally
