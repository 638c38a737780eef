"""Every op-table entry against torch.autograd, small enough for ``make test``: the first
sample of each entry, float64 on NumPy and array-api-strict, float32 on NumPy. The full
sweep (every sample, every backend) is ``python -m conformance``."""

from __future__ import annotations

from typing import Any

import pytest

pytest.importorskip("torch")

from conformance.check import check_entry  # noqa: E402
from conformance.in_pytest import judge, require  # noqa: E402
from conformance.ops import ENTRIES  # noqa: E402

#: (backend, dtype) pairs run inside ``make test``
QUICK = (("numpy", "float64"), ("array_api_strict", "float64"), ("numpy", "float32"))
_ORACLE_CACHE: dict[Any, Any] = {}


@pytest.mark.parametrize(("backend", "dtype"), QUICK, ids=[f"{b}-{d}" for b, d in QUICK])
@pytest.mark.parametrize("entry_id", list(ENTRIES))
def test_entry_matches_torch(entry_id: str, backend: str, dtype: str) -> None:
    require(backend)
    entry = ENTRIES[entry_id]
    if dtype not in entry.dtypes:
        pytest.skip(f"{entry_id} is not checked in {dtype}")
    results = check_entry(entry, dtype, backend, _ORACLE_CACHE, first_only=True)
    if all(r.status == "absent" for r in results):
        pytest.skip(results[0].message)
    bad = [r.describe() for r in results if r.status in ("fail", "error")]
    judge(backend, entry_id, "\n" + "\n".join(bad) if bad else None)
