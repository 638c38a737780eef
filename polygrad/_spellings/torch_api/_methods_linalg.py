"""torch's older linear-algebra spellings on tensors, over ``polygrad.linalg``:
``b.lu_solve(LU, pivots)``, ``b.triangular_solve(A, upper)`` (``(solution,
cloned_coefficient)``), ``b.cholesky_solve(L)``, ``L.cholesky_inverse()`` and
``A.lu()`` (``(LU, pivots)``, with ``infos`` if asked), ``A.geqrf()`` and
``A.ormqr(tau, other)``, and their function forms
(``pg.lu_solve(b, LU, pivots)``, ``pg.triangular_solve(b, A)``...).

Each composes ops that record their own nodes (triangular and general solves, the LU
factorization), so gradients come from those.
"""

from __future__ import annotations

from typing import Any

from ... import ops
from ..._core._record import operand
from ..._core._tensor import Tensor, _make
from ...ops import linalg_householder
from ...ops.linalg_inverse import solve
from ...ops.linalg_lu import lu_factor_ex
from ...ops.linalg_lu_solve import lu_solve
from ...ops.linalg_triangular import solve_triangular
from ._return_types import geqrf, triangular_solve


def _adjoint(x: Tensor) -> Tensor:
    return ops.matrix_transpose(ops.conj(x))


class LinalgMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def lu_solve(self: Any, LU_data: Any, LU_pivots: Any) -> Tensor:  # noqa: N803 - torch's
        """``X`` with ``A X = self``, ``A`` given by ``lu_factor`` (torch's ``b.lu_solve``;
        ``pg.linalg.lu_solve(LU, pivots, b)``)."""
        return lu_solve(LU_data, LU_pivots, self)

    def triangular_solve(
        self: Any,
        A: Any,  # noqa: N803 - torch's name
        upper: bool = True,
        transpose: bool = False,
        unitriangular: bool = False,
    ) -> triangular_solve:
        """``X`` with ``A X = self`` (``A^T X = self`` if ``transpose``) reading one
        triangle of ``A``, and a copy of ``A`` (torch's ``(solution,
        cloned_coefficient)``)."""
        a, b = operand(A, self), operand(self)
        for label, x in (("b", b), ("A", a)):
            if x.ndim < 2:
                raise RuntimeError(
                    f"torch.triangular_solve: Expected {label} to have at least 2 dimensions, "
                    f"but it has {x.ndim} dimensions instead"
                )
        coefficient = ops.matrix_transpose(a) if transpose else a
        solution = solve_triangular(
            coefficient, self, upper=upper != transpose, unitriangular=unitriangular
        )
        return triangular_solve(solution, ops.clone(a))

    def cholesky_solve(self: Any, input2: Any, upper: bool = False) -> Tensor:
        """``X`` with ``A X = self``, ``A = L L^H`` (``U^H U`` if ``upper``) given by its
        Cholesky factor ``input2`` (torch's ``b.cholesky_solve(L)``)."""
        factor = operand(input2, self)
        # torch's gradient for the factor is that of solve(L L^H, b): the whole matrix,
        # not only the triangle a factor has, so the product is formed, not two solves
        a = ops.matmul(_adjoint(factor), factor) if upper else ops.matmul(factor, _adjoint(factor))
        return solve(a, self)

    def cholesky_inverse(self: Any, upper: bool = False) -> Tensor:
        """``A^-1`` from ``A``'s Cholesky factor ``self`` (lower, or upper if ``upper``)
        (torch's ``L.cholesky_inverse()``)."""
        factor = operand(self)
        if factor.ndim < 2:
            raise RuntimeError(
                "cholesky_inverse: The input tensor A must have at least 2 dimensions."
            )
        backend, n = factor._backend, factor.shape[-1]
        raw = backend.xp
        eye = raw.eye(n, dtype=factor._data.dtype, device=backend.device_of(factor._data))
        return LinalgMethods.cholesky_solve(_make(eye, backend), factor, upper)

    def lu(self: Any, pivot: bool = True, get_infos: bool = False) -> tuple[Tensor, ...]:
        """``(LU, pivots)`` (and ``infos`` with ``get_infos``) as
        ``linalg.lu_factor_ex`` gives them (torch's ``A.lu()``, ``torch.lu``)."""
        result = lu_factor_ex(self, pivot=pivot)
        return tuple(result) if get_infos else (result.LU, result.pivots)

    def geqrf(self: Any) -> geqrf:
        """``(a, tau)``: the QR factorization packed as LAPACK's ``geqrf`` leaves it
        (``R`` on and above the diagonal, the Householder vectors below; torch.geqrf)."""
        return geqrf(*linalg_householder.geqrf(self))

    def ormqr(
        self: Any, input2: Any, input3: Any, left: bool = True, transpose: bool = False
    ) -> Tensor:
        """``Q input3`` (``input3 Q`` if not ``left``; ``Q^H`` if ``transpose``), ``Q`` the
        product of the reflectors ``geqrf`` packs in ``(self, input2)`` (torch.ormqr)."""
        return linalg_householder.ormqr(self, input2, input3, left, transpose)
