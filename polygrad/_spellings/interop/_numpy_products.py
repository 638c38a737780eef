"""NumPy's products and diagonals on polygrad tensors: ``np.einsum``, ``np.kron``,
``np.inner``, ``np.vdot``, ``np.cross``, ``np.trace``, ``np.diagonal``, ``np.diag``.

Each handler composes polygrad's differentiable ops, so ``__array_function__`` records
a graph for it. A handler returns ``None`` for arguments it does not cover (the
interleaved ``np.einsum(a, [0, 1], b, [1, 2])``, 2-vector cross products).
"""

from __future__ import annotations

from typing import Any

from ... import linalg, ops
from ._einops import einsum
from ._numpy_operands import _tensor, _tensors
from ._numpy_shapes import _pad


def _einsum(
    subscripts: Any, *operands: Any, dtype: Any = None, optimize: Any = False, **kw: Any
) -> Any:
    if not isinstance(subscripts, str) or any(
        k not in ("order", "casting") for k in kw
    ):  # the interleaved form einsum(a, [0, 1], b, [1, 2])
        return None
    result = einsum(subscripts, *_tensors(operands))
    return result if dtype is None else ops.astype(result, dtype)


def _trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> Any:
    a = _tensor(a)
    a0, a1 = axis1 % a.ndim, axis2 % a.ndim
    if (a0, a1) != (a.ndim - 2, a.ndim - 1):
        a = ops.moveaxis(a, (a0, a1), (-2, -1))
    return linalg.trace(a, offset=offset, dtype=dtype)


def _diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    a = _tensor(a)
    a0, a1 = axis1 % a.ndim, axis2 % a.ndim
    if (a0, a1) != (a.ndim - 2, a.ndim - 1):
        a = ops.moveaxis(a, (a0, a1), (-2, -1))
    return linalg.diagonal(a, offset=offset)


def _diag(v: Any, k: int = 0) -> Any:
    """The ``k``-th diagonal of a matrix, or a matrix with ``v`` on its ``k``-th diagonal."""
    v = _tensor(v)
    if v.ndim == 2:
        return linalg.diagonal(v, offset=k)
    if v.ndim != 1:
        raise ValueError("Input must be 1- or 2-d.")
    n = v.shape[0]
    xp = v.__array_namespace__()
    square = ops.reshape(v, (1, n)) * xp.eye(n, dtype=v.dtype)
    if k == 0:
        return square
    return _pad(square, [(0, k), (k, 0)] if k > 0 else [(-k, 0), (0, -k)])


def _kron(a: Any, b: Any) -> Any:
    """Kronecker product: ``a[i] * b`` blocks, over the broadcast number of axes."""
    a, b = _tensors([a, b])
    nd = max(a.ndim, b.ndim)
    sa = (1,) * (nd - a.ndim) + tuple(a.shape)
    sb = (1,) * (nd - b.ndim) + tuple(b.shape)
    a2 = ops.reshape(a, tuple(d for n in sa for d in (n, 1)))
    b2 = ops.reshape(b, tuple(d for n in sb for d in (1, n)))
    return ops.reshape(a2 * b2, tuple(p * q for p, q in zip(sa, sb)))


def _inner(a: Any, b: Any) -> Any:
    a, b = _tensors([a, b])
    if a.ndim == 0 or b.ndim == 0:
        return ops.multiply(a, b)
    return ops.tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def _vdot(a: Any, b: Any) -> Any:
    a, b = _tensors([a, b])
    return ops.sum(ops.conj(ops.reshape(a, (-1,))) * ops.reshape(b, (-1,)))


def _cross(
    a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: Any = None
) -> Any:
    a, b = _tensors([a, b])
    if axis is not None:
        axisa = axisb = axisc = axis
    a = ops.moveaxis(a, axisa, -1)
    b = ops.moveaxis(b, axisb, -1)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        return None  # NumPy's 2-vector cross products
    return ops.moveaxis(linalg.cross(a, b, axis=-1), -1, axisc)
