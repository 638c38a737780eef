"""Op table: torch-style Tensor methods for math and reductions.

Polygrad's methods follow torch, so one call (``x.sum(dim=1, keepdim=True)``)
serves both libraries; samples use torch's keywords (``dim``, ``keepdim``).
"""

from __future__ import annotations

import numpy as np

from ..samples import Maker, Sample, SampleFn, binary, fixed, torch_reduction, unary
from ._entry import method
from .elementwise import UNARY

#: array-API functions whose torch counterpart is no Tensor method (``real`` is a property)
_NO_METHOD = {"positive", "real"}

for _name, (_torch_name, _domain) in UNARY.items():
    if _name not in _NO_METHOD:
        method(_torch_name, unary(_domain))  # torch's name: ``neg`` for ``negative``
method("negative", unary())


def _right_operand(domain_b: str, numbers: bool) -> SampleFn:
    """Binary samples with a tensor ``self``; a Python number on the right if allowed."""

    def samples(m: Maker) -> list[Sample]:
        return [
            s
            for s in binary("real", domain_b)(m)
            if isinstance(s.args[0], np.ndarray) and (numbers or isinstance(s.args[1], np.ndarray))
        ]

    return samples


#: method -> (domain of the right operand, whether torch accepts a number there)
_BINARY_METHODS = {
    "add": ("real", True),
    "sub": ("real", True),
    "mul": ("real", True),
    "div": ("nonzero", True),
    "true_divide": ("nonzero", True),
    "subtract": ("real", True),
    "multiply": ("real", True),
    "divide": ("nonzero", True),
    "remainder": ("nonzero", True),
    "copysign": ("nonzero", True),
    "maximum": ("real", False),
    "minimum": ("real", False),
    "atan2": ("nonzero", False),
    "hypot": ("nonzero", False),
    "logaddexp": ("real", False),
}
for _name, (_domain, _numbers) in _BINARY_METHODS.items():
    method(_name, _right_operand(_domain, _numbers))

method(
    "add", fixed(lambda m: Sample((m(3, 4), m(4)), {"alpha": 2.5}, label="alpha")), variant="alpha"
)
method(
    "sub",
    fixed(lambda m: Sample((m(3, 4), m(3, 4)), {"alpha": -0.5}, label="alpha")),
    variant="alpha",
)
method(
    "pow",
    fixed(
        lambda m: Sample((m(3, 4, domain="positive"), m(3, 4)), label="tensor exponent"),
        lambda m: Sample((m(3, 4, domain="positive"), m(4)), label="broadcast exponent"),
        lambda m: Sample((m(3, 4), 2), label="x**2"),
        lambda m: Sample((m(3, 4, domain="positive"), -1.5), label="x**-1.5"),
    ),
)
method(
    "matmul",
    fixed(
        lambda m: Sample((m(3, 4), m(4, 2)), label="2-d"),
        lambda m: Sample((m(2, 3, 4), m(4)), label="batched @ 1-d"),
    ),
)
method("mm", fixed(lambda m: Sample((m(3, 4), m(4, 2)), label="2-d")))
method(
    "clamp",
    fixed(
        lambda m: Sample((m(3, 4), -0.5, 0.5), label="number bounds"),
        lambda m: Sample((m(3, 4),), {"min": 0.0}, label="min only"),
        lambda m: Sample((m(3, 4),), {"max": 0.1}, label="max only"),
        lambda m: Sample(
            (m(3, 4), m(3, 4, domain="small") - 0.6, m(4, domain="small") + 0.6),
            label="tensor bounds",
        ),
    ),
)
method("clip", fixed(lambda m: Sample((m(3, 4), -0.5, 0.5), label="number bounds")))
method("clamp_min", fixed(lambda m: Sample((m(3, 4), -0.2), label="number")))
method("clamp_max", fixed(lambda m: Sample((m(3, 4), 0.3), label="number")))


def _reduction(domain: str = "real", **kw: bool) -> SampleFn:
    return torch_reduction(domain, **kw)


def _var_samples(m: Maker) -> list[Sample]:
    out = torch_reduction()(m)
    out.append(Sample((m(3, 4),), {"dim": 1, "unbiased": False}, label="unbiased=False"))
    out.append(
        Sample(
            (m(3, 4),), {"dim": 0, "correction": 0, "keepdim": True}, label="correction=0 keepdim"
        )
    )
    return out


method("sum", _reduction())
method("mean", _reduction())
method("var", _var_samples)
method("std", _var_samples)
method("amax", _reduction(distinct=True, empty=False))
method("amin", _reduction(distinct=True, empty=False))
method("logsumexp", _reduction(dim_none=False))
method(
    "prod",
    fixed(
        lambda m: Sample((m(3, 4, domain="nonzero"),), label="all"),
        lambda m: Sample((m(3, 4, domain="nonzero"), 1), label="dim=1"),
        lambda m: Sample((m(3, 4, domain="nonzero"), -2, True), label="dim=-2 keepdim"),
        lambda m: Sample((m(),), label="0-d"),
    ),
)


def _max_samples(m: Maker) -> list[Sample]:
    return [
        Sample((m.distinct(3, 4),), label="all"),
        Sample((m.distinct(3, 4), 1), label="dim=1 (values, indices)"),
        Sample((m.distinct(3, 4),), {"dim": -1, "keepdim": True}, label="dim=-1 keepdim"),
        Sample((m.distinct(3, 4), m.distinct(3, 4)), label="other tensor (maximum)"),
    ]


method("max", _max_samples)
method("min", _max_samples)
method("softmax", fixed(lambda m: Sample((m(3, 4), 1)), lambda m: Sample((m(2, 3, 4), -2))))
method("log_softmax", fixed(lambda m: Sample((m(3, 4), 1)), lambda m: Sample((m(2, 3, 4), 0))))
method(
    "cumsum",
    fixed(
        lambda m: Sample((m(3, 4), 1)),
        lambda m: Sample((m(3, 4), -2)),
        lambda m: Sample((m(5),), {"dim": 0}),
    ),
)
method("cumprod", fixed(lambda m: Sample((m(3, 4), 1)), lambda m: Sample((m(5),), {"dim": 0})))

#: torch method -> input domain, for methods beyond the standard's names
_EXTRA_UNARY = {
    "arccos": "unit",
    "arccosh": "above1",
    "arcsin": "unit",
    "arcsinh": "real",
    "arctan": "real",
    "arctanh": "unit",
    "positive": "real",
    "sgn": "nonzero",
    "digamma": "positive",
    "erf": "real",
    "erfc": "real",
    "i0": "real",
    "lgamma": "positive",
    "logit": "open01",
}
for _name, _domain in _EXTRA_UNARY.items():
    method(_name, unary(_domain))
method("arctan2", _right_operand("nonzero", False))
method("xlogy", _right_operand("positive", True))
method("nextafter", _right_operand("real", False))
method("floor_divide", _right_operand("nonzero", True))
method("polygamma", fixed(lambda m: Sample((m(3, 4, domain="positive"), 1), label="n=1")))
