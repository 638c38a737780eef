"""torch's Tensor methods over ``polygrad.special`` and bit-level views of the values:
``x.igamma(y)`` / ``x.igammac(y)`` (the regularized incomplete gamma functions),
``x.frexp()`` as ``(mantissa, exponent)`` and ``x.hash_tensor(dim)`` (torch's xor of
the values' 64-bit patterns). Their function forms (``pg.igamma``...) are these methods
applied to the first argument (``FUNCTION_OF_METHOD``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ... import special
from ..._core._tensor import Tensor, _make
from ..._core._torch_type_names import scalar_type_name
from ...ops.rounding import frexp as frexp_op
from . import _return_types as return_types


def _incomplete_gamma_operands(name: str, x: Any, other: Any) -> None:
    """torch's checks: ``other`` a Tensor, a floating result."""
    if not isinstance(other, Tensor):
        raise TypeError(
            f"{name}(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}"
        )
    for t in (x, other):
        if t.dtype.kind == "complex floating":
            raise NotImplementedError(
                f"\"{name}_cpu\" not implemented for '{scalar_type_name(t.dtype.name)}'"
            )
    if not (x.dtype.differentiable or other.dtype.differentiable):
        raise NotImplementedError(
            f"\"{name}_cpu\" not implemented for '{scalar_type_name(x.dtype.name)}'"
        )


def _hash_axes(ndim: int, dim: Any) -> tuple[int, ...]:
    if dim is None or (isinstance(dim, (tuple, list)) and len(dim) == 0):
        return tuple(range(ndim))
    dims = (dim,) if isinstance(dim, int) else tuple(dim)
    size = max(ndim, 1)
    for d in dims:
        if not -size <= d < size:
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], "
                f"but got {d})"
            )
    return tuple(sorted({d % size for d in dims})) if ndim else ()


class SpecialMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def igamma(self: Any, other: Any) -> Tensor:
        """The regularized lower incomplete gamma function ``P(self, other)``; a gradient
        in ``other`` only, as in torch (``pg.special.gammainc``)."""
        _incomplete_gamma_operands("igamma", self, other)
        return special.gammainc(self, other)

    def igammac(self: Any, other: Any) -> Tensor:
        """The regularized upper incomplete gamma function ``Q(self, other) = 1 - P``; a
        gradient in ``other`` only, as in torch (``pg.special.gammaincc``)."""
        _incomplete_gamma_operands("igammac", self, other)
        return special.gammaincc(self, other)

    def frexp(self: Any) -> return_types.frexp:
        """``(mantissa, exponent)``: ``self = mantissa * 2**exponent`` with ``0.5 <=
        |mantissa| < 1`` and an int32 exponent (torch's ``x.frexp()``). On JAX, whose CPU
        arithmetic flushes subnormal numbers to zero, a subnormal ``self`` comes back
        unchanged with exponent 0."""
        mantissa, exponent = frexp_op(self)
        return return_types.frexp(mantissa, exponent)

    def hash_tensor(self: Any, dim: Any = None, *, keepdim: bool = False, mode: int = 0) -> Tensor:
        """The xor of the values' 64-bit patterns over ``dim`` (all when None), as uint64:
        floats widened to float64, integers and bools to int64 first (torch's
        ``x.hash_tensor()``). The bits are read on the host, through NumPy."""
        if mode != 0:
            raise RuntimeError(f"Unknown hash_tensor mode: {mode}")
        kind = self.dtype.kind
        if kind == "complex floating":
            raise NotImplementedError(
                f"\"xor_sum_cpu\" not implemented for '{scalar_type_name(self.dtype.name)}'"
            )
        backend = self._backend
        values = backend.to_numpy(self._data)
        if dim is None and values.size == 0:
            raise RuntimeError(
                "hash_tensor: Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        wide = np.float64 if kind == "real floating" else np.int64
        bits = values.astype(wide, order="C").view(np.uint64)
        axes = _hash_axes(values.ndim, dim)
        hashed = np.bitwise_xor.reduce(bits, axis=axes, keepdims=True)
        if not keepdim:
            hashed = np.squeeze(hashed, axis=axes)
        out = backend.asarray(np.asarray(hashed), device=backend.device_of(self._data))
        return _make(out, backend)
