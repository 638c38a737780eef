"""Test helpers: the same computation in polygrad and in torch.autograd (float64), compared.

``on_backend`` makes new tensors land on one backend (the lists of backends to run
on are in ``conftest.py``).
``compare_op`` runs one function through both libraries and checks values, node
name, next_functions, first-order gradients (through ``backward``) and second-order
gradients (through ``grad(create_graph=True)``).
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pytest

import polygrad as pg
from polygrad import array_api

torch = pytest.importorskip("torch")

#: torch's messages name torch's types (torch.Size, torch.float32), polygrad's its own.
_OWN_NAME = re.compile(r"\b(?:torch|polygrad)\.(?=Size\(|float|complex|int|uint|bool)")


@contextlib.contextmanager
def on_backend(name: str) -> Iterator[None]:
    """New tensors (factories, ``pg.tensor`` of Python data) go to ``name`` inside."""
    with pg.backend(name):
        yield


def to_np(t: Any) -> Any:
    """A polygrad tensor's values as a NumPy array (None stays None)."""
    if t is None:
        return None
    if isinstance(t, pg.Tensor):
        return np.asarray(t._backend.to_numpy(t._data))
    if isinstance(t, torch.Tensor):
        if t._is_zerotensor():  # torch's symbolic zeros (second derivative of abs, relu)
            return np.zeros(tuple(t.shape))
        return t.detach().resolve_conj().numpy()
    return np.asarray(t)


def pg_from(values: Any, backend: str, requires_grad: bool = False, dtype: Any = None) -> Any:
    """A polygrad leaf on ``backend`` holding ``values`` (float64 unless ``dtype``)."""
    arr = np.asarray(values)
    if dtype is None and arr.dtype.kind == "f":
        dtype = pg.float64
    return pg.tensor(arr, dtype=dtype, backend=backend, requires_grad=requires_grad)


def torch_from(values: Any, requires_grad: bool = False) -> Any:
    arr = np.asarray(values)
    t = torch.tensor(arr, dtype=torch.float64 if arr.dtype.kind == "f" else None)
    return t.requires_grad_(requires_grad)


def assert_close(
    actual: Any, expected: Any, *, rtol: float = 1e-10, atol: float = 1e-12, what: str = ""
) -> None:
    """Values and shape equal (None on both sides, or None vs all-zero, counts as equal)."""
    if actual is None and expected is None:
        return
    a = to_np(actual)
    e = to_np(expected)
    if a is None:
        a = np.zeros_like(e)
    if e is None:
        e = np.zeros_like(a)
    assert a.shape == e.shape, f"{what}: shape {a.shape} != {e.shape}"
    np.testing.assert_allclose(a, e, rtol=rtol, atol=atol, equal_nan=True, err_msg=what)


def edge_names(node: Any) -> list[tuple[str | None, int]]:
    """``next_functions`` as (node name or None, output_nr) pairs, comparable across libraries."""
    return [(None if n is None else n.name(), nr) for n, nr in node.next_functions]


class Lib:
    """One spelling of the functions whose names differ between polygrad and torch."""

    def __init__(self, module: Any, **overrides: Any) -> None:
        self._module = module
        self.__dict__.update(overrides)
        self.is_torch = module is torch

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)


PG = Lib(
    pg,
    cat=lambda ts, dim=0: array_api.concat(ts, axis=dim),
    stack=lambda ts, dim=0: array_api.stack(ts, axis=dim),
    idx=lambda data: pg.tensor(data),
)
TORCH = Lib(torch, idx=lambda data: torch.tensor(data))


def _first(out: Any) -> Any:
    return out[0] if isinstance(out, tuple) else out


def compare_op(
    fn: Callable[..., Any],
    inputs: Sequence[Any],
    backend: str,
    *,
    requires_grad: Sequence[bool] | None = None,
    structure: bool = True,
    second_order: bool = True,
    seed: int = 0,
    rtol: float = 1e-10,
    name: str | None = None,
) -> None:
    """Run ``fn(lib, *tensors)`` in polygrad and torch and compare everything observable.

    ``structure=False`` skips the next_functions comparison where torch records a
    composite (several nodes) and polygrad one node; the node name is still compared.
    """
    rng = np.random.default_rng(seed)
    arrays = [np.asarray(v) for v in inputs]
    if requires_grad is None:
        requires_grad = [a.dtype.kind == "f" for a in arrays]
    t_in = [torch_from(a, rg) for a, rg in zip(arrays, requires_grad)]
    with on_backend(backend):
        p_in = [pg_from(a, backend, rg) for a, rg in zip(arrays, requires_grad)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_out = _first(fn(TORCH, *t_in))
        with on_backend(backend):
            p_out = _first(fn(PG, *p_in))

    # values, dtype, node
    assert_close(p_out, t_out, rtol=rtol, what="forward value")
    assert p_out.dtype.name == str(t_out.dtype).replace("torch.", ""), "dtype"
    assert p_out.requires_grad == t_out.requires_grad, "requires_grad"
    assert p_out.is_leaf == t_out.is_leaf, "is_leaf"
    if t_out.grad_fn is None:
        assert p_out.grad_fn is None
        return
    expected_name = name or t_out.grad_fn.name()
    assert p_out.grad_fn.name() == expected_name, f"node {p_out.grad_fn.name()} != {expected_name}"
    if structure:
        p_edges, t_edges = edge_names(p_out.grad_fn), edge_names(t_out.grad_fn)
        assert p_edges == t_edges, f"next_functions {p_edges} != torch {t_edges}"
        for (pn, _), (tn, _), p in zip(
            p_out.grad_fn.next_functions, t_out.grad_fn.next_functions, p_in
        ):
            if tn is not None and tn.name().endswith("AccumulateGrad"):
                assert pn.variable is p, "AccumulateGrad.variable is the input leaf"

    # first order, through backward() into the leaves' .grad
    cot = rng.standard_normal(tuple(t_out.shape))
    t_out.backward(torch_from(cot))
    with on_backend(backend):
        p_out.backward(pg_from(cot, backend))
    for i, (p, t) in enumerate(zip(p_in, t_in)):
        if t.requires_grad:
            assert_close(p.grad, t.grad, rtol=rtol, what=f"grad of input {i}")
            if p.grad is not None:
                assert p.grad.dtype == p.dtype and tuple(p.grad.shape) == tuple(p.shape)
        else:
            assert p.grad is None

    if not second_order:
        return
    # second order: d/dinputs of <grad(out, inputs, cot), v>, through create_graph
    diff = [i for i, t in enumerate(t_in) if t.requires_grad]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t_out = _first(fn(TORCH, *t_in))
        with on_backend(backend):
            p_out = _first(fn(PG, *p_in))
    t_g = torch.autograd.grad(t_out, [t_in[i] for i in diff], torch_from(cot), create_graph=True)
    with on_backend(backend):
        p_g = pg.autograd.grad(
            p_out, [p_in[i] for i in diff], pg_from(cot, backend), create_graph=True
        )
    vs = [rng.standard_normal(arrays[i].shape) for i in diff]
    for k, i in enumerate(diff):
        assert_close(p_g[k], t_g[k], rtol=rtol, what=f"create_graph grad of input {i}")
    t_terms = [(g * torch_from(v)).sum() for g, v in zip(t_g, vs) if g.requires_grad]
    p_terms = [(g * pg_from(v, backend)).sum() for g, v in zip(p_g, vs) if g.requires_grad]
    if not t_terms:
        # linear in the inputs: polygrad's first-order grads may still be connected,
        # but their second derivative must be zero
        if p_terms:
            p_h = pg.autograd.grad(
                sum(p_terms[1:], p_terms[0]), [p_in[i] for i in diff], allow_unused=True
            )
            for k, h in enumerate(p_h):
                assert_close(
                    h,
                    None if h is None else np.zeros(h.shape),
                    what=f"second derivative of linear op, input {diff[k]}",
                )
        return
    t_h = torch.autograd.grad(
        sum(t_terms[1:], t_terms[0]), [t_in[i] for i in diff], allow_unused=True
    )
    if not p_terms:
        # polygrad left its first-order gradients unconnected: torch's must be zero
        for k, i in enumerate(diff):
            assert_close(None, t_h[k], what=f"second order (unconnected in polygrad), input {i}")
        return
    p_h = pg.autograd.grad(sum(p_terms[1:], p_terms[0]), [p_in[i] for i in diff], allow_unused=True)
    for k, i in enumerate(diff):
        assert_close(p_h[k], t_h[k], rtol=max(rtol, 1e-9), what=f"second order, input {i}")


# -- scenarios: the same user code run on polygrad and on torch -------------------------------


def observe(value: Any) -> Any:
    """What a user sees of a value, as plain data comparable across the two libraries."""
    if isinstance(value, (pg.Tensor, torch.Tensor)):
        dtype = str(value.dtype).replace("torch.", "").replace("polygrad.", "")
        node = value.grad_fn.name() if value.grad_fn is not None else None
        return (
            "tensor",
            to_np(value.detach()).tolist(),
            dtype,
            value.requires_grad,
            value.is_leaf,
            node,
        )
    if isinstance(value, BaseException):  # each library names its own types: torch.Size
        return (type(value).__name__, _OWN_NAME.sub("<library>.", str(value)))
    if isinstance(value, (list, tuple)):
        return (
            type(value)(observe(v) for v in value)
            if not hasattr(value, "_fields")
            else tuple(observe(v) for v in value)
        )
    if isinstance(value, dict):
        return {k: observe(v) for k, v in value.items()}
    if hasattr(value, "name") and hasattr(value, "next_functions"):  # a graph node
        return ("node", value.name())
    return value


def raised(fn: Callable[[], Any]) -> Any:
    """The exception ``fn`` raises (type and message), or its result."""
    try:
        return fn()
    except Exception as error:  # noqa: BLE001 - compared with the other library's
        return error


def assert_same(actual: Any, expected: Any, path: str = "", rtol: float = 1e-5) -> None:
    """Observations equal, floats to ``rtol`` (float32 arithmetic differs in the last bits)."""
    if isinstance(expected, float) and isinstance(actual, float):
        assert actual == pytest.approx(expected, rel=rtol, abs=1e-12, nan_ok=True), path
        return
    if isinstance(expected, (list, tuple)) and isinstance(actual, (list, tuple)):
        assert len(actual) == len(expected), f"{path}: {actual!r} != {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, f"{path}[{i}]", rtol)
        return
    assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def run_both(scenario: Callable[[Any], Any], backend: str) -> tuple[Any, Any]:
    """``scenario(lib)`` on polygrad (new tensors on ``backend``) and on torch, observed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with on_backend(backend):
            mine = observe(scenario(PG))
        theirs = observe(scenario(TORCH))
    return mine, theirs


def same_as_torch(scenario: Callable[[Any], Any], backend: str, rtol: float = 1e-5) -> Any:
    """Assert ``scenario`` shows the same on polygrad and torch; return polygrad's view."""
    mine, theirs = run_both(scenario, backend)
    assert_same(mine, theirs, rtol=rtol)
    return mine


def values_and_grads_as_torch(fn: Callable[..., Any], inputs: Any, backend: str) -> None:
    """``fn(lib, *tensors)`` in both libraries, for ops polygrad composes from several nodes
    where torch records one: every output (a named tuple's type and fields included) and
    the gradients of the floating inputs through the first output's non-NaN elements.
    ``inputs``: one array or a tuple of them."""
    arrays = [np.asarray(a) for a in (inputs if isinstance(inputs, tuple) else (inputs,))]
    grads = [a.dtype.kind == "f" for a in arrays]
    t_in = [torch_from(a, g) for a, g in zip(arrays, grads)]
    with on_backend(backend):
        p_in = [pg_from(a, backend, g) for a, g in zip(arrays, grads)]
        mine = fn(pg, *p_in)
    theirs = fn(torch, *t_in)
    if isinstance(theirs, tuple):
        assert type(mine).__name__ == type(theirs).__name__
        assert mine.values is mine[0] and mine.indices is mine[1]
        for m, t in zip(mine, theirs):
            assert_close(m, t, what="output")
            assert m.dtype.name == str(t.dtype).removeprefix("torch.")
        mine, theirs = mine[0], theirs[0]
    else:
        assert_close(mine, theirs, what="output")
        assert mine.dtype.name == str(theirs.dtype).removeprefix("torch.")
    if not theirs.requires_grad:
        return
    finite = ~np.isnan(theirs.detach().numpy())
    cot = np.where(finite, np.arange(theirs.numel()).reshape(tuple(theirs.shape)), 0.0)
    theirs.backward(torch_from(cot))
    with on_backend(backend):
        mine.backward(pg_from(cot, backend))
    for i, (p, t) in enumerate(zip(p_in, t_in)):
        if t.requires_grad:
            assert_close(p.grad, t.grad, what=f"gradient of input {i}")
