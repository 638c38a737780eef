"""The rest of the array object's operators (``% // << >> ^``, reflected and in-place
forms), ``to_device``/``__dlpack__``, and torch-style methods for the standard's
elementwise functions (``x.atan2(y)``, ``x.floor()``, ``x.erf()``, ``x.real``...).

``& | ^ ~`` are bitwise, as the standard says (logical on boolean tensors). Every
method forwards to the one function that implements the op, so a method and its
function record the same node.
"""

from __future__ import annotations

from typing import Any

from .. import ops, special
from .._core._inplace import inplace
from ..ops.rounding import floor_divide_inplace


class ElementwiseMethods:
    __slots__ = ()

    # -- operators -------------------------------------------------------------------------
    def __mod__(self, other: Any) -> Any:
        return ops.remainder(self, other)

    def __rmod__(self, other: Any) -> Any:
        return ops.remainder(other, self)

    def __floordiv__(self, other: Any) -> Any:
        return ops.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Any:
        return ops.floor_divide(other, self)

    def __rand__(self, other: Any) -> Any:
        return ops.bitwise_and(other, self)

    def __ror__(self, other: Any) -> Any:
        return ops.bitwise_or(other, self)

    def __xor__(self, other: Any) -> Any:
        return ops.bitwise_xor(self, other)

    def __rxor__(self, other: Any) -> Any:
        return ops.bitwise_xor(other, self)

    def __lshift__(self, other: Any) -> Any:
        return ops.bitwise_left_shift(self, other)

    def __rlshift__(self, other: Any) -> Any:
        return ops.bitwise_left_shift(other, self)

    def __rshift__(self, other: Any) -> Any:
        return ops.bitwise_right_shift(self, other)

    def __rrshift__(self, other: Any) -> Any:
        return ops.bitwise_right_shift(other, self)

    # -- in-place operators ------------------------------------------------------------------
    def __imod__(self, other: Any) -> Any:
        return inplace(self, ops.remainder, other)

    def __ifloordiv__(self, other: Any) -> Any:
        return inplace(self, floor_divide_inplace, other)

    def __iand__(self, other: Any) -> Any:
        return inplace(self, ops.bitwise_and, other)

    def __ior__(self, other: Any) -> Any:
        return inplace(self, ops.bitwise_or, other)

    def __ixor__(self, other: Any) -> Any:
        return inplace(self, ops.bitwise_xor, other)

    def __ilshift__(self, other: Any) -> Any:
        return inplace(self, ops.bitwise_left_shift, other)

    def __irshift__(self, other: Any) -> Any:
        return inplace(self, ops.bitwise_right_shift, other)

    def __imatmul__(self, other: Any) -> Any:
        return inplace(self, ops.matmul, other)

    # -- devices and DLPack (graph exits are refused while grad is required) ----------------
    def to_device(self, device: Any, /, *, stream: Any = None) -> Any:
        """This tensor on ``device`` (recorded: the gradient moves back)."""
        return ops.to_device(self, device, stream=stream)

    def __dlpack__(
        self,
        *,
        stream: Any = None,
        max_version: tuple[int, int] | None = None,
        dl_device: tuple[Any, int] | None = None,
        copy: bool | None = None,
    ) -> Any:
        """A DLPack capsule of the data (the standard's keywords, passed on where given)."""
        if self._requires_grad:  # type: ignore[attr-defined]
            raise BufferError("Can't export tensors that require gradient, use tensor.detach()")
        given = {"stream": stream, "max_version": max_version, "dl_device": dl_device, "copy": copy}
        return self._data.__dlpack__(**{k: v for k, v in given.items() if v is not None})  # type: ignore[attr-defined]

    def __dlpack_device__(self) -> Any:
        return self._data.__dlpack_device__()  # type: ignore[attr-defined]

    # -- torch-style elementwise methods ------------------------------------------------------
    def acos(self) -> Any:
        return ops.acos(self)

    def acosh(self) -> Any:
        return ops.acosh(self)

    def asin(self) -> Any:
        return ops.asin(self)

    def asinh(self) -> Any:
        return ops.asinh(self)

    def atan(self) -> Any:
        return ops.atan(self)

    def atanh(self) -> Any:
        return ops.atanh(self)

    arccos, arccosh, arcsin, arcsinh, arctan, arctanh = acos, acosh, asin, asinh, atan, atanh

    def atan2(self, other: Any) -> Any:
        return ops.atan2(self, other)

    arctan2 = atan2

    def sinh(self) -> Any:
        return ops.sinh(self)

    def cosh(self) -> Any:
        return ops.cosh(self)

    def tan(self) -> Any:
        return ops.tan(self)

    def expm1(self) -> Any:
        return ops.expm1(self)

    def log1p(self) -> Any:
        return ops.log1p(self)

    def log2(self) -> Any:
        return ops.log2(self)

    def log10(self) -> Any:
        return ops.log10(self)

    def hypot(self, other: Any) -> Any:
        return ops.hypot(self, other)

    def logaddexp(self, other: Any) -> Any:
        return ops.logaddexp(self, other)

    def copysign(self, other: Any) -> Any:
        return ops.copysign(self, other)

    def nextafter(self, other: Any) -> Any:
        return ops.nextafter(self, other)

    def remainder(self, other: Any) -> Any:
        return ops.remainder(self, other)

    def floor_divide(self, other: Any) -> Any:
        return ops.floor_divide(self, other)

    def ceil(self) -> Any:
        return ops.ceil(self)

    def floor(self) -> Any:
        return ops.floor(self)

    def round(self, *, decimals: int = 0) -> Any:
        if decimals == 0:
            return ops.round(self)
        scale = 10.0**decimals
        return ops.divide(ops.round(ops.multiply(self, scale)), scale)

    def trunc(self) -> Any:
        return ops.trunc(self)

    def sign(self) -> Any:
        return ops.sign(self)

    def sgn(self) -> Any:
        return ops.sign(self)

    def signbit(self) -> Any:
        return ops.signbit(self)

    def positive(self) -> Any:
        return ops.positive(self)

    def conj(self) -> Any:
        return ops.conj(self)

    @property
    def real(self) -> Any:
        """The real part (torch's attribute; the tensor itself when it is real)."""
        return ops.real(self)

    @property
    def imag(self) -> Any:
        """The imaginary part of a complex tensor (torch's attribute)."""
        return ops.imag(self)

    def isfinite(self) -> Any:
        return ops.isfinite(self)

    def isinf(self) -> Any:
        return ops.isinf(self)

    def isnan(self) -> Any:
        return ops.isnan(self)

    def logical_and(self, other: Any) -> Any:
        return ops.logical_and(self, other)

    def logical_or(self, other: Any) -> Any:
        return ops.logical_or(self, other)

    def logical_xor(self, other: Any) -> Any:
        return ops.logical_xor(self, other)

    def logical_not(self) -> Any:
        return ops.logical_not(self)

    def bitwise_and(self, other: Any) -> Any:
        return ops.bitwise_and(self, other)

    def bitwise_or(self, other: Any) -> Any:
        return ops.bitwise_or(self, other)

    def bitwise_xor(self, other: Any) -> Any:
        return ops.bitwise_xor(self, other)

    def bitwise_not(self) -> Any:
        return ops.bitwise_invert(self)

    def bitwise_left_shift(self, other: Any) -> Any:
        return ops.bitwise_left_shift(self, other)

    def bitwise_right_shift(self, other: Any) -> Any:
        return ops.bitwise_right_shift(self, other)

    def tril(self, diagonal: int = 0) -> Any:
        return ops.tril(self, k=diagonal)

    def triu(self, diagonal: int = 0) -> Any:
        return ops.triu(self, k=diagonal)

    # torch's special-function methods
    def erf(self) -> Any:
        return special.erf(self)

    def erfc(self) -> Any:
        return special.erfc(self)

    def lgamma(self) -> Any:
        return special.gammaln(self)

    def digamma(self) -> Any:
        return special.digamma(self)

    def polygamma(self, n: int) -> Any:
        return special.polygamma(n, self)

    def i0(self) -> Any:
        return special.i0(self)

    def logit(self, eps: float | None = None) -> Any:
        x = self if eps is None else ops.clip(self, eps, 1 - eps)
        return special.logit(x)

    def xlogy(self, other: Any) -> Any:
        return special.xlogy(self, other)

    # -- in-place versions ----------------------------------------------------------------
    def floor_(self) -> Any:
        return inplace(self, ops.floor)

    def ceil_(self) -> Any:
        return inplace(self, ops.ceil)

    def round_(self, *, decimals: int = 0) -> Any:
        return inplace(self, lambda t: ElementwiseMethods.round(t, decimals=decimals))

    def trunc_(self) -> Any:
        return inplace(self, ops.trunc)

    def remainder_(self, other: Any) -> Any:
        return inplace(self, ops.remainder, other)

    def floor_divide_(self, other: Any) -> Any:
        return inplace(self, floor_divide_inplace, other)
