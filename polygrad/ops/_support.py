"""Shared plumbing of the elementwise families: running a backend function on raw data,
turning Python-number operands into arrays, torch's conjugate-Wirtinger helper, and the
small pieces tangent (``jvp``) rules share.

Not user-facing; ``elementwise_math``, ``rounding``, ``complex``, ``bitwise`` and
``polygrad.special`` build on it.
"""

from __future__ import annotations

import warnings
from typing import Any

from .._core._dtypes import PYTHON_NUMBERS, _complex_dtypes, is_complex
from .._core._node import Node
from .._core._record import binary_operands, operand, record
from .._core._tensor import Tensor


def needs(node: Node, i: int) -> bool:
    """Some input ``i`` of ``node`` wants a gradient (skip work nobody uses)."""
    return node.next_functions[i][0] is not None


def conj(xp: Any, value: Any) -> Any:
    """``conj(value)`` for complex values, ``value`` itself otherwise.

    torch's rules multiply the incoming gradient by the conjugate of the derivative
    (the conjugate-Wirtinger convention); on real data that is a no-op we skip.
    """
    if type(value) in PYTHON_NUMBERS:  # first: ``getattr(1.5, "dtype", None)`` raises inside
        return value.conjugate() if type(value) is complex else value
    dtype = getattr(value, "dtype", None)
    if dtype is None:  # a subclass of a Python number
        return value.conjugate() if isinstance(value, complex) else value
    found = _complex_dtypes.get(id(dtype))  # the hot case: one lookup
    if found is not None:
        return xp.conj(value) if found[1] else value
    return xp.conj(value) if is_complex(value) else value


def zero_at_kink(xp: Any, mask: Any, compute: Any, operand: Any) -> Any:
    """torch's ``compute(operand).masked_fill_(mask, 0)``, the subgradient 0 at a kink.

    On raw arrays (first order) the masked entries see a harmless operand, so nothing
    divides by zero. Recorded (``create_graph``), the computation runs on the real
    operand as torch's does, so the second derivative at the kink is torch's NaN
    (0 times an infinite slope); the backend's division warnings there are expected.
    """
    if not isinstance(operand, Tensor):
        return xp.where(mask, 0.0, compute(xp.where(mask, 1.0, operand)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return xp.where(mask, 0.0, compute(operand))


def writable(node: Node, fresh: Any) -> bool:
    """Whether a rule may overwrite ``fresh``, an array it has just made: raw arrays of
    mutable backends (in graph mode rules run on Tensors, and JAX arrays are immutable)."""
    return node._backend.mutable and not isinstance(fresh, Tensor)


def times(node: Node, g: Any, fresh: Any) -> Any:
    """``g * fresh`` for an array ``fresh`` the rule has just made (nothing else holds it).

    On raw arrays of a mutable backend the product is written into ``fresh``: a big
    elementwise backward then allocates one array per rule, not one per step.
    """
    if writable(node, fresh) and fresh.dtype == g.dtype and fresh.shape == g.shape:
        fresh *= g
        return fresh
    return g * fresh


def unary(cls: type[Node], name: str, x: Any) -> Tensor:
    """Apply the backend's standard function ``name`` to ``x`` and record ``cls``."""
    x = operand(x)
    backend = x._backend
    return record(cls, (x,), getattr(backend.xp, name)(x._data), backend)


def add_tangents(*terms: Any) -> Any:
    """The sum of the terms that are not None (None when all are): a tangent rule's
    contributions from the inputs that carry a tangent."""
    total = None
    for term in terms:
        if term is not None:
            total = term if total is None else total + term
    return total


def scaled(t: Any, factor: Any) -> Any:
    """``t * factor``, or None for an input without a tangent."""
    return None if t is None else t * factor


def zeros_where(xp: Any, condition: Any, g: Any) -> Any:
    """``g`` where ``condition`` is False, 0 where it is True."""
    return xp.where(condition, xp.zeros_like(g), g)


def scalar_array(backend: Any, value: Any, like: Any) -> Any:
    """A Python number as a 0-d array that combines with ``like`` as the standard says.

    A number takes the array's dtype when their kinds agree (``float32 + 2.0`` is
    float32); otherwise the backend decides (``int64 array`` and ``2.5``).
    """
    xp = backend.xp
    try:
        dtype = xp.result_type(like.dtype, value)
    except TypeError:
        dtype = None
    return xp.asarray(value, dtype=dtype, device=backend.device_of(like))


def array_operands(x1: Any, x2: Any) -> tuple[Any, Any, Any, Any, Any]:
    """Like ``binary_operands`` but Python numbers become 0-d arrays (``None`` as tensors).

    For backend functions (``atan2``, ``hypot``...) that some libraries only accept
    with array arguments.
    """
    a, b, backend, ta, tb = binary_operands(x1, x2)
    if ta is None:
        a = scalar_array(backend, a, b)
    elif tb is None:
        b = scalar_array(backend, b, a)
    return a, b, backend, ta, tb


def binary(cls: type[Node], name: str, x1: Any, x2: Any) -> Tensor:
    """``xp.<name>(x1, x2)`` on the backend, recorded as ``cls`` (numbers saved as arrays)."""
    a, b, backend, ta, tb = array_operands(x1, x2)
    out = getattr(backend.xp, name)(a, b)
    return record(cls, (ta, tb), out, backend, broadcast=True, numbers=(a, b))
