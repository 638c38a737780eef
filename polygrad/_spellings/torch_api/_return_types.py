"""The named tuples torch's functions return (``torch.return_types``): ``x.sort()`` is
``sort(values, indices)``, ``x.aminmax()`` is ``aminmax(min, max)``... Each is a
``NamedTuple`` with typed fields, so ``x.sort().values`` is a ``Tensor`` to a type
checker too; the class names are torch's, so they print as torch's do.
"""

from __future__ import annotations

from typing import NamedTuple

from ..._core._tensor import Tensor


class sort(NamedTuple):  # noqa: N801 - torch.return_types' names
    """``x.sort()``: the sorted values and where each came from."""

    values: Tensor
    indices: Tensor


class topk(NamedTuple):  # noqa: N801
    """``x.topk(k)``: the ``k`` largest (or smallest) values and their indices."""

    values: Tensor
    indices: Tensor


class kthvalue(NamedTuple):  # noqa: N801
    """``x.kthvalue(k)``: the ``k``-th smallest values and their indices."""

    values: Tensor
    indices: Tensor


class aminmax(NamedTuple):  # noqa: N801
    """``x.aminmax()``: the smallest and the largest values."""

    min: Tensor
    max: Tensor


class cummax(NamedTuple):  # noqa: N801
    """``x.cummax(dim)``: the running maximum and where each was found."""

    values: Tensor
    indices: Tensor


class cummin(NamedTuple):  # noqa: N801
    """``x.cummin(dim)``: the running minimum and where each was found."""

    values: Tensor
    indices: Tensor


class median(NamedTuple):  # noqa: N801
    """``x.median(dim)``: the lower medians and their indices."""

    values: Tensor
    indices: Tensor


class nanmedian(NamedTuple):  # noqa: N801
    """``x.nanmedian(dim)``: the lower medians ignoring NaNs and their indices."""

    values: Tensor
    indices: Tensor


class mode(NamedTuple):  # noqa: N801
    """``x.mode(dim)``: the most frequent values and their last positions."""

    values: Tensor
    indices: Tensor


class histogram(NamedTuple):  # noqa: N801
    """``x.histogram(bins)``: the counts (or densities) and the bin edges."""

    hist: Tensor
    bin_edges: Tensor


class histogramdd(NamedTuple):  # noqa: N801
    """``pg.histogramdd(x, bins)``: the counts (or densities) and each dimension's edges."""

    hist: Tensor
    bin_edges: tuple[Tensor, ...]


class frexp(NamedTuple):  # noqa: N801
    """``x.frexp()``: mantissas in ``[0.5, 1)`` (by magnitude) and int32 exponents."""

    mantissa: Tensor
    exponent: Tensor


class qr(NamedTuple):  # noqa: N801
    """``x.qr()``: ``Q`` with orthonormal columns and upper-triangular ``R``."""

    Q: Tensor
    R: Tensor


class svd(NamedTuple):  # noqa: N801
    """``x.svd()``: ``U``, the singular values ``S`` and ``V`` (not ``V``'s adjoint)."""

    U: Tensor
    S: Tensor
    V: Tensor


class geqrf(NamedTuple):  # noqa: N801
    """``x.geqrf()``: ``R`` and the reflectors packed as LAPACK leaves them, and ``tau``."""

    a: Tensor
    tau: Tensor


class triangular_solve(NamedTuple):  # noqa: N801
    """``b.triangular_solve(A)``: the solution and a copy of ``A``."""

    solution: Tensor
    cloned_coefficient: Tensor


__all__ = [
    "aminmax",
    "cummax",
    "cummin",
    "frexp",
    "geqrf",
    "histogram",
    "histogramdd",
    "kthvalue",
    "median",
    "mode",
    "nanmedian",
    "qr",
    "sort",
    "svd",
    "topk",
    "triangular_solve",
]
