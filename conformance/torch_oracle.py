"""PyTorch's own operator database as the oracle for polygrad's torch front door.

``op_db`` (``torch.testing._internal.common_methods_invocations``) lists torch's
operators with sample-input generators. For one OpInfo, one *form* (``function``:
``pg.<name>``, dotted names such as ``pg.linalg.det`` included; ``method``:
``Tensor.<name>``; ``inplace``: ``Tensor.<name>_``) and one backend, ``check_form``
feeds the OpInfo's own samples (float64 where the op supports it, gradients on) to
torch and to polygrad and compares every output's values and dtype and, where torch
differentiates, the gradients of a fixed random cotangent. Random ops (``normal``,
``bernoulli``...) are compared in shape and dtype only.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .backends import dtype_name, to_numpy

#: op_db names outside the torch front door's scope (issue #13), and CUDA-only kernels
EXCLUDED_PREFIXES = ("nn.", "_refs.", "masked.", "signal.", "sparse.", "_", "torch.", "jiterator")
#: Ops whose values are random or uninitialized: shape and dtype are compared, not values
RANDOM = frozenset(
    "bernoulli cauchy exponential geometric log_normal normal uniform multinomial rand_like randn "
    "randint randint_like randn_like empty empty_like empty_permuted empty_strided new_empty "
    "new_empty_strided pca_lowrank svd_lowrank".split()
)
#: Preferred sample dtype first: float64 checks values and gradients
_DTYPE_PREFERENCE = ("float64", "complex128", "int64", "bool", "float32")
FORMS = ("function", "method", "inplace")
RTOL = ATOL = 1e-7


@dataclass(frozen=True)
class Outcome:
    """``status`` is ``ok``, ``n/a`` (torch has no such form), ``missing`` (polygrad
    has no such name), ``error`` (polygrad raised), ``values``, ``dtype`` or
    ``grad`` (a mismatch); ``detail`` says what, for the first sample that failed."""

    status: str
    detail: str = ""


def in_scope(name: str) -> bool:
    return not name.startswith(EXCLUDED_PREFIXES) and "sparse" not in name


@functools.cache
def opinfos() -> dict[str, Any]:
    """In-scope OpInfos by id (``name`` or ``name.variant``)."""
    from torch.testing._internal.common_methods_invocations import op_db

    table = {}
    for op in op_db:
        if in_scope(op.name):
            table[f"{op.name}.{op.variant_test_name}" if op.variant_test_name else op.name] = op
    return table


def _resolve(root: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        root = getattr(root, part)
    return root


def sample_dtype(op: Any) -> Any:
    import torch

    supported = {dtype_name(d) for d in op.supported_dtypes("cpu")}
    for name in _DTYPE_PREFERENCE:
        if name in supported:
            return getattr(torch, name)
    return None


def samples(op: Any, limit: int) -> list[Any]:
    """The first ``limit`` sample inputs of ``op`` (gradients on where it differentiates)."""
    import torch

    dtype = sample_dtype(op)
    if dtype is None:
        return []
    grad = op.supports_autograd and (dtype.is_floating_point or dtype.is_complex)
    torch.manual_seed(0)
    out = []
    for sample in op.sample_inputs("cpu", dtype, requires_grad=grad):
        out.append(sample)
        if len(out) == limit:
            break
    return out


def to_polygrad(value: Any, pg: Any, backend: str) -> Any:
    """A sample's torch values as polygrad values on ``backend`` (tensors become leaves
    with the same ``requires_grad``; torch dtypes become polygrad's)."""
    import torch

    if isinstance(value, torch.Tensor):
        if value._base is not None and value.storage_offset() != 0:
            return _partial_view(value, pg, backend)
        data = value.detach().resolve_conj().resolve_neg().numpy().copy()
        return pg.tensor(data, backend=backend, requires_grad=value.requires_grad)
    if isinstance(value, torch.dtype):
        return getattr(pg, str(value).removeprefix("torch."))
    if isinstance(value, torch.Size):
        return tuple(value)
    if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
        return type(value)(to_polygrad(v, pg, backend) for v in value)
    if isinstance(value, dict):
        return {k: to_polygrad(v, pg, backend) for k, v in value.items()}
    if isinstance(value, (torch.device, torch.memory_format, torch.layout)):
        return getattr(pg, str(value).removeprefix("torch."), value)
    return value


def _partial_view(value: Any, pg: Any, backend: str) -> Any:
    """A torch view that starts inside its base as a polygrad view of a copy of that
    base, at the same storage offset and strides: ops that read the storage around a
    view (``as_strided``) see what torch's see."""
    base = value._base.detach().resolve_conj().resolve_neg().contiguous().numpy().copy()
    view = pg.tensor(base.reshape(-1), backend=backend).view(-1)
    view.as_strided_(tuple(value.shape), value.stride(), value.storage_offset())
    return view.requires_grad_(value.requires_grad)


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return [leaf for v in value for leaf in _leaves(v)]
    if isinstance(value, dict):
        return [leaf for v in value.values() for leaf in _leaves(v)]
    return [value] if getattr(value, "requires_grad", False) else []


def _flatten(result: Any) -> list[Any]:
    if isinstance(result, (tuple, list)):
        return [item for part in result for item in _flatten(part)]
    return [result]


def _call(form: str, lib: Any, name: str, args: tuple, kwargs: dict) -> Any:
    if form == "function":
        return _resolve(lib, name)(*args, **kwargs)
    target, rest = args[0], args[1:]
    if form == "inplace":
        target = target.detach().clone()
        return getattr(target, name + "_")(*rest, **kwargs)
    return getattr(target, name)(*rest, **kwargs)


def _has_form(torch: Any, form: str, name: str) -> bool:
    if form == "function":
        try:
            return callable(_resolve(torch, name))
        except AttributeError:
            return False
    attribute = name if form == "method" else name + "_"
    return "." not in name and callable(getattr(torch.Tensor, attribute, None))


def _compare(got: list[Any], want: list[Any], random: bool) -> str:
    if len(got) != len(want):
        return f"values: {len(got)} outputs, torch has {len(want)}"
    for index, (g, w) in enumerate(zip(got, want)):
        if not hasattr(w, "shape"):
            g = g.item() if hasattr(g, "item") and getattr(g, "ndim", 1) == 0 else g
            if not random and g != w and not (_isnan(g) and _isnan(w)):
                return f"values: output {index} is {g!r}, torch gives {w!r}"
            continue
        if not hasattr(g, "shape"):
            return f"values: output {index} is {type(g).__name__}, torch gives a tensor"
        if dtype_name(g) != dtype_name(w):
            return f"dtype: output {index} is {dtype_name(g)}, torch gives {dtype_name(w)}"
        a, b = to_numpy(g), to_numpy(w)
        if a.shape != b.shape:
            return f"values: output {index} has shape {a.shape}, torch {b.shape}"
        if not random and not np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True):
            error = np.max(np.abs(a.astype(complex) - b.astype(complex)), initial=0.0)
            return f"values: output {index} differs by {error:.3g}"
    return ""


def _isnan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)


def _gradients(lib: Any, outputs: list[Any], leaves: list[Any], cotangents: list[Any]) -> list:
    pairs = [(o, u) for o, u in zip(outputs, cotangents) if u is not None]
    grads = lib.autograd.grad(
        [o for o, _ in pairs], leaves, [u for _, u in pairs], allow_unused=True
    )
    return [None if g is None else to_numpy(g) for g in grads]


def _check_sample(form: str, op: Any, sample: Any, pg: Any, backend: str, index: int) -> str:
    import torch

    random = op.name in RANDOM
    args = (sample.input, *sample.args)
    try:
        want = _call(form, torch, op.name, args, dict(sample.kwargs))
    except Exception:  # torch itself refuses this sample for this form: nothing to match
        return ""
    pg_args = to_polygrad(args, pg, backend)
    pg_kwargs = to_polygrad(dict(sample.kwargs), pg, backend)
    try:
        got = _call(form, pg, op.name, pg_args, pg_kwargs)
    except AttributeError as error:
        if f"'{op.name.rsplit('.', 1)[-1]}" in str(error):
            return "missing"
        return f"error: sample {index}: AttributeError: {error}"
    except Exception as error:
        return f"error: sample {index}: {type(error).__name__}: {str(error)[:160]}"
    # what the OpInfo says is defined of the outputs (eigenvectors: their absolute values,
    # since each column's sign or phase is LAPACK's choice)
    process = sample.output_process_fn_grad
    try:
        wanted, gotten = _flatten(process(want)), _flatten(process(got))
    except Exception as error:
        return f"error: sample {index}: the OpInfo's output_process_fn_grad: {error}"
    problem = _compare(gotten, wanted, random)
    if problem or random or form == "inplace":
        return (
            f"{problem.split(':')[0]}: sample {index}:{problem.split(':', 1)[1]}" if problem else ""
        )
    leaves, pg_leaves = _leaves(args), _leaves(pg_args)
    differentiable = [isinstance(w, torch.Tensor) and w.requires_grad for w in wanted]
    if not leaves or not any(differentiable):
        return ""
    rng = np.random.default_rng(index)
    cotangents = [
        rng.standard_normal(tuple(w.shape)).astype(to_numpy(w).dtype) if d else None
        for w, d in zip(wanted, differentiable)
    ]
    try:
        expected = _gradients(
            torch, wanted, leaves, [None if u is None else torch.from_numpy(u) for u in cotangents]
        )
    except RuntimeError:  # torch has no derivative for this sample
        return ""
    try:
        as_pg = [None if u is None else pg.tensor(u, backend=backend) for u in cotangents]
        actual = _gradients(pg, gotten, pg_leaves, as_pg)
    except Exception as error:
        return f"grad: sample {index}: {type(error).__name__}: {str(error)[:160]}"
    for position, (a, e) in enumerate(zip(actual, expected)):
        if e is None:
            continue
        if a is None:
            a = np.zeros_like(e)
        if not np.allclose(a, e, rtol=RTOL, atol=ATOL, equal_nan=True):
            return f"grad: sample {index}: input {position} differs by {np.max(np.abs(a - e)):.3g}"
    return ""


def check_form(
    op: Any, form: str, backend: str, limit: int = 4, prepared: list[Any] | None = None
) -> Outcome:
    """Run ``op``'s first ``limit`` samples through ``form`` on ``backend``; ``prepared``:
    those samples made once for all forms (``samples(op, limit)``: making them is a
    quarter of a NumPy sweep's time)."""
    import torch

    import polygrad as pg

    if not _has_form(torch, form, op.name):
        return Outcome("n/a")
    checked = 0
    for index, sample in enumerate(samples(op, limit) if prepared is None else prepared):
        if form != "function" and not isinstance(sample.input, torch.Tensor):
            continue
        problem = _check_sample(form, op, sample, pg, backend, index)
        if problem == "missing":
            return Outcome("missing")
        if problem:
            status, _, detail = problem.partition(": ")
            return Outcome(status, detail)
        checked += 1
    return Outcome("ok") if checked else Outcome("n/a", "no sample applies")
