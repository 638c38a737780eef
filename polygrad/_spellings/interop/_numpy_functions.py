"""NumPy functions beyond the standard's names, on polygrad tensors (``np.cov``,
``np.fft.*``, ``np.linalg.*``, ``np.einsum``, ``np.kron``...).

Each handler composes polygrad's differentiable ops, so ``__array_function__``
(polygrad/_spellings/interop/_numpy_array_function.py) records a graph for them. A handler returns ``None`` for
arguments it does not cover (``np.cov(..., fweights=...)``, ``np.linalg.svd(...,
hermitian=True)``): the caller then raises a ``TypeError`` naming the function when a
tensor requires grad, or computes with NumPy on the values otherwise.

Keys are NumPy's names as ``__array_function__`` reports them: ``"cov"``,
``"fft.rfft"``, ``"linalg.norm"``.
"""

from __future__ import annotations

from typing import Any

from ... import ops
from ._numpy_elementwise import _nan_to_num, _round, _sinc
from ._numpy_fft import _fft_functions
from ._numpy_linalg import _linalg_functions
from ._numpy_operands import _tensor, _tensors
from ._numpy_products import _cross, _diag, _diagonal, _einsum, _inner, _kron, _trace, _vdot
from ._numpy_shapes import (
    _append,
    _atleast,
    _column_stack,
    _dstack,
    _full_like,
    _hstack,
    _like,
    _pad,
    _split,
    _vstack,
)
from ._numpy_statistics import _average, _corrcoef, _cov, _median, _nanmean, _nansum, _ptp


def functions() -> dict[str, Any]:
    """NumPy name -> handler, merged into ``_numpy_array_function``'s table."""
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
        "repeat": lambda a, repeats, axis=None: ops.repeat(_tensor(a), repeats, axis=axis),
        "full_like": _full_like,
        "empty_like": _like("empty_like"),
        "zeros_like": _like("zeros_like"),
        "ones_like": _like("ones_like"),
        "sinc": _sinc,
        "nan_to_num": _nan_to_num,
        "round": _round,
        "around": _round,
        "take_along_axis": lambda arr, indices, axis=-1: (
            ops.take_along_axis(_tensor(arr), indices, axis=axis) if axis is not None else None
        ),
        "count_nonzero": lambda a, axis=None, *, keepdims=False: ops.count_nonzero(
            _tensor(a), axis=axis, keepdims=keepdims
        ),
        "meshgrid": lambda *xi, copy=True, sparse=False, indexing="xy": (
            tuple(ops.meshgrid(*_tensors(xi), indexing=indexing)) if not sparse else None
        ),
    }
