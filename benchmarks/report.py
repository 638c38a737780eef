"""Benchmark tables: Markdown for the console and for ``benchmarks/README.md``."""

from __future__ import annotations

import datetime
import platform
from importlib import metadata
from pathlib import Path
from typing import Any

README = Path(__file__).with_name("README.md")
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"


def _versions() -> str:
    names = ["numpy", "torch", "jax", "autograd", "mygrad", "array-api-compat"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join(found)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def render(results: dict[str, Any], subjects: list[str], quick: bool) -> str:
    from .__main__ import _cell

    names = list(results)
    lines = [
        f"Measured {datetime.date.today()} on {_cpu()} (1 pinned core, 1 thread), "
        f"Python {platform.python_version()}; {_versions()}."
        + (" QUICK MODE (small sizes): not the real workloads." if quick else ""),
        "",
        "| subject | "
        + " | ".join(f"{n} {'µs/op' if n == 'W1' else 'ratio'}" for n in names)
        + " |",
        "|---|" + "--:|" * len(names),
    ]
    for subject in subjects:
        cells = [_cell(n, results[n][subject]) if subject in results[n] else "" for n in names]
        cells = [c if not c.startswith("n/a") else "n/a" for c in cells]
        lines.append(f"| {subject} | " + " | ".join(cells) + " |")
    errors = [
        f"- {subject} on {n}: {results[n][subject]['error']}"
        for n in names
        for subject in subjects
        if "error" in results[n].get(subject, {})
    ]
    if errors:
        lines += ["", "n/a means:"] + errors
    return "\n".join(lines)


def write_readme(table: str) -> None:
    text = README.read_text()
    start, stop = text.index(BEGIN) + len(BEGIN), text.index(END)
    README.write_text(text[:start] + "\n" + table + "\n" + text[stop:])
