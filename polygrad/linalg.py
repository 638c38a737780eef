"""The array API ``linalg`` extension on polygrad tensors: ``pg.linalg.<name>``, and
``xp.linalg.<name>`` on the namespace of a tensor (``x.__array_namespace__()``).

Every function records torch's node (``LinalgCholeskyExBackward0``,
``LinalgSvdBackward0``...) and has a rule written in array-API code, so first and
higher derivatives work on every backend. Results with several parts are named
tuples, as the standard asks (``eigh(x).eigenvectors``, ``svd(x).Vh``).
"""

from __future__ import annotations

import sys
from typing import Any

from .ops.linalg import matmul
from .ops.linalg_factor import (
    CholeskyExResult,
    EighResult,
    EigResult,
    QRResult,
    SVDResult,
    cholesky,
    cholesky_ex,
    eig,
    eigh,
    eigvals,
    eigvalsh,
    qr,
    svd,
    svdvals,
)
from .ops.linalg_householder import householder_product
from .ops.linalg_inverse import (
    InvExResult,
    LinAlgError,
    SlogdetResult,
    det,
    inv,
    inv_ex,
    matrix_power,
    slogdet,
    solve,
)
from .ops.linalg_ldl import LDLFactorExResult, LDLFactorResult, ldl_factor, ldl_factor_ex
from .ops.linalg_ldl_solve import ldl_solve
from .ops.linalg_lstsq import LstsqResult, lstsq
from .ops.linalg_lu import (
    LUFactorExResult,
    LUFactorResult,
    LUResult,
    SolveExResult,
    lu,
    lu_factor,
    lu_factor_ex,
    solve_ex,
)
from .ops.linalg_lu_solve import lu_solve
from .ops.linalg_pinv import matrix_rank, pinv
from .ops.linalg_tensor import cond, tensorinv, tensorsolve, vander
from .ops.linalg_triangular import matrix_exp, solve_triangular
from .ops.norms import matrix_norm, vector_norm
from .ops.products import cross, diagonal, outer, tensordot, trace, vecdot
from .ops.shape import matrix_transpose

__all__ = [
    "CholeskyExResult",
    "EigResult",
    "EighResult",
    "InvExResult",
    "LDLFactorExResult",
    "LDLFactorResult",
    "LUFactorExResult",
    "LUFactorResult",
    "LUResult",
    "LstsqResult",
    "LinAlgError",
    "QRResult",
    "SVDResult",
    "SlogdetResult",
    "SolveExResult",
    "cholesky",
    "cholesky_ex",
    "cond",
    "cross",
    "det",
    "diagonal",
    "eig",
    "eigh",
    "eigvals",
    "eigvalsh",
    "householder_product",
    "inv",
    "inv_ex",
    "ldl_factor",
    "ldl_factor_ex",
    "ldl_solve",
    "lstsq",
    "lu",
    "lu_factor",
    "lu_factor_ex",
    "lu_solve",
    "matmul",
    "matrix_exp",
    "matrix_norm",
    "matrix_power",
    "matrix_rank",
    "matrix_transpose",
    "outer",
    "pinv",
    "qr",
    "slogdet",
    "solve",
    "solve_ex",
    "solve_triangular",
    "svd",
    "svdvals",
    "tensordot",
    "tensorinv",
    "tensorsolve",
    "trace",
    "vander",
    "vecdot",
    "vector_norm",
]

_standard_solve = solve  # pg.linalg.solve becomes torch's (torch_api installs it)


class _AsTheStandardReadsIt:
    """``xp.linalg`` of a namespace: this module, except ``solve``, which reads a ``B`` of
    ``A``'s shape without its last axis as the standard does (matrices, where they fit)
    rather than as torch does (vectors). Every other torch spelling installed here takes
    the standard's calls too."""

    solve = staticmethod(_standard_solve)

    def __getattr__(self, name: str) -> Any:
        return getattr(sys.modules[__name__], name)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(sys.modules[__name__])) | {"solve"})

    def __repr__(self) -> str:
        return "<polygrad linalg extension (the array API's reading)>"


_STANDARD = _AsTheStandardReadsIt()


def bound_to(backend: Any, device: Any = None) -> Any:
    """The ``linalg`` extension as seen from a namespace (the same on every backend)."""
    return _STANDARD
