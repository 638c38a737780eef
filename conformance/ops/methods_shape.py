"""Op table: Tensor methods for shapes, copies and dtype changes, the in-place methods
(on a clone, so the leaf may require grad); operators live in ``operators``."""

from __future__ import annotations

from typing import Any

from ..samples import Sample, complexify, fixed, unary
from ._entry import inplace_method, method, program

method(
    "reshape",
    fixed(
        lambda m: Sample((m(3, 4), 4, 3), label="varargs"),
        lambda m: Sample((m(3, 4), (2, -1)), label="tuple with -1"),
        lambda m: Sample((m(4, 3), 12), label="transposed", noncontiguous=(0,)),
    ),
)
method(
    "view",
    fixed(
        lambda m: Sample((m(3, 4), 2, 6), label="varargs"),
        lambda m: Sample((m(3, 4), (-1,)), label="tuple"),
    ),
)
method("view_as", fixed(lambda m: Sample((m(3, 4), m(6, 2)), grad=(0,), label="6x2")))
method(
    "flatten",
    fixed(
        lambda m: Sample((m(2, 3, 4),), label="3-d"), lambda m: Sample((m(4),), label="1-d (self)")
    ),
)
method(
    "permute",
    fixed(
        lambda m: Sample((m(2, 3, 4), 2, 0, 1), label="varargs"),
        lambda m: Sample((m(2, 3, 4), (1, 0, 2)), label="tuple"),
    ),
)
method("transpose", fixed(lambda m: Sample((m(2, 3, 4), 0, -1), label="0,-1")))
method(
    "t", fixed(lambda m: Sample((m(3, 4),), label="2-d"), lambda m: Sample((m(3),), label="1-d"))
)
method(
    "squeeze",
    fixed(
        lambda m: Sample((m(3, 1, 4, 1),), label="all"),
        lambda m: Sample((m(3, 1, 4), 1), label="dim=1"),
        lambda m: Sample((m(1, 3, 1), (0, 2)), label="tuple"),
    ),
)
method(
    "unsqueeze",
    fixed(
        lambda m: Sample((m(3, 4), 1), label="dim=1"),
        lambda m: Sample((m(3, 4), -1), label="dim=-1"),
    ),
)
method(
    "expand",
    fixed(
        lambda m: Sample((m(3, 1), 3, 4), label="varargs"),
        lambda m: Sample((m(4), (2, -1)), label="tuple with -1"),
    ),
)
method("expand_as", fixed(lambda m: Sample((m(1, 4), m(3, 4)), grad=(0,), label="(1,4)")))
method("broadcast_to", fixed(lambda m: Sample((m(4), (3, 4)), label="(4,) -> (3,4)")))
method("clone", unary())
method(
    "contiguous",
    fixed(
        lambda m: Sample((m(3, 4),), label="contiguous (self)"),
        lambda m: Sample((m(4, 3),), label="transposed", noncontiguous=(0,)),
    ),
)
method("double", unary())
method("float", unary())
method(
    "half",
    fixed(lambda m: Sample((m(3, 4),))),
    tolerances={"float64": (1e-3, 1e-3), "float32": (1e-3, 1e-3)},
)


def _attribute(name: str) -> Any:
    return lambda x: getattr(x, name)


for _name in ("T", "mT"):
    program(
        f"Tensor.{_name}",
        _attribute(_name),
        _attribute(_name),
        fixed(
            lambda m: Sample((m(3, 4),), label="2-d"),
            lambda m: Sample((m(2, 3, 4),), label="3-d"),
        ),
        covers=(f"Tensor.{_name}",),
    )


def _to(lib: str, name: str) -> Any:
    def call(x: Any) -> Any:
        mod = __import__(lib)
        return getattr(x, name)(getattr(mod, "float64" if x.dtype == mod.float32 else "float32"))

    return call


for _name in ("to", "type"):
    program(
        f"Tensor.{_name}",
        _to("polygrad", _name),
        _to("torch", _name),
        fixed(lambda m: Sample((m(3, 4),), label="to the other float dtype")),
        covers=(f"Tensor.{_name}",),
    )

# -- in-place methods (applied to a clone of the input) -----------------------------------

for _name, _samples in (
    (
        "add_",
        fixed(
            lambda m: Sample((m(3, 4), m(4)), label="broadcast tensor"),
            lambda m: Sample((m(3, 4), 2.0), label="number"),
            lambda m: Sample((m(3, 4), m(3, 4)), {"alpha": 2.0}, label="alpha"),
        ),
    ),
    (
        "sub_",
        fixed(
            lambda m: Sample((m(3, 4), m(3, 4)), label="tensor"),
            lambda m: Sample((m(3, 4), m(3, 4)), {"alpha": 0.5}, label="alpha"),
        ),
    ),
    (
        "mul_",
        fixed(
            lambda m: Sample((m(3, 4), m(3, 4)), label="tensor"),
            lambda m: Sample((m(3, 4), 3.0), label="number"),
        ),
    ),
    (
        "div_",
        fixed(
            lambda m: Sample((m(3, 4), m(4, domain="nonzero")), label="tensor"),
            lambda m: Sample((m(3, 4), 3.0), label="number"),
        ),
    ),
    (
        "pow_",
        fixed(
            lambda m: Sample((m(3, 4), 2), label="number"),
            lambda m: Sample((m(3, 4, domain="positive"), m(3, 4)), label="tensor"),
        ),
    ),
    ("exp_", unary()),
    ("sigmoid_", unary()),
    ("relu_", unary("nonzero")),
    ("clamp_", fixed(lambda m: Sample((m(3, 4), -0.5, 0.5), label="number bounds"))),
    ("zero_", fixed(lambda m: Sample((m(3, 4),)))),
    ("fill_", fixed(lambda m: Sample((m(3, 4), 1.5), label="number"))),
    (
        "copy_",
        fixed(
            lambda m: Sample((m(3, 4), m(4)), label="broadcast source"),
            lambda m: Sample((m(3, 4), m(3, 4)), label="same shape"),
        ),
    ),
):
    # zero_/fill_/copy_ commit polygrad's out-of-place *_recorded functions: covered here
    _recorded = {
        "zero_": "zero_like_recorded",
        "fill_": "fill_like_recorded",
        "copy_": "copy_from_recorded",
    }.get(_name)
    inplace_method(
        _name, _samples, covers=(f"Tensor.{_name}",) + ((_recorded,) if _recorded else ())
    )

for _name, _samples in (
    (
        "unbind",
        fixed(
            lambda m: Sample((m(3, 4),), label="dim=0"),
            lambda m: Sample((m(2, 3), 1), label="dim=1"),
        ),
    ),
    (
        "split",
        fixed(
            lambda m: Sample((m(5, 3), 2), label="size 2"),
            lambda m: Sample((m(3, 6), [4, 2], 1), label="sections"),
        ),
    ),
    ("chunk", fixed(lambda m: Sample((m(5, 3), 3), label="3 chunks"))),
    (
        "tril",
        fixed(
            lambda m: Sample((m(4, 4),), label="square"),
            lambda m: Sample((m(3, 4), 1), label="diagonal=1"),
        ),
    ),
    (
        "triu",
        fixed(
            lambda m: Sample((m(4, 4),), label="square"),
            lambda m: Sample((m(3, 4), -1), label="diagonal=-1"),
        ),
    ),
):
    method(_name, _samples)

for _name, _samples in (
    ("ceil_", unary()),
    ("floor_", unary()),
    ("round_", unary()),
    ("trunc_", unary()),
    (
        "remainder_",
        fixed(
            lambda m: Sample((m(3, 4), m(3, 4, domain="nonzero")), label="tensor"),
            lambda m: Sample((m(3, 4), 0.7), label="number"),
        ),
    ),
    (
        "floor_divide_",
        fixed(lambda m: Sample((m(3, 4), m(3, 4, domain="nonzero")), label="tensor")),
    ),
):
    inplace_method(_name, _samples)

program(
    "Tensor.to_device",
    lambda x: x.to_device(x.device),
    lambda x: x.to(x.device),
    fixed(lambda m: Sample((m(3, 4),), label="same device")),
    covers=("Tensor.to_device",),
)

for _name in ("real", "imag"):
    program(
        f"Tensor.{_name}",
        _attribute(_name),
        _attribute(_name),
        complexify(fixed(lambda m: Sample((m(3, 4),), label="3x4"))),
        covers=(f"Tensor.{_name}",),
    )
