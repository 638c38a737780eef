"""NumPy's products and diagonals on polygrad tensors: ``np.einsum``, ``np.kron``,
``np.inner``, ``np.vdot``, ``np.cross``, ``np.trace``, ``np.diagonal``, ``np.diag``.

Each handler composes polygrad's differentiable ops, so ``__array_function__`` records
a graph for it. A handler returns ``None`` for arguments it does not cover (the
interleaved ``np.einsum(a, [0, 1], b, [1, 2])``, 2-vector cross products).
"""

from __future__ import annotations

from typing import Any

from ._einops import einsum
from ._numpy_operands import _la, _ops, _tensor, _tensors
from ._numpy_shapes import _pad


def _einsum(
    subscripts: Any, *operands: Any, dtype: Any = None, optimize: Any = False, **kw: Any
) -> Any:
    if not isinstance(subscripts, str) or any(
        k not in ("order", "casting") for k in kw
    ):  # the interleaved form einsum(a, [0, 1], b, [1, 2])
        return None
    result = einsum(subscripts, *_tensors(operands))
    return result if dtype is None else _ops().astype(result, dtype)


def _trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None) -> Any:
    o = _ops()
    a = _tensor(a)
    a0, a1 = axis1 % a.ndim, axis2 % a.ndim
    if (a0, a1) != (a.ndim - 2, a.ndim - 1):
        a = o.moveaxis(a, (a0, a1), (-2, -1))
    return _la().trace(a, offset=offset, dtype=dtype)


def _diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Any:
    o = _ops()
    a = _tensor(a)
    a0, a1 = axis1 % a.ndim, axis2 % a.ndim
    if (a0, a1) != (a.ndim - 2, a.ndim - 1):
        a = o.moveaxis(a, (a0, a1), (-2, -1))
    return _la().diagonal(a, offset=offset)


def _diag(v: Any, k: int = 0) -> Any:
    """The ``k``-th diagonal of a matrix, or a matrix with ``v`` on its ``k``-th diagonal."""
    o = _ops()
    v = _tensor(v)
    if v.ndim == 2:
        return _la().diagonal(v, offset=k)
    if v.ndim != 1:
        raise ValueError("Input must be 1- or 2-d.")
    n = v.shape[0]
    xp = v.__array_namespace__()
    square = o.reshape(v, (1, n)) * xp.eye(n, dtype=v.dtype)
    if k == 0:
        return square
    return _pad(square, [(0, k), (k, 0)] if k > 0 else [(-k, 0), (0, -k)])


def _kron(a: Any, b: Any) -> Any:
    """Kronecker product: ``a[i] * b`` blocks, over the broadcast number of axes."""
    o = _ops()
    a, b = _tensors([a, b])
    nd = max(a.ndim, b.ndim)
    sa = (1,) * (nd - a.ndim) + tuple(a.shape)
    sb = (1,) * (nd - b.ndim) + tuple(b.shape)
    a2 = o.reshape(a, tuple(d for n in sa for d in (n, 1)))
    b2 = o.reshape(b, tuple(d for n in sb for d in (1, n)))
    return o.reshape(a2 * b2, tuple(p * q for p, q in zip(sa, sb)))


def _inner(a: Any, b: Any) -> Any:
    o = _ops()
    a, b = _tensors([a, b])
    if a.ndim == 0 or b.ndim == 0:
        return o.multiply(a, b)
    return o.tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def _vdot(a: Any, b: Any) -> Any:
    o = _ops()
    a, b = _tensors([a, b])
    return o.sum(o.conj(o.reshape(a, (-1,))) * o.reshape(b, (-1,)))


def _cross(
    a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1, axis: Any = None
) -> Any:
    o = _ops()
    a, b = _tensors([a, b])
    if axis is not None:
        axisa = axisb = axisc = axis
    a = o.moveaxis(a, axisa, -1)
    b = o.moveaxis(b, axisb, -1)
    if a.shape[-1] != 3 or b.shape[-1] != 3:
        return None  # NumPy's 2-vector cross products
    return o.moveaxis(_la().cross(a, b, axis=-1), -1, axisc)
