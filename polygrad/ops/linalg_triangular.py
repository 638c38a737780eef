"""Triangular solves and the matrix exponential for ``polygrad.linalg``:
``solve_triangular(A, B, *, upper, left=True, unitriangular=False)`` and
``matrix_exp(A)``, with torch's nodes (``LinalgSolveTriangularBackward0``,
``LinalgMatrixExpBackward0``) and rules.

The standard has neither: a triangular solve is ``solve`` on the triangle (only that
triangle is read, a unit diagonal assumed with ``unitriangular``), and the exponential
is the adapter's (torch's and JAX's own, else scaling and squaring with a Padé
approximant in array-API code). The exponential's gradient is the corner of the
exponential of a block matrix (Mathias 1996), so it is differentiable again.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._node import Node
from .._core._record import binary_operands, keep_for_backward, operand, record
from .._core._tensor import Tensor
from ._matrix import mH
from ._support import add_tangents, needs
from .conversion import common_dtype
from .linalg_inverse import square


def _masks(backend: Any, like: Any) -> tuple[Any, Any]:
    """Constant (n, n) masks on ``like``'s device: rows >= columns, and the diagonal."""
    raw, n = backend.xp, like.shape[-1]
    device = like.device if isinstance(like, Tensor) else backend.device_of(like)
    i = raw.reshape(raw.arange(n, device=device), (n, 1))
    j = raw.reshape(raw.arange(n, device=device), (1, n))
    return i >= j, i == j


def _triangle(backend: Any, xp: Any, a: Any, upper: bool, diagonal: Any) -> Any:
    """The triangle of ``a`` a triangular solve reads; its diagonal 1 (``diagonal=1.0``,
    unitriangular), 0 (the gradient of a unitriangular one) or kept (None)."""
    lower, eye = _masks(backend, a)
    kept = xp.where((~lower | eye) if upper else lower, a, 0.0)
    return kept if diagonal is None else xp.where(eye, diagonal, kept)


def _solve(xp: Any, tri: Any, b: Any, left: bool) -> Any:
    """``tri^-1 b`` (left) or ``b tri^-1``."""
    if left:
        return xp.linalg.solve(tri, b)
    return xp.matrix_transpose(xp.linalg.solve(xp.matrix_transpose(tri), xp.matrix_transpose(b)))


class LinalgSolveTriangularBackward0(Node):
    """``gB = A^-H gX`` (left; ``gX A^-H`` right), ``gA = -gB X^H`` (``-X^H gB``) kept on
    the triangle that was read (off the diagonal when ``unitriangular``)."""

    __slots__ = ("upper", "left", "unitriangular")
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, a: Any, x: Any) -> tuple[Any, ...]:
        unit = 1.0 if self.unitriangular else None
        tri = _triangle(self._backend, xp, a, self.upper, unit)
        gb = _solve(xp, mH(xp, tri), g, self.left)
        ga = None
        if needs(self, 0):
            ga = -(gb @ mH(xp, x)) if self.left else -(mH(xp, x) @ gb)
            ga = _triangle(self._backend, xp, ga, self.upper, 0.0 if unit else None)
        return (ga, gb if needs(self, 1) else None)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        # dX = A^-1 (dB - dA X) (left), (dB - X dA) A^-1 (right)
        (a, _), x = inputs, outputs[0]
        unit = 1.0 if self.unitriangular else None
        tri = _triangle(self._backend, xp, a, self.upper, unit)
        ta = t[0]
        if ta is not None:
            ta = _triangle(self._backend, xp, ta, self.upper, 0.0 if unit else None)
            ta = -(ta @ x) if self.left else -(x @ ta)
        return _solve(xp, tri, add_tangents(t[1], ta), self.left)


def solve_triangular(
    A: Any,  # noqa: N803 - torch's names
    B: Any,  # noqa: N803
    *,
    upper: bool,
    left: bool = True,
    unitriangular: bool = False,
) -> Tensor:
    """torch.linalg.solve_triangular: ``X`` with ``A X = B`` (``X A = B`` if not
    ``left``), reading only the upper or lower triangle of ``A``."""
    a_data, b_data, backend, a, b = binary_operands(A, B, broadcast=False)
    if a is None or b is None:
        raise TypeError("linalg.solve_triangular: expected two tensors")
    square(a, "solve_triangular")
    if b.ndim < 2:
        raise RuntimeError(
            "linalg.solve_triangular: The input tensor B must have at least 2 dimensions."
        )
    a, b = common_dtype(a, b)
    xp = backend.xp
    tri = _triangle(backend, xp, a._data, upper, 1.0 if unitriangular else None)
    result = record(
        LinalgSolveTriangularBackward0,
        (a, b),
        _solve(xp, tri, b._data, left),
        backend,
        broadcast=True,
    )
    return keep_for_backward(result, upper=upper, left=left, unitriangular=unitriangular)


# -- matrix_exp ---------------------------------------------------------------------------


class LinalgMatrixExpBackward0(Node):
    """``gA = exp([[A^H, g], [0, A^H]])`` top right; the tangent is the same block
    with ``A`` and ``dA``."""

    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, a: Any) -> tuple[Any, ...]:
        return (_corner(self._backend, xp, mH(xp, a), g),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return _corner(self._backend, xp, inputs[0], t[0])


def _corner(backend: Any, xp: Any, a: Any, e: Any) -> Any:
    """The top-right block of ``exp([[a, e], [0, a]])``: the derivative of ``exp`` at ``a``
    in the direction ``e`` (``a``'s adjoint for a gradient)."""
    n = a.shape[-1]
    if math.prod(e.shape) == 0:  # nothing to exponentiate (Dask cannot slice empty blocks)
        return e * 0.0  # still connected to the cotangent, as torch's
    a = xp.broadcast_to(a, e.shape)  # a gradient may carry the output's batch
    top = xp.concat([a, e], axis=-1)
    bottom = xp.concat([xp.zeros_like(a), a], axis=-1)
    block = xp.concat([top, bottom], axis=-2)
    exp = matrix_exp(block) if isinstance(block, Tensor) else backend.matrix_exp(block)
    return exp[..., :n, n:]


def matrix_exp(A: Any, /) -> Tensor:  # noqa: N803 - torch's name
    """torch.linalg.matrix_exp: the exponential of each square matrix."""
    x = operand(A)
    square(x, "matrix_exp")
    return record(LinalgMatrixExpBackward0, (x,), x._backend.matrix_exp(x._data), x._backend)
