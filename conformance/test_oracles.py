"""The suite's own machinery (run in ``make test``): finite differences agree with torch
where both exist, a wrong gradient is caught, and the report is written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

pytest.importorskip("torch")

from conformance import finite_diff, report  # noqa: E402
from conformance.autodiff import directions  # noqa: E402
from conformance.check import check_entry, entry_samples, reference  # noqa: E402
from conformance.compare import compare_arrays, max_error  # noqa: E402
from conformance.ops import ENTRIES, OpEntry  # noqa: E402
from conformance.runner import run, select_entries  # noqa: E402
from conformance.samples import Sample, fixed  # noqa: E402


@pytest.mark.parametrize("entry_id", ["sin", "matmul", "logsumexp", "divide"])
def test_finite_differences_agree_with_torch(entry_id: str) -> None:
    entry = ENTRIES[entry_id]
    sample = entry_samples(entry, "float64")[0]
    want = reference(entry, sample, seed=3)
    leaf_shapes = [np.shape(sample.args[i]) for i in sample.grad_indices()]
    cot, vs = directions(sample, want.run.outputs, leaf_shapes, 3)
    fd = finite_diff.oracle(entry.resolve_pg(), None, sample, cot, vs, second_order=True)
    for got, expected in zip(fd.grads, want.run.grads):
        assert expected is not None
        assert compare_arrays("vjp", "fd", got[0], expected[0], 1e-5, 1e-6) is None
    for got2, expected2 in zip(fd.second or [], want.run.second or []):
        assert compare_arrays("2nd", "fd", got2, expected2, 1e-5, 1e-6) is None


def _wrong_exp(lib_name: str) -> Any:
    def call(x: Any) -> Any:
        import polygrad as pg

        class BadExp(pg.autograd.Function):
            @staticmethod
            def forward(ctx: Any, a: Any) -> Any:
                out = pg.exp(a)
                ctx.save_for_backward(out)
                return out

            @staticmethod
            def backward(ctx: Any, g: Any) -> Any:
                (out,) = ctx.saved_tensors
                return g * out * 1.01  # 1% too large

        return BadExp.apply(x)

    return call


def test_a_wrong_gradient_fails_against_both_oracles() -> None:
    samples = fixed(lambda m: Sample((m(3, 4),), label="3x4"))
    for torch_fn in ("exp", None):
        entry = OpEntry(
            "bad_exp",
            _wrong_exp("polygrad"),
            torch_fn,
            samples,
            reference=lambda x: np.exp(x),
            second_order=False,
        )
        (result,) = check_entry(entry, "float64", "numpy", {})
        assert result.status == "fail"
        assert result.mismatches[0].stage == "vjp"
        assert result.max_err > 1e-3


def test_max_error_treats_matching_non_finite_values_as_equal() -> None:
    a = np.array([1.0, np.nan, np.inf, 2.0])
    assert max_error(a, np.array([1.0, np.nan, np.inf, 2.5])) == 0.5
    assert max_error(a, np.array([1.0, 0.0, np.inf, 2.0])) == float("inf")


def test_report_files(tmp_path: Path) -> None:
    results = run(
        ["numpy"],
        select_entries(["exp", "Tensor.sum"]),
        ("float64",),
        first_only=True,
        progress=False,
        graphs=False,
        scenarios=False,
    )
    assert results.ops["exp"]["numpy"].status == "pass"
    md, js = report.write(results, tmp_path / "r.md")
    text = md.read_text()
    assert "| `exp` | pass |" in text and "## Summary" in text
    data = json.loads(js.read_text())
    assert data["ops"]["Tensor.sum"]["numpy"]["status"] == "pass"
    assert sorted(data["ops"]) == ["Tensor.sum", "exp", "exp[complex]"]  # variants included
    assert data["summary"][0]["ops"]["pass"] == 3
