"""Running the suite: every op entry, graph program and semantics scenario on every
selected backend, folded into one cell per (check, backend) with the xfail lists
applied. ``python -m conformance`` prints and writes the result (``report``)."""

from __future__ import annotations

import math
import sys
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
) -> Results:
    results = Results(dtypes=dtypes)
    for name in backend_names:
        ok, detail = backend_info.availability(name)
        results.backends[name] = {"available": ok, "version" if ok else "reason": detail}
    live = results.available()
    x64 = {b: backend_info.supports_float64(b, enable_x64) for b in live}
    todo = (
        len(entries) * len(live)
        + (len(graph.PROGRAMS) * len(live) if graphs else 0)
        + (len(semantics.SCENARIOS) * len(live) if scenarios else 0)
    )
    bar = _progress(todo, progress)
    with warnings.catch_warnings():
        # ops warn as they should (NumPy's divide by zero, torch's std of one element);
        # the semantics scenarios record the warnings that matter themselves
        warnings.simplefilter("ignore")
        _run_all(results, backend_names, entries, dtypes, first_only, x64, graphs, scenarios, bar)
    if bar is not None:
        bar.close()
    return results


def _run_all(
    results: Results,
    backend_names: list[str],
    entries: list[OpEntry],
    dtypes: tuple[str, ...],
    first_only: bool,
    x64: dict[str, Any],
    graphs: bool,
    scenarios: bool,
    bar: Any,
) -> None:
    live = results.available()
    cache: dict[Any, Any] = {}
    for entry in entries:
        row = results.ops[entry.id] = {}
        for b in backend_names:
            if b not in live:
                row[b] = Cell("skip", reason=results.backends[b]["reason"])
                continue
            samples: list[SampleResult] = []
            for dtype in dtypes:
                if dtype not in entry.dtypes or (dtype == "float64" and not x64[b][0]):
                    continue
                samples += check_entry(entry, dtype, b, cache, first_only)
            row[b] = apply_xfail(fold(samples), entry.id, xfails.load(b))
            if bar is not None:
                bar.update()
    if graphs:
        _run_named(
            results.graph, graph.PROGRAMS, graph.run_program, "graph", backend_names, results, bar
        )
    if scenarios:
        _run_named(
            results.semantics,
            semantics.SCENARIOS,
            semantics.run_scenario,
            "semantics",
            backend_names,
            results,
            bar,
        )


def _run_named(
    table: dict[str, dict[str, Cell]],
    names: Iterable[str],
    fn: Any,
    kind: str,
    backend_names: list[str],
    results: Results,
    bar: Any,
) -> None:
    live = results.available()
    for name in names:
        row = table[name] = {}
        for b in backend_names:
            if b not in live:
                row[b] = Cell("skip", reason=results.backends[b]["reason"])
                continue
            outcome = fn(name, b)
            status = {"pass": "pass", "fail": "FAIL", "error": "ERROR", "skip": "skip"}[
                outcome.status
            ]
            cell = Cell(status, details=[outcome.message] if outcome.message else [])
            if status == "skip":
                cell.reason = outcome.message
            row[b] = apply_xfail(cell, f"{kind}:{name}", xfails.load(b))
            if bar is not None:
                bar.update()


def counts(table: dict[str, dict[str, Cell]], backend: str) -> dict[str, int]:
    tally = dict.fromkeys(STATUSES, 0)
    for row in table.values():
        if backend in row:
            tally[row[backend].status] += 1
    return tally
