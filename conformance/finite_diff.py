"""The second oracle: central finite differences in float64, for ops torch lacks.

Values come from the entry's NumPy/SciPy ``reference``; the VJP ``u^T J`` is
differenced from polygrad's own forward on NumPy in float64; the second-order
product differences ``<vjp(x), v>`` (polygrad's first-order gradient), so it
checks that the second derivative agrees with the first.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .autodiff import Output, Run, flatten
from .backends import dtype_name, to_numpy
from .samples import Sample

STEP = 1e-6


def _evaluate(fn: Any, args: list[Any], kwargs: dict[str, Any]) -> list[np.ndarray]:
    import polygrad as pg

    tensors = [pg.tensor(a, backend="numpy") if isinstance(a, np.ndarray) else a for a in args]
    with pg.no_grad():
        return [np.asarray(to_numpy(o), dtype=np.float64) for o in flatten(fn(*tensors, **kwargs))]


def _differentiate(scalar: Any, args: list[Any], wanted: tuple[int, ...]) -> list[np.ndarray]:
    """d scalar(args) / d args[i] for each wanted i, by central differences."""
    grads = []
    for i in wanted:
        base = np.asarray(args[i], dtype=np.float64)
        grad = np.zeros_like(base)
        for index in np.ndindex(base.shape):
            plus, minus = base.copy(), base.copy()
            plus[index] += STEP
            minus[index] -= STEP
            hi = scalar(args[:i] + [plus] + args[i + 1 :])
            lo = scalar(args[:i] + [minus] + args[i + 1 :])
            grad[index] = (hi - lo) / (2 * STEP)
        grads.append(grad)
    return grads


def oracle(
    fn: Any,
    reference: Any,
    sample: Sample,
    cotangents: list[np.ndarray] | None,
    vs: list[np.ndarray] | None,
    second_order: bool,
) -> Run:
    """A ``Run`` built from the reference and finite differences (float64 throughout)."""
    args = [
        np.asarray(a, dtype=np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a
        for a in sample.args
    ]
    wanted = sample.grad_indices()
    dtypes = [dtype_name(a) for a in sample.args if isinstance(a, np.ndarray)]
    values = (
        reference(*sample.args, **sample.kwargs)
        if reference is not None
        else _evaluate(fn, list(sample.args), sample.kwargs)
    )
    run = Run()
    out_dtype = dtypes[0] if dtypes else "float64"
    for v in flatten(values):
        v = np.asarray(v)
        differentiable = v.dtype.kind in "fc" and bool(wanted)
        run.outputs.append(
            Output(
                v.astype(out_dtype) if differentiable else v,
                out_dtype if differentiable else dtype_name(v),
                differentiable,
            )
        )
    if cotangents is None or vs is None:
        return run

    def projected(point: list[Any]) -> float:
        outs = [o for o in _evaluate(fn, point, sample.kwargs)]
        diff = [o for o, meta in zip(outs, run.outputs) if meta.requires_grad]
        return float(sum(np.sum(o * u) for o, u in zip(diff, cotangents)))

    grads = _differentiate(projected, args, wanted)
    run.grads = [(g, dtype_name(sample.args[i])) for g, i in zip(grads, wanted)]
    if second_order:
        run.second = _differentiate(
            lambda point: _vjp_dot(fn, point, sample, cotangents, vs), args, wanted
        )
    return run


def _vjp_dot(
    fn: Any, point: list[Any], sample: Sample, cotangents: list[np.ndarray], vs: list[np.ndarray]
) -> float:
    """<polygrad's VJP at ``point``, v>, on NumPy in float64."""
    import polygrad as pg

    wanted = sample.grad_indices()
    tensors = [
        pg.tensor(a, backend="numpy", requires_grad=i in wanted) if isinstance(a, np.ndarray) else a
        for i, a in enumerate(point)
    ]
    leaves = [tensors[i] for i in wanted]
    outs = [o for o in flatten(fn(*tensors, **sample.kwargs)) if getattr(o, "requires_grad", False)]
    u = [pg.tensor(c.astype(np.float64), backend="numpy") for c in cotangents]
    grads = pg.autograd.grad(outs, leaves, grad_outputs=u, allow_unused=True)
    return float(sum(np.sum(to_numpy(g) * v) for g, v in zip(grads, vs) if g is not None))
