"""Inverses and determinants for ``polygrad.linalg``: ``inv``, ``inv_ex``, ``solve``,
``det``, ``slogdet`` and ``matrix_power`` (``pinv`` and ``matrix_rank``: ``linalg_pinv``).

``inv_ex`` returns torch's ``info`` (the first zero pivot of the LU factorization,
LAPACK's ``getrf``) next to the inverse; ``inv`` is the same op with
``check_errors=True``, raising torch's ``LinAlgError`` on a singular matrix. The
adapter computes ``info`` (``backends/_factorizations.py``) where the library has none.

Rules follow torch's (``LinalgInvExBackward0``, ``LinalgSolveExBackward0``,
``LinalgDetBackward0``, ``LinalgSlogdetBackward0``),
including complex inputs (conjugate-Wirtinger). ``det``'s first-order rule goes
through the singular values, so singular matrices get their (cofactor) gradient
too; under ``create_graph`` it uses ``det * inv(A)^H``, whose derivative stays finite
at matrices with repeated singular values (the identity).
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple

from .._core._node import Node
from .._core._record import (
    MultiOutputNode,
    binary_operands,
    keep_for_backward,
    operand,
    record,
    record_multi,
)
from .._core._tensor import Tensor, _make
from ._matrix import column, mH, row
from ._support import add_tangents, conj, is_complex, needs
from .conversion import clone, common_dtype
from .fill import copy_from_recorded
from .linalg import matmul
from .shape import expand_dims, matrix_transpose, squeeze
from .sums import _product_of_others


class LinAlgError(RuntimeError):
    """torch.linalg.LinAlgError: a matrix the routine cannot factor (singular, not
    positive-definite), raised by the checking functions and ``check_errors=True``."""


def raise_for_info(backend: Any, info: Any, name: str, message: Any) -> None:
    """torch's error for the first batch element with nonzero ``info`` (none: no error);
    ``message(code)`` words it, after ``linalg.<name>`` (a dotted ``name`` as it is) and,
    for a batch, torch's ``(Batch element k)``."""
    codes = backend.to_numpy(info)
    failed = codes.reshape(-1).nonzero()[0]
    if len(failed) == 0:
        return
    first = int(failed[0])
    prefix = f"(Batch element {first}): " if codes.ndim else ""
    label = name if "." in name else f"linalg.{name}"
    raise LinAlgError(f"{label}: {prefix}{message(int(codes.reshape(-1)[first]))}")


def square(x: Tensor, name: str) -> None:
    """torch's check that ``x`` is a (batch of) square matrices."""
    shape = tuple(x._data.shape)
    if len(shape) < 2:
        raise RuntimeError(f"linalg.{name}: The input tensor A must have at least 2 dimensions.")
    if shape[-1] != shape[-2]:
        raise RuntimeError(
            f"linalg.{name}: A must be batches of square matrices, but they are "
            f"{shape[-2]} by {shape[-1]} matrices"
        )


# -- inv, solve ------------------------------------------------------------------------


class LinalgInvExBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, inverse: Any) -> tuple[Any, ...]:
        inverse_h = mH(xp, inverse)
        return (-(inverse_h @ (g @ inverse_h)),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        inverse = outputs[0]
        return -(inverse @ (t[0] @ inverse))


class InvExResult(NamedTuple):
    inverse: Tensor
    info: Tensor


def _singular(code: int) -> str:
    return (
        f"The diagonal element {code} is zero, the inversion could not be completed "
        "because the input matrix is singular."
    )


def _inverse(x: Any, name: str, check_errors: bool) -> tuple[Tensor, Any]:
    """The recorded inverse and the raw ``info`` (None where it was not computed)."""
    x = operand(x)
    square(x, name)
    backend = x._backend
    if name == "inv" and not backend.values_readable():  # nothing to check: the library's
        return record(LinalgInvExBackward0, (x,), backend.xp.linalg.inv(x._data), backend), None
    data, info = backend.inv_ex(x._data)
    if check_errors:
        raise_for_info(backend, info, name, _singular)
    return record(LinalgInvExBackward0, (x,), data, backend), info


def inv(x: Any, /) -> Tensor:
    """The inverse of each square matrix; a singular one raises ``LinAlgError`` (torch's)."""
    return _inverse(x, "inv", check_errors=True)[0]


def inv_ex(A: Any, /, *, check_errors: bool = False) -> InvExResult:  # noqa: N803 - torch's
    """torch.linalg.inv_ex: ``(inverse, info)``, ``info`` an int32 tensor of the batch
    shape, 0 where the matrix was inverted and else the (1-based) first zero pivot of
    its LU factorization, where the inverse is NaN (torch backend: torch's inf/NaN).
    ``check_errors=True`` raises ``LinAlgError`` as ``inv`` does."""
    inverse, info = _inverse(A, "inv_ex", check_errors)
    return InvExResult(inverse, _make(info, inverse._backend))


class LinalgSolveExBackward0(Node):
    """``X = A^-1 B``: ``gB = A^-H gX`` and ``gA = -gB X^H``."""

    __slots__ = ("vector",)
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, a: Any, x: Any) -> tuple[Any, ...]:
        if self.vector:  # a right-hand-side vector is one column
            g, x = column(xp, g), column(xp, x)
        gb = xp.linalg.solve(mH(xp, a), g)
        ga = -(gb @ mH(xp, x)) if needs(self, 0) else None
        if not needs(self, 1):
            gb = None
        elif self.vector:
            gb = gb[..., 0]
        return (ga, gb)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        # dX = A^-1 (dB - dA X)
        (a, _), x = inputs, outputs[0]
        tb = t[1]
        if self.vector:
            x, tb = column(xp, x), None if tb is None else column(xp, tb)
        rhs = add_tangents(tb, None if t[0] is None else -(t[0] @ x))
        tx = xp.linalg.solve(a, rhs)
        return tx[..., 0] if self.vector else tx


def solve(x1: Any, x2: Any, /, *, left: bool = True) -> Tensor:
    """The solution ``X`` of ``x1 @ X = x2`` (``X @ x1 = x2`` if not ``left``), read as the
    standard says: a 1-d ``x2`` is one vector, any other a batch of matrices (where that
    does not fit, torch's batch of vectors, see ``torch_solve``)."""
    return _solve(x1, x2, left, torch_vectors=False)


def torch_solve(A: Any, B: Any, *, left: bool = True) -> Tensor:  # noqa: N803 - torch's names
    """torch.linalg.solve: as ``solve``, but a ``B`` of ``A``'s shape without its last
    axis is always a batch of vectors (torch's reading, which the standard's collides
    with when ``A``'s last batch size equals its matrix size)."""
    return _solve(A, B, left, torch_vectors=True)


def _solve(x1: Any, x2: Any, left: bool, torch_vectors: bool) -> Tensor:
    a_data, b_data, backend, a, b = binary_operands(x1, x2, broadcast=False)
    if a is None or b is None:
        raise TypeError("solve expects two arrays")
    square(a, "solve")
    a, b = common_dtype(a, b)
    vector = _vector_rhs(tuple(a.shape), tuple(b.shape), left, torch_vectors)
    n = a.shape[-1]
    rows, cols = (b.shape[-1], 1) if vector else tuple(b.shape[-2:])
    if (rows if left else cols) != n:
        raise RuntimeError(
            "linalg.solve: Incompatible shapes of A and B for the equation "
            f"{'AX' if left else 'XA'} = B ({n}x{n} and {rows}x{cols})"
        )
    if not left:  # X A = B is A^T X^T = B^T
        return matrix_transpose(solve(matrix_transpose(a), matrix_transpose(b)))
    if vector and b.ndim > 1:  # a batch of vectors: one column each
        return squeeze(solve(a, expand_dims(b, axis=-1)), axis=-1)
    result = record(
        LinalgSolveExBackward0,
        (a, b),
        backend.xp.linalg.solve(a._data, b._data),
        backend,
        broadcast=True,
    )
    return keep_for_backward(result, vector=b.ndim == 1)


def _vector_rhs(a: tuple[Any, ...], b: tuple[Any, ...], left: bool, torch_vectors: bool) -> bool:
    """Whether ``B`` holds vectors: 1-d, or torch's batch of vectors (``A``'s shape
    without its last axis), which the standard reads as matrices where they fit."""
    if len(b) == 1:
        return True
    if len(b) != len(a) - 1 or b != a[:-1]:
        return False
    return torch_vectors or not (left and b[-2] == a[-1])


# -- det, slogdet -----------------------------------------------------------------------


class LinalgDetBackward0(Node):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, a: Any, det: Any) -> tuple[Any, ...]:
        if a.shape[-1] == 0:
            return (xp.zeros_like(a),)
        if not isinstance(a, Tensor):
            return (_cofactors_through_svd(xp, a, g),)
        # recorded (torch's double backward): det * A^-H, differentiable and finite at
        # repeated singular values (the identity); near-singular matrices (|det| below
        # eps * ||A||_F, torch's cutoff) take the SVD formula, whose derivative exists there
        raw = self._backend.xp
        cutoff = raw.finfo(a._data.dtype).eps * raw.linalg.matrix_norm(a._data)
        singular = column(raw, column(raw, raw.abs(det._data) <= cutoff))
        scale = column(xp, column(xp, g * conj(xp, det)))
        empty = math.prod(a.shape) == 0  # Dask cannot slice an empty batch's gradient
        if empty or (self._backend.values_readable() and not bool(raw.any(singular))):
            return (scale * mH(xp, xp.linalg.inv(a)),)
        eye = raw.eye(a.shape[-1], dtype=a._data.dtype, device=self._backend.device_of(a._data))
        regular = scale * mH(xp, xp.linalg.inv(xp.where(singular, eye, a)))
        return (xp.where(singular, _cofactors_through_svd(xp, a, g), regular),)


def _cofactors_through_svd(xp: Any, a: Any, g: Any) -> Any:
    """``g`` times the cofactor matrix through ``A = U S Vh``: no division, so singular
    matrices get theirs too. Recorded, each product of the other singular values is
    multiplied out (as torch's ``prod_safe_zeros_backward``), so its derivative stays
    exact where a tiny singular value is rounding's zero."""
    u, s, vh = xp.linalg.svd(a, full_matrices=False)
    phase = conj(xp, xp.linalg.det(u) * xp.linalg.det(vh)) * g
    if isinstance(s, Tensor):
        others = xp.stack([_product_without(xp, s, i) for i in range(s.shape[-1])], axis=-1)
    else:
        others = _product_of_others(xp, s, (s.ndim - 1,))
    return (u * row(xp, column(xp, phase) * others)) @ vh


def _product_without(xp: Any, s: Any, i: int) -> Any:
    """The product of ``s`` along its last axis without entry ``i`` (no empty slices:
    Dask cannot take their gradient)."""
    k = s.shape[-1]
    if k == 1:
        return xp.ones_like(s[..., 0])
    if i in (0, k - 1):
        return xp.prod(s[..., 1:] if i == 0 else s[..., :-1], axis=-1)
    return xp.prod(s[..., :i], axis=-1) * xp.prod(s[..., i + 1 :], axis=-1)


def det(x: Any, /) -> Tensor:
    """The determinant of each square matrix."""
    x = operand(x)
    square(x, "det")
    return record(LinalgDetBackward0, (x,), x._backend.xp.linalg.det(x._data), x._backend)


class SlogdetResult(NamedTuple):
    sign: Tensor
    logabsdet: Tensor


class LinalgSlogdetBackward0(MultiOutputNode):
    """``d log|det A| = Re tr(A^-1 dA)``; the sign of a complex determinant turns with
    ``Im tr(A^-1 dA)``, so both gradients meet in one factor times ``A^-H``."""

    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, grads: Any, a: Any, sign: Any) -> tuple[Any, ...]:
        g_sign, g_log = grads
        factor = g_log
        if is_complex(a):
            factor = g_log - 1j * xp.imag(conj(xp, g_sign) * sign)
        return (column(xp, column(xp, factor)) * mH(xp, xp.linalg.inv(a)),)


def slogdet(x: Any, /) -> SlogdetResult:
    """Sign (or phase) and natural log of the absolute value of the determinant."""
    x = operand(x)
    square(x, "slogdet")
    sign, logabsdet = x._backend.xp.linalg.slogdet(x._data)
    return SlogdetResult(*record_multi(LinalgSlogdetBackward0, (x,), (sign, logabsdet), x._backend))


# -- matrix_power ----------------------------------------------------------------------------


def matrix_power(x: Any, n: int, /) -> Tensor:
    """``x`` multiplied by itself ``n`` times; ``n < 0`` uses the inverse, ``n = 0`` the identity."""
    x = operand(x)
    square(x, "matrix_power")
    if n == 0:  # torch copies the identity into a new tensor: zero gradient, connected
        xp = x._backend.xp
        size = x._data.shape[-1]
        eye = xp.eye(size, dtype=x._data.dtype, device=x._backend.device_of(x._data))
        return copy_from_recorded(x, _make(xp.broadcast_to(eye, tuple(x._data.shape)), x._backend))
    base = inv(x) if n < 0 else x
    n = abs(n)
    if n == 1:
        return base if base is not x else clone(x)
    result = None
    while n:  # square-and-multiply
        if n & 1:
            result = base if result is None else matmul(result, base)
        n >>= 1
        if n:
            base = matmul(base, base)
    return result  # type: ignore[return-value]
