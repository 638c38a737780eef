"""The standard's values of complex ``expm1`` and ``tanh`` where NumPy, torch and JAX
depart from it (found by the official suite, data-apis/array-api-tests).

The ops call these only for complex input, so real arrays pay nothing but a dtype check.
"""

from __future__ import annotations

import math
from typing import Any

from .._core._dtypes import is_complex


def complex_expm1(backend: Any, z: Any) -> Any:
    """``expm1`` of complex ``z = a + ib`` with the standard's special values.

    NumPy and torch give NaN where the standard has ``-1 + 0j`` (``a = -inf``, ``b``
    infinite or NaN), ``inf + 0j`` (``a = +inf``, ``b = 0``) or ``NaN + 0j``
    (``a`` NaN, ``b = 0``). Finite values use NumPy's own formula,
    ``expm1(a) cos(b) - 2 sin(b/2)^2 + i exp(a) sin(b)``, accurate near 0.
    """
    xp = backend.xp
    a, b = xp.real(z), xp.imag(z)
    half_sin = xp.sin(b / 2)
    # + 0.0 turns the -0 of expm1(-0 + 0j) into the standard's +0
    real = xp.expm1(a) * xp.cos(b) - 2 * half_sin * half_sin + 0.0
    imag = xp.where(b == 0, b, xp.exp(a) * xp.sin(b))  # exp(a) * 0 is NaN at a = inf or NaN
    b_not_finite = ~xp.isfinite(b)
    vanishing = a == -math.inf  # exp(a) = 0 whatever b is
    real = xp.where(vanishing, -1.0, real)
    imag = xp.where(vanishing & b_not_finite, 0.0, imag)
    real = xp.where((a == math.inf) & b_not_finite, math.inf, real)
    return backend.complex(real, imag)


def standard_tanh(backend: Any, z: Any) -> Any:
    """``tanh(z)`` on the backend; for complex ``z``, with the standard's imaginary part
    where ``real(z)`` is infinite and ``imag(z) = b`` finite: a zero with ``b``'s sign.
    The libraries follow C99's ``0 * sin(2b)``, whose sign changes with ``b``'s value
    (``tanh(inf + 3j)`` is ``1 - 0j`` there, ``1 + 0j`` in the standard)."""
    xp = backend.xp
    out = xp.tanh(z)
    if not is_complex(out):
        return out
    a, b = xp.real(z), xp.imag(z)
    zero_with_sign_of_b = xp.copysign(xp.zeros_like(b), b)
    imag = xp.where(xp.isinf(a) & xp.isfinite(b), zero_with_sign_of_b, xp.imag(out))
    return backend.complex(xp.real(out), imag)
