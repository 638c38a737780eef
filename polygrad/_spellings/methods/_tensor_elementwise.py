"""The rest of the array object's operators (``% // << >> ^``, reflected and in-place
forms), ``to_device``/``__dlpack__``, and torch-style methods for the standard's
elementwise functions (``x.atan2(y)``, ``x.floor()``, ``x.erf()``, ``x.real``...).

``& | ^ ~`` are bitwise, as the standard says (logical on boolean tensors). Every
method forwards to the one function that implements the op, so a method and its
function record the same node.
"""

from __future__ import annotations

from typing import Any

from ... import ops, special
from ..._core._inplace import inplace
from ..._core._tensor import Tensor
from ...ops.rounding import floor_divide_inplace


class ElementwiseMethods:
    __slots__ = ()

    # -- operators -------------------------------------------------------------------------
    def __mod__(self, other: Any) -> Tensor:
        return ops.remainder(self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return ops.remainder(other, self)

    def __floordiv__(self, other: Any) -> Tensor:
        return ops.floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return ops.floor_divide(other, self)

    def __rand__(self, other: Any) -> Tensor:
        return ops.bitwise_and(other, self)

    def __ror__(self, other: Any) -> Tensor:
        return ops.bitwise_or(other, self)

    def __xor__(self, other: Any) -> Tensor:
        return ops.bitwise_xor(self, other)

    def __rxor__(self, other: Any) -> Tensor:
        return ops.bitwise_xor(other, self)

    def __lshift__(self, other: Any) -> Tensor:
        return ops.bitwise_left_shift(self, other)

    def __rlshift__(self, other: Any) -> Tensor:
        return ops.bitwise_left_shift(other, self)

    def __rshift__(self, other: Any) -> Tensor:
        return ops.bitwise_right_shift(self, other)

    def __rrshift__(self, other: Any) -> Tensor:
        return ops.bitwise_right_shift(other, self)

    # -- in-place operators ------------------------------------------------------------------
    def __imod__(self, other: Any) -> Tensor:
        return inplace(self, ops.remainder, other)

    def __ifloordiv__(self, other: Any) -> Tensor:
        return inplace(self, floor_divide_inplace, other)

    def __iand__(self, other: Any) -> Tensor:
        return inplace(self, ops.bitwise_and, other)

    def __ior__(self, other: Any) -> Tensor:
        return inplace(self, ops.bitwise_or, other)

    def __ixor__(self, other: Any) -> Tensor:
        return inplace(self, ops.bitwise_xor, other)

    def __ilshift__(self, other: Any) -> Tensor:
        return inplace(self, ops.bitwise_left_shift, other)

    def __irshift__(self, other: Any) -> Tensor:
        return inplace(self, ops.bitwise_right_shift, other)

    def __imatmul__(self, other: Any) -> Tensor:
        return inplace(self, ops.matmul, other)

    # -- devices and DLPack (graph exits are refused while grad is required) ----------------
    def to_device(self, device: Any, /, *, stream: Any = None) -> Tensor:
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
    def acos(self) -> Tensor:
        """Elementwise inverse cosine (torch's ``x.acos()``; ``pg.acos``)."""
        return ops.acos(self)

    def acosh(self) -> Tensor:
        """Elementwise inverse hyperbolic cosine (torch's ``x.acosh()``; ``pg.acosh``)."""
        return ops.acosh(self)

    def asin(self) -> Tensor:
        """Elementwise inverse sine (torch's ``x.asin()``; ``pg.asin``)."""
        return ops.asin(self)

    def asinh(self) -> Tensor:
        """Elementwise inverse hyperbolic sine (torch's ``x.asinh()``; ``pg.asinh``)."""
        return ops.asinh(self)

    def atan(self) -> Tensor:
        """Elementwise inverse tangent (torch's ``x.atan()``; ``pg.atan``)."""
        return ops.atan(self)

    def atanh(self) -> Tensor:
        """Elementwise inverse hyperbolic tangent (torch's ``x.atanh()``; ``pg.atanh``)."""
        return ops.atanh(self)

    arccos, arccosh, arcsin, arcsinh, arctan, arctanh = acos, acosh, asin, asinh, atan, atanh

    def atan2(self, other: Any) -> Tensor:
        """Elementwise angle of the point ``(other, self)``, i.e. ``atan(self / other)`` in the right quadrant
        (torch's ``x.atan2()``; ``pg.atan2``)."""
        return ops.atan2(self, other)

    arctan2 = atan2

    def sinh(self) -> Tensor:
        """Elementwise hyperbolic sine (torch's ``x.sinh()``; ``pg.sinh``)."""
        return ops.sinh(self)

    def cosh(self) -> Tensor:
        """Elementwise hyperbolic cosine (torch's ``x.cosh()``; ``pg.cosh``)."""
        return ops.cosh(self)

    def tan(self) -> Tensor:
        """Elementwise tangent (torch's ``x.tan()``; ``pg.tan``)."""
        return ops.tan(self)

    def expm1(self) -> Tensor:
        """Elementwise ``exp(x) - 1``, accurate near 0 (complex: the standard's special values)
        (torch's ``x.expm1()``; ``pg.expm1``)."""
        return ops.expm1(self)

    def log1p(self) -> Tensor:
        """Elementwise ``log(1 + x)``, accurate near 0 (torch's ``x.log1p()``; ``pg.log1p``)."""
        return ops.log1p(self)

    def log2(self) -> Tensor:
        """Elementwise base-2 logarithm (torch's ``x.log2()``; ``pg.log2``)."""
        return ops.log2(self)

    def log10(self) -> Tensor:
        """Elementwise base-10 logarithm (torch's ``x.log10()``; ``pg.log10``)."""
        return ops.log10(self)

    def hypot(self, other: Any) -> Tensor:
        """Elementwise ``sqrt(self**2 + other**2)`` without overflow (torch's ``x.hypot()``;
        ``pg.hypot``)."""
        return ops.hypot(self, other)

    def logaddexp(self, other: Any) -> Tensor:
        """Elementwise ``log(exp(self) + exp(other))`` without overflow (torch's ``x.logaddexp()``;
        ``pg.logaddexp``)."""
        return ops.logaddexp(self, other)

    def copysign(self, other: Any) -> Tensor:
        """Elementwise ``|self|`` with the sign of ``other`` (torch's ``x.copysign()``;
        ``pg.copysign``)."""
        return ops.copysign(self, other)

    def nextafter(self, other: Any) -> Tensor:
        """Elementwise next representable value after ``self`` toward ``other`` (torch's
        ``x.nextafter()``; ``pg.nextafter``)."""
        return ops.nextafter(self, other)

    def remainder(self, other: Any) -> Tensor:
        """Elementwise ``self - floor(self / other) * other`` (the sign of ``other``, like Python's ``%``)
        (torch's ``x.remainder()``; ``pg.remainder``)."""
        return ops.remainder(self, other)

    def floor_divide(self, other: Any) -> Tensor:
        """Elementwise ``floor(self / other)``; like torch it has no derivative (asking raises) (torch's
        ``x.floor_divide()``; ``pg.floor_divide``)."""
        return ops.floor_divide(self, other)

    def ceil(self) -> Tensor:
        """Elementwise smallest integer >= x (zero gradient) (torch's ``x.ceil()``; ``pg.ceil``)."""
        return ops.ceil(self)

    def floor(self) -> Tensor:
        """Elementwise largest integer <= x (zero gradient) (torch's ``x.floor()``; ``pg.floor``)."""
        return ops.floor(self)

    def round(self, *, decimals: int = 0) -> Tensor:
        """Round to ``decimals`` decimal places, halves to even (torch's ``x.round(decimals=)``;
        ``pg.round``)."""
        if decimals == 0:
            return ops.round(self)
        scale = 10.0**decimals
        return ops.divide(ops.round(ops.multiply(self, scale)), scale)

    def trunc(self) -> Tensor:
        """Elementwise rounding toward zero (zero gradient) (torch's ``x.trunc()``; ``pg.trunc``)."""
        return ops.trunc(self)

    def sign(self) -> Tensor:
        """Elementwise sign (-1, 0 or 1); its gradient is zero everywhere, as in torch (torch's
        ``x.sign()``; ``pg.sign``)."""
        return ops.sign(self)

    def sgn(self) -> Tensor:
        """The sign (for complex: ``x / |x|``); torch's ``x.sgn()``, here the same as ``x.sign()``."""
        return ops.sign(self)

    def signbit(self) -> Tensor:
        """Elementwise: the sign bit is set (True for -0.0 and negative values) (torch's
        ``x.signbit()``; ``pg.signbit``)."""
        return ops.signbit(self)

    def positive(self) -> Tensor:
        """``+x``: the input itself, as torch returns it (no node) (torch's ``x.positive()``;
        ``pg.positive``)."""
        return ops.positive(self)

    def conj(self) -> Tensor:
        """Elementwise complex conjugate (the input itself for real tensors) (torch's ``x.conj()``;
        ``pg.conj``)."""
        return ops.conj(self)

    @property
    def real(self) -> Tensor:
        """The real part (torch's attribute; the tensor itself when it is real)."""
        return ops.real(self)

    @property
    def imag(self) -> Tensor:
        """The imaginary part of a complex tensor (torch's attribute)."""
        return ops.imag(self)

    def isfinite(self) -> Tensor:
        """Elementwise: neither infinite nor NaN (torch's ``x.isfinite()``; ``pg.isfinite``)."""
        return ops.isfinite(self)

    def isinf(self) -> Tensor:
        """Elementwise: positive or negative infinity (torch's ``x.isinf()``; ``pg.isinf``)."""
        return ops.isinf(self)

    def isnan(self) -> Tensor:
        """Elementwise: NaN (for complex, either part) (torch's ``x.isnan()``; ``pg.isnan``)."""
        return ops.isnan(self)

    def logical_and(self, other: Any) -> Tensor:
        """Elementwise logical and, as booleans (never recorded) (torch's ``x.logical_and()``;
        ``pg.logical_and``)."""
        return ops.logical_and(self, other)

    def logical_or(self, other: Any) -> Tensor:
        """Elementwise logical or, as booleans (never recorded) (torch's ``x.logical_or()``;
        ``pg.logical_or``)."""
        return ops.logical_or(self, other)

    def logical_xor(self, other: Any) -> Tensor:
        """Elementwise logical XOR (inputs are read as booleans) (torch's ``x.logical_xor()``;
        ``pg.logical_xor``)."""
        return ops.logical_xor(self, other)

    def logical_not(self) -> Tensor:
        """Elementwise logical not, as booleans (never recorded) (torch's ``x.logical_not()``;
        ``pg.logical_not``)."""
        return ops.logical_not(self)

    def bitwise_and(self, other: Any) -> Tensor:
        """Elementwise AND of the bits (logical AND for booleans) (torch's ``x.bitwise_and()``;
        ``pg.bitwise_and``)."""
        return ops.bitwise_and(self, other)

    def bitwise_or(self, other: Any) -> Tensor:
        """Elementwise OR of the bits (logical OR for booleans) (torch's ``x.bitwise_or()``;
        ``pg.bitwise_or``)."""
        return ops.bitwise_or(self, other)

    def bitwise_xor(self, other: Any) -> Tensor:
        """Elementwise XOR of the bits (logical XOR for booleans) (torch's ``x.bitwise_xor()``;
        ``pg.bitwise_xor``)."""
        return ops.bitwise_xor(self, other)

    def bitwise_not(self) -> Tensor:
        """Elementwise NOT of the bits (logical NOT for booleans) (torch's ``x.bitwise_not()``;
        ``pg.bitwise_invert``)."""
        return ops.bitwise_invert(self)

    def bitwise_left_shift(self, other: Any) -> Tensor:
        """Elementwise ``self << other`` (integers) (torch's ``x.bitwise_left_shift()``;
        ``pg.bitwise_left_shift``)."""
        return ops.bitwise_left_shift(self, other)

    def bitwise_right_shift(self, other: Any) -> Tensor:
        """Elementwise ``self >> other`` (integers) (torch's ``x.bitwise_right_shift()``;
        ``pg.bitwise_right_shift``)."""
        return ops.bitwise_right_shift(self, other)

    def tril(self, diagonal: int = 0) -> Tensor:
        """The lower triangle of the last two axes (on and below diagonal ``k``), zeros elsewhere
        (torch's ``x.tril()``; ``pg.tril``)."""
        return ops.tril(self, k=diagonal)

    def triu(self, diagonal: int = 0) -> Tensor:
        """The upper triangle of the last two axes (on and above diagonal ``k``), zeros elsewhere
        (torch's ``x.triu()``; ``pg.triu``)."""
        return ops.triu(self, k=diagonal)

    # torch's special-function methods
    def erf(self) -> Tensor:
        """The error function ``2/sqrt(pi) * integral_0^x exp(-t**2) dt`` (torch's ``x.erf()``;
        ``pg.erf``)."""
        return special.erf(self)

    def erfc(self) -> Tensor:
        """The complementary error function ``1 - erf(x)``, accurate for large x (torch's
        ``x.erfc()``; ``pg.erfc``)."""
        return special.erfc(self)

    def lgamma(self) -> Tensor:
        """``log |Gamma(self)|`` (torch's ``x.lgamma()``; ``pg.special.gammaln``)."""
        return special.gammaln(self)

    def digamma(self) -> Tensor:
        """The logarithmic derivative of the gamma function, ``polygamma(0, x)`` (torch's
        ``x.digamma()``; ``pg.digamma``)."""
        return special.digamma(self)

    def polygamma(self, n: int) -> Tensor:
        """The ``n``-th derivative of the digamma function (torch's ``x.polygamma(n)``;
        ``pg.special.polygamma``)."""
        return special.polygamma(n, self)

    def i0(self) -> Tensor:
        """The modified Bessel function of the first kind, order 0 (torch's ``x.i0()``; ``pg.i0``)."""
        return special.i0(self)

    def logit(self, eps: float | None = None) -> Tensor:
        """``log(p / (1 - p))``, with ``p`` clamped to ``[eps, 1 - eps]`` when ``eps`` is given
        (torch's ``x.logit(eps)``)."""
        x = self if eps is None else ops.clip(self, eps, 1 - eps)
        return special.logit(x)

    def xlogy(self, other: Any) -> Tensor:
        """``x * log(y)``, taken as 0 where ``x == 0`` (also at ``y == 0``) (torch's ``x.xlogy()``;
        ``pg.xlogy``)."""
        return special.xlogy(self, other)

    # -- in-place versions ----------------------------------------------------------------
    def floor_(self) -> Tensor:
        """In-place ``floor``; returns self (torch's ``x.floor_()``)."""
        return inplace(self, ops.floor)

    def ceil_(self) -> Tensor:
        """In-place ``ceil``; returns self (torch's ``x.ceil_()``)."""
        return inplace(self, ops.ceil)

    def round_(self, *, decimals: int = 0) -> Tensor:
        """In-place ``round(decimals=)``; returns self (torch's ``x.round_()``)."""
        return inplace(self, lambda t: ElementwiseMethods.round(t, decimals=decimals))

    def trunc_(self) -> Tensor:
        """In-place ``trunc``; returns self (torch's ``x.trunc_()``)."""
        return inplace(self, ops.trunc)

    def remainder_(self, other: Any) -> Tensor:
        """In-place ``remainder(other)``; returns self (torch's ``x.remainder_()``)."""
        return inplace(self, ops.remainder, other)

    def floor_divide_(self, other: Any) -> Tensor:
        """In-place ``floor_divide(other)``; returns self (torch's ``x.floor_divide_()``; see
        docs/differences.md for its gradient)."""
        return inplace(self, floor_divide_inplace, other)
