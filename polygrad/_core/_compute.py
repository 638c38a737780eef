"""Compute lazy tensors (Dask) together: ``loss, grad = pg.compute(loss, w.grad)``.

On a lazy backend a tensor's value is a task graph until something asks for numbers.
``pg.compute`` runs the graphs of several tensors in one computation, so the work they
share (the forward pass under a loss and its gradients) runs once, and leaves each
tensor holding its computed array. On eager backends it changes nothing.
"""

from __future__ import annotations

from typing import Any

from ._tensor import Tensor


def compute(*tensors: Tensor) -> tuple[Tensor, ...]:
    """Compute ``tensors`` together and return them, each now holding its value.

    On a lazy backend (Dask) one computation produces every value, sharing the work
    their graphs have in common; each tensor then holds its computed array (in memory,
    or on the cluster with a ``dask.distributed.Client``), so reading it (``.numpy()``,
    ``.item()``, printing) costs nothing more, and sizes that depend on values (after a
    boolean mask) are known. The tensors are the same objects, with the same history,
    ``requires_grad`` and version: computing changes no value. On eager backends (NumPy,
    torch, JAX) the values exist already and the tensors come back unchanged.
    """
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TypeError(f"compute(): expected Tensors, got {type(t).__name__}")
    by_backend: dict[int, tuple[Any, list[Tensor]]] = {}
    for t in tensors:
        if t._backend.lazy:
            by_backend.setdefault(id(t._backend), (t._backend, []))[1].append(t)
    for backend, group in by_backend.values():
        for t, data in zip(group, backend.persist([t._data for t in group])):
            t._data = backend.sized(data)
    return tensors
