"""NumPy functions beyond the standard's names, on polygrad tensors (``np.cov``,
``np.fft.*``, ``np.linalg.*``, ``np.einsum``, ``np.kron``...).

Each handler composes polygrad's differentiable ops, so ``__array_function__``
(polygrad/_numpy_protocol.py) records a graph for them. A handler returns ``None`` for
arguments it does not cover (``np.cov(..., fweights=...)``, ``np.linalg.svd(...,
hermitian=True)``): the caller then raises a ``TypeError`` naming the function when a
tensor requires grad, or computes with NumPy on the values otherwise.

Keys are NumPy's names as ``__array_function__`` reports them: ``"cov"``,
``"fft.rfft"``, ``"linalg.norm"``.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np


def _ops() -> Any:
    from . import ops

    return ops


def _la() -> Any:
    from . import linalg

    return linalg


def _tensor(a: Any, like: Any = None) -> Any:
    """``a`` as a polygrad tensor (on the backend of ``like`` when given)."""
    from ._record import operand
    from ._tensor import Tensor

    if isinstance(a, Tensor):
        return a
    if isinstance(a, (list, tuple)) and any(isinstance(v, Tensor) for v in a):
        return _ops().stack([_tensor(v, like) for v in a])
    return operand(a, like) if like is not None else operand(a)


def _first_tensor(values: Any) -> Any:
    from ._tensor import Tensor

    for v in values:
        if isinstance(v, Tensor):
            return v
        if isinstance(v, (list, tuple)):
            found = _first_tensor(v)
            if found is not None:
                return found
    return None


def _tensors(values: Any) -> list[Any]:
    like = _first_tensor(values)
    return [_tensor(v, like) for v in values]


def _float(x: Any) -> Any:
    """Integers and booleans become the backend's default floating dtype (as NumPy's
    statistics do); floating and complex tensors keep theirs."""
    if x.dtype.name.startswith(("float", "complex", "bfloat")):
        return x
    info = x.__array_namespace__().__array_namespace_info__()
    return _ops().astype(x, info.default_dtypes()["real floating"])


# -- fft ----------------------------------------------------------------------------------------


def _norm(norm: Any) -> str:
    return "backward" if norm is None else norm


def _fft1(name: str) -> Any:
    def run(a: Any, n: Any = None, axis: int = -1, norm: Any = None) -> Any:
        from .ops import fourier

        return getattr(fourier, name)(_tensor(a), n=n, axis=axis, norm=_norm(norm))

    return run


def _fftn(name: str, default_axes: Any = None) -> Any:
    def run(a: Any, s: Any = None, axes: Any = default_axes, norm: Any = None) -> Any:
        from .ops import fourier

        return getattr(fourier, name)(
            _tensor(a),
            s=None if s is None else tuple(s),
            axes=None if axes is None else tuple(axes),
            norm=_norm(norm),
        )

    return run


def _shift(name: str) -> Any:
    def run(x: Any, axes: Any = None) -> Any:
        from .ops import fourier

        return getattr(fourier, name)(_tensor(x), axes=axes)

    return run


def _fft_functions() -> dict[str, Any]:
    table: dict[str, Any] = {}
    for name in ("fft", "ifft", "rfft", "irfft", "hfft", "ihfft"):
        table[f"fft.{name}"] = _fft1(name)
    for name in ("fftn", "ifftn", "rfftn", "irfftn"):
        table[f"fft.{name}"] = _fftn(name)
        table[f"fft.{name[:-1]}2"] = _fftn(name, (-2, -1))
    table["fft.fftshift"] = _shift("fftshift")
    table["fft.ifftshift"] = _shift("ifftshift")
    return table


# -- linalg -------------------------------------------------------------------------------------


def _matrix_norm_over(x: Any, ord: Any, axes: tuple[int, int], keepdims: bool) -> Any:
    o = _ops()
    a0, a1 = (operator.index(a) % x.ndim for a in axes)
    if a0 == a1:
        raise ValueError("Duplicate axes given.")
    moved = o.moveaxis(x, (a0, a1), (-2, -1))
    out = _la().matrix_norm(moved, ord="fro" if ord is None else ord)
    if keepdims:
        out = o.expand_dims(out, axis=tuple(sorted((a0, a1))))
    return out


def _norm_fn(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Any:
    """``np.linalg.norm``: a vector norm over one axis, a matrix norm over two."""
    x = _float(_tensor(x))
    if axis is None:
        if ord is None:
            return _la().vector_norm(x, ord=2, keepdims=keepdims)
        if x.ndim == 1:
            return _la().vector_norm(x, ord=ord, keepdims=keepdims)
        if x.ndim == 2:
            return _matrix_norm_over(x, ord, (0, 1), keepdims)
        raise ValueError("Improper number of dimensions to norm.")
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    if len(axes) == 1:
        if isinstance(ord, str):
            raise ValueError(f"Invalid norm order '{ord}' for vectors")
        return _la().vector_norm(x, axis=axes[0], ord=2 if ord is None else ord, keepdims=keepdims)
    if len(axes) == 2:
        return _matrix_norm_over(x, ord, (axes[0], axes[1]), keepdims)
    raise ValueError("Improper number of dimensions to norm.")


def _svd(
    a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False
) -> Any:
    if hermitian:
        return None
    a = _tensor(a)
    return _la().svd(a, full_matrices=full_matrices) if compute_uv else _la().svdvals(a)


def _qr(a: Any, mode: str = "reduced") -> Any:
    if mode in ("reduced", "complete"):
        return _la().qr(_tensor(a), mode=mode)
    if mode == "r":
        return _la().qr(_tensor(a), mode="reduced").R
    return None


def _pinv(a: Any, rcond: Any = None, hermitian: bool = False, **kw: Any) -> Any:
    rtol = kw.pop("rtol", None)
    if hermitian or kw or (rcond is not None and rtol is not None):
        return None
    return _la().pinv(_tensor(a), rtol=rcond if rcond is not None else rtol)


def _uplo(fn: str) -> Any:
    def run(a: Any, UPLO: str = "L") -> Any:
        return getattr(_la(), fn)(_tensor(a)) if UPLO == "L" else None

    return run


def _multi_dot(arrays: Any) -> Any:
    o = _ops()
    tensors = _tensors(list(arrays))
    result = tensors[0]
    for t in tensors[1:]:
        result = o.matmul(result, t)
    return result


def _linalg_functions() -> dict[str, Any]:
    o = _ops()
    la = _la()
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
        "linalg.matmul": lambda x1, x2: o.matmul(*_tensors([x1, x2])),
        "linalg.outer": lambda x1, x2: la.outer(*_tensors([x1, x2])),
        "linalg.cross": lambda x1, x2, axis=-1: la.cross(*_tensors([x1, x2]), axis=axis),
        "linalg.diagonal": lambda x, offset=0: la.diagonal(_tensor(x), offset=offset),
        "linalg.trace": lambda x, offset=0, dtype=None: la.trace(
            _tensor(x), offset=offset, dtype=dtype
        ),
        "linalg.tensordot": lambda x1, x2, axes=2: o.tensordot(*_tensors([x1, x2]), axes=axes),
        "linalg.vecdot": lambda x1, x2, axis=-1: o.vecdot(*_tensors([x1, x2]), axis=axis),
        "linalg.matrix_transpose": lambda x: o.matrix_transpose(_tensor(x)),
    }


# -- statistics ---------------------------------------------------------------------------------


def _cov(
    m: Any,
    y: Any = None,
    rowvar: bool = True,
    bias: bool = False,
    ddof: Any = None,
    fweights: Any = None,
    aweights: Any = None,
    dtype: Any = None,
) -> Any:
    """``np.cov`` without weights: ``(X - mean) @ (X - mean).T.conj() / (N - ddof)``."""
    o = _ops()
    if fweights is not None or aweights is not None:
        return None
    X = _tensor(m)
    if X.ndim > 2:
        raise ValueError("m has more than 2 dimensions")
    X = _float(X if X.ndim == 2 else o.reshape(X, (1, -1)))
    if not rowvar and X.shape[0] != 1:
        X = o.matrix_transpose(X)
    if y is not None:
        Y = _tensor(y, X)
        if Y.ndim > 2:
            raise ValueError("y has more than 2 dimensions")
        Y = _float(Y if Y.ndim == 2 else o.reshape(Y, (1, -1)))
        if not rowvar and Y.shape[0] != 1:
            Y = o.matrix_transpose(Y)
        X = o.concat([X, Y], axis=0)
    if dtype is not None:
        X = o.astype(X, dtype)
    if ddof is None:
        ddof = 0 if bias else 1
    centred = X - o.mean(X, axis=1, keepdims=True)
    c = o.matmul(centred, o.conj(o.matrix_transpose(centred))) / (X.shape[1] - ddof)
    return o.squeeze(c, axis=tuple(i for i, n in enumerate(c.shape) if n == 1))


def _corrcoef(x: Any, y: Any = None, rowvar: bool = True, *args: Any, **kw: Any) -> Any:
    o = _ops()
    dtype = kw.pop("dtype", None)
    if args or kw:  # bias and ddof are deprecated no-ops in NumPy
        return None
    c = _cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c
    std = o.sqrt(o.real(_la().diagonal(c)))
    c = c / o.reshape(std, (-1, 1)) / o.reshape(std, (1, -1))
    return o.clip(c, -1.0, 1.0) if not c.dtype.name.startswith("complex") else c


def _average(
    a: Any, axis: Any = None, weights: Any = None, returned: bool = False, keepdims: bool = False
) -> Any:
    o = _ops()
    a = _float(_tensor(a))
    if weights is None:
        avg = o.mean(a, axis=axis, keepdims=keepdims)
        total = avg * 0 + (
            a.size
            if axis is None
            else math.prod(a.shape[i] for i in ((axis,) if isinstance(axis, int) else axis))
        )
        return (avg, total) if returned else avg
    w = _tensor(weights, a)
    if w.shape != a.shape:
        if axis is None or not isinstance(axis, int) or w.ndim != 1:
            return None
        shape = [1] * a.ndim
        shape[axis] = -1
        w = o.reshape(w, tuple(shape))
    total = o.sum(o.broadcast_to(w, a.shape), axis=axis, keepdims=keepdims)
    avg = o.sum(a * w, axis=axis, keepdims=keepdims) / total
    return (avg, total) if returned else avg


def _median(
    a: Any, axis: Any = None, out: Any = None, overwrite_input: bool = False, keepdims: bool = False
) -> Any:
    """The middle of the sorted values (the mean of the two middle ones for even counts)."""
    o = _ops()
    a = _float(_tensor(a))
    if axis is not None and not isinstance(axis, int):
        return None
    x = o.reshape(a, (-1,)) if axis is None else a
    ax = 0 if axis is None else operator.index(axis) % a.ndim
    s = o.sort(x, axis=ax)
    n = s.shape[ax]
    index: list[Any] = [slice(None)] * s.ndim
    index[ax] = slice((n - 1) // 2, n // 2 + 1)
    med = o.mean(s[tuple(index)], axis=ax, keepdims=True)
    if not keepdims:
        return o.squeeze(med, axis=ax)
    return o.reshape(med, (1,) * a.ndim) if axis is None else med


def _nan_to_zero(a: Any) -> Any:
    o = _ops()
    return o.where(o.isnan(a), 0.0, a)


def _nansum(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    if kw.get("where", True) is not True or kw.get("initial") is not None:
        return None
    return _ops().sum(_nan_to_zero(_tensor(a)), axis=axis, dtype=dtype, keepdims=keepdims)


def _nanmean(a: Any, axis: Any = None, dtype: Any = None, keepdims: bool = False, **kw: Any) -> Any:
    o = _ops()
    if kw.get("where", True) is not True:
        return None
    a = _float(_tensor(a))
    total = o.sum(_nan_to_zero(a), axis=axis, keepdims=keepdims)
    count = o.sum(o.astype(o.logical_not(o.isnan(a)), a.dtype), axis=axis, keepdims=keepdims)
    result = total / count
    return result if dtype is None else o.astype(result, dtype)


# -- products, shapes and constructions ---------------------------------------------------------


def _einsum(
    subscripts: Any, *operands: Any, dtype: Any = None, optimize: Any = False, **kw: Any
) -> Any:
    from ._einops import einsum

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


def _atleast(ndim: int) -> Any:
    def one(a: Any) -> Any:
        o = _ops()
        a = _tensor(a)
        if a.ndim >= ndim:
            return a
        if ndim == 1 or a.ndim == 0:
            return o.reshape(a, (1,) * ndim)
        if ndim == 2:  # 1-d
            return o.reshape(a, (1, -1))
        return o.reshape(a, (1, -1, 1) if a.ndim == 1 else (*a.shape, 1))

    def run(*arys: Any) -> Any:
        result = tuple(one(a) for a in arys)
        return result[0] if len(result) == 1 else result

    return run


def _hstack(tup: Any, *, dtype: Any = None, casting: str = "same_kind") -> Any:
    o = _ops()
    arrays = [_atleast(1)(a) for a in _tensors(list(tup))]
    result = o.concat(arrays, axis=0 if arrays[0].ndim == 1 else 1)
    return result if dtype is None else o.astype(result, dtype)


def _vstack(tup: Any, *, dtype: Any = None, casting: str = "same_kind") -> Any:
    o = _ops()
    result = o.concat([_atleast(2)(a) for a in _tensors(list(tup))], axis=0)
    return result if dtype is None else o.astype(result, dtype)


def _dstack(tup: Any) -> Any:
    return _ops().concat([_atleast(3)(a) for a in _tensors(list(tup))], axis=2)


def _column_stack(tup: Any) -> Any:
    o = _ops()
    columns = [o.reshape(a, (-1, 1)) if a.ndim < 2 else a for a in _tensors(list(tup))]
    return o.concat(columns, axis=1)


def _split(sections_must_divide: bool) -> Any:
    def run(ary: Any, indices_or_sections: Any, axis: int = 0) -> Any:
        a = _tensor(ary)
        n = a.shape[axis]
        if isinstance(indices_or_sections, int):
            k = indices_or_sections
            if sections_must_divide and n % k:
                raise ValueError("array split does not result in an equal division")
            q, r = divmod(n, k)
            sizes = [q + 1] * r + [q] * (k - r)
            bounds = [sum(sizes[:i]) for i in range(k + 1)]
        else:
            bounds = [0, *[min(int(i), n) for i in indices_or_sections], n]
        lead = (slice(None),) * (axis % a.ndim)
        return [a[lead + (slice(lo, max(lo, hi)),)] for lo, hi in zip(bounds[:-1], bounds[1:])]

    return run


def _append(arr: Any, values: Any, axis: Any = None) -> Any:
    o = _ops()
    a, v = _tensors([arr, values])
    if axis is None:
        return o.concat([o.reshape(a, (-1,)), o.reshape(v, (-1,))], axis=0)
    return o.concat([a, v], axis=axis)


def _pad(array: Any, pad_width: Any, mode: str = "constant", **kw: Any) -> Any:
    """``np.pad`` in ``"constant"`` mode: concatenations with constant blocks."""
    o = _ops()
    value = kw.pop("constant_values", 0)
    if mode != "constant" or kw or not isinstance(value, (int, float)):
        return None
    x = _tensor(array)
    widths = np.broadcast_to(np.asarray(pad_width, dtype=np.int64), (x.ndim, 2))
    xp = x.__array_namespace__()
    for axis, (before, after) in enumerate(widths.tolist()):
        parts = []
        for width in (before, None, after):
            if width is None:
                parts.append(x)
            elif width:
                shape = list(x.shape)
                shape[axis] = width
                parts.append(xp.full(tuple(shape), value, dtype=x.dtype))
        if len(parts) > 1:
            x = o.concat(parts, axis=axis)
    return x


def _full_like(
    a: Any,
    fill_value: Any,
    dtype: Any = None,
    order: str = "K",
    subok: bool = True,
    shape: Any = None,
    **kw: Any,
) -> Any:
    if shape is not None:
        return None
    a = _tensor(a)
    return a.__array_namespace__().full_like(a, fill_value, dtype=dtype)


def _like(fn: str) -> Any:
    def run(
        a: Any,
        dtype: Any = None,
        order: str = "K",
        subok: bool = True,
        shape: Any = None,
        **kw: Any,
    ) -> Any:
        if shape is not None:
            return None
        a = _tensor(a)
        return getattr(a.__array_namespace__(), fn)(a, dtype=dtype)

    return run


def _ptp(a: Any, axis: Any = None, keepdims: bool = False) -> Any:
    o = _ops()
    a = _tensor(a)
    return o.max(a, axis=axis, keepdims=keepdims) - o.min(a, axis=axis, keepdims=keepdims)


def _sinc(x: Any) -> Any:
    """``sin(pi x) / (pi x)``, 1 at 0 (with a finite, zero, derivative there)."""
    o = _ops()
    x = _float(_tensor(x))
    zero = o.equal(x, 0)
    safe = o.where(zero, 1.0, x) * math.pi
    return o.where(zero, 1.0, o.sin(safe) / safe)


def _nan_to_num(
    x: Any, copy: bool = True, nan: float = 0.0, posinf: Any = None, neginf: Any = None
) -> Any:
    o = _ops()
    x = _tensor(x)
    if not x.dtype.name.startswith("float"):
        return None if x.dtype.name.startswith(("complex", "bfloat")) else o.clone(x)
    info = x.__array_namespace__().finfo(x.dtype)
    big = info.max if posinf is None else posinf
    small = -info.max if neginf is None else neginf
    x = o.where(o.isnan(x), nan, x)
    x = o.where(o.logical_and(o.isinf(x), x > 0), big, x)
    return o.where(o.logical_and(o.isinf(x), x < 0), small, x)


def _round(a: Any, decimals: int = 0) -> Any:
    o = _ops()
    a = _tensor(a)
    if decimals == 0:
        return o.round(a)
    scale = 10.0**decimals
    return o.round(a * scale) / scale


def functions() -> dict[str, Any]:
    """NumPy name -> handler, merged into ``_numpy_protocol``'s table."""
    o = _ops()
    return {
        **_fft_functions(),
        **_linalg_functions(),
        "cov": _cov,
        "corrcoef": _corrcoef,
        "average": _average,
        "median": _median,
        "nansum": _nansum,
        "nanmean": _nanmean,
        "ptp": _ptp,
        "einsum": _einsum,
        "trace": _trace,
        "diagonal": _diagonal,
        "diag": _diag,
        "kron": _kron,
        "inner": _inner,
        "vdot": _vdot,
        "cross": _cross,
        "atleast_1d": _atleast(1),
        "atleast_2d": _atleast(2),
        "atleast_3d": _atleast(3),
        "hstack": _hstack,
        "vstack": _vstack,
        "dstack": _dstack,
        "column_stack": _column_stack,
        "split": _split(True),
        "array_split": _split(False),
        "append": _append,
        "pad": _pad,
        "repeat": lambda a, repeats, axis=None: o.repeat(_tensor(a), repeats, axis=axis),
        "full_like": _full_like,
        "empty_like": _like("empty_like"),
        "zeros_like": _like("zeros_like"),
        "ones_like": _like("ones_like"),
        "sinc": _sinc,
        "nan_to_num": _nan_to_num,
        "round": _round,
        "around": _round,
        "take_along_axis": lambda arr, indices, axis=-1: (
            o.take_along_axis(_tensor(arr), indices, axis=axis) if axis is not None else None
        ),
        "count_nonzero": lambda a, axis=None, *, keepdims=False: o.count_nonzero(
            _tensor(a), axis=axis, keepdims=keepdims
        ),
        "meshgrid": lambda *xi, copy=True, sparse=False, indexing="xy": (
            tuple(o.meshgrid(*_tensors(xi), indexing=indexing)) if not sparse else None
        ),
    }


def _exp2(x: Any) -> Any:
    return _ops().pow(2.0, x)


def _cbrt(x: Any) -> Any:
    o = _ops()
    return o.sign(x) * o.pow(o.abs(x), 1.0 / 3.0)


def _heaviside(x1: Any, x2: Any) -> Any:
    o = _ops()
    x1 = _tensor(x1)
    return o.where(o.less(x1, 0), 0.0, o.where(o.greater(x1, 0), 1.0, _tensor(x2, x1)))


def _logaddexp2(x1: Any, x2: Any) -> Any:
    o = _ops()
    ln2 = math.log(2.0)
    return o.logaddexp(o.multiply(x1, ln2), o.multiply(x2, ln2)) / ln2


#: NumPy ufuncs without a polygrad op of their own, as compositions of polygrad ops.
COMPOSED_UFUNCS: dict[str, Any] = {
    "exp2": _exp2,
    "cbrt": _cbrt,
    "deg2rad": lambda x: _ops().multiply(x, math.pi / 180.0),
    "radians": lambda x: _ops().multiply(x, math.pi / 180.0),
    "rad2deg": lambda x: _ops().multiply(x, 180.0 / math.pi),
    "degrees": lambda x: _ops().multiply(x, 180.0 / math.pi),
    "heaviside": _heaviside,
    "logaddexp2": _logaddexp2,
}
