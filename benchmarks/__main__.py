"""Run the benchmarks: ``python -m benchmarks [--quick] [--workloads W1,W2] [--subjects ...]``.

Every subject runs every workload in one interleaved run (round-robin, so machine
noise hits all subjects alike), on one pinned core with one thread; the table
reports medians as ratios to hand-written NumPy (W1 in microseconds per op), W4's
peak memory measured in a fresh process per subject, and writes it to
``benchmarks/README.md`` (``--write``) with the date, machine and versions.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
os.environ.setdefault(
    "XLA_FLAGS", "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
)

import argparse  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from .subjects import SUBJECTS, prepare, result_arrays  # noqa: E402
from .workloads import WORKLOADS  # noqa: E402


def _setup() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    try:
        import jax

        jax.config.update("jax_enable_x64", True)
    except ImportError:
        pass


def _check(subject: str, w: Any, result: Any, reference: Any) -> str | None:
    """None when the subject's loss and gradients match the float64 reference."""
    if subject == "numpy-manual":
        loss, grads = result[0], [np.asarray(g, np.float64) for g in result[1]]
        loss = None if w.hvp else loss
    else:
        loss, grads = result_arrays(subject, w, result)
    ref_loss, ref_grads = reference
    rtol = 1e-3 if w.name in ("W2", "W3") else 1e-6
    if loss is not None and not np.isclose(loss, ref_loss, rtol=rtol, atol=rtol):
        return f"loss {loss} != {ref_loss}"
    for g, r in zip(grads, ref_grads):
        if g.shape != r.shape or not np.allclose(g, r, rtol=rtol, atol=rtol * np.abs(r).max()):
            return f"gradient differs (max abs err {np.abs(g - r).max():.2e})"
    return None


def _time(fn: Any, budget: float) -> float:
    """Seconds per call, from a batch of calls lasting about ``budget`` seconds."""
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    n = max(1, int(budget / max(once, 1e-7)))
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def run_workload(name: str, subjects: list[str], quick: bool, rounds: int) -> dict[str, Any]:
    w = WORKLOADS[name]
    consts, params = w.make_inputs(quick)
    reference = w.manual(*consts, *[np.asarray(p, np.float64) for p in params])
    runners, rows = {}, {}
    for subject in subjects:
        try:
            fn = prepare(subject, w, consts, params)
            result = fn()
            fn()  # warm-up (and jit compilation)
            problem = _check(subject, w, result, reference)
            if problem:
                rows[subject] = {"error": f"wrong result: {problem}"}
            else:
                runners[subject] = fn
        except Exception as error:  # a subject that cannot run this workload
            rows[subject] = {"error": f"{type(error).__name__}: {str(error).splitlines()[0][:80]}"}
    samples: dict[str, list[float]] = {s: [] for s in runners}
    budget = 0.02 if quick else 0.2
    for _ in range(rounds):
        for subject, fn in runners.items():
            samples[subject].append(_time(fn, budget))
    base = statistics.median(samples["numpy-manual"]) if "numpy-manual" in samples else None
    for subject, times in samples.items():
        median = statistics.median(times)
        rows[subject] = {
            "seconds": median,
            "ratio": median / base if base else None,
            "us_per_op": median / w.ops * 1e6,
        }
    return rows


def peak_memory(subject: str, quick: bool) -> float | None:
    """Peak extra resident memory (MB) of W4 for one subject, in a fresh process."""
    # /proc/self/clear_refs resets the peak (VmHWM) after imports and input creation
    code = (
        "import sys; sys.argv=['x'];"
        "from benchmarks.__main__ import _setup; _setup();"
        "from benchmarks.subjects import prepare; from benchmarks.workloads import WORKLOADS;"
        f"w = WORKLOADS['W4']; c, p = w.make_inputs({quick});"
        f"fn = prepare({subject!r}, w, c, p);"
        "import gc; gc.collect();"
        "status = lambda key: [int(l.split()[1]) for l in open('/proc/self/status')"
        " if l.startswith(key)][0] / 1e3;"
        "open('/proc/self/clear_refs', 'w').write('5');"
        "rss = status('VmRSS:'); fn();"
        "print(status('VmHWM:') - rss + p[0].nbytes / 1e6)"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True
        )
        return float(out.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError):
        return None


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, few rounds")
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--subjects", default=",".join(SUBJECTS))
    parser.add_argument("--rounds", type=int, default=None)
    parser.add_argument("--write", action="store_true", help="update benchmarks/README.md")
    args = parser.parse_args(argv)
    _setup()
    subjects = args.subjects.split(",")
    rounds = args.rounds or (3 if args.quick else 7)
    results = {}
    for name in args.workloads.split(","):
        print(f"{name}: {WORKLOADS[name].title}", flush=True)
        results[name] = run_workload(name, subjects, args.quick, rounds)
        for subject, row in results[name].items():
            print(f"  {subject:18s} {_cell(name, row)}", flush=True)
    if "W4" in results:
        for subject in subjects:
            if "seconds" in results["W4"].get(subject, {}):
                results["W4"][subject]["peak_mb"] = peak_memory(subject, args.quick)
    from .report import render

    table = render(results, subjects, args.quick)
    print(table)
    if args.write:
        from .report import write_readme

        write_readme(table)


def _cell(name: str, row: dict[str, Any]) -> str:
    if "error" in row:
        return "n/a (" + row["error"] + ")"
    if name == "W1":
        return f"{row['us_per_op']:.2f} us/op"
    ratio = row.get("ratio")
    text = f"{ratio:.2f}x" if ratio is not None else f"{row['seconds'] * 1e3:.2f} ms"
    if row.get("peak_mb") is not None:
        text += f" ({row['peak_mb']:.0f} MB)"
    return text


if __name__ == "__main__":
    main()
