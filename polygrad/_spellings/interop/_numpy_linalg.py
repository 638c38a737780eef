"""``np.linalg.*`` on polygrad tensors: ``np.linalg.norm(x)``, ``np.linalg.solve(a, b)``...

Each handler calls ``polygrad.linalg``'s differentiable counterpart, so
``__array_function__`` records a graph for it. A handler returns ``None`` for arguments
it does not cover (``np.linalg.svd(..., hermitian=True)``). Keys are NumPy's names as
``__array_function__`` reports them: ``"linalg.norm"``.
"""

from __future__ import annotations

import operator
from typing import Any

from ... import linalg, ops
from ._numpy_operands import _float, _tensor, _tensors


def _matrix_norm_over(x: Any, ord: Any, axes: tuple[int, int], keepdims: bool) -> Any:
    a0, a1 = (operator.index(a) % x.ndim for a in axes)
    if a0 == a1:
        raise ValueError("Duplicate axes given.")
    moved = ops.moveaxis(x, (a0, a1), (-2, -1))
    out = linalg.matrix_norm(moved, ord="fro" if ord is None else ord)
    if keepdims:
        out = ops.expand_dims(out, axis=tuple(sorted((a0, a1))))
    return out


def _norm_fn(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """``np.linalg.norm``: a vector norm over one axis, a matrix norm over two."""
    x = _float(_tensor(x))
    if axis is None:
        if ord is None:
            return linalg.vector_norm(x, ord=2, keepdims=keepdims)
        if x.ndim == 1:
            return linalg.vector_norm(x, ord=ord, keepdims=keepdims)
        if x.ndim == 2:
            return _matrix_norm_over(x, ord, (0, 1), keepdims)
        raise ValueError("Improper number of dimensions to norm.")
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    if len(axes) == 1:
        if isinstance(ord, str):
            raise ValueError(f"Invalid norm order '{ord}' for vectors")
        return linalg.vector_norm(x, axis=axes[0], ord=2 if ord is None else ord, keepdims=keepdims)
    if len(axes) == 2:
        return _matrix_norm_over(x, ord, (axes[0], axes[1]), keepdims)
    raise ValueError("Improper number of dimensions to norm.")


def _svd(
    a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False
) -> Any:
    if hermitian:
        return None
    a = _tensor(a)
    return linalg.svd(a, full_matrices=full_matrices) if compute_uv else linalg.svdvals(a)


def _qr(a: Any, mode: str = "reduced") -> Any:
    if mode in ("reduced", "complete"):
        return linalg.qr(_tensor(a), mode=mode)
    if mode == "r":
        return linalg.qr(_tensor(a), mode="reduced").R
    return None


def _pinv(a: Any, rcond: Any = None, hermitian: bool = False, **kw: Any) -> Any:
    rtol = kw.pop("rtol", None)
    if hermitian or kw or (rcond is not None and rtol is not None):
        return None
    return linalg.pinv(_tensor(a), rtol=rcond if rcond is not None else rtol)


def _uplo(fn: str) -> Any:
    def run(a: Any, UPLO: str = "L") -> Any:
        return getattr(linalg, fn)(_tensor(a)) if UPLO == "L" else None

    return run


def _multi_dot(arrays: Any) -> Any:
    tensors = _tensors(list(arrays))
    result = tensors[0]
    for t in tensors[1:]:
        result = ops.matmul(result, t)
    return result


def _linalg_functions() -> dict[str, Any]:
    la = linalg
    return {
        "linalg.norm": _norm_fn,
        "linalg.vector_norm": lambda x, axis=None, keepdims=False, ord=2: la.vector_norm(
            _float(_tensor(x)), axis=axis, keepdims=keepdims, ord=ord
        ),
        "linalg.matrix_norm": lambda x, keepdims=False, ord="fro": la.matrix_norm(
            _float(_tensor(x)), keepdims=keepdims, ord=ord
        ),
        "linalg.inv": lambda a: la.inv(_tensor(a)),
        "linalg.solve": lambda a, b: la.solve(*_tensors([a, b])),
        "linalg.det": lambda a: la.det(_tensor(a)),
        "linalg.slogdet": lambda a: la.slogdet(_tensor(a)),
        "linalg.eigh": _uplo("eigh"),
        "linalg.eigvalsh": _uplo("eigvalsh"),
        "linalg.eig": lambda a: la.eig(_tensor(a)),
        "linalg.eigvals": lambda a: la.eigvals(_tensor(a)),
        "linalg.svd": _svd,
        "linalg.svdvals": lambda x: la.svdvals(_tensor(x)),
        "linalg.cholesky": lambda a, upper=False: la.cholesky(_tensor(a), upper=upper),
        "linalg.qr": _qr,
        "linalg.pinv": _pinv,
        "linalg.matrix_power": lambda a, n: la.matrix_power(_tensor(a), n),
        "linalg.multi_dot": _multi_dot,
        "linalg.matmul": lambda x1, x2: ops.matmul(*_tensors([x1, x2])),
        "linalg.outer": lambda x1, x2: la.outer(*_tensors([x1, x2])),
        "linalg.cross": lambda x1, x2, axis=-1: la.cross(*_tensors([x1, x2]), axis=axis),
        "linalg.diagonal": lambda x, offset=0: la.diagonal(_tensor(x), offset=offset),
        "linalg.trace": lambda x, offset=0, dtype=None: la.trace(
            _tensor(x), offset=offset, dtype=dtype
        ),
        "linalg.tensordot": lambda x1, x2, axes=2: ops.tensordot(*_tensors([x1, x2]), axes=axes),
        "linalg.vecdot": lambda x1, x2, axis=-1: ops.vecdot(*_tensors([x1, x2]), axis=axis),
        "linalg.matrix_transpose": lambda x: ops.matrix_transpose(_tensor(x)),
    }
