"""Runs a special function on raw arrays with the backend's own implementation.

``scipy.special`` for NumPy, ``torch.special`` for torch, ``jax.scipy.special`` for
JAX. A name the library lacks runs torch's own algorithm in array-API code where
polygrad has one (``_cephes``), else goes through NumPy and ``scipy.special`` and back.
``_unary`` records one node around such a call; ``_call`` is the same call inside a rule.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from typing import Any

from .._core._dtypes import get_default_dtype
from .._core._node import Node
from .._core._record import _SCALARS, operand, record
from .._core._tensor import Tensor, _make_without_grad
from . import _cephes

_found: dict[tuple[str, str], Callable[..., Any]] = {}
#: torch's own algorithms, in array-API code, where the library has no function of that name
_IN_ARRAY_API: dict[str, Callable[..., Any]] = {
    "bessel_j0": _cephes.bessel_j0,
    "bessel_j1": _cephes.bessel_j1,
    "bessel_y0": _cephes.bessel_y0,
    "bessel_y1": _cephes.bessel_y1,
}
#: torch.special's names that SciPy spells differently (or computes as a special case)
_SCIPY_SPELLINGS: dict[str, Callable[[Any], Callable[..., Any]]] = {
    "modified_bessel_i0": lambda s: s.i0,
    "modified_bessel_i1": lambda s: s.i1,
    "modified_bessel_k0": lambda s: s.k0,
    "modified_bessel_k1": lambda s: s.k1,
    "scaled_modified_bessel_k0": lambda s: s.k0e,
    "scaled_modified_bessel_k1": lambda s: s.k1e,
    "spherical_bessel_j0": lambda s: lambda x: s.spherical_jn(0, x),
    "airy_ai": lambda s: lambda x: s.airy(x)[0],
}


def native(backend: Any, name: str) -> Callable[..., Any]:
    """The backend's own ``name`` on raw arrays (through NumPy/SciPy where it has none;
    repaired where it is inaccurate: ``_REPAIRS``). Under ``pg.compile`` the call is
    recorded on the trace and replayed with the real backend's function."""
    if backend.tracing:
        real, trace = native(backend.real, name), backend.trace
        return lambda *args, **kwargs: trace.call(real, args, kwargs)
    key = (backend.name, name)
    fn = _found.get(key)
    if fn is None:
        module = backend.special_module
        fn = getattr(importlib.import_module(module), name, None) if module else None
        if fn is None and name in _IN_ARRAY_API:
            fn = _in_array_api(backend, _IN_ARRAY_API[name])
        if fn is None:
            scipy_special = importlib.import_module("scipy.special")
            spelling = _SCIPY_SPELLINGS.get(name)
            found = spelling(scipy_special) if spelling else getattr(scipy_special, name)
            fn = _via_numpy(backend, found)
        repair = _REPAIRS.get(key)
        fn = repair(backend, fn) if repair else fn
        _found[key] = fn
    return fn


def _reflected_polygamma(backend: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    """JAX's ``polygamma(n, x)`` (``n >= 1``) sums the Hurwitz zeta's series from
    ``x + 9``, which is inaccurate once that is still negative (0.16 off at ``x = -8.3``).
    For ``x < 0`` this uses the reflection ``psi_n(x) = (-1)**n psi_n(1 - x) -
    pi d^n/dx^n cot(pi x)``; the derivative is ``pi**(n + 1) P_n(cot(pi x))`` with
    ``P_0(c) = c`` and ``P_(k+1)(c) = -(1 + c**2) P_k'(c)``."""
    xp = backend.xp

    def run(n: Any, x: Any) -> Any:
        out = fn(n, x)
        if not isinstance(n, int) or n < 1:
            return out
        coefficients = [0.0, 1.0]  # P_0(c) = c, lowest power first
        for _ in range(n):
            slope = [k * c for k, c in enumerate(coefficients)][1:]
            squared = [0.0, 0.0, *slope]
            coefficients = [-(a + b) for a, b in zip([*slope, 0.0, 0.0], squared)]
        pole = (x <= 0) & (x == xp.floor(x))
        # torch: trigamma reflects at the poles too (pi**2 / sin(pi x)**2, huge but
        # finite off 0); higher orders are (-1)**(n + 1) n! zeta(n + 1, x) = +-inf there
        reflect = (x <= 0) if n == 1 else (x < 0) & ~pole
        safe = xp.where(reflect, x, -0.5)
        # cot(pi x) from r = x - round(x) (exact), cos(pi r) as sin(pi (1/2 - |r|)): exactly
        # 0 at half-integers, where the two terms would otherwise cancel to a few digits
        r = safe - xp.round(safe)
        cot = xp.sin(math.pi * (0.5 - xp.abs(r))) / xp.sin(math.pi * r)
        if n == 1:  # torch's trigamma at a pole: pi**2 / sin(pi x)**2 unreduced
            cot = xp.where(pole, xp.cos(math.pi * safe) / xp.sin(math.pi * safe), cot)
        poly = xp.full_like(safe, coefficients[-1])
        for c in reversed(coefficients[:-1]):
            poly = poly * cot + c
        reflected = (-1) ** n * fn(n, 1 - safe) - math.pi ** (n + 1) * poly
        out = xp.where(reflect, reflected, out)
        return out if n == 1 else xp.where(pole, (-1) ** (n + 1) * math.inf, out)

    return run


def _signed_digamma(backend: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    """JAX's ``digamma(0)`` is NaN; torch's is ``-inf`` (``+inf`` at ``-0.0``)."""
    xp = backend.xp

    def run(x: Any) -> Any:
        return xp.where(x == 0, xp.where(xp.signbit(x), math.inf, -math.inf), fn(x))

    return run


#: (backend, name): a wrapper around a native function that is inaccurate somewhere
_REPAIRS: dict[tuple[str, str], Callable[[Any, Callable[..., Any]], Callable[..., Any]]] = {
    ("jax", "polygamma"): _reflected_polygamma,
    ("jax", "digamma"): _signed_digamma,
}


def _in_array_api(backend: Any, fn: Callable[..., Any]) -> Callable[..., Any]:
    def run(x: Any) -> Any:
        with backend.quiet_floating_point():
            return fn(backend.xp, x)

    return run


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
        return getattr(importlib.import_module(__package__), name)(*args)
    return _compute(node._backend, name, *args)


def _unary_constant(name: str, x: Any) -> Tensor:
    """A function torch does not differentiate: its result never requires grad."""
    x = operand(x)
    backend, data = x._backend, x._data
    if not x.dtype.differentiable:  # integers and bools compute in the default float, as torch
        data = backend.xp.astype(data, backend.dtype(get_default_dtype()))
    return _make_without_grad(_compute(backend, name, data), backend)


def _unary(cls: type[Node], name: str, x: Any) -> Tensor:
    x = operand(x)
    return record(cls, (x,), _compute(x._backend, name, x._data), x._backend)
