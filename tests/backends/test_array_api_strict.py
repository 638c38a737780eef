"""The array-api-strict adapter fills the standard's gaps with standard functions: its
scatter-add (a one-hot matrix, or past ``ONE_HOT_LIMIT`` a sort and a running sum) adds
repeated targets up as NumPy's ``np.add.at`` does."""

from __future__ import annotations

import numpy as np
import pytest

xp = pytest.importorskip("array_api_strict")

from polygrad.backends import array_api_strict as strict  # noqa: E402


@pytest.mark.parametrize("limit", [strict.ONE_HOT_LIMIT, 0], ids=["one-hot", "sorted"])
@pytest.mark.parametrize("dtype", ["float64", "complex128", "int64"])
def test_scatter_add_adds_repeated_targets(
    limit: int, dtype: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(strict, "ONE_HOT_LIMIT", limit)
    rng = np.random.default_rng(0)
    rows, cols = rng.integers(0, 5, 60), rng.integers(-7, 7, 60)
    values = (rng.standard_normal(60) * 10).astype(dtype)
    if dtype == "complex128":
        values = values + 1j * rng.standard_normal(60)
    expected = np.zeros((5, 7), dtype)
    np.add.at(expected, (rows, cols), values)
    key = (xp.asarray(rows), xp.asarray(cols))
    got = strict.backend.scatter_add((5, 7), None, key, xp.asarray(values))
    np.testing.assert_allclose(np.asarray(got), expected, rtol=1e-13, atol=1e-12)
