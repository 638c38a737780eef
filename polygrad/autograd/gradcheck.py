"""Check gradients by finite differences, on any backend: ``gradcheck``/``gradgradcheck``.

torch's signatures and errors::

    pg.gradcheck(f, (x, y))          # True, or GradcheckError naming output and input
    pg.gradgradcheck(f, (x, y))      # the same for the gradient of f (second order)

Each input that requires grad is perturbed by ``±eps`` one element at a time (the
values go through NumPy, so any backend works); the resulting central differences
are compared with the Jacobian from backward passes (and, with
``check_forward_ad=True``, from forward-mode AD), as
``|analytical - numerical| <= atol + rtol * |numerical|``. Jacobians are laid out as
torch's: one row per input element, one column per output element. Inputs should be
float64: other dtypes warn, as in torch. ``fast_mode``, ``check_batched_grad`` and
``check_undefined_grad`` are accepted; polygrad always runs the full (slow) check.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

from .._core._backend import get_backend
from .._core._tensor import Tensor, _make
from . import forward_ad
from ._entry import grad

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck``/``gradgradcheck`` when gradients are wrong."""


def _as_tuple(x: Any) -> tuple[Any, ...]:
    if isinstance(x, Tensor):
        return (x,)
    if isinstance(x, (list, tuple)):
        return tuple(x)
    return (x,)


def _floating(t: Any) -> bool:
    return isinstance(t, Tensor) and t.dtype.differentiable


def _numpy(t: Tensor) -> np.ndarray:
    return np.asarray(t._backend.to_numpy(t._data))


def _show(matrix: np.ndarray) -> str:
    return repr(_make(matrix, get_backend("numpy")))


def _with(inputs: tuple[Any, ...], i: int, values: np.ndarray) -> tuple[Any, ...]:
    """``inputs`` with input ``i`` replaced by ``values`` (a new tensor on its backend)."""
    t = inputs[i]
    data = t._backend.asarray(values, dtype=t.dtype.name, device=t._backend.device_of(t._data))
    # still requiring grad: gradgradcheck's function differentiates its inputs
    return (*inputs[:i], _make(data, t._backend, None, 0, t.requires_grad), *inputs[i + 1 :])


def _outputs(func: Callable[..., Any], inputs: tuple[Any, ...]) -> tuple[Any, ...]:
    return _as_tuple(func(*inputs))


def _numerical(
    func: Callable[..., Any], inputs: tuple[Any, ...], i: int, eps: float
) -> list[np.ndarray]:
    """d outputs / d inputs[i] by central differences: one (n_in, n_out) matrix per output."""
    base = _numpy(inputs[i])
    flat = base.reshape(-1)
    columns: list[list[np.ndarray]] = []
    for k in range(flat.size):
        plus, minus = flat.copy(), flat.copy()
        plus[k] += eps
        minus[k] -= eps
        up = _outputs(func, _with(inputs, i, plus.reshape(base.shape)))
        down = _outputs(func, _with(inputs, i, minus.reshape(base.shape)))
        columns.append(
            [
                (_numpy(a).reshape(-1) - _numpy(b).reshape(-1)) / (2 * eps)
                if _floating(a)
                else np.zeros(0)
                for a, b in zip(up, down)
            ]
        )
    n_out = len(columns[0]) if columns else len(_outputs(func, inputs))
    return [
        np.stack([c[j] for c in columns]) if columns else np.zeros((0, 0)) for j in range(n_out)
    ]


def _analytical(
    outputs: tuple[Any, ...], inputs: tuple[Any, ...], wrt: list[int], check_grad_dtypes: bool
) -> dict[tuple[int, int], np.ndarray]:
    """(output j, input i) -> the backward-mode Jacobian as an (n_in, n_out) matrix."""
    result = {}
    targets = [inputs[i] for i in wrt]
    for j, out in enumerate(outputs):
        if not _floating(out) or not out.requires_grad:
            continue
        rows: list[list[np.ndarray]] = [[] for _ in wrt]
        size = out.numel()
        eye = np.eye(size, dtype=_numpy(out).dtype)
        for m in range(size):
            seed = out._backend.asarray(
                eye[m].reshape(tuple(out.shape)),
                dtype=out.dtype.name,
                device=out._backend.device_of(out._data),
            )
            found = grad(
                out,
                targets,
                grad_outputs=_make(seed, out._backend),
                retain_graph=True,
                allow_unused=True,
            )
            for r, (g, x) in enumerate(zip(found, targets)):
                if g is None:
                    rows[r].append(np.zeros(x.numel()))
                    continue
                if tuple(g.shape) != tuple(x.shape):
                    raise GradcheckError("Gradient has shape mismatch")
                if check_grad_dtypes and g.dtype != x.dtype:
                    raise GradcheckError("Gradient has dtype mismatch")
                rows[r].append(_numpy(g).reshape(-1))
        for r, i in enumerate(wrt):
            n_in = inputs[i].numel()
            result[(j, i)] = np.stack(rows[r], axis=1) if rows[r] else np.zeros((n_in, 0))
    return result


def _forward(
    func: Callable[..., Any], inputs: tuple[Any, ...], i: int, n_out: int
) -> list[np.ndarray]:
    """d outputs / d inputs[i] by forward-mode AD, as (n_in, n_out) matrices."""
    base = _numpy(inputs[i])
    columns = []
    for k in range(base.size):
        one_hot = np.zeros(base.size, dtype=base.dtype)
        one_hot[k] = 1
        tangent = _with(inputs, i, one_hot.reshape(base.shape))[i]
        with forward_ad.dual_level():
            dual = forward_ad.make_dual(inputs[i], tangent)
            outs = _outputs(func, (*inputs[:i], dual, *inputs[i + 1 :]))
            col = []
            for o in outs:
                found = forward_ad.unpack_dual(o).tangent if _floating(o) else None
                col.append(np.zeros(o.numel()) if found is None else _numpy(found).reshape(-1))
        columns.append(col)
    return [np.stack([c[j] for c in columns]) for j in range(n_out)]


def _fail(message: str, raise_exception: bool) -> bool:
    if raise_exception:
        raise GradcheckError(message)
    return False


def gradcheck(
    func: Callable[..., Any],
    inputs: Any,
    *,
    eps: float = 1e-06,
    atol: float = 1e-05,
    rtol: float = 0.001,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_batched_forward_grad: bool = False,
    check_forward_ad: bool = False,
    check_backward_ad: bool = True,
    fast_mode: bool = False,
    masked: bool | None = None,
) -> bool:
    """True if the gradients of ``func`` at ``inputs`` match finite differences."""
    inputs = _as_tuple(inputs)
    wrt = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not wrt:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, but "
            "none of them have requires_grad=True."
        )
    for i in wrt:
        if inputs[i].dtype.name not in ("float64", "complex128"):
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point or "
                "complex. This check will likely fail if all the inputs are not of double "
                "precision floating point or complex. ",
                UserWarning,
                stacklevel=2,
            )
    outputs = _outputs(func, inputs)
    numerical = {i: _numerical(func, inputs, i, eps) for i in wrt}
    for j, out in enumerate(outputs):
        if _floating(out) and not out.requires_grad:
            if any(np.any(np.abs(numerical[i][j]) > atol) for i in wrt):
                return _fail("Numerical gradient for function expected to be zero", raise_exception)
    if check_backward_ad:
        analytical = _analytical(outputs, inputs, wrt, check_grad_dtypes)
        for (j, i), a in analytical.items():
            n = numerical[i][j]
            if not np.allclose(a, n, rtol=rtol, atol=atol):
                return _fail(
                    f"Jacobian mismatch for output {j} with respect to input {i},\n"
                    f"numerical:{_show(n)}\nanalytical:{_show(a)}\n",
                    raise_exception,
                )
    if check_forward_ad:
        for i in wrt:
            found = _forward(func, inputs, i, len(outputs))
            for j, out in enumerate(outputs):
                if not _floating(out):
                    continue
                n = numerical[i][j]
                if not np.allclose(found[j], n, rtol=rtol, atol=atol):
                    return _fail(
                        f"Jacobian computed with forward mode mismatch for output {j} with "
                        f"respect to input {i},\nnumerical:{_show(n)}\nanalytical:"
                        f"{_show(found[j])}\n",
                        raise_exception,
                    )
    return True


def gradgradcheck(
    func: Callable[..., Any],
    inputs: Any,
    grad_outputs: Any = None,
    *,
    eps: float = 1e-06,
    atol: float = 1e-05,
    rtol: float = 0.001,
    gen_non_contig_grad_outputs: bool = False,
    raise_exception: bool = True,
    nondet_tol: float = 0.0,
    check_undefined_grad: bool = True,
    check_grad_dtypes: bool = False,
    check_batched_grad: bool = False,
    check_fwd_over_rev: bool = False,
    check_rev_over_rev: bool = True,
    fast_mode: bool = False,
    masked: bool = False,
) -> bool:
    """True if the second derivatives of ``func`` match finite differences of its gradient.

    ``grad_outputs`` (random, seeded, when not given) weight the outputs; the gradient
    of ``sum(grad_outputs * func(inputs))`` is then checked with ``gradcheck``.
    """
    inputs = _as_tuple(inputs)
    outputs = [o for o in _outputs(func, inputs) if _floating(o) and o.requires_grad]
    if grad_outputs is None:
        rng = np.random.default_rng(0)
        grad_outputs = []
        for o in outputs:
            values = rng.uniform(-1.0, 1.0, tuple(o.shape)).astype(_numpy(o).dtype)
            data = o._backend.asarray(
                values, dtype=o.dtype.name, device=o._backend.device_of(o._data)
            )
            grad_outputs.append(_make(data, o._backend, None, 0, True))
    grad_outputs = _as_tuple(grad_outputs)
    n_inputs = len(inputs)

    def new_func(*args: Any) -> tuple[Any, ...]:
        ins, gos = args[:n_inputs], args[n_inputs:]
        outs = [o for o in _outputs(func, ins) if _floating(o) and o.requires_grad]
        wrt = [t for t in ins if isinstance(t, Tensor) and t.requires_grad]
        found = grad(outs, wrt, grad_outputs=list(gos), create_graph=True, allow_unused=True)
        return tuple(g for g in found if g is not None)

    return gradcheck(
        new_func,
        (*inputs, *grad_outputs),
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        nondet_tol=nondet_tol,
        check_grad_dtypes=check_grad_dtypes,
        check_forward_ad=check_fwd_over_rev,
        check_backward_ad=check_rev_over_rev,
    )
