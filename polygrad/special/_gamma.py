"""The gamma family: ``gammaln digamma`` (alias ``psi``) ``polygamma``, differentiable
with torch's node names (each derivative is the next function of the family), the
multivariate ``multigammaln`` (torch's ``mvlgamma``), the Hurwitz ``zeta`` and the
regularized incomplete gamma functions ``gammainc gammaincc``."""

from __future__ import annotations

import math
from typing import Any

from .. import ops
from .._core._node import Node
from .._core._record import binary_operands, keep_for_backward, operand, record
from .._core._tensor import Tensor
from ..ops._support import needs
from ._native import _call, _compute, _unary


# -- gamma family -----------------------------------------------------------------------
class LgammaBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * _call(self, "digamma", x),)


class DigammaBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * _call(self, "polygamma", 1, x),)


class PolygammaBackward0(Node):
    __slots__ = ("n",)
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * _call(self, "polygamma", self.n + 1, x),)


def gammaln(x: Any, /) -> Tensor:
    """``log |Gamma(x)|`` (torch's ``lgamma``)."""
    return _unary(LgammaBackward0, "gammaln", x)


def digamma(x: Any, /) -> Tensor:
    """The logarithmic derivative of the gamma function, ``polygamma(0, x)``."""
    return _unary(DigammaBackward0, "digamma", x)


psi = digamma  # SciPy's name, which scipy.special looks up on the namespace


def polygamma(n: int, x: Any, /) -> Tensor:
    """The ``n``-th derivative of ``digamma`` (``n`` a non-negative Python int)."""
    n = int(n)
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    if n == 0:
        return digamma(x)
    x = operand(x)
    result = record(
        PolygammaBackward0, (x,), _compute(x._backend, "polygamma", n, x._data), x._backend
    )
    return keep_for_backward(result, n=n)


def multigammaln(input: Any, p: int) -> Tensor:
    """The multivariate log-gamma function of dimension ``p``:
    ``p (p - 1) / 4 log(pi) + sum_j gammaln(input - j / 2)`` for ``j < p``
    (torch's ``mvlgamma``)."""
    p = int(p)
    if p < 1:
        raise RuntimeError("p has to be greater than or equal to 1")
    x = operand(input)
    backend = x._backend
    halves = [j / 2 for j in range(p)]
    steps = backend.xp.asarray(halves, dtype=x._data.dtype, device=backend.device_of(x._data))
    terms = gammaln(ops.subtract(ops.expand_dims(x, axis=-1), steps))
    return ops.add(ops.sum(terms, axis=-1), p * (p - 1) / 4 * math.log(math.pi))


# -- Hurwitz zeta -------------------------------------------------------------------------
class SpecialZetaBackward0(Node):
    """``zeta(x, q)``: ``d/dq = -x zeta(x + 1, q)``; torch has no derivative in ``x``."""

    __slots__ = ()
    _saved_from = (0, 1)

    def vjp(self, xp: Any, g: Any, x: Any, q: Any) -> tuple[Any, ...]:
        if needs(self, 0):
            raise NotImplementedError("the derivative for 'zeta' is not implemented.")
        return (None, g * -x * _call(self, "zeta", x + 1, q))


class SpecialZetaBackward1(SpecialZetaBackward0):
    """``zeta(number, q)``."""

    __slots__ = ()


class SpecialZetaBackward2(SpecialZetaBackward0):
    """``zeta(x, number)``."""

    __slots__ = ()


def zeta(input: Any, other: Any) -> Tensor:
    """The Hurwitz zeta function ``sum_k (k + other) ** -input`` (``other = 1``: Riemann's).

    Differentiable in ``other`` only, as in torch: a backward pass through it while
    ``input`` requires grad raises torch's ``NotImplementedError``."""
    a, b, backend, ta, tb = binary_operands(input, other)
    out = _compute(backend, "zeta", a, b)
    cls = SpecialZetaBackward1 if ta is None else SpecialZetaBackward2 if tb is None else None
    return record(
        cls or SpecialZetaBackward0, (ta, tb), out, backend, broadcast=True, numbers=(a, b)
    )


# -- regularized incomplete gamma -----------------------------------------------------------
class IgammaBackward0(Node):
    """``gammainc(a, x)``: ``d/dx = exp((a - 1) log x - x - gammaln(a))``; torch has no
    derivative in ``a``."""

    __slots__ = ()
    _saved_from = (0, 1)
    _sign = 1
    _name = "igamma"

    def vjp(self, xp: Any, g: Any, a: Any, x: Any) -> tuple[Any, ...]:
        if needs(self, 0):
            raise NotImplementedError(
                f"the derivative for '{self._name}: input' is not implemented."
            )
        density = xp.exp((a - 1) * xp.log(x) - x - _call(self, "gammaln", a))
        return (None, g * density if self._sign > 0 else g * -density)


class IgammacBackward0(IgammaBackward0):
    """``gammaincc(a, x) = 1 - gammainc(a, x)``: the derivative with the other sign."""

    __slots__ = ()
    _sign = -1
    _name = "igammac"


def _incomplete(cls: type[Node], name: str, a: Any, x: Any) -> Tensor:
    da, dx, backend, ta, tx = binary_operands(a, x)
    out = _compute(backend, name, da, dx)
    return record(cls, (ta, tx), out, backend, broadcast=True, numbers=(da, dx))


def gammainc(input: Any, other: Any) -> Tensor:  # noqa: A002 - torch's names
    """The regularized lower incomplete gamma function ``P(input, other)`` (torch's
    ``igamma``).

    Differentiable in ``other`` only, as in torch: a backward pass through it while
    ``input`` requires grad raises torch's ``NotImplementedError``."""
    return _incomplete(IgammaBackward0, "gammainc", input, other)


def gammaincc(input: Any, other: Any) -> Tensor:  # noqa: A002
    """The regularized upper incomplete gamma function ``Q = 1 - P`` (torch's
    ``igammac``), differentiable in ``other`` only."""
    return _incomplete(IgammacBackward0, "gammaincc", input, other)
