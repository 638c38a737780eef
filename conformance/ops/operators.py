"""Op table: the Python operators of Tensor (arithmetic, reflected, in-place, indexing,
iteration), each called the same way on torch and polygrad tensors."""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from ..samples import Sample, fixed, unary
from ._entry import program


def _dunder(name: str) -> Any:
    return lambda x, *rest: getattr(x, name)(*rest)


def _binary_operator(domain_b: str = "real") -> Any:
    return fixed(
        lambda m: Sample((m(3, 4), m(3, 4, domain=domain_b)), label="same shape"),
        lambda m: Sample((m(3, 1), m(4, domain=domain_b)), label="broadcast"),
        lambda m: Sample((m(), m(2, 3, domain=domain_b)), label="0-d self"),
        lambda m: Sample((m(3, 4), 1.5), label="number"),
    )


for _name, _domain in (
    ("__add__", "real"),
    ("__radd__", "real"),
    ("__sub__", "real"),
    ("__rsub__", "real"),
    ("__mul__", "real"),
    ("__rmul__", "real"),
    ("__truediv__", "nonzero"),
    ("__rtruediv__", "real"),
):
    program(
        f"Tensor.{_name}",
        _dunder(_name),
        _dunder(_name),
        _binary_operator(_domain)
        if not _name.startswith("__r")
        else fixed(
            lambda m: Sample((m(3, 4, domain="nonzero"), 1.5), label="number on the left"),
            lambda m: Sample((m(3, 4, domain="nonzero"), m(4)), label="tensor"),
        ),
        covers=(f"Tensor.{_name}",),
    )

program(
    "Tensor.__pow__",
    _dunder("__pow__"),
    _dunder("__pow__"),
    fixed(
        lambda m: Sample((m(3, 4, domain="positive"), m(3, 4)), label="tensor exponent"),
        lambda m: Sample((m(3, 4), 3), label="int exponent"),
    ),
    covers=("Tensor.__pow__",),
)
program(
    "Tensor.__rpow__",
    _dunder("__rpow__"),
    _dunder("__rpow__"),
    fixed(
        lambda m: Sample((m(3, 4), 2.0), label="number base"),
    ),
    covers=("Tensor.__rpow__",),
)
for _name in ("__matmul__", "__rmatmul__"):
    program(
        f"Tensor.{_name}",
        _dunder(_name),
        _dunder(_name),
        fixed(
            lambda m: Sample((m(3, 3), m(3, 3)), label="2-d"),
            lambda m: Sample((m(2, 3, 3), m(3)), label="batched and 1-d"),
        ),
        covers=(f"Tensor.{_name}",),
    )
for _name in ("__neg__", "__pos__", "__abs__"):
    program(
        f"Tensor.{_name}",
        _dunder(_name),
        _dunder(_name),
        unary("nonzero"),
        covers=(f"Tensor.{_name}",),
    )

program(
    "Tensor.__getitem__",
    lambda x, key: x[key],
    lambda x, key: x[key],
    fixed(
        lambda m: Sample((m(3, 4), (slice(None), -1)), label="slice, negative int"),
        lambda m: Sample((m(4, 3), np.array([1, 1, 0])), label="repeated int array"),
        lambda m: Sample((m(3, 4), m.mask(3, 4)), label="mask"),
    ),
    covers=("Tensor.__getitem__",),
)


def _setitem(x: Any, v: Any, key: Any) -> Any:
    y = x.clone()
    y[key] = v
    return y


program(
    "Tensor.__setitem__",
    _setitem,
    _setitem,
    fixed(
        lambda m: Sample((m(3, 4), m(4), 0), label="row"),
        lambda m: Sample((m(3, 4), m(2, 1), (slice(0, 2), slice(1, 3))), label="block"),
        lambda m: Sample((m(4, 3), m(3), np.array([2, 0])), label="int array key"),
    ),
    covers=("Tensor.__setitem__",),
)


def _inplace_dunder(name: str) -> Any:
    """``y op= other`` on a clone: ``operator.i<op>`` falls back to the out-of-place
    operator where a library has no in-place method (torch has no ``__imatmul__``)."""
    apply = getattr(operator, name.strip("_"))

    def call(x: Any, other: Any) -> Any:
        return apply(x.clone(), other)

    return call


for _name, _domain in (
    ("__iadd__", "real"),
    ("__isub__", "real"),
    ("__imul__", "real"),
    ("__itruediv__", "nonzero"),
    ("__ipow__", "real"),
):
    program(
        f"Tensor.{_name}",
        _inplace_dunder(_name),
        _inplace_dunder(_name),
        fixed(
            lambda m, d=_domain: Sample(
                (m(3, 4, domain="positive"), m(4, domain=d)), label="broadcast tensor"
            ),
            lambda m: Sample((m(3, 4, domain="positive"), 2.0), label="number"),
        ),
        covers=(f"Tensor.{_name}",),
    )

program(
    "Tensor.__iter__",
    lambda x: tuple(iter(x)),
    lambda x: tuple(iter(x)),
    fixed(lambda m: Sample((m(3, 2),), label="rows")),
    covers=("Tensor.__iter__",),
)


for _name, _domain in (
    ("__imatmul__", None),
    ("__imod__", "nonzero"),
    ("__ifloordiv__", "nonzero"),
):
    program(
        f"Tensor.{_name}",
        _inplace_dunder(_name),
        _inplace_dunder(_name),
        fixed(
            (lambda m: Sample((m(3, 3), m(3, 3)), label="square"))
            if _domain is None
            else (lambda m, d=_domain: Sample((m(3, 4), m(4, domain=d)), label="broadcast tensor")),
        ),
        covers=(f"Tensor.{_name}",),
    )
