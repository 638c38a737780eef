"""Comparing two results: values within tolerance (NaN equals NaN, inf equals inf of
the same sign), shapes and dtypes exactly; the worst error is kept for the report."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Mismatch:
    """Why a check failed: the stage (``forward``, ``vjp``, ``2nd order``...), what
    differed, and the largest absolute error where values were compared."""

    stage: str
    message: str
    max_err: float = float("nan")

    def __str__(self) -> str:
        return f"{self.stage}: {self.message}"


def max_error(actual: np.ndarray, expected: np.ndarray) -> float:
    """Largest |actual - expected| where both are finite; inf where they disagree on
    non-finite entries."""
    a = np.asarray(actual, dtype=np.complex128 if np.iscomplexobj(actual) else np.float64)
    e = np.asarray(expected, dtype=a.dtype)
    if a.size == 0:
        return 0.0
    both_nan = np.isnan(a) & np.isnan(e)
    same_inf = np.isinf(a) & np.isinf(e) & (a == e)
    finite = np.isfinite(a) & np.isfinite(e)
    if np.any(~(both_nan | same_inf | finite)):
        return float("inf")
    if not np.any(finite):
        return 0.0
    return float(np.max(np.abs(a[finite] - e[finite])))


def close(actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float) -> bool:
    a = np.asarray(actual)
    e = np.asarray(expected)
    if a.dtype.kind == "b" or e.dtype.kind == "b":
        return bool(np.array_equal(a, e))
    return bool(
        np.allclose(
            a.astype(np.complex128 if np.iscomplexobj(a) else np.float64),
            e.astype(np.complex128 if np.iscomplexobj(e) else np.float64),
            rtol=rtol,
            atol=atol,
            equal_nan=True,
        )
    )


def compare_arrays(
    stage: str, what: str, actual: np.ndarray, expected: np.ndarray, rtol: float, atol: float
) -> Mismatch | None:
    """None when ``actual`` matches ``expected`` in shape and values."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    if actual.shape != expected.shape:
        return Mismatch(stage, f"{what} has shape {actual.shape}, torch {expected.shape}")
    if not close(actual, expected, rtol, atol):
        err = max_error(actual, expected)
        return Mismatch(stage, f"{what} differs by {err:.3g} (rtol={rtol:g}, atol={atol:g})", err)
    return None
