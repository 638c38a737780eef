"""Test inputs for the op table: shapes, domains and the awkward cases.

A ``Sample`` is one call of an op: positional ``args`` (NumPy arrays become
tensors, anything else is passed as is) and ``kwargs``. Generators build the
usual families from a ``Maker`` (a seeded RNG plus the dtype under test):
0-d inputs, empty inputs, broadcasting pairs, keepdims, negative axes,
non-contiguous (transposed) inputs and repeated indices, with values drawn from
the op's domain (``"positive"`` for log, ``"unit"`` for asin...).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Sample:
    """One call of an op under test."""

    args: tuple[Any, ...]
    kwargs: dict[str, Any] = field(default_factory=dict)
    label: str = ""
    #: indices of array args that require grad; None: every floating-point array
    grad: tuple[int, ...] | None = None
    #: indices of array args passed as transposed (non-contiguous) views
    noncontiguous: tuple[int, ...] = ()

    def grad_indices(self) -> tuple[int, ...]:
        if self.grad is not None:
            return self.grad
        return tuple(
            i for i, a in enumerate(self.args) if isinstance(a, np.ndarray) and a.dtype.kind in "fc"
        )


#: name -> (low, high, sign-flip); values are drawn uniformly, optionally with random sign
DOMAINS: dict[str, tuple[float, float, bool]] = {
    "real": (-2.0, 2.0, False),
    "positive": (0.5, 2.5, False),
    "nonzero": (0.5, 2.0, True),  # away from 0, either sign
    "unit": (-0.9, 0.9, False),  # inside (-1, 1): asin, atanh
    "open01": (0.05, 0.95, False),  # inside (0, 1): logit, ndtri
    "above1": (1.1, 3.0, False),  # acosh
    "small": (-0.5, 0.5, False),
    "large": (2.0, 5.0, True),  # |x| > 1, away from kinks at +-1
}


class Maker:
    """Draws arrays of the dtype under test from a seeded generator."""

    def __init__(self, seed: int, dtype: str) -> None:
        self.rng = np.random.default_rng(seed)
        self.dtype = np.dtype(dtype)

    def __call__(self, *shape: int, domain: str = "real") -> np.ndarray:
        low, high, signed = DOMAINS[domain]
        values = self.rng.uniform(low, high, size=shape)
        if signed:
            values *= self.rng.choice([-1.0, 1.0], size=shape)
        return np.asarray(values, dtype=self.dtype)

    def distinct(self, *shape: int, domain: str = "real") -> np.ndarray:
        """Values with no ties (so max/sort/median have one derivative)."""
        n = int(np.prod(shape)) if shape else 1
        low, high, _ = DOMAINS[domain]
        values = np.linspace(low, high, n) + self.rng.uniform(0, 0.1 * (high - low) / max(n, 1), n)
        self.rng.shuffle(values)
        return np.asarray(values.reshape(shape), dtype=self.dtype)

    def ints(self, *shape: int, high: int) -> np.ndarray:
        return self.rng.integers(0, high, size=shape).astype(np.int64)

    def mask(self, *shape: int) -> np.ndarray:
        return self.rng.random(shape) < 0.5

    def spd(self, n: int, batch: tuple[int, ...] = ()) -> np.ndarray:
        """Symmetric positive definite matrices (Cholesky, solve, eigh...)."""
        a = self.rng.uniform(-1, 1, size=(*batch, n, n))
        return np.asarray(a @ np.swapaxes(a, -1, -2) + n * np.eye(n), dtype=self.dtype)

    def wellcond(self, *shape: int) -> np.ndarray:
        """Square (batches of) matrices with a safe condition number (inv, det...)."""
        n = shape[-1]
        a = self.rng.uniform(-0.5, 0.5, size=shape) + 2.0 * np.eye(n)
        return np.asarray(a, dtype=self.dtype)


SampleFn = Callable[[Maker], list[Sample]]


def unary(domain: str = "real", *, zero_d: bool = True, empty: bool = True) -> SampleFn:
    """Elementwise one-argument ops: 2-D, 0-d, 1-D, empty, 3-D and transposed inputs."""

    def samples(m: Maker) -> list[Sample]:
        out = [Sample((m(3, 4, domain=domain),), label="3x4")]
        if zero_d:
            out.append(Sample((m(domain=domain),), label="0-d"))
        out.append(Sample((m(5, domain=domain),), label="1-d"))
        if empty:
            out.append(Sample((m(0, 3, domain=domain),), label="empty"))
        out.append(Sample((m(2, 3, 2, domain=domain),), label="3-d"))
        out.append(Sample((m(4, 3, domain=domain),), label="transposed", noncontiguous=(0,)))
        return out

    return samples


def binary(
    domain_a: str = "real",
    domain_b: str = "real",
    *,
    scalars: bool = True,
    scalar_value: float = 1.5,
) -> SampleFn:
    """Elementwise two-argument ops: same shape, broadcasting both ways, 0-d, empty,
    transposed, and a Python number on either side."""

    def samples(m: Maker) -> list[Sample]:
        a, b = domain_a, domain_b
        out = [
            Sample((m(3, 4, domain=a), m(3, 4, domain=b)), label="same shape"),
            Sample((m(3, 1, domain=a), m(1, 4, domain=b)), label="broadcast (3,1)(1,4)"),
            Sample((m(4, domain=a), m(2, 3, 4, domain=b)), label="broadcast (4,)(2,3,4)"),
            Sample((m(domain=a), m(2, 3, domain=b)), label="0-d with 2-d"),
            Sample((m(domain=a), m(domain=b)), label="0-d"),
            Sample((m(0, 3, domain=a), m(1, 3, domain=b)), label="empty"),
            Sample(
                (m(4, 3, domain=a), m(4, 3, domain=b)), label="transposed", noncontiguous=(0, 1)
            ),
        ]
        if scalars:
            out.append(Sample((m(3, 4, domain=a), scalar_value), label="python scalar right"))
            out.append(Sample((scalar_value, m(3, 4, domain=b)), label="python scalar left"))
        return out

    return samples


def reduction(
    domain: str = "real",
    *,
    empty: bool = True,
    tuple_axis: bool = True,
    distinct: bool = False,
    axis_none: bool = True,
) -> SampleFn:
    """Reductions (array-API keywords): all axes, one axis, negative axis, keepdims,
    a tuple of axes, 0-d, empty and transposed inputs."""

    def samples(m: Maker) -> list[Sample]:
        make = m.distinct if distinct else m
        out = []
        if axis_none:
            out.append(Sample((make(3, 4, domain=domain),), label="all axes"))
            out.append(Sample((make(domain=domain),), label="0-d"))
        out += [
            Sample((make(3, 4, domain=domain),), {"axis": 1}, label="axis=1"),
            Sample((make(2, 3, 4, domain=domain),), {"axis": -1}, label="axis=-1"),
            Sample(
                (make(3, 4, domain=domain),), {"axis": 0, "keepdims": True}, label="axis=0 keepdims"
            ),
            Sample(
                (make(4, 3, domain=domain),), {"axis": 1}, label="transposed", noncontiguous=(0,)
            ),
        ]
        if tuple_axis:
            out.append(
                Sample((make(2, 3, 4, domain=domain),), {"axis": (0, 2)}, label="axis=(0,2)")
            )
            out.append(
                Sample(
                    (make(2, 3, 4, domain=domain),),
                    {"axis": (-1, 0), "keepdims": True},
                    label="axis=(-1,0) keepdims",
                )
            )
        if empty:
            out.append(Sample((make(0, 3, domain=domain),), {"axis": 1}, label="empty"))
        return out

    return samples


def torch_reduction(
    domain: str = "real",
    *,
    empty: bool = True,
    tuple_dim: bool = True,
    distinct: bool = False,
    dim_none: bool = True,
) -> SampleFn:
    """The same cases with torch's method keywords (``dim``, ``keepdim``)."""
    array_api = reduction(
        domain, empty=empty, tuple_axis=tuple_dim, distinct=distinct, axis_none=dim_none
    )

    def samples(m: Maker) -> list[Sample]:
        out = []
        for s in array_api(m):
            kwargs = {}
            if "axis" in s.kwargs:
                kwargs["dim"] = s.kwargs["axis"]
            if "keepdims" in s.kwargs:
                kwargs["keepdim"] = s.kwargs["keepdims"]
            out.append(Sample(s.args, kwargs, s.label, s.grad, s.noncontiguous))
        return out

    return samples


def along_axis(domain: str = "real", *, distinct: bool = False, key: str = "axis") -> SampleFn:
    """Ops along one axis (softmax, cumsum, sort): last, first, negative, 1-d, transposed."""

    def samples(m: Maker) -> list[Sample]:
        make = m.distinct if distinct else m
        return [
            Sample((make(3, 4, domain=domain),), {key: 1}, label=f"{key}=1"),
            Sample((make(3, 4, domain=domain),), {key: 0}, label=f"{key}=0"),
            Sample((make(2, 3, 4, domain=domain),), {key: -2}, label=f"{key}=-2"),
            Sample((make(5, domain=domain),), {key: 0}, label="1-d"),
            Sample((make(4, 3, domain=domain),), {key: -1}, label="transposed", noncontiguous=(0,)),
        ]

    return samples


_COMPLEX = {"float64": np.complex128, "float32": np.complex64}


def complexify(samples: SampleFn) -> SampleFn:
    """The same samples with complex inputs (complex128 for float64, complex64 for
    float32): each floating array gets a random imaginary part."""

    def make(m: Maker) -> list[Sample]:
        out = []
        for s in samples(m):
            args = tuple(
                np.asarray(a + 1j * m(*a.shape), dtype=_COMPLEX[a.dtype.name])
                if isinstance(a, np.ndarray) and a.dtype.kind == "f"
                else a
                for a in s.args
            )
            out.append(Sample(args, s.kwargs, s.label + " (complex)", s.grad, s.noncontiguous))
        return out

    return make


def fixed(*cases: Callable[[Maker], Sample]) -> SampleFn:
    """Samples written out one by one: ``fixed(lambda m: Sample(...), ...)``."""

    def samples(m: Maker) -> list[Sample]:
        return [case(m) for case in cases]

    return samples
