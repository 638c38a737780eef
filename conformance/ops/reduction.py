"""Op table: reductions, scans and the softmax family (array-API keywords: ``axis``,
``keepdims``, ``correction``), compared with torch's ``dim``/``keepdim`` forms."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..samples import Maker, Sample, along_axis, fixed, reduction
from ._entry import function, program


def _dims(x: Any, axis: Any) -> tuple[int, ...]:
    if axis is None:
        return tuple(range(x.ndim))
    return (axis,) if isinstance(axis, int) else tuple(axis)


def _torch_reduce(name: str, **defaults: Any) -> Any:
    """``torch.<name>`` with array-API keywords (``defaults``: where the standard's
    default differs from torch's, e.g. ``correction=0``)."""

    def call(x: Any, axis: Any = None, keepdims: bool = False, **kwargs: Any) -> Any:
        import torch

        return getattr(torch, name)(
            x, dim=_dims(x, axis), keepdim=keepdims, **{**defaults, **kwargs}
        )

    return call


def _torch_one_axis_at_a_time(name: str) -> Any:
    """torch's ``prod`` reduces one dim per call: reduce each, then drop them."""

    def call(x: Any, axis: Any = None, keepdims: bool = False) -> Any:
        import torch

        dims = sorted((d % x.ndim for d in _dims(x, axis)), reverse=True) if x.ndim else []
        out = x
        for d in dims:
            out = getattr(torch, name)(out, dim=d, keepdim=True)
        if not keepdims and dims:
            out = out.reshape([n for i, n in enumerate(x.shape) if i not in dims])
        return out

    return call


def _with_zeros(m: Maker) -> Sample:
    x = m(3, 4, domain="nonzero")
    x[0, 1] = 0.0
    x[2, 0] = x[2, 3] = 0.0
    return Sample((x,), {"axis": 1}, label="zeros (one, two in a row)")


def _prod_samples(m: Maker) -> list[Sample]:
    return reduction("nonzero")(m) + [_with_zeros(m)]


def _var_samples(m: Maker) -> list[Sample]:
    out = reduction()(m)
    out.append(Sample((m(3, 4),), {"axis": 1, "correction": 1}, label="correction=1"))
    out.append(
        Sample(
            (m(2, 3, 4),),
            {"axis": (0, 2), "correction": 1, "keepdims": True},
            label="correction=1 tuple axis keepdims",
        )
    )
    return out


function("sum", _torch_reduce("sum"), reduction())
program(
    "sum[dtype=float64]",
    lambda x: __import__("polygrad").sum(x, axis=1, dtype=__import__("polygrad").float64),
    lambda x: __import__("torch").sum(x, dim=1, dtype=__import__("torch").float64),
    fixed(lambda m: Sample((m(3, 4),), label="3x4")),
    covers=("sum",),
)
function("prod", _torch_one_axis_at_a_time("prod"), _prod_samples)
function("mean", _torch_reduce("mean"), reduction())
function("var", _torch_reduce("var", correction=0), _var_samples)
function("std", _torch_reduce("std", correction=0), _var_samples)
function("max", _torch_reduce("amax"), reduction(distinct=True, empty=False))
function("min", _torch_reduce("amin"), reduction(distinct=True, empty=False))
function("logsumexp", _torch_reduce("logsumexp"), reduction())


def _torch_softmax(name: str) -> Any:
    def call(x: Any, axis: int) -> Any:
        import torch

        return getattr(torch, name)(x, dim=axis)

    return call


function("softmax", _torch_softmax("softmax"), along_axis())
function("log_softmax", _torch_softmax("log_softmax"), along_axis())


def _torch_scan(name: str) -> Any:
    def call(x: Any, axis: int | None = None, include_initial: bool = False) -> Any:
        import torch

        dim = 0 if axis is None else axis
        out = getattr(torch, name)(x, dim=dim)
        if include_initial:
            shape = list(x.shape)
            shape[dim] = 1
            start = torch.zeros if name == "cumsum" else torch.ones
            out = torch.cat([start(shape, dtype=x.dtype), out], dim=dim)
        return out

    return call


def _scan_samples(m: Maker) -> list[Sample]:
    return along_axis()(m) + [
        Sample((m(4),), label="1-d, axis omitted"),
        Sample((m(3, 4),), {"axis": 1, "include_initial": True}, label="include_initial"),
        Sample((m(0, 3),), {"axis": 0}, label="empty"),
    ]


function("cumulative_sum", _torch_scan("cumsum"), _scan_samples)
function("cumulative_prod", _torch_scan("cumprod"), _scan_samples)


def _torch_diff(x: Any, axis: int = -1, n: int = 1, prepend: Any = None, append: Any = None) -> Any:
    import torch

    return torch.diff(x, n=n, dim=axis, prepend=prepend, append=append)


function(
    "diff",
    _torch_diff,
    fixed(
        lambda m: Sample((m(3, 5),), label="last axis"),
        lambda m: Sample((m(4, 3),), {"axis": 0}, label="axis=0"),
        lambda m: Sample((m(6),), {"n": 2}, label="n=2"),
        lambda m: Sample((m(2, 5),), {"axis": -1, "n": 3}, label="n=3 negative axis"),
        lambda m: Sample((m(4, 3),), {"axis": 1}, label="transposed", noncontiguous=(0,)),
    ),
)


def _torch_with_indices(name: str) -> Any:
    def call(x: Any, dim: int, keepdim: bool = False) -> Any:
        import torch

        return tuple(getattr(torch, name)(x, dim, keepdim))

    return call


def _with_indices_samples(m: Maker) -> list[Sample]:
    tie = np.array([1.0, 3.0, 3.0, 2.0], dtype=m.dtype)
    return [
        Sample((m.distinct(3, 4), 1), label="dim=1"),
        Sample((m.distinct(3, 4), -2, True), label="dim=-2 keepdim"),
        Sample((m.distinct(), 0), label="0-d"),
        Sample((tie, 0), label="tie: first index wins"),
        Sample((m.distinct(4, 3), 0), label="transposed", noncontiguous=(0,)),
    ]


function("max_with_indices", _torch_with_indices("max"), _with_indices_samples)
function(
    "min_with_indices",
    _torch_with_indices("min"),
    lambda m: [
        Sample(
            (np.negative(s.args[0], out=np.empty_like(s.args[0])),) + s.args[1:],
            label=s.label,
            noncontiguous=s.noncontiguous,
        )
        for s in _with_indices_samples(m)
    ],
)
