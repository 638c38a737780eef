"""Checking one op entry on one backend against its oracle, sample by sample.

``check_entry`` runs every sample of an entry in one dtype on one backend and
compares polygrad with torch.autograd (or finite differences where torch has no
counterpart): forward values, shapes, dtypes and ``requires_grad``; the VJP's
values, shapes and dtypes; the second-order product. The oracle's runs are
cached, so each backend is compared with the very same reference numbers.
"""

from __future__ import annotations

import traceback
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import finite_diff
from .autodiff import Library, Run, directions, run
from .backends import leaf, torch_leaf
from .compare import Mismatch, compare_arrays
from .ops import OpEntry
from .ops._entry import Absent
from .samples import Maker, Sample

#: finite differences are good to about this much in float64
FD_TOLERANCE = (1e-5, 1e-6)


@dataclass
class SampleResult:
    sample: str
    dtype: str
    status: str  # pass | fail | error | absent
    mismatches: list[Mismatch] = field(default_factory=list)
    message: str = ""

    @property
    def max_err(self) -> float:
        errs = [m.max_err for m in self.mismatches if not np.isnan(m.max_err)]
        return max(errs) if errs else float("nan")

    def describe(self) -> str:
        head = f"[{self.dtype}/{self.sample}]"
        if self.status == "fail":
            return f"{head} " + "; ".join(str(m) for m in self.mismatches)
        return f"{head} {self.message}"


@dataclass
class Reference:
    run: Run
    cotangents: list[np.ndarray]
    vs: list[np.ndarray]
    oracle: str  # "torch" or "finite differences"


def entry_samples(entry: OpEntry, dtype: str) -> list[Sample]:
    """The entry's samples in ``dtype``: the same arrays on every backend."""
    seed = zlib.crc32(f"{entry.id}/{dtype}".encode())
    return entry.samples(Maker(seed, dtype))


def torch_library() -> Library:
    import torch

    return Library(
        torch,
        lambda a, rg, nc: torch_leaf(torch, a, rg, nc),
        lambda a: torch.from_numpy(np.array(a, copy=True)),
    )


def polygrad_library(backend: str) -> Library:
    import polygrad as pg

    return Library(
        pg, lambda a, rg, nc: leaf(pg, a, backend, rg, nc), lambda a: pg.tensor(a, backend=backend)
    )


def reference(entry: OpEntry, sample: Sample, seed: int) -> Reference:
    """The oracle's outputs, gradients and second-order products for one sample."""
    leaf_shapes = [np.shape(sample.args[i]) for i in sample.grad_indices()]
    fn = entry.resolve_torch()
    if fn is None:
        pg_fn = entry.resolve_pg()
        first = finite_diff.oracle(pg_fn, entry.reference, sample, None, None, False)
        cot, vs = directions(sample, first.outputs, leaf_shapes, seed)
        full = finite_diff.oracle(pg_fn, entry.reference, sample, cot, vs, entry.second_order)
        return Reference(full, cot, vs, "finite differences")
    lib = torch_library()
    first, _ = run(lib, fn, sample, None, None, False)
    cot, vs = directions(sample, first.outputs, leaf_shapes, seed)
    full, _ = run(lib, fn, sample, cot, vs, entry.second_order)
    return Reference(full, cot, vs, "torch")


def compare_runs(
    got: Run, want: Reference, tol: tuple[float, float], leaf_shapes: list[tuple[int, ...]]
) -> list[Mismatch]:
    """Every difference between polygrad's run and the oracle's."""
    rtol, atol = tol
    if want.oracle != "torch":
        rtol, atol = max(rtol, FD_TOLERANCE[0]), max(atol, FD_TOLERANCE[1])
    ref = want.run
    problems: list[Mismatch] = []
    if len(got.outputs) != len(ref.outputs):
        return [
            Mismatch("forward", f"{len(got.outputs)} outputs, {want.oracle} {len(ref.outputs)}")
        ]
    for k, (g, r) in enumerate(zip(got.outputs, ref.outputs)):
        what = f"output {k}"
        if g.dtype != r.dtype:
            problems.append(Mismatch("dtype", f"{what} is {g.dtype}, {want.oracle} {r.dtype}"))
        if g.requires_grad != r.requires_grad:
            problems.append(
                Mismatch(
                    "requires_grad",
                    f"{what} requires_grad={g.requires_grad}, {want.oracle} {r.requires_grad}",
                )
            )
        bad = compare_arrays("forward", what, g.value, r.value, rtol, atol)
        if bad:
            problems.append(bad)
    if problems:
        return problems
    if ref.grad_error or got.grad_error:
        if got.grad_error != ref.grad_error:
            problems.append(
                Mismatch(
                    "vjp",
                    f"raised {got.grad_error or 'nothing'}, "
                    f"{want.oracle} {ref.grad_error or 'nothing'}",
                )
            )
        return problems
    if not ref.grads:
        return problems
    for k, (g, r, shape) in enumerate(zip(got.grads, ref.grads, leaf_shapes)):
        what = f"grad of input {k}"
        if g is not None and r is not None and g[1] != r[1]:
            problems.append(Mismatch("grad dtype", f"{what} is {g[1]}, {want.oracle} {r[1]}"))
        if g is not None and np.shape(g[0]) != tuple(shape):
            problems.append(
                Mismatch("grad shape", f"{what} has shape {np.shape(g[0])}, input {tuple(shape)}")
            )
            continue
        actual = np.zeros(shape) if g is None else g[0]
        expected = np.zeros(shape) if r is None else r[0]
        bad = compare_arrays("vjp", what, actual, expected, rtol, atol)
        if bad:
            problems.append(bad)
    if problems or ref.second is None or ref.second_error:
        return problems
    if got.second_error or got.second is None:
        problems.append(Mismatch("2nd order", f"raised {got.second_error or 'nothing'}"))
        return problems
    for k, (g2, r2, shape) in enumerate(zip(got.second, ref.second, leaf_shapes)):
        actual = np.zeros(shape) if g2 is None else g2
        expected = np.zeros(shape) if r2 is None else r2
        bad = compare_arrays(
            "2nd order", f"grad of <grad, v> for input {k}", actual, expected, rtol, atol
        )
        if bad:
            problems.append(bad)
    return problems


def _error_text(error: BaseException) -> str:
    frames = traceback.extract_tb(error.__traceback__)
    where = next(
        (
            f"{f.filename.rsplit('/', 2)[-2]}/{f.filename.rsplit('/', 1)[-1]}:{f.lineno}"
            for f in reversed(frames)
            if "/polygrad/" in f.filename or "/backends/" in f.filename
        ),
        "",
    )
    first = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {first}" + (f" (at {where})" if where else "")


def _missing_in_entry(error: AttributeError) -> bool:
    """An entry's own code looked up a polygrad function or method that does not exist
    (yet): the innermost frame is the op table's, not polygrad's."""
    frames = traceback.extract_tb(error.__traceback__)
    return bool(frames) and "/conformance/ops/" in frames[-1].filename


def check_sample(
    entry: OpEntry, sample: Sample, dtype: str, backend: str, index: int, cache: dict[Any, Any]
) -> SampleResult:
    """One sample of ``entry`` on ``backend``: pass, fail (with mismatches), error or absent."""
    label = sample.label or f"#{index}"
    key = (entry.id, dtype, index)
    seed = zlib.crc32(f"{entry.id}/{dtype}/{index}".encode())
    if key not in cache:
        try:
            cache[key] = reference(entry, sample, seed)
        except Absent as missing:
            cache[key] = missing
        except Exception as error:  # noqa: BLE001 - a broken sample is reported, not raised
            cache[key] = RuntimeError(f"oracle failed: {_error_text(error)}")
    want = cache[key]
    if isinstance(want, Absent):
        return SampleResult(label, dtype, "absent", message=str(want))
    if isinstance(want, Exception):
        return SampleResult(label, dtype, "error", message=str(want))
    try:
        fn = entry.resolve_pg()
        got, _ = run(
            polygrad_library(backend),
            fn,
            sample,
            want.cotangents,
            want.vs,
            entry.second_order and not want.run.second_error,
        )
    except Absent as missing:
        return SampleResult(label, dtype, "absent", message=str(missing))
    except AttributeError as error:
        if _missing_in_entry(error):
            return SampleResult(label, dtype, "absent", message=str(error))
        return SampleResult(label, dtype, "error", message=_error_text(error))
    except Exception as error:  # noqa: BLE001 - polygrad's failures are the findings
        return SampleResult(label, dtype, "error", message=_error_text(error))
    leaf_shapes = [np.shape(sample.args[i]) for i in sample.grad_indices()]
    problems = compare_runs(got, want, entry.tolerance(dtype), leaf_shapes)
    note = want.run.second_error and f"2nd order not checked: torch: {want.run.second_error}"
    return SampleResult(label, dtype, "fail" if problems else "pass", problems, note)


def check_entry(
    entry: OpEntry, dtype: str, backend: str, cache: dict[Any, Any], first_only: bool = False
) -> list[SampleResult]:
    samples = entry_samples(entry, dtype)
    if first_only:
        samples = samples[:1]
    return [check_sample(entry, s, dtype, backend, i, cache) for i, s in enumerate(samples)]
