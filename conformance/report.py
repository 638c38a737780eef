"""Presenting results: a plain-text matrix for the console, Markdown and JSON files."""

from __future__ import annotations

import json
import math
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .runner import STATUSES, Cell, Results, counts

_TABLES = (("ops", "Op"), ("graph", "Graph program"), ("semantics", "Scenario"))


def _versions() -> dict[str, str]:
    import numpy
    import torch

    import polygrad

    return {
        "polygrad": polygrad.__version__,
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "python": platform.python_version(),
    }


def _columns(results: Results) -> list[str]:
    return list(results.backends)


def text_matrix(results: Results, table: str = "ops") -> str:
    rows = getattr(results, table)
    backends = _columns(results)
    header = ["entry"] + backends
    body = [[name] + [row[b].text() for b in backends] for name, row in rows.items()]
    widths = [max(len(r[i]) for r in [header] + body) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in [header] + body]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def summary_rows(results: Results) -> list[dict[str, Any]]:
    out = []
    for b, info in results.backends.items():
        row: dict[str, Any] = {
            "backend": b,
            "version": info.get("version", "-"),
            "available": info["available"],
            "cpu_seconds": info.get("seconds"),
        }
        if not info["available"]:
            row["reason"] = info["reason"]
        for table, _ in _TABLES:
            row[table] = counts(getattr(results, table), b)
        out.append(row)
    return out


def text_summary(results: Results) -> str:
    lines = []
    for row in summary_rows(results):
        if not row["available"]:
            lines.append(f"{row['backend']}: skipped ({row['reason']})")
            continue
        parts = []
        for table, label in _TABLES:
            c = row[table]
            shown = ", ".join(f"{c[s]} {s}" for s in STATUSES if c[s])
            parts.append(f"{label.lower()}s: {shown or 'none'}")
        lines.append(f"{row['backend']} {row['version']}: " + "; ".join(parts))
    return "\n".join(lines)


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def markdown(results: Results) -> str:
    backends = _columns(results)
    versions = _versions()
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "# polygrad conformance report",
        "",
        f"Generated {stamp} by `python -m conformance`; "
        + ", ".join(f"{k} {v}" for k, v in versions.items())
        + f"; dtypes: {', '.join(results.dtypes)}.",
        "",
        "Every cell compares polygrad on that backend with torch.autograd on the same "
        "inputs (forward values, VJP for a random cotangent, second-order product, "
        "gradient dtype and shape). FAIL(x) shows the largest absolute error; n/a: the "
        "function does not exist yet; xfail: a known backend limitation (see "
        "conformance/xfails/); XPASS: listed as xfail but passes.",
        "",
        "## Summary",
        "",
    ]
    head = ["backend", "version", "CPU s"] + [
        f"{label}s: " + " / ".join(("pass", "FAIL", "ERROR", "xfail", "XPASS", "n/a"))
        for _, label in _TABLES
    ]
    out += [_md_row(head), _md_row(["---"] * len(head))]
    for row in summary_rows(results):
        if not row["available"]:
            out.append(_md_row([row["backend"], "skipped: " + row["reason"]] + [""] * 4))
            continue
        seconds = row["cpu_seconds"]
        cells = [row["backend"], str(row["version"]), "-" if seconds is None else f"{seconds:.0f}"]
        for table, _ in _TABLES:
            c = row[table]
            cells.append(
                " / ".join(str(c[s]) for s in ("pass", "FAIL", "ERROR", "xfail", "XPASS", "n/a"))
            )
        out.append(_md_row(cells))
    for table, label in _TABLES:
        rows = getattr(results, table)
        if not rows:
            continue
        out += [
            "",
            f"## {label} matrix",
            "",
            _md_row([label.lower()] + backends),
            _md_row(["---"] * (len(backends) + 1)),
        ]
        out += [
            _md_row([f"`{name}`"] + [row[b].text() for b in backends]) for name, row in rows.items()
        ]
    out += ["", "## Details of failures, errors and xfails", ""]
    for table, label in _TABLES:
        for name, row in getattr(results, table).items():
            for b in backends:
                cell = row[b]
                if cell.status in ("FAIL", "ERROR", "xfail", "XPASS"):
                    out.append(
                        f"- **{label.lower()} `{name}` on {b}**: {cell.status}"
                        + (f" (xfail reason: {cell.reason})" if cell.reason else "")
                    )
                    out += [f"  - {d}" for d in cell.details]
    return "\n".join(out) + "\n"


def _cell_json(cell: Cell) -> dict[str, Any]:
    data: dict[str, Any] = {"status": cell.status}
    if not math.isnan(cell.max_err):
        data["max_err"] = cell.max_err
    if cell.details:
        data["details"] = cell.details
    if cell.samples:
        data["samples"] = cell.samples
    if cell.reason:
        data["reason"] = cell.reason
    return data


def as_json(results: Results) -> dict[str, Any]:
    return {
        "versions": _versions(),
        "dtypes": list(results.dtypes),
        "backends": results.backends,
        "summary": summary_rows(results),
        **{
            table: {
                name: {b: _cell_json(c) for b, c in row.items()}
                for name, row in getattr(results, table).items()
            }
            for table, _ in _TABLES
        },
    }


def write(results: Results, path: str | Path) -> tuple[Path, Path]:
    """Write ``path`` (Markdown) and the same stem with ``.json``."""
    md = Path(path)
    md.parent.mkdir(parents=True, exist_ok=True)
    md.write_text(markdown(results))
    js = md.with_suffix(".json")
    js.write_text(json.dumps(as_json(results), indent=1, default=str) + "\n")
    return md, js
