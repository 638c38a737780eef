"""Op table: the standard's elementwise functions (and relu/sigmoid), one entry each.

Unary functions are listed with their torch counterpart and input domain; binary
ones also try broadcasting both ways, 0-d, empty and a Python number on either
side (torch gets the number as a 0-d tensor where its function wants tensors).
"""

from __future__ import annotations

from typing import Any

from ..samples import Maker, Sample, binary, complexify, unary
from ._entry import function


def _torch(name: str) -> Any:
    """``torch.<name>`` that accepts Python numbers where the standard allows them."""

    def call(*args: Any, **kwargs: Any) -> Any:
        import torch

        like = next(a for a in args if isinstance(a, torch.Tensor))
        args = tuple(
            torch.tensor(a, dtype=like.dtype) if isinstance(a, (int, float)) else a for a in args
        )
        return getattr(torch, name)(*args, **kwargs)

    call.__name__ = name
    return call


#: polygrad name -> (torch name, domain of the input)
UNARY = {
    "abs": ("abs", "nonzero"),
    "acos": ("acos", "unit"),
    "acosh": ("acosh", "above1"),
    "asin": ("asin", "unit"),
    "asinh": ("asinh", "real"),
    "atan": ("atan", "real"),
    "atanh": ("atanh", "unit"),
    "ceil": ("ceil", "real"),
    "conj": ("conj", "real"),
    "cos": ("cos", "real"),
    "cosh": ("cosh", "real"),
    "exp": ("exp", "real"),
    "expm1": ("expm1", "real"),
    "floor": ("floor", "real"),
    "log": ("log", "positive"),
    "log1p": ("log1p", "unit"),
    "log2": ("log2", "positive"),
    "log10": ("log10", "positive"),
    "negative": ("neg", "real"),
    "positive": ("positive", "real"),
    "real": ("real", "real"),
    "reciprocal": ("reciprocal", "nonzero"),
    "relu": ("relu", "nonzero"),
    "round": ("round", "real"),
    "sigmoid": ("sigmoid", "real"),
    "sign": ("sign", "nonzero"),
    "sin": ("sin", "real"),
    "sinh": ("sinh", "real"),
    "sqrt": ("sqrt", "positive"),
    "square": ("square", "real"),
    "tan": ("tan", "unit"),
    "tanh": ("tanh", "real"),
    "trunc": ("trunc", "real"),
}

for _name, (_torch_name, _domain) in UNARY.items():
    function(_name, _torch_name, unary(_domain))

#: polygrad name -> (torch callable, domain of x1, domain of x2)
BINARY = {
    "add": (lambda a, b: a + b, "real", "real"),
    "subtract": (lambda a, b: a - b, "real", "real"),
    "multiply": (lambda a, b: a * b, "real", "real"),
    "divide": (lambda a, b: a / b, "real", "nonzero"),
    "pow": (lambda a, b: a**b, "positive", "real"),
    "atan2": (_torch("atan2"), "real", "nonzero"),
    "hypot": (_torch("hypot"), "nonzero", "nonzero"),
    "logaddexp": (_torch("logaddexp"), "real", "real"),
    "copysign": (_torch("copysign"), "nonzero", "nonzero"),
    "maximum": (_torch("maximum"), "real", "real"),
    "minimum": (_torch("minimum"), "real", "real"),
    # torch.remainder takes a number on the left itself (and has no derivative then)
    "remainder": (lambda a, b: __import__("torch").remainder(a, b), "real", "nonzero"),
}

for _name, (_fn, _da, _db) in BINARY.items():
    function(_name, _fn, binary(_da, _db))


def _pow_cases(m: Maker) -> list[Sample]:
    """Integer and fractional Python exponents (``PowBackward0``), a base of 0."""
    x = m(3, 4, domain="positive")
    return [
        Sample((x, 2), label="x**2"),
        Sample((x, 0.5), label="x**0.5"),
        Sample((x, -1), label="x**-1"),
        Sample((x, 0), label="x**0"),
        Sample((m(5), 3), label="x**3 any sign"),
    ]


function("pow", lambda a, b: a**b, _pow_cases, variant="number exponent")


def _where_cases(m: Maker) -> list[Sample]:
    return [
        Sample((m.mask(3, 4), m(3, 4), m(3, 4)), label="same shape"),
        Sample((m.mask(3, 1), m(1, 4), m(3, 4)), label="broadcast"),
        Sample((m.mask(2, 3), m(), m(2, 3)), label="0-d branch"),
        Sample((m.mask(3, 4), m(3, 4), 0.0), label="python scalar branch"),
        Sample((m.mask(0, 2), m(0, 2), m(0, 2)), label="empty"),
        Sample((m.mask(4, 3), m(4, 3), m(4, 3)), label="transposed", noncontiguous=(1, 2)),
    ]


def _torch_where(c: Any, a: Any, b: Any) -> Any:
    import torch

    return torch.where(c, a, b)


function("where", _torch_where, _where_cases)


def _clip_cases(m: Maker) -> list[Sample]:
    return [
        Sample((m(3, 4), -0.5, 0.5), label="number bounds"),
        Sample((m(3, 4), -0.5, None), label="min only"),
        Sample((m(3, 4), None, 0.5), label="max only"),
        Sample(
            (m(3, 4), m(3, 4, domain="small") - 0.6, m(1, 4, domain="small") + 0.6),
            label="tensor bounds",
        ),
        Sample((m(), -0.5, 0.5), label="0-d"),
        Sample((m(4, 3), -0.5, 0.5), label="transposed", noncontiguous=(0,)),
    ]


def _torch_clamp(x: Any, lo: Any, hi: Any) -> Any:
    import torch

    return torch.clamp(x, lo, hi)


function("clip", _torch_clamp, _clip_cases)

# torch records these but has no derivative: backward raises, and polygrad must say the same
function("floor_divide", lambda a, b: a // b, binary("real", "nonzero", scalars=False))
function("nextafter", _torch("nextafter"), binary("real", "real", scalars=False))

# complex inputs: real/imag/conj and abs follow torch's conjugate-Wirtinger convention
function("real", "real", complexify(unary()), variant="complex")
function("imag", "imag", complexify(unary()))
function(
    "conj", lambda x: __import__("torch").conj_physical(x), complexify(unary()), variant="complex"
)
function("abs", "abs", complexify(unary("nonzero")), variant="complex")
function("multiply", lambda a, b: a * b, complexify(binary(scalars=False)), variant="complex")
function("exp", "exp", complexify(unary()), variant="complex")
function("complex", "complex", binary(scalars=False))
