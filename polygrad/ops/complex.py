"""Complex numbers: ``complex(real, imag)`` to build one (torch's ``torch.complex``),
``real``, ``imag``, ``conj`` and the complex ``sign`` (torch's ``sgn``), differentiable
with torch's conjugate-Wirtinger convention.

For a real-valued loss ``L`` of a complex ``z``, the gradient torch reports is
``dL/dre(z) + i dL/dim(z)``; every rule here returns exactly that, so complex
gradients match torch's. ``real`` and ``imag`` are views of a complex tensor, as in
torch; on real tensors ``real`` and ``conj`` return the input itself, as torch does.
"""

from __future__ import annotations

from typing import Any

from .._core import _callbacks
from .._core._dtypes import dtype_name
from .._core._node import Node
from .._core._record import keep_for_backward, operand, record
from .._core._tensor import Tensor
from .._core._view_steps import Part
from .._core._views import make_view
from ._support import is_complex


class ConjBackward0(Node):
    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.conj(g),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.conj(t[0])


class SelectBackward0(Node):
    """``real(z)``/``imag(z)``: torch selects from ``view_as_real(z)``, hence the name.

    ``imag_part`` marks ``imag``; the incoming real gradient goes back as
    ``g + 0j`` (``real``) or ``i g`` (``imag``).
    """

    __slots__ = ("imag_part",)

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (g * 1j if self.imag_part else g + 0j,)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        return xp.imag(t[0]) if self.imag_part else xp.real(t[0])


class ComplexBackward0(Node):
    """``complex(re, im)``: the real input gets ``real(g)``, the imaginary one ``imag(g)``."""

    __slots__ = ()

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        return (xp.real(g), xp.imag(g))

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        real, imag = (xp.zeros_like(x) if tx is None else tx for tx, x in zip(t, inputs))
        return complex(real, imag)


class SgnBackward0(Node):
    """``z / |z|``: its derivative is ``(g - conj(g) sgn**2) / (2 |z|)``, 0 at 0 (torch)."""

    __slots__ = ()
    _saved_from = (0, -1)

    def vjp(self, xp: Any, g: Any, z: Any, sgn: Any) -> tuple[Any, ...]:
        magnitude = xp.abs(z)
        step = (g - xp.conj(g) * sgn * sgn) / (2 * magnitude)
        return (xp.where(magnitude == 0, xp.zeros_like(step), step),)

    def jvp(self, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
        # d(z/|z|) = (dz - sgn Re(conj(sgn) dz)) / |z|, 0 at 0
        (z,), sgn = inputs, outputs[0]
        magnitude = xp.abs(z)
        step = (t[0] - sgn * xp.real(xp.conj(sgn) * t[0])) / magnitude
        return xp.where(magnitude == 0, xp.zeros_like(step), step)


def complex(real: Any, imag: Any, /) -> Tensor:
    """``real + i imag`` from two float32 (complex64) or float64 (complex128) tensors of
    one dtype, broadcast together: torch's ``torch.complex``."""
    re = operand(real)
    im = operand(imag, re)
    names = dtype_name(re._data.dtype), dtype_name(im._data.dtype)
    if names[0] != names[1] or names[0] not in ("float32", "float64"):
        raise RuntimeError(
            f"complex expects two float32 or two float64 tensors, got {names[0]} and {names[1]}"
        )
    out = re._backend.complex(re._data, im._data)
    return record(ComplexBackward0, (re, im), out, re._backend, broadcast=True)


def conj(x: Any, /) -> Tensor:
    """Elementwise complex conjugate (the input itself for real tensors)."""
    x = operand(x)
    if not is_complex(x._data):
        return x
    return record(ConjBackward0, (x,), x._backend.xp.conj(x._data), x._backend)


def _part(x: Any, imag_part: bool) -> Tensor:
    x = operand(x)
    xp = x._backend.xp
    if not is_complex(x._data):
        if not imag_part:
            return x
        raise RuntimeError("imag is not implemented for tensors with non-complex dtypes.")
    out = xp.imag(x._data) if imag_part else xp.real(x._data)
    result = record(SelectBackward0, (x,), out, x._backend)
    keep_for_backward(result, imag_part=imag_part)
    return make_view(x, result, Part(imag_part))  # writes through it change x, as in torch


def real(x: Any, /) -> Tensor:
    """Elementwise real part: a view, as in torch (writing into it changes ``x``); the
    input itself for real tensors."""
    return _part(x, False)


def imag(x: Any, /) -> Tensor:
    """Elementwise imaginary part of a complex tensor: a view, as in torch (writing into it
    changes ``x``)."""
    return _part(x, True)


def sgn(x: Any, /) -> Tensor:
    """``x / |x|`` for complex ``x`` (0 at 0): the standard's complex ``sign``."""
    x = operand(x)
    return record(SgnBackward0, (x,), x._backend.xp.sign(x._data), x._backend)


_callbacks.recorded_complex = complex  # writes through .real/.imag views in a recorded backward
