"""Op table: matrix products and the ``linalg`` extension.

Decompositions whose factors are defined only up to signs (``eigh``, ``svd``,
``qr``) are checked through sign-invariant functions of them (eigenvalues,
squared factor entries), and symmetric-input functions get ``x + x.mT`` so the
gradient does not depend on whether a library symmetrizes it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..samples import Maker, Sample, fixed
from ._entry import extension, function, program


def _matmul_samples(m: Maker) -> list[Sample]:
    return [
        Sample((m(3, 4), m(4, 2)), label="2-d @ 2-d"),
        Sample((m(3, 4), m(4)), label="2-d @ 1-d"),
        Sample((m(4), m(4, 2)), label="1-d @ 2-d"),
        Sample((m(4), m(4)), label="1-d @ 1-d"),
        Sample((m(2, 3, 4), m(2, 4, 5)), label="batched"),
        Sample((m(2, 3, 4), m(4, 5)), label="batched @ 2-d"),
        Sample((m(1, 3, 4), m(2, 4, 2)), label="broadcast batch"),
        Sample((m(0, 4), m(4, 2)), label="empty"),
        Sample((m(4, 3), m(3, 3)), label="transposed", noncontiguous=(0, 1)),
    ]


function("matmul", lambda a, b: a @ b, _matmul_samples)
function(
    "tensordot",
    lambda a, b, axes=2: __import__("torch").tensordot(a, b, dims=axes),
    fixed(
        lambda m: Sample((m(2, 3, 4), m(3, 4, 5)), label="axes=2"),
        lambda m: Sample((m(2, 3), m(3, 4)), {"axes": 1}, label="axes=1"),
        lambda m: Sample((m(2, 3, 4), m(4, 2, 3)), {"axes": ([1, 2], [2, 0])}, label="axes pairs"),
        lambda m: Sample((m(2), m(3)), {"axes": 0}, label="outer (axes=0)"),
    ),
    covers=("tensordot", "linalg.tensordot"),
)
function(
    "vecdot",
    lambda a, b, axis=-1: __import__("torch").linalg.vecdot(a, b, dim=axis),
    fixed(
        lambda m: Sample((m(3, 4), m(3, 4)), label="last axis"),
        lambda m: Sample((m(3, 4), m(4)), label="broadcast"),
        lambda m: Sample((m(4, 3), m(4, 3)), {"axis": 0}, label="axis=0"),
    ),
)


def _square(m: Maker) -> list[Sample]:
    return [
        Sample((m.wellcond(3, 3),), label="3x3"),
        Sample((m.wellcond(2, 4, 4),), label="batched"),
        Sample((m.wellcond(3, 3),), label="transposed", noncontiguous=(0,)),
    ]


def _spd_from(lib: str, fn: Any) -> Any:
    """``fn`` applied to the symmetric positive definite ``x @ x.mT + n I``."""

    def call(x: Any, *rest: Any, **kw: Any) -> Any:
        n = x.shape[-1]
        mod = __import__(lib)
        eye = (
            mod.eye(n, dtype=x.dtype)
            if lib == "torch"
            else mod.eye(n, dtype=x.dtype, backend=x.backend)
        )
        return fn(_linalg(lib), x @ x.mT + n * eye, *rest, **kw)

    return call


def _sym_from(lib: str, fn: Any) -> Any:
    """``fn`` applied to the symmetric ``x + x.mT``."""

    def call(x: Any, **kw: Any) -> Any:
        return fn(_linalg(lib), x + x.mT, **kw)

    return call


def _linalg(lib: str) -> Any:
    """``torch.linalg`` or ``polygrad.linalg`` (the extension module)."""
    mod = __import__(lib)
    return mod.linalg if lib == "torch" else extension(mod, "linalg")


function("linalg.inv", "linalg.inv", _square)
function("linalg.det", "linalg.det", _square)
function(
    "linalg.slogdet",
    lambda a: tuple(_linalg("torch").slogdet(a)),
    _square,
    pg=lambda a: tuple(_linalg("polygrad").slogdet(a)),
)
function(
    "linalg.solve",
    "linalg.solve",
    fixed(
        lambda m: Sample((m.wellcond(3, 3), m(3, 2)), label="matrix rhs"),
        lambda m: Sample((m.wellcond(2, 3, 3), m(2, 3, 1)), label="batched"),
    ),
)
function(
    "linalg.matrix_power",
    "linalg.matrix_power",
    fixed(
        lambda m: Sample((m.wellcond(3, 3), 3), label="n=3"),
        lambda m: Sample((m.wellcond(3, 3), -2), label="n=-2"),
        lambda m: Sample((m.wellcond(3, 3), 0), label="n=0"),
    ),
)
function(
    "linalg.pinv",
    "linalg.pinv",
    fixed(
        # Well-conditioned: pinv's second derivative grows like 1/sigma_min**3, so a random
        # tall matrix (sigma_min ~ 0.09) leaves float32 results at the mercy of rounding.
        lambda m: Sample((m(4, 3) + 2 * np.eye(4, 3, dtype=m.dtype),), label="tall"),
        lambda m: Sample((m.wellcond(3, 3),), label="square"),
    ),
)
function(
    "linalg.cholesky",
    _spd_from("torch", lambda t, a: t.cholesky(a)),
    fixed(
        lambda m: Sample((m(3, 3),), label="x @ x.mT + 3I"),
        lambda m: Sample((m(2, 3, 3),), label="batched"),
    ),
    pg=_spd_from("polygrad", lambda p, a: p.cholesky(a)),
)


def _eigh(linalg: Any, a: Any) -> Any:
    w, v = linalg.eigh(a)
    return w, v * v  # eigenvector signs are arbitrary; squares are not


function(
    "linalg.eigh",
    _sym_from("torch", _eigh),
    fixed(lambda m: Sample((m.distinct(3, 3),), label="x + x.mT")),
    pg=_sym_from("polygrad", _eigh),
)
function(
    "linalg.eigvalsh",
    _sym_from("torch", lambda t, a: t.eigvalsh(a)),
    fixed(lambda m: Sample((m.distinct(3, 3),), label="x + x.mT")),
    pg=_sym_from("polygrad", lambda p, a: p.eigvalsh(a)),
)


def _svd(linalg: Any, a: Any) -> Any:
    u, s, vh = linalg.svd(a, full_matrices=False)
    return u * u, s, vh * vh


function(
    "linalg.svd",
    lambda a: _svd(_linalg("torch"), a),
    fixed(
        lambda m: Sample((m.distinct(4, 3),), label="tall"),
        lambda m: Sample((m.distinct(3, 3),), label="square"),
    ),
    pg=lambda a: _svd(_linalg("polygrad"), a),
)
function("linalg.svdvals", "linalg.svdvals", fixed(lambda m: Sample((m.distinct(4, 3),))))


def _qr(linalg: Any, a: Any) -> Any:
    q, r = linalg.qr(a)
    return q * q, r * r


function(
    "linalg.qr",
    lambda a: _qr(_linalg("torch"), a),
    fixed(
        lambda m: Sample((m.wellcond(3, 3),), label="square"),
        lambda m: Sample((m(4, 3),), label="tall"),
    ),
    pg=lambda a: _qr(_linalg("polygrad"), a),
)


def _torch_vector_norm(x: Any, axis: Any = None, keepdims: bool = False, ord: Any = 2) -> Any:
    import torch

    return torch.linalg.vector_norm(x, ord=ord, dim=axis, keepdim=keepdims)


function(
    "linalg.vector_norm",
    _torch_vector_norm,
    fixed(
        lambda m: Sample((m(3, 4),), label="all, ord=2"),
        lambda m: Sample((m(3, 4),), {"axis": 1, "ord": 1}, label="ord=1 axis=1"),
        lambda m: Sample(
            (m.distinct(3, 4),),
            {"axis": -1, "ord": float("inf"), "keepdims": True},
            label="ord=inf keepdims",
        ),
        lambda m: Sample((m(2, 3, 4),), {"axis": (0, 2), "ord": 3}, label="ord=3 tuple axis"),
    ),
)


def _torch_matrix_norm(x: Any, keepdims: bool = False, ord: Any = "fro") -> Any:
    import torch

    return torch.linalg.matrix_norm(x, ord=ord, keepdim=keepdims)


function(
    "linalg.matrix_norm",
    _torch_matrix_norm,
    fixed(
        lambda m: Sample((m(3, 4),), label="fro"),
        lambda m: Sample((m.distinct(3, 4),), {"ord": "nuc"}, label="nuc"),
        lambda m: Sample((m.distinct(2, 3, 3),), {"ord": 2, "keepdims": True}, label="2, keepdims"),
        lambda m: Sample((m.distinct(3, 4),), {"ord": float("inf")}, label="inf"),
    ),
)
function(
    "linalg.trace",
    lambda x, offset=0: __import__("torch").diagonal(x, offset, -2, -1).sum(-1),
    fixed(
        lambda m: Sample((m(3, 3),), label="square"),
        lambda m: Sample((m(2, 3, 4),), {"offset": 1}, label="batched, offset=1"),
    ),
)
function(
    "linalg.diagonal",
    lambda x, offset=0: __import__("torch").diagonal(x, offset, -2, -1),
    fixed(
        lambda m: Sample((m(3, 4),), label="2-d"),
        lambda m: Sample((m(2, 3, 4),), {"offset": -1}, label="offset=-1"),
    ),
)
function("linalg.outer", "outer", fixed(lambda m: Sample((m(3), m(4)))))
function(
    "linalg.cross",
    lambda a, b, axis=-1: __import__("torch").linalg.cross(a, b, dim=axis),
    fixed(
        lambda m: Sample((m(4, 3), m(4, 3)), label="last axis"),
        lambda m: Sample((m(3, 2), m(3, 1)), {"axis": 0}, label="axis=0 broadcast"),
    ),
)

program(
    "linalg.matmul",
    lambda a, b: _linalg("polygrad").matmul(a, b),
    lambda a, b: a @ b,
    fixed(lambda m: Sample((m(3, 4), m(4, 2)))),
    covers=("linalg.matmul",),
)


def _eig(linalg: Any, a: Any) -> Any:
    """Order- and phase-invariant functions of ``eig``: power sums of the eigenvalues and
    ``|V|^2 @ w`` (each eigenvector's squared moduli weighted by its eigenvalue)."""
    w, v = linalg.eig(a)
    return (w * w).sum(), (w * w * w).sum(), (abs(v) ** 2).to(w.dtype) @ w


def _eigvals(linalg: Any, a: Any) -> Any:
    w = linalg.eigvals(a)
    return w.sum(), (w * w).sum(), (w * w * w).sum()


_general = fixed(
    lambda m: Sample((m.wellcond(3, 3),), label="3x3"),
    lambda m: Sample((m.wellcond(4, 4),), label="4x4"),
)
#: third powers of eigenvalue derivatives lose digits in float32 (torch's as much)
_EIG_TOLERANCES = {"float32": (1e-3, 1e-4)}
function(
    "linalg.eig",
    lambda a: _eig(_linalg("torch"), a),
    _general,
    pg=lambda a: _eig(_linalg("polygrad"), a),
    tolerances=_EIG_TOLERANCES,
)
function(
    "linalg.eigvals",
    lambda a: _eigvals(_linalg("torch"), a),
    _general,
    pg=lambda a: _eigvals(_linalg("polygrad"), a),
    tolerances=_EIG_TOLERANCES,
)
