"""Checking a polygrad function against torch.autograd (float64 / complex128): values,
node names, ``requires_grad`` of every output, first-order gradients for random
cotangents, and second-order gradients (of the first-order gradients, with respect
to the inputs and the cotangents, for random directions).

Functions may return one tensor or a tuple of them (multi-output nodes); inputs
that are integer arrays are passed as constants.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from oracle import assert_close, to_np, torch  # noqa: F401 - to_np: tests import it from here

import polygrad as pg


def pg_tensor(a: np.ndarray, backend: str, requires_grad: bool = False) -> pg.Tensor:
    dtype = {"f": pg.float64, "c": pg.complex128}.get(a.dtype.kind)
    return pg.tensor(a, dtype=dtype, backend=backend, requires_grad=requires_grad)


def torch_tensor(a: np.ndarray, requires_grad: bool = False) -> Any:
    return torch.tensor(a).requires_grad_(requires_grad)


def _outputs(out: Any) -> list[Any]:
    return list(out) if isinstance(out, (tuple, list)) else [out]


def random_like(rng: np.random.Generator, shape: tuple[int, ...], is_complex: bool) -> np.ndarray:
    values = rng.standard_normal(shape)
    if is_complex:
        values = values + 1j * rng.standard_normal(shape)
    return values


def check(
    pg_fn: Callable[..., Any],
    torch_fn: Callable[..., Any],
    inputs: Sequence[Any],
    backend: str,
    *,
    names: Sequence[str | None] | None = None,
    second_order: bool = True,
    rtol: float = 1e-9,
    atol: float = 1e-10,
    seed: int = 0,
) -> None:
    """Compare ``pg_fn(*tensors)`` with ``torch_fn(*tensors)`` to second order.

    ``names`` overrides the expected node names (one per output; None: torch's).
    """
    rng = np.random.default_rng(seed)
    arrays = [np.asarray(a) for a in inputs]
    differentiable = [a.dtype.kind in "fc" for a in arrays]
    t_in = [torch_tensor(a, d) for a, d in zip(arrays, differentiable)]
    p_in = [pg_tensor(a, backend, d) for a, d in zip(arrays, differentiable)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_out = _outputs(torch_fn(*t_in))
        p_out = _outputs(pg_fn(*p_in))
    assert len(p_out) == len(t_out), "number of outputs"
    for i, (p, t) in enumerate(zip(p_out, t_out)):
        assert_close(p, t, rtol=rtol, atol=atol, what=f"value of output {i}")
        assert p.requires_grad == t.requires_grad, f"requires_grad of output {i}"
        expected = (
            names[i]
            if names is not None and names[i] is not None
            else (None if t.grad_fn is None else t.grad_fn.name())
        )
        assert (None if p.grad_fn is None else p.grad_fn.name()) == expected, f"node of output {i}"

    live = [i for i, t in enumerate(t_out) if t.requires_grad]
    wrt = [i for i, d in enumerate(differentiable) if d]
    if not live or not wrt:
        return
    cots = [random_like(rng, tuple(t_out[i].shape), t_out[i].is_complex()) for i in live]
    t_cot = [torch_tensor(c, True) for c in cots]
    p_cot = [pg_tensor(c, backend, True) for c in cots]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_g = torch.autograd.grad(
            [t_out[i] for i in live],
            [t_in[i] for i in wrt],
            t_cot,
            create_graph=second_order,
            allow_unused=True,
        )
        p_g = pg.autograd.grad(
            [p_out[i] for i in live],
            [p_in[i] for i in wrt],
            p_cot,
            create_graph=second_order,
            allow_unused=True,
        )
    for k, i in enumerate(wrt):
        assert_close(p_g[k], t_g[k], rtol=rtol, atol=atol, what=f"gradient of input {i}")
        if p_g[k] is not None:
            assert tuple(p_g[k].shape) == arrays[i].shape
            assert p_g[k].dtype == p_in[i].dtype, f"dtype of the gradient of input {i}"
    if not second_order:
        return

    # second order: d<grad, v>/d(inputs, cotangents) for a random direction v
    pairs = [
        (k, tg, pgk)
        for k, (tg, pgk) in enumerate(zip(t_g, p_g))
        if tg is not None and tg.requires_grad
    ]
    targets_t = [t_in[i] for i in wrt] + t_cot
    targets_p = [p_in[i] for i in wrt] + p_cot
    if not pairs:
        for k, g in enumerate(p_g):  # torch's gradient is constant: polygrad's must be too
            if g is not None and g.requires_grad:
                h = pg.autograd.grad(
                    g, targets_p, pg_tensor(np.ones(tuple(g.shape)), backend), allow_unused=True
                )
                for j, hj in enumerate(h):
                    assert_close(hj, None, rtol=rtol, atol=atol, what=f"second derivative {k}/{j}")
        return
    directions = [random_like(rng, tuple(tg.shape), tg.is_complex()) for _, tg, _ in pairs]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_h = torch.autograd.grad(
            [tg for _, tg, _ in pairs],
            targets_t,
            [torch_tensor(v) for v in directions],
            allow_unused=True,
        )
    live_p = [(pgk, v) for (_, _, pgk), v in zip(pairs, directions) if pgk is not None]
    assert all(pgk.requires_grad for pgk, _ in live_p), "polygrad's gradient is not connected"
    p_h = pg.autograd.grad(
        [pgk for pgk, _ in live_p],
        targets_p,
        [pg_tensor(v, backend) for _, v in live_p],
        allow_unused=True,
    )
    for j, (ph, th) in enumerate(zip(p_h, t_h)):
        assert_close(
            ph, th, rtol=max(rtol, 1e-8), atol=max(atol, 1e-9), what=f"second order, target {j}"
        )
