"""``python -m conformance [--backends numpy,jax] [--ops exp,linalg.*] [--dtypes float64]
[--report report.md]``: run the conformance suite and print the op x backend matrix.

Exits with status 1 when a check fails, errors, or passes although listed as xfail
(so the xfail lists only shrink), else 0.
"""

from __future__ import annotations

import argparse
import os
import sys

from . import report
from .backends import ALL_BACKENDS
from .runner import run, select_entries


def _csv(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m conformance", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--backends",
        type=_csv,
        default=list(ALL_BACKENDS),
        help="comma-separated backends (default: all known; missing ones are reported as skipped)",
    )
    parser.add_argument(
        "--ops",
        type=_csv,
        default=None,
        help="comma-separated entry ids; 'linalg.*' selects a prefix, 'pow' "
        "also its variants (pow[...])",
    )
    parser.add_argument("--dtypes", type=_csv, default=["float64", "float32"])
    parser.add_argument("--report", default=None, help="write Markdown here and JSON next to it")
    parser.add_argument("--quick", action="store_true", help="first sample of each entry only")
    parser.add_argument("--no-graph", action="store_true", help="skip graph programs")
    parser.add_argument("--no-semantics", action="store_true", help="skip semantics scenarios")
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument(
        "--jobs",
        type=int,
        default=max(1, (os.cpu_count() or 2) // 2),
        help="backends checked in parallel processes (default: half the CPUs)",
    )
    args = parser.parse_args(argv)
    unknown = [b for b in args.backends if b not in ALL_BACKENDS]
    if unknown:
        parser.error(f"unknown backend(s) {', '.join(unknown)}; known: {', '.join(ALL_BACKENDS)}")
    bad_dtypes = [d for d in args.dtypes if d not in ("float64", "float32")]
    if bad_dtypes:
        parser.error(f"unsupported dtype(s) {', '.join(bad_dtypes)}; use float64, float32")
    entries = select_entries(args.ops)
    if args.ops and not entries:
        parser.error(f"no op entry matches {', '.join(args.ops)}")
    only_ops = bool(args.ops)
    results = run(
        args.backends,
        entries,
        tuple(args.dtypes),
        first_only=args.quick,
        progress=not args.no_progress,
        graphs=not args.no_graph and not only_ops,
        scenarios=not args.no_semantics and not only_ops,
        jobs=args.jobs,
    )
    print(report.text_matrix(results, "ops"))
    for table in ("graph", "semantics"):
        if getattr(results, table):
            print()
            print(report.text_matrix(results, table))
    print()
    print(report.text_summary(results))
    if args.report:
        md, js = report.write(results, args.report)
        print(f"\nwrote {md} and {js}")
    bad = {"FAIL", "ERROR", "XPASS"}
    failed = any(
        cell.status in bad
        for table in (results.ops, results.graph, results.semantics)
        for row in table.values()
        for cell in row.values()
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
