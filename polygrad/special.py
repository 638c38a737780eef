"""Differentiable special functions: ``pg.special.erf(x)``, also ``xp.special`` on the namespace.

``erf erfc erfinv erfcx expit logit gammaln digamma`` (alias ``psi``, SciPy's name)
``polygamma ndtr log_ndtr ndtri xlogy xlog1py entr i0 i0e i1 i1e``, each with torch's derivative and node name. SciPy (with
``SCIPY_ARRAY_API=1``) looks up ``xp.special.<name>`` on a foreign namespace, so
``scipy.special.erf(tensor)`` runs these and stays in the graph.

Values come from the backend's own implementation: ``scipy.special`` for NumPy,
``torch.special`` for torch, ``jax.scipy.special`` for JAX. Backends without one
(array-api-strict, Dask) go through NumPy and ``scipy.special`` and back: the
standard has no special functions, so that conversion is the only way there.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from typing import Any

from ._node import Node
from ._record import _SCALARS, binary_operands, operand, record
from ._tensor import Tensor
from .ops._support import needs
from .ops.elementwise import SigmoidBackward0

__all__ = [
    "digamma",
    "entr",
    "erf",
    "erfc",
    "erfcx",
    "erfinv",
    "expit",
    "gammaln",
    "i0",
    "i0e",
    "i1",
    "i1e",
    "log_ndtr",
    "logit",
    "ndtr",
    "ndtri",
    "polygamma",
    "psi",
    "xlog1py",
    "xlogy",
]

#: Where each backend keeps its own special functions (by the adapter's name).
NATIVE_MODULES = {"numpy": "scipy.special", "torch": "torch.special", "jax": "jax.scipy.special"}
_SQRT_2PI = math.sqrt(2 * math.pi)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)
_found: dict[tuple[str, str], Callable[..., Any]] = {}


def native(backend: Any, name: str) -> Callable[..., Any]:
    """The backend's own ``name`` on raw arrays (through NumPy/SciPy where it has none)."""
    key = (backend.name, name)
    fn = _found.get(key)
    if fn is None:
        module = NATIVE_MODULES.get(backend.name)
        fn = getattr(importlib.import_module(module), name, None) if module else None
        if fn is None:
            fn = _via_numpy(backend, getattr(importlib.import_module("scipy.special"), name))
        _found[key] = fn
    return fn


def _via_numpy(backend: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(*args: Any) -> Any:
        like = next(a for a in args if not isinstance(a, _SCALARS))
        out = fn(*[a if isinstance(a, _SCALARS) else backend.to_numpy(a) for a in args])
        return backend.asarray(out, device=backend.device_of(like))

    return run


def _compute(backend: Any, name: str, *args: Any) -> Any:
    """Run the native function; keep the floating input's dtype (SciPy may widen it)."""
    out = native(backend, name)(*args)
    like = next((a for a in args if not isinstance(a, _SCALARS)), None)
    if like is not None and type(out) is not type(like):
        out = backend.xp.asarray(out)  # NumPy ufuncs return scalars for 0-d input
    if like is not None and out.dtype != like.dtype and backend.pg_dtype(like.dtype).differentiable:
        out = backend.xp.astype(out, like.dtype)
    return out


def _call(node: Node, name: str, *args: Any) -> Any:
    """A special function inside a rule: recorded on Tensors, native on raw arrays."""
    if any(isinstance(a, Tensor) for a in args):
        return globals()[name](*args)
    return _compute(node._backend, name, *args)


def _unary(cls: type[Node], name: str, x: Any) -> Tensor:
    x = operand(x)
    return record(cls, (x,), _compute(x._backend, name, x._data), x._backend)


# -- error function and normal distribution ----------------------------------------------
class ErfBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * _TWO_OVER_SQRT_PI * xp.exp(-(x * x)),)


class ErfcBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (-g * _TWO_OVER_SQRT_PI * xp.exp(-(x * x)),)


class MulBackward1(Node):
    """``ndtr``: torch computes it as ``(1 + erf(x / sqrt 2)) * 0.5``, whose last node
    is this one; polygrad keeps one node with the normal density as its derivative."""

    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * xp.exp(-0.5 * x * x) / _SQRT_2PI,)


class SpecialLogNdtrBackward0(Node):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        return (g / _SQRT_2PI * xp.exp(-(result + x * x / 2)),)


class SpecialNdtriBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        return (g * _SQRT_2PI * xp.exp(result * result / 2),)


class ErfinvBackward0(Node):
    __slots__ = ()
    _saved_from = (-1,)

    def vjp(self, xp: Any, g: Any, result: Any) -> tuple[Any, ...]:
        return (g * (0.5 * math.sqrt(math.pi)) * xp.exp(result * result),)


class SpecialErfcxBackward0(Node):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        return ((2 * x * result - _TWO_OVER_SQRT_PI) * g,)


def erf(x: Any, /) -> Tensor:
    """The error function ``2/sqrt(pi) * integral_0^x exp(-t**2) dt``."""
    return _unary(ErfBackward0, "erf", x)


def erfc(x: Any, /) -> Tensor:
    """The complementary error function ``1 - erf(x)``, accurate for large x."""
    return _unary(ErfcBackward0, "erfc", x)


def erfinv(x: Any, /) -> Tensor:
    """The inverse of ``erf`` on (-1, 1)."""
    return _unary(ErfinvBackward0, "erfinv", x)


def erfcx(x: Any, /) -> Tensor:
    """The scaled complementary error function ``exp(x**2) * erfc(x)``."""
    return _unary(SpecialErfcxBackward0, "erfcx", x)


def ndtr(x: Any, /) -> Tensor:
    """The standard normal CDF."""
    return _unary(MulBackward1, "ndtr", x)


def log_ndtr(x: Any, /) -> Tensor:
    """``log(ndtr(x))``, accurate in both tails."""
    return _unary(SpecialLogNdtrBackward0, "log_ndtr", x)


def ndtri(x: Any, /) -> Tensor:
    """The inverse of ``ndtr`` (the standard normal quantile function)."""
    return _unary(SpecialNdtriBackward0, "ndtri", x)


# -- logistic ---------------------------------------------------------------------------
class LogitBackward0(Node):
    """Outside [0, 1] the derivative is NaN, as in torch."""

    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        step = g / (x * (1 - x))
        outside = (x < 0) | (x > 1)
        return (xp.where(outside, xp.full_like(step, math.nan), step),)


def expit(x: Any, /) -> Tensor:
    """The logistic sigmoid ``1 / (1 + exp(-x))`` (torch's ``SigmoidBackward0``)."""
    return _unary(SigmoidBackward0, "expit", x)


def logit(x: Any, /) -> Tensor:
    """``log(x / (1 - x))``, the inverse of ``expit``."""
    return _unary(LogitBackward0, "logit", x)


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
    if result._grad_fn is not None:
        result._grad_fn.n = n
    return result


# -- x * log(y) ---------------------------------------------------------------------------
class XlogyBackward0(Node):
    """``xlogy(x, y)``; the ``x`` gradient is 0 where ``x == 0`` and ``y <= 0`` (torch)."""

    __slots__ = ()
    _saved_from = (0, 1)
    _function = "xlogy"
    _pole = 0.0

    def vjp(self, xp: Any, g: Any, x: Any, y: Any) -> tuple[Any, ...]:
        gx = gy = None
        if needs(self, 0):
            step = _call(self, self._function, g, y)
            gx = xp.where((x == 0) & (y <= self._pole), xp.zeros_like(step), step)
        if needs(self, 1):
            gy = g * x / (y - self._pole)
        return (gx, gy)


class XlogyBackward1(XlogyBackward0):
    """``xlogy(number, y)``."""

    __slots__ = ()


class XlogyBackward2(XlogyBackward0):
    """``xlogy(x, number)``."""

    __slots__ = ()


class SpecialXlog1PyBackward0(XlogyBackward0):
    """``xlog1py(x, y) = x * log1p(y)``: the same rule with the pole at ``y = -1``."""

    __slots__ = ()
    _function = "xlog1py"
    _pole = -1.0


class SpecialXlog1PyBackward1(SpecialXlog1PyBackward0):
    __slots__ = ()


class SpecialXlog1PyBackward2(SpecialXlog1PyBackward0):
    __slots__ = ()


def _xlogy_family(classes: tuple[type[Node], ...], name: str, x: Any, y: Any) -> Tensor:
    a, b, backend, ta, tb = binary_operands(x, y)
    out = _compute(backend, name, a, b)
    cls = classes[1] if ta is None else classes[2] if tb is None else classes[0]
    return record(cls, (ta, tb), out, backend, broadcast=True, numbers=(a, b))


def xlogy(x: Any, y: Any, /) -> Tensor:
    """``x * log(y)``, taken as 0 where ``x == 0`` (also at ``y == 0``)."""
    return _xlogy_family((XlogyBackward0, XlogyBackward1, XlogyBackward2), "xlogy", x, y)


def xlog1py(x: Any, y: Any, /) -> Tensor:
    """``x * log1p(y)``, taken as 0 where ``x == 0``."""
    return _xlogy_family(
        (SpecialXlog1PyBackward0, SpecialXlog1PyBackward1, SpecialXlog1PyBackward2), "xlog1py", x, y
    )


class SpecialEntrBackward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * -(1 + xp.log(x)),)


def entr(x: Any, /) -> Tensor:
    """Elementwise entropy term ``-x log(x)`` (0 at 0, -inf for x < 0)."""
    return _unary(SpecialEntrBackward0, "entr", x)


# -- modified Bessel functions -----------------------------------------------------------
def _away_from_zero(xp: Any, x: Any) -> tuple[Any, Any]:
    """(|x| > eps, x with tiny entries replaced by eps): torch's guard at x = 0."""
    eps = xp.finfo(x.dtype).eps
    big = xp.abs(x) > eps
    return big, xp.where(big, x, xp.full_like(x, eps))


class I0Backward0(Node):
    __slots__ = ()
    _saved_from = (0,)

    def vjp(self, xp: Any, g: Any, x: Any) -> tuple[Any, ...]:
        return (g * _call(self, "i1", x),)


class SpecialI0EBackward0(Node):
    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        return (g * (_call(self, "i1e", x) - xp.sign(x) * result),)


class SpecialI1Backward0(Node):
    """``i1' = i0 - i1 / x``, with torch's exact 0.5 at x = 0."""

    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        big, safe = _away_from_zero(xp, x)
        slope = _call(self, "i0", safe) - result / safe
        return (g * xp.where(big, slope, xp.full_like(slope, 0.5)),)


class SpecialI1EBackward0(Node):
    """``i1e' = i0e - i1e (sign(x) + 1/x)``, with torch's exact 0.5 at x = 0."""

    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, x: Any, result: Any) -> tuple[Any, ...]:
        big, safe = _away_from_zero(xp, x)
        slope = _call(self, "i0e", safe) - result * (xp.sign(safe) + 1 / safe)
        return (g * xp.where(big, slope, xp.full_like(slope, 0.5)),)


def i0(x: Any, /) -> Tensor:
    """The modified Bessel function of the first kind, order 0."""
    return _unary(I0Backward0, "i0", x)


def i0e(x: Any, /) -> Tensor:
    """``exp(-|x|) * i0(x)``, without overflow."""
    return _unary(SpecialI0EBackward0, "i0e", x)


def i1(x: Any, /) -> Tensor:
    """The modified Bessel function of the first kind, order 1."""
    return _unary(SpecialI1Backward0, "i1", x)


def i1e(x: Any, /) -> Tensor:
    """``exp(-|x|) * i1(x)``, without overflow."""
    return _unary(SpecialI1EBackward0, "i1e", x)
