"""``linalg.vander``, ``linalg.tensorinv``, ``linalg.tensorsolve`` and ``linalg.cond``
as torch computes them, composed of ops that record their own nodes (a running
product, reshapes with an inverse or a solve, singular values and matrix norms), so
their gradients, first and higher order, are those of torch's compositions.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._record import operand
from .._core._tensor import Tensor, _make
from .conversion import astype
from .cumulative import cumulative_prod
from .elementwise import where
from .linalg_factor import svdvals
from .linalg_inverse import LinAlgError, inv_ex, solve
from .manipulation import moveaxis
from .norms import matrix_norm
from .predicates import isnan
from .shape import broadcast_to, expand_dims, reshape
from .sums import sum as sum_op


def vander(x: Any, /, *, N: int | None = None) -> Tensor:  # noqa: N803 - torch's name
    """torch.linalg.vander: the powers ``x^0, x^1, ..., x^(N-1)`` of each entry along a new
    last axis (``N`` defaults to the last axis' length); integers are computed in int64."""
    x = operand(x)
    raw = x._backend.xp
    dtype = x._data.dtype
    if raw.isdtype(dtype, "bool") or not raw.isdtype(dtype, "numeric"):
        raise RuntimeError(
            "linalg.vander supports floating point, complex, and integer tensors, but got "
            f"{x._backend.pg_dtype(dtype).name.capitalize()}"
        )
    if raw.isdtype(dtype, "integral"):
        x = astype(x, x._backend.dtype("int64"))
    if x.ndim == 0:
        x = reshape(x, (1,))
    n = x.shape[-1] if N is None else N
    if n <= 1:
        raise RuntimeError("N must be greater than 1.")
    repeated = broadcast_to(expand_dims(x, axis=-1), tuple(x.shape) + (n - 1,))
    return cumulative_prod(repeated, axis=-1, include_initial=True)


def _product(shape: Any) -> int:
    return math.prod(int(s) for s in shape)


def tensorinv(A: Any, ind: int = 2) -> Tensor:  # noqa: N803 - torch's name
    """torch.linalg.tensorinv: the inverse of ``A`` for ``tensordot(.., ind)``, of shape
    ``A.shape[ind:] + A.shape[:ind]``."""
    a = operand(A)
    if ind <= 0:
        raise RuntimeError(f"Expected a strictly positive integer for 'ind', but got {ind}")
    head, tail = tuple(a.shape[:ind]), tuple(a.shape[ind:])
    rows, cols = _product(head), _product(tail)
    if rows != cols:
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[ind:]) == "
            f"prod(self.shape[:ind]), but got {cols} != {rows}"
        )
    inverse, info = inv_ex(reshape(a, (rows, cols)))
    if a._backend.values_readable() and int(a._backend.to_numpy(info._data)) != 0:
        raise LinAlgError(
            f"inv: The diagonal element {int(a._backend.to_numpy(info._data))} is zero, the "
            "inversion could not be completed because the input matrix is singular."
        )
    return reshape(inverse, tail + head)


def tensorsolve(A: Any, B: Any, dims: Any = None) -> Tensor:  # noqa: N803 - torch's names
    """torch.linalg.tensorsolve: ``X`` with ``tensordot(A, X, X.ndim) = B``, the axes
    ``dims`` of ``A`` first moved to the end."""
    a = operand(A)
    b = operand(B, a)
    if dims is not None:
        dims = tuple(dims)
        a = moveaxis(a, dims, tuple(range(a.ndim - len(dims), a.ndim)))
    result_shape = tuple(a.shape[b.ndim :])
    size, other_size = _product(result_shape), _product(b.shape)
    if size != other_size:
        raise RuntimeError(
            "Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == "
            f"prod(self.shape[:other.ndim]), but got {size} != {other_size}"
        )
    matrix = reshape(a, (size, size))
    backend = a._backend
    if backend.values_readable():
        info = backend.lu_factor_ex(matrix._data)[2]
        if int(backend.to_numpy(info)) != 0:
            raise LinAlgError(
                "torch.linalg.solve: The solver failed because the input matrix is singular."
            )
    return reshape(solve(matrix, reshape(b, (other_size,))), result_shape)


_NUMERIC_ORDERS = (2, -2, 1, -1, math.inf, -math.inf)


def _real_zeros(a: Tensor) -> Tensor:
    backend = a._backend
    raw = backend.xp
    real = raw.real(raw.zeros((), dtype=a._data.dtype)).dtype
    data = raw.zeros(tuple(a.shape[:-2]), dtype=real, device=backend.device_of(a._data))
    return _make(data, backend)


def _square(a: Tensor, ord: Any) -> None:  # noqa: A002
    if a.shape[-1] != a.shape[-2]:
        # torch prints a float order with C's %f, an integer one as it is
        label = ord if isinstance(ord, (str, int)) else f"{float(ord):f}"
        raise RuntimeError(
            f"linalg.cond(ord={label}): A must be batches of square matrices, but they are "
            f"{a.shape[-2]} by {a.shape[-1]} matrices"
        )


def cond(A: Any, p: Any = None) -> Tensor:  # noqa: N803 - torch's name
    """torch.linalg.cond: the condition number ``|A|_p |A^-1|_p`` of each matrix (the ratio
    of the extreme singular values for ``p`` None or 2, its inverse for -2); singular
    matrices give inf, empty ones 0."""
    a = operand(A)
    if a.ndim < 2:
        raise RuntimeError("linalg.cond: The input tensor must have at least 2 dimensions.")
    ord = 2 if p is None else p  # noqa: A001
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.cond got an invalid norm type: {ord}")
        _square(a, ord)
    elif ord not in _NUMERIC_ORDERS:
        shown = int(ord) if float(ord).is_integer() else ord
        raise RuntimeError(f"linalg.cond got an invalid norm type: {shown}")
    if _product(a.shape) == 0:
        return _real_zeros(a)
    if ord in (2, -2):
        values = svdvals(a)
        largest, smallest = values[..., 0], values[..., -1]
        return smallest / largest if ord == -2 else largest / smallest
    if not isinstance(ord, str):
        _square(a, ord)
    if ord == "nuc":
        values = svdvals(a)
        return sum_op(values, axis=-1) * sum_op(1 / values, axis=-1)
    inverse, info = inv_ex(a)
    singular = expand_dims(expand_dims(info > 0, axis=-1), axis=-1)
    inverse = where(singular, math.inf, inverse)
    result = matrix_norm(a, ord=ord) * matrix_norm(inverse, ord=ord)
    return where(isnan(result), math.inf, result)
