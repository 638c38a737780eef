"""A gradient over data larger than the cluster's memory: ``python -m benchmarks.distributed``.

A ``dask.distributed`` LocalCluster of 2 worker processes (1 thread each, 1 GB memory limit
each, spilling to disk allowed) computes the loss ``mean((X @ w - y)**2)`` and its gradient
with respect to ``w`` for ``X`` of 3 GB (float64, generated on the workers chunk by chunk,
never on the client), twice, interleaved:

- ``dask-manual``: the gradient written by hand in Dask, ``2 X^T (X w - y) / n``;
- ``polygrad-dask``: ``pg.autograd.grad`` of the same loss on polygrad's Dask backend.

Both graphs stream: each chunk of ``X`` is made, used by the forward and the backward, and
dropped. A thread samples every worker's resident memory while they run; the report gives
seconds (median), the ratio of polygrad to the hand-written graph, and the peak resident
memory of each worker against its limit.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from typing import Any

import numpy as np


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


class MemoryWatch:
    """Peak resident memory per worker, sampled every ``interval`` seconds."""

    def __init__(self, client: Any, interval: float = 0.2) -> None:
        self.client, self.interval = client, interval
        self.peak: dict[str, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                for worker, rss in self.client.run(_rss).items():
                    self.peak[worker] = max(self.peak.get(worker, 0), rss)
            except Exception:  # a worker restarting: the run reports it as a failure
                pass
            self._stop.wait(self.interval)

    def __enter__(self) -> MemoryWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


def _problem(gigabytes: float, features: int, chunks: int) -> tuple[Any, Any, np.ndarray]:
    import dask.array as da

    rows = int(gigabytes * 1e9 / 8 / features)
    chunk_rows = -(-rows // chunks)
    X = da.random.default_rng(0).standard_normal((rows, features), chunks=(chunk_rows, features))
    y = da.random.default_rng(1).standard_normal((rows,), chunks=(chunk_rows,))
    w = np.random.default_rng(2).standard_normal(features) / features
    return X, y, w


def dask_manual(X: Any, y: Any, w: np.ndarray) -> tuple[Any, Any]:
    import dask

    r = X @ w - y
    return dask.compute(r @ r / X.shape[0], X.T @ r * (2 / X.shape[0]))


def polygrad_dask(X: Any, y: Any, w: np.ndarray) -> tuple[Any, Any]:
    import dask
    import dask.array as da

    import polygrad as pg

    wt = pg.tensor(da.from_array(w), requires_grad=True)
    loss = pg.mean((pg.tensor(X) @ wt - pg.tensor(y)) ** 2)
    (grad,) = pg.autograd.grad(loss, wt)
    return dask.compute(loss._data, grad._data)


SUBJECTS = {"dask-manual": dask_manual, "polygrad-dask": polygrad_dask}


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.distributed", description=__doc__)
    parser.add_argument("--gigabytes", type=float, default=3.0, help="size of X (default 3)")
    parser.add_argument("--worker-memory", default="1GB", help="limit per worker (default 1GB)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--features", type=int, default=100)
    parser.add_argument("--chunks", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)

    from dask.distributed import Client, LocalCluster
    from dask.utils import parse_bytes

    limit = parse_bytes(args.worker_memory)
    cluster = LocalCluster(
        n_workers=args.workers,
        threads_per_worker=1,
        processes=True,
        memory_limit=limit,
        dashboard_address=None,
    )
    client = Client(cluster)
    X, y, w = _problem(args.gigabytes, args.features, args.chunks)
    print(
        f"X: {X.shape[0]:,} x {X.shape[1]} float64 = {X.nbytes / 1e9:.1f} GB in {X.numblocks[0]} "
        f"chunks; {args.workers} workers x {args.worker_memory}"
    )
    times: dict[str, list[float]] = {name: [] for name in SUBJECTS}
    results: dict[str, Any] = {}
    try:
        with MemoryWatch(client) as watch:
            for _ in range(args.rounds):
                for name, run in SUBJECTS.items():
                    start = time.perf_counter()
                    results[name] = run(X, y, w)
                    times[name].append(time.perf_counter() - start)
        (loss, grad), (ref_loss, ref_grad) = results["polygrad-dask"], results["dask-manual"]
        if not (np.isclose(loss, ref_loss) and np.allclose(grad, ref_grad)):
            raise AssertionError("polygrad's loss or gradient differs from the hand-written one")
    finally:
        client.close()
        cluster.close()
    base = statistics.median(times["dask-manual"])
    peak = max(watch.peak.values()) if watch.peak else float("nan")
    rows = {
        name: {"seconds": statistics.median(t), "ratio": statistics.median(t) / base}
        for name, t in times.items()
    }
    for name, row in rows.items():
        print(f"  {name:14s} {row['seconds']:6.1f} s  {row['ratio']:.2f}x")
    print(
        f"  peak worker memory {peak / 1e9:.2f} GB of {limit / 1e9:.2f} GB "
        f"({'within' if peak <= limit else 'OVER'} the limit)"
    )
    rows["peak_worker_bytes"] = peak
    rows["limit_bytes"] = limit
    return rows


if __name__ == "__main__":
    main()
