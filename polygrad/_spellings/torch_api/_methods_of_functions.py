"""Tensor methods whose implementation is torch's function of the same name:
``x.cov()``, ``x.corrcoef()``, ``x.diff()``, ``x.nonzero()``, ``x.argwhere()``,
``x.unique()``, ``x.narrow_copy(...)``. Each forwards to the one function, so the two
forms cannot drift apart (DESIGN.md principle 7).
"""

from __future__ import annotations

from typing import Any, Literal, overload

from ..._core._tensor import Tensor
from . import _functions, _functions_index, _functions_more
from ._methods_more import COPIES


class FunctionMethods:
    """The method forms of torch functions written once as functions."""

    def cov(
        self: Any, *, correction: int = 1, fweights: Any = None, aweights: Any = None
    ) -> Tensor:
        """The covariance matrix of the rows (torch's ``x.cov()``; ``pg.cov``)."""
        return _functions_more.cov(
            self, correction=correction, fweights=fweights, aweights=aweights
        )

    def corrcoef(self: Any) -> Tensor:
        """The Pearson correlation matrix of the rows (torch's ``x.corrcoef()``)."""
        return _functions_more.corrcoef(self)

    def diff(
        self: Any, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None
    ) -> Tensor:
        """The ``n``-th forward difference along ``dim`` (torch's ``x.diff()``)."""
        return _functions_more.diff(self, n, dim, prepend, append)

    @overload
    def nonzero(self: Any, *, as_tuple: Literal[False] = False) -> Tensor: ...

    @overload
    def nonzero(self: Any, *, as_tuple: Literal[True]) -> tuple[Tensor, ...]: ...

    def nonzero(self: Any, *, as_tuple: bool = False) -> Tensor | tuple[Tensor, ...]:
        """The indices of the nonzero entries, one row per entry (torch's ``x.nonzero()``)."""
        return _functions.nonzero(self, as_tuple=as_tuple)

    def argwhere(self: Any) -> Tensor:
        """The indices of the nonzero entries, one row per entry (torch's ``x.argwhere()``)."""
        return _functions.argwhere(self)

    def unique(
        self: Any,
        sorted: bool = True,  # noqa: A002 - torch's name
        return_inverse: bool = False,
        return_counts: bool = False,
        dim: int | None = None,
    ) -> Tensor | tuple[Tensor, ...]:
        """The sorted unique elements (torch's ``x.unique()``; ``pg.unique``)."""
        return _functions_more.unique(self, sorted, return_inverse, return_counts, dim)

    def narrow_copy(self: Any, dim: int, start: int, length: int) -> Tensor:
        """``x.narrow(dim, start, length)`` as a new tensor (torch's ``x.narrow_copy()``)."""
        copy: Tensor = COPIES["narrow_copy"](self, dim, start, length)
        return copy

    def index_reduce(
        self: Any, dim: int, index: Any, source: Any, reduce: str, *, include_self: bool = True
    ) -> Tensor:
        """A copy with the slices of ``source`` reduced into the slices ``index`` along
        ``dim`` (torch's ``x.index_reduce()``; ``pg.index_reduce``)."""
        return _functions_index.index_reduce(
            self, dim, index, source, reduce, include_self=include_self
        )

    def unique_consecutive(
        self: Any, return_inverse: bool = False, return_counts: bool = False, dim: Any = None
    ) -> Tensor | tuple[Tensor, ...]:
        """The first of every run of equal consecutive elements (torch's
        ``x.unique_consecutive()``; ``pg.unique_consecutive``)."""
        return _functions_index.unique_consecutive(self, return_inverse, return_counts, dim)

    def nonzero_static(self: Any, *, size: int, fill_value: int = -1) -> Tensor:
        """``size`` rows of ``x.nonzero()``, cut or filled with ``fill_value`` (torch's
        ``x.nonzero_static()``; ``pg.nonzero_static``)."""
        return _functions_index.nonzero_static(self, size=size, fill_value=fill_value)

    def sum_to_size(self: Any, *size: Any) -> Tensor:
        """``x`` summed down to ``size``, a shape it broadcasts from (torch's
        ``x.sum_to_size()``)."""
        return _functions_index.sum_to_size(self, *size)
