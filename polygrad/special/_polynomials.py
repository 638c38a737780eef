"""Classical orthogonal polynomials of torch.special: ``chebyshev_polynomial_t/u/v/w``,
their ``shifted_`` forms on [0, 1], ``hermite_polynomial_h/he``, ``laguerre_polynomial_l``
and ``legendre_polynomial_p``, each ``f(x, n)``.

Written in array-API code, so every backend computes them the same way: torch's
algorithm (ATen's ``Math.h``) elementwise: ``n`` truncated to an integer, 0 for
``n < 0``, exact values at the interval's ends, the trigonometric form for large ``n``
inside the interval (Chebyshev), else the three-term recurrence up to the largest ``n``.
As in torch, the results do not require grad (torch defines no derivative for them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._core._dtypes import get_default_dtype
from .._core._record import _SCALARS, binary_operands
from .._core._tensor import Tensor, _make_without_grad


@dataclass(frozen=True)
class _Family:
    """One polynomial family: ``P_1(y)``, the step ``P_{m+1}`` from ``P_{m-1}, P_m``, and
    the values torch fixes before recurring (each ``(xp, y, n) -> (where, value)``)."""

    first: Callable[[Any], Any]
    step: Callable[[Any, int, Any, Any], Any]
    fixed: tuple[Callable[[Any, Any, Any], tuple[Any, Any]], ...] = ()
    shifted: bool = False


def _parity(xp: Any, n: Any, value: Any) -> Any:
    """``value`` for even ``n``, ``-value`` for odd."""
    return xp.where(n % 2 == 0, value, -value)


def _at_ends(rule: Callable[[Any, Any, Any], Any]) -> Callable[[Any, Any, Any], tuple[Any, Any]]:
    """Exact values at ``|y| == 1``; ``rule(xp, y, n)`` gives them."""
    return lambda xp, y, n: (xp.abs(y) == 1, rule(xp, y, n))


def _inside(
    above: int, rule: Callable[[Any, Any, Any], Any]
) -> Callable[[Any, Any, Any], tuple[Any, Any]]:
    """The trigonometric form for ``n > above`` and ``|y| < 1``."""
    return lambda xp, y, n: ((n > above) & (xp.abs(y) < 1), rule(xp, y, n))


def _t_inside(xp: Any, y: Any, n: Any) -> Any:
    return xp.cos(n * xp.acos(y))


def _u_inside(xp: Any, y: Any, n: Any) -> Any:
    angle = xp.acos(y)
    sine = xp.sin(angle)
    return xp.where(
        sine != 0, xp.sin((n + 1) * angle) / sine, (n + 1) * xp.cos((n + 1) * angle) / y
    )


def _v_inside(xp: Any, y: Any, n: Any) -> Any:
    angle = xp.acos(y)
    value = xp.cos((n + 0.5) * angle) / xp.cos(angle / 2)
    return xp.where(xp.sin(angle / 2) != 1, value, _parity(xp, n, n + n + 1))


def _w_inside(xp: Any, y: Any, n: Any) -> Any:
    angle = xp.acos(y)
    value = xp.sin((n + 0.5) * angle) / xp.sin(angle / 2)
    end = xp.where(y > 0, n + n + 1, _parity(xp, n, xp.ones_like(n)))
    return xp.where(xp.cos(angle / 2) != 1, value, end)


def _t_ends(xp: Any, y: Any, n: Any) -> Any:
    return xp.where(y > 0, xp.ones_like(n), _parity(xp, n, xp.ones_like(n)))


def _u_ends(xp: Any, y: Any, n: Any) -> Any:
    return xp.where(y > 0, n + 1, _parity(xp, n, n + 1))


def _v_ends(xp: Any, y: Any, n: Any) -> Any:
    return xp.where(y > 0, xp.ones_like(n), _parity(xp, n, n + n + 1))


def _w_ends(xp: Any, y: Any, n: Any) -> Any:
    return xp.where(y > 0, n + n + 1, _parity(xp, n, xp.ones_like(n)))


def _chebyshev_step(y: Any, m: int, p: Any, q: Any) -> Any:
    return (y + y) * q - p


def _chebyshev(first: Callable[[Any], Any], ends: Any, inside: Any, above: int) -> _Family:
    return _Family(first, _chebyshev_step, (_inside(above, inside), _at_ends(ends)))


def _shifted(family: _Family, inside: Any, ends: Any) -> _Family:
    """The same polynomial of ``2x - 1`` (torch switches to the trigonometric form at 6)."""
    return _Family(family.first, family.step, (_inside(6, inside), _at_ends(ends)), shifted=True)


_T = _chebyshev(lambda y: y, _t_ends, _t_inside, 6)
_U = _chebyshev(lambda y: y + y, _u_ends, _u_inside, 8)
_V = _chebyshev(lambda y: y + y - 1, _v_ends, _v_inside, 8)
_W = _chebyshev(lambda y: y + y + 1, _w_ends, _w_inside, 8)
_HERMITE_H = _Family(lambda x: x + x, lambda x, m, p, q: (x + x) * q - (m + m) * p)
_HERMITE_HE = _Family(lambda x: x, lambda x, m, p, q: x * q - m * p)
_LAGUERRE = _Family(
    lambda x: 1 - x,
    lambda x, m, p, q: (((m + m) + (1 - x)) * q - m * p) / (m + 1),
    ((lambda xp, x, n: (x == 0, xp.ones_like(n))),),
)
_LEGENDRE = _Family(
    lambda x: x,
    lambda x, m, p, q: ((m + m + 1) * x * q - m * p) / (m + 1),
    (_at_ends(_t_ends),),
)


def _evaluate(family: _Family, x: Any, n: Any) -> Tensor:
    a, b, backend, tx, tn = binary_operands(x, n)
    xp = backend.xp
    arrays = [v for v in (a, b) if not isinstance(v, _SCALARS)]
    dtype = xp.result_type(*(v.dtype for v in arrays))
    if not backend.pg_dtype(dtype).differentiable:
        dtype = backend.dtype(get_default_dtype())
    device = backend.device_of(arrays[0])
    a, b = (xp.asarray(v, dtype=dtype, device=device) for v in (a, b))
    order = xp.astype(b, xp.int64)  # torch truncates n to an integer
    y, order = xp.broadcast_arrays(a + a - 1 if family.shifted else a, order)
    n = xp.astype(order, dtype)
    with backend.quiet_floating_point():
        p, q = xp.ones_like(y), family.first(y)
        top = int(xp.max(order)) if order.size else 0
        for m in range(1, top):
            later = order > m
            p, q = xp.where(later, q, p), xp.where(later, family.step(y, m, p, q), q)
        out = xp.where(order == 0, xp.ones_like(y), q)
        for rule in family.fixed:
            where, value = rule(xp, y, n)
            out = xp.where(where, value, out)
        out = xp.where(order < 0, xp.zeros_like(y), out)
    return _make_without_grad(out, backend)


def chebyshev_polynomial_t(input: Any, n: Any) -> Tensor:
    """The Chebyshev polynomial of the first kind ``T_n(input)``."""
    return _evaluate(_T, input, n)


def chebyshev_polynomial_u(input: Any, n: Any) -> Tensor:
    """The Chebyshev polynomial of the second kind ``U_n(input)``."""
    return _evaluate(_U, input, n)


def chebyshev_polynomial_v(input: Any, n: Any) -> Tensor:
    """The Chebyshev polynomial of the third kind ``V_n(input)``."""
    return _evaluate(_V, input, n)


def chebyshev_polynomial_w(input: Any, n: Any) -> Tensor:
    """The Chebyshev polynomial of the fourth kind ``W_n(input)``."""
    return _evaluate(_W, input, n)


def shifted_chebyshev_polynomial_t(input: Any, n: Any) -> Tensor:
    """``T_n(2 input - 1)``, the first kind on [0, 1]."""
    return _evaluate(_shifted(_T, _t_inside, _t_ends), input, n)


def shifted_chebyshev_polynomial_u(input: Any, n: Any) -> Tensor:
    """``U_n(2 input - 1)``, the second kind on [0, 1]."""
    return _evaluate(_shifted(_U, _u_inside, _u_ends), input, n)


def shifted_chebyshev_polynomial_v(input: Any, n: Any) -> Tensor:
    """``V_n(2 input - 1)``, the third kind on [0, 1]."""
    return _evaluate(_shifted(_V, _v_inside, _v_ends), input, n)


def shifted_chebyshev_polynomial_w(input: Any, n: Any) -> Tensor:
    """``W_n(2 input - 1)``, the fourth kind on [0, 1]."""
    return _evaluate(_shifted(_W, _w_inside, _w_ends), input, n)


def hermite_polynomial_h(input: Any, n: Any) -> Tensor:
    """The physicists' Hermite polynomial ``H_n(input)``."""
    return _evaluate(_HERMITE_H, input, n)


def hermite_polynomial_he(input: Any, n: Any) -> Tensor:
    """The probabilists' Hermite polynomial ``He_n(input)``."""
    return _evaluate(_HERMITE_HE, input, n)


def laguerre_polynomial_l(input: Any, n: Any) -> Tensor:
    """The Laguerre polynomial ``L_n(input)``."""
    return _evaluate(_LAGUERRE, input, n)


def legendre_polynomial_p(input: Any, n: Any) -> Tensor:
    """The Legendre polynomial ``P_n(input)``."""
    return _evaluate(_LEGENDRE, input, n)
