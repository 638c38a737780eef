"""The systems under test: how each one runs a workload's loss and its gradient.

``prepare(subject, workload, consts, params)`` returns a zero-argument callable that
computes the loss and the gradients (or the Hessian-vector product) and returns
them in the subject's own array type; ``to_numpy`` converts a result for checking.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .workloads import Workload

SUBJECTS = [
    "numpy-manual",
    "polygrad-numpy",
    "polygrad-numpy-methods",
    "polygrad-torch",
    "polygrad-jax",
    "polygrad-jax-jit",
    "polygrad-numpy-compiled",
    "polygrad-torch-compiled",
    "torch.autograd",
    "hips-autograd",
    "mygrad",
    "jax-eager",
    "jax-jit",
]


def to_numpy(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [to_numpy(v) for v in value]
    if hasattr(value, "_backend"):  # a polygrad tensor
        return value.detach().numpy()
    if hasattr(value, "detach"):  # torch
        return value.detach().cpu().numpy()
    if hasattr(value, "data") and type(value).__module__.startswith("mygrad"):
        return np.asarray(value.data)
    return np.asarray(value)


class _Methods:
    """A namespace whose functions call Tensor methods (``xp.sin(x)`` is ``x.sin()``,
    ``xp.max(z, axis=1, keepdims=True)`` is ``z.amax(dim=1, keepdim=True)``): the same
    workloads through torch-style methods instead of polygrad's array-API namespace."""

    _NAMES = {"max": "amax"}
    _KEYWORDS = {"axis": "dim", "keepdims": "keepdim"}

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = self._NAMES.get(name, name)
        keywords = self._KEYWORDS

        def call(x: Any, *args: Any, **kwargs: Any) -> Any:
            if kwargs:
                kwargs = {keywords.get(k, k): v for k, v in kwargs.items()}
            return getattr(x, method)(*args, **kwargs)

        setattr(self, name, call)  # made once per name: the harness adds one call per op
        return call


def _polygrad(
    backend: str, w: Workload, consts: tuple[Any, ...], params: tuple[Any, ...], methods: bool
) -> Callable[[], Any]:
    import polygrad as pg

    ts = [pg.tensor(p, backend=backend, requires_grad=True) for p in params]
    cs = [pg.tensor(c, backend=backend)._data for c in consts]
    xp = _Methods() if methods else ts[0].__array_namespace__()
    if w.hvp:
        v = pg.tensor(consts[0], backend=backend)

        def hvp() -> Any:
            (g,) = pg.autograd.grad(w.loss(xp, ts[0]), ts[0], create_graph=True)
            return pg.autograd.grad(xp.sum(g * v), ts[0])

        return hvp

    def run() -> Any:
        for t in ts:
            t.grad = None
        loss = w.loss(xp, *cs, *ts)
        loss.backward()
        return loss, [t.grad for t in ts]

    return run


def _polygrad_compiled(
    backend: str, w: Workload, consts: tuple[Any, ...], params: tuple[Any, ...]
) -> Callable[[], Any]:
    """The same loss and gradient as ``_polygrad``, under ``pg.compile``."""
    import polygrad as pg

    ts = [pg.tensor(p, backend=backend, requires_grad=True) for p in params]
    cs = [pg.tensor(c, backend=backend) for c in consts]
    if w.hvp:

        @pg.compile
        def hvp(x: Any, v: Any) -> Any:
            xp = x.__array_namespace__()
            (g,) = pg.autograd.grad(w.loss(xp, x), x, create_graph=True)
            return pg.autograd.grad(xp.sum(g * v), x)

        return lambda: hvp(ts[0], cs[0])

    @pg.compile
    def step(cs: list[Any], ts: list[Any]) -> Any:
        xp = ts[0].__array_namespace__()
        for t in ts:
            t.grad = None
        loss = w.loss(xp, *[c._data for c in cs], *ts)
        loss.backward()
        return loss, [t.grad for t in ts]

    return lambda: step(cs, ts)


def _polygrad_jit(
    w: Workload, consts: tuple[Any, ...], params: tuple[Any, ...]
) -> Callable[[], Any]:
    import jax

    import polygrad as pg

    cs = [jax.numpy.asarray(c) for c in consts]
    ps = [jax.numpy.asarray(p) for p in params]

    def value_and_grads(*arrays: Any) -> Any:
        ts = [pg.as_tensor(a).requires_grad_() for a in arrays]
        xp = ts[0].__array_namespace__()
        if w.hvp:
            (g,) = pg.autograd.grad(w.loss(xp, ts[0]), ts[0], create_graph=True)
            return [h._data for h in pg.autograd.grad(xp.sum(g * pg.as_tensor(cs[0])), ts[0])]
        loss = w.loss(xp, *cs, *ts)
        return loss._data, [g._data for g in pg.autograd.grad(loss, ts)]

    compiled = jax.jit(value_and_grads)
    return lambda: jax.block_until_ready(compiled(*ps))


def _torch(w: Workload, consts: tuple[Any, ...], params: tuple[Any, ...]) -> Callable[[], Any]:
    import array_api_compat.torch as xp
    import torch

    ts = [torch.tensor(p, requires_grad=True) for p in params]
    cs = [torch.as_tensor(c) for c in consts]
    if w.hvp:

        def hvp() -> Any:
            (g,) = torch.autograd.grad(w.loss(xp, ts[0]), ts[0], create_graph=True)
            return torch.autograd.grad((g * cs[0]).sum(), ts[0])

        return hvp

    def run() -> Any:
        for t in ts:
            t.grad = None
        loss = w.loss(xp, *cs, *ts)
        loss.backward()
        return loss, [t.grad for t in ts]

    return run


def _hips(w: Workload, consts: tuple[Any, ...], params: tuple[Any, ...]) -> Callable[[], Any]:
    import autograd.numpy as anp
    from autograd import grad, value_and_grad

    if w.hvp:
        (v,) = consts
        hv = grad(lambda x: anp.sum(grad(lambda y: w.loss(anp, y))(x) * v))
        return lambda: hv(params[0])
    fn = value_and_grad(lambda ps: w.loss(anp, *consts, *ps))
    return lambda: fn(list(params))


def _mygrad(w: Workload, consts: tuple[Any, ...], params: tuple[Any, ...]) -> Callable[[], Any]:
    import mygrad as mg

    if w.hvp:
        raise NotImplementedError("MyGrad has no higher-order derivatives")
    ts = [mg.tensor(p) for p in params]

    def run() -> Any:
        loss = w.loss(mg, *consts, *ts)
        loss.backward()
        return loss, [t.grad for t in ts]

    return run


def _jax(
    w: Workload, consts: tuple[Any, ...], params: tuple[Any, ...], jit: bool
) -> Callable[[], Any]:
    import jax
    import jax.numpy as jnp

    cs = [jnp.asarray(c) for c in consts]
    ps = [jnp.asarray(p) for p in params]
    if w.hvp:
        f = jax.grad(lambda x, v: jnp.vdot(jax.grad(lambda y: w.loss(jnp, y))(x), v))
        fn = jax.jit(f) if jit else f
        return lambda: jax.block_until_ready(fn(ps[0], cs[0]))
    g = jax.value_and_grad(lambda *a: w.loss(jnp, *cs, *a), argnums=tuple(range(len(ps))))
    fn = jax.jit(g) if jit else g
    return lambda: jax.block_until_ready(fn(*ps))


def prepare(
    subject: str, w: Workload, consts: tuple[Any, ...], params: tuple[Any, ...]
) -> Callable[[], Any]:
    if subject == "numpy-manual":
        return lambda: w.manual(*consts, *params)
    if subject.endswith("-compiled"):
        return _polygrad_compiled(subject.split("-")[1], w, consts, params)
    if subject.startswith("polygrad-") and subject != "polygrad-jax-jit":
        backend = subject.split("-")[1]
        return _polygrad(backend, w, consts, params, methods=subject.endswith("-methods"))
    if subject == "polygrad-jax-jit":
        return _polygrad_jit(w, consts, params)
    if subject == "torch.autograd":
        return _torch(w, consts, params)
    if subject == "hips-autograd":
        return _hips(w, consts, params)
    if subject == "mygrad":
        return _mygrad(w, consts, params)
    if subject in ("jax-eager", "jax-jit"):
        return _jax(w, consts, params, jit=subject == "jax-jit")
    raise ValueError(f"unknown subject {subject!r}")


def result_arrays(subject: str, w: Workload, result: Any) -> tuple[float | None, list[Any]]:
    """(loss, gradients) as NumPy, whatever shape the subject returned them in."""
    if w.hvp:
        grads = result if isinstance(result, (list, tuple)) else [result]
        return None, [np.asarray(to_numpy(g), dtype=np.float64) for g in grads]
    loss, grads = result
    return float(np.asarray(to_numpy(loss))), [np.asarray(to_numpy(g), np.float64) for g in grads]
