"""The gamma family: ``gammaln digamma`` (alias ``psi``) ``polygamma``, differentiable
with torch's node names (each derivative is the next function of the family)."""

from __future__ import annotations

from typing import Any

from .._core._node import Node
from .._core._record import keep_for_backward, operand, record
from .._core._tensor import Tensor
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
