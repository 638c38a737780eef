"""The torch backend's array namespace: array-api-compat's, with the standard's values
where torch departs from them (found by the official suite, data-apis/array-api-tests;
conformance/README.md has the numbers).

- ``acos`` of complex numbers: torch drops the sign of a zero imaginary part
  (``acos(0 + 0j)`` is ``pi/2 + 0j``; the standard's is ``pi/2 - 0j``, as
  ``acos(conj(z)) = conj(acos(z))`` asks). The imaginary part of ``acos(a + ib)``
  has the sign opposite to ``b``'s, zeros included.
- ``log1p`` of complex numbers with an infinite part is NaN in torch; the standard's
  is ``log(z)`` there (``+inf + NaN j`` with a NaN part).
- ``remainder`` with a zero result has ``x1``'s sign in torch (``-0. % 5`` is -0);
  the standard's has ``x2``'s, like Python's ``%``.
- ``std``/``var`` take a fractional ``correction`` (torch's raise,
  pytorch/pytorch#61492): the mean of squared deviations, divided by ``N - correction``.
- ``unique_all``: torch.unique returns no first indices (pytorch/pytorch#36748), and
  has no complex kernels; both come from one stable sort here (complex values in
  lexicographic order of real and imaginary parts), as do the other ``unique_*``
  functions for complex input.

Every other name is array-api-compat's own object, so a call through this namespace
costs what it costs through array-api-compat; the corrections run only for the dtypes
that need them.
"""

from __future__ import annotations

import math
import types
from typing import Any

import array_api_compat.torch as compat
import torch


def acos(x: Any, /) -> Any:
    out = torch.acos(x)
    if not x.is_complex():
        return out
    b = x.imag
    imag = torch.where(torch.isnan(b), out.imag, torch.copysign(out.imag, -b))
    return torch.complex(out.real, imag)


def log1p(x: Any, /) -> Any:
    out = torch.log1p(x)
    if not x.is_complex():
        return out
    infinite = torch.isinf(x.real) | torch.isinf(x.imag)
    return torch.where(infinite, torch.log(x), out)


def remainder(x1: Any, x2: Any, /) -> Any:
    out = x1 % x2
    # a nonzero remainder already has x2's sign, so one copysign fixes the zeros
    return torch.copysign(out, x2) if out.is_floating_point() else out


def var(x: Any, /, *, axis: Any = None, correction: float = 0.0, keepdims: bool = False) -> Any:
    if float(correction).is_integer():
        return compat.var(x, axis=axis, correction=int(correction), keepdims=keepdims)
    axes = tuple(range(x.ndim)) if axis is None else (axis,) if isinstance(axis, int) else axis
    if not axes:  # torch reads dim=() as every axis
        return torch.zeros_like(x)
    count = math.prod(x.shape[a] for a in axes)
    deviations = x - torch.mean(x, dim=axes, keepdim=True)
    squares = torch.sum(deviations * deviations, dim=axes, keepdim=keepdims)
    return squares / max(count - correction, 0)


def std(x: Any, /, *, axis: Any = None, correction: float = 0.0, keepdims: bool = False) -> Any:
    if float(correction).is_integer():
        return compat.std(x, axis=axis, correction=int(correction), keepdims=keepdims)
    return torch.sqrt(var(x, axis=axis, correction=correction, keepdims=keepdims))


def _unique_by_sorting(x: Any) -> tuple[Any, Any, Any, Any]:
    """Unique values, first indices, inverse indices and counts from one stable sort;
    every NaN is a value of its own, as the standard says."""
    flat = x.reshape(-1)
    if x.is_complex():
        by_imag = torch.sort(flat.imag, stable=True).indices
        order = by_imag[torch.sort(flat.real[by_imag], stable=True).indices]
    else:
        order = torch.sort(flat, stable=True).indices
    ordered = flat[order]
    starts = torch.ones(flat.shape, dtype=torch.bool, device=x.device)
    starts[1:] = ordered[1:] != ordered[:-1]
    inverse = torch.empty_like(order)
    inverse[order] = torch.cumsum(starts, 0) - 1
    first = torch.nonzero(starts).reshape(-1)
    end = torch.tensor([flat.numel()], device=x.device)
    return ordered[starts], order[starts], inverse.reshape(x.shape), torch.diff(first, append=end)


def unique_all(x: Any, /) -> Any:
    return compat.UniqueAllResult(*_unique_by_sorting(x))


def unique_counts(x: Any, /) -> Any:
    if not x.is_complex():
        return compat.unique_counts(x)
    values, _, _, counts = _unique_by_sorting(x)
    return compat.UniqueCountsResult(values, counts)


def unique_inverse(x: Any, /) -> Any:
    if not x.is_complex():
        return compat.unique_inverse(x)
    values, _, inverse, _ = _unique_by_sorting(x)
    return compat.UniqueInverseResult(values, inverse)


def unique_values(x: Any, /) -> Any:
    return _unique_by_sorting(x)[0] if x.is_complex() else compat.unique_values(x)


namespace = types.ModuleType(compat.__name__, compat.__doc__)
namespace.__dict__.update(vars(compat))
_CORRECTED = (
    acos,
    log1p,
    remainder,
    var,
    std,
    unique_all,
    unique_counts,
    unique_inverse,
    unique_values,
)
for _function in _CORRECTED:
    setattr(namespace, _function.__name__, _function)
