"""einops' main API on polygrad tensors: ``einops.rearrange``, ``reduce``, ``repeat``, ``einsum``.

einops picks a backend by tensor type among the subclasses of its ``AbstractBackend``
whose ``framework_name`` module is imported. ``install()`` (run by ``import polygrad``)
defines polygrad's backend as soon as einops is imported, before or after polygrad,
without importing einops itself. Everything is done with polygrad's differentiable
ops, so gradients flow through einops calls::

    y = einops.einsum(x, w, "b i d, d o -> b i o")      # x, w: polygrad tensors
    z = einops.reduce(y, "b i o -> b o", "max")

``einsum`` (which the array API standard lacks) is implemented here by contracting
operands pairwise with ``matmul``; repeated labels in one operand take the diagonal.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import string
import sys
from typing import Any

from ... import ops
from ..._core._creation import arange, tensor
from ..._core._record import operand
from ..._core._tensor import Tensor


def _parse(pattern: str, ndims: list[int]) -> tuple[list[str], str]:
    """Input label strings (ellipses spelled out) and the output labels."""
    pattern = pattern.replace(" ", "")
    if "->" in pattern:
        lhs, out = pattern.split("->")
    else:
        lhs, out = pattern, None
    inputs = lhs.split(",")
    if len(inputs) != len(ndims):
        raise ValueError(f"einsum(): {len(inputs)} operands in {pattern!r} but {len(ndims)} given")
    spare = [c for c in string.ascii_uppercase + string.ascii_lowercase if c not in pattern]
    ellipsis_labels = ""
    for k, (labels, ndim) in enumerate(zip(inputs, ndims)):
        if "..." in labels:
            n = ndim - len(labels.replace("...", ""))
            ellipsis_labels = ellipsis_labels if len(ellipsis_labels) >= n else "".join(spare[:n])
            inputs[k] = labels.replace("...", ellipsis_labels[len(ellipsis_labels) - n :])
        if len(inputs[k]) != ndim:
            raise ValueError(
                f"einsum(): operand {k} has {ndim} dimensions but the pattern gives "
                f"{len(inputs[k])} labels ({labels!r})"
            )
    if out is None:
        counts = "".join(inputs)
        out = ellipsis_labels + "".join(
            sorted(c for c in set(counts) if counts.count(c) == 1 and c not in ellipsis_labels)
        )
    return inputs, out.replace("...", ellipsis_labels)


def _diagonal(x: Any, labels: str) -> tuple[Any, str]:
    """Take the diagonal over labels that repeat within one operand (``ii->i``)."""
    while len(set(labels)) != len(labels):
        label = next(c for c in labels if labels.count(c) > 1)
        p = labels.index(label)
        q = labels.index(label, p + 1)
        n = x.shape[p]
        backend = x._backend
        eye = backend.xp.eye(n, dtype=x._data.dtype, device=backend.device_of(x._data))
        shape = [1] * x.ndim
        shape[p] = shape[q] = n
        x = ops.sum(x * backend.xp.reshape(eye, tuple(shape)), axis=q)
        labels = labels[:q] + labels[q + 1 :]
    return x, labels


def _sum_out(x: Any, labels: str, keep: str) -> tuple[Any, str]:
    axes = tuple(i for i, c in enumerate(labels) if c not in keep)
    if axes:
        x = ops.sum(x, axis=axes)
        labels = "".join(c for c in labels if c in keep)
    return x, labels


def _contract(a: Any, la: str, b: Any, lb: str, keep: str) -> tuple[Any, str]:
    """``a`` times ``b`` summed over shared labels not in ``keep``, via one batched matmul."""
    batch = [c for c in la if c in lb and c in keep]
    summed = [c for c in la if c in lb and c not in keep]
    free_a = [c for c in la if c not in lb]
    free_b = [c for c in lb if c not in la]
    size = {**dict(zip(la, a.shape)), **dict(zip(lb, b.shape))}

    def prod(labels: list[str]) -> int:
        n = 1
        for c in labels:
            n *= size[c]
        return n

    a = ops.permute_dims(a, tuple(la.index(c) for c in batch + free_a + summed))
    b = ops.permute_dims(b, tuple(lb.index(c) for c in batch + summed + free_b))
    a = ops.reshape(a, (prod(batch), prod(free_a), prod(summed)))
    b = ops.reshape(b, (prod(batch), prod(summed), prod(free_b)))
    out = ops.matmul(a, b)
    labels = batch + free_a + free_b
    return ops.reshape(out, tuple(size[c] for c in labels)), "".join(labels)


def einsum(pattern: str, *operands: Any) -> Any:
    """``einsum`` on polygrad tensors (NumPy's pattern syntax, ellipsis included)."""
    tensors = [operand(x) for x in operands]
    inputs, out = _parse(pattern, [t.ndim for t in tensors])
    pairs = []
    for k, (t, labels) in enumerate(zip(tensors, inputs)):
        t, labels = _diagonal(t, labels)
        others = "".join(lbl for j, lbl in enumerate(inputs) if j != k)
        pairs.append(_sum_out(t, labels, out + others))  # labels only this operand has
    while len(pairs) > 1:
        (a, la), (b, lb) = pairs[0], pairs[1]
        keep = out + "".join(lbl for _, lbl in pairs[2:])
        pairs = [_contract(a, la, b, lb, keep)] + pairs[2:]
    x, labels = _sum_out(*pairs[0], out)
    return ops.permute_dims(x, tuple(labels.index(c) for c in out)) if labels != out else x


def _define_backend() -> None:
    """Subclass einops' AbstractBackend (einops finds it through ``__subclasses__``)."""
    from einops._backends import AbstractBackend

    if any(c.framework_name == "polygrad" for c in AbstractBackend.__subclasses__()):
        return

    class PolygradBackend(AbstractBackend):
        framework_name = "polygrad"

        def is_appropriate_type(self, tensor: Any) -> bool:
            return isinstance(tensor, Tensor)

        def from_numpy(self, x: Any) -> Any:
            return tensor(x, requires_grad=x.dtype.kind == "f")

        def to_numpy(self, x: Any) -> Any:
            return x.detach().numpy()

        def arange(self, start: int, stop: int) -> Any:
            return arange(start, stop)

        def shape(self, x: Any) -> tuple[int, ...]:
            return tuple(x.shape)

        def reshape(self, x: Any, shape: Any) -> Any:
            return ops.reshape(x, tuple(shape))

        def transpose(self, x: Any, axes: Any) -> Any:
            return ops.permute_dims(x, tuple(axes))

        def reduce(self, x: Any, operation: str, axes: Any) -> Any:
            if operation not in ("min", "max", "sum", "mean", "prod", "any", "all"):
                raise NotImplementedError("Unknown reduction ", operation)
            return getattr(ops, operation)(x, axis=tuple(axes))

        def stack_on_zeroth_dimension(self, tensors: list[Any]) -> Any:
            return ops.stack(list(tensors), axis=0)

        def add_axis(self, x: Any, new_position: int) -> Any:
            return ops.expand_dims(x, axis=new_position)

        def add_axes(self, x: Any, n_axes: int, pos2len: dict[int, int]) -> Any:
            for position in sorted(pos2len):
                x = ops.expand_dims(x, axis=position)
            shape = [pos2len.get(i, n) for i, n in enumerate(x.shape)]
            return ops.broadcast_to(x, tuple(shape))

        def tile(self, x: Any, repeats: Any) -> Any:
            return ops.tile(x, tuple(repeats))

        def concat(self, tensors: list[Any], axis: int) -> Any:
            return ops.concat(list(tensors), axis=axis)

        def is_float_type(self, x: Any) -> bool:
            return bool(x.dtype.is_floating_point)

        def einsum(self, pattern: str, *x: Any) -> Any:
            return einsum(pattern, *x)

    PolygradBackend.__qualname__ = "PolygradBackend"
    # einops sees subclasses through weak references: keep the class alive
    _BACKENDS.append(PolygradBackend)


_BACKENDS: list[type] = []


class _AfterEinopsImport(importlib.abc.MetaPathFinder):
    """Defines the backend right after einops itself is imported (then removes itself)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> Any:
        if name != "einops":
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        loader = getattr(spec, "loader", None)
        if loader is None or not hasattr(loader, "exec_module"):
            return spec
        run = loader.exec_module

        def exec_module(module: Any) -> None:
            run(module)
            _define_backend()

        loader.exec_module = exec_module
        return spec


def install() -> None:
    """Make einops' main API accept polygrad tensors (now, or when einops is imported)."""
    if "einops" in sys.modules:
        _define_backend()
    elif importlib.util.find_spec("einops") is not None:
        if not any(isinstance(f, _AfterEinopsImport) for f in sys.meta_path):
            sys.meta_path.insert(0, _AfterEinopsImport())
