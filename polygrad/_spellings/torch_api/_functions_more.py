"""More torch functions spelled over polygrad's ops: ``pg.diff(x, n, dim)``,
``pg.searchsorted(seq, v, right=True)``, ``pg.bucketize``, ``pg.broadcast_shapes(3, (2, 1))``,
``pg.cartesian_prod``, ``pg.block_diag``, ``pg.tril_indices``, ``pg.logspace``,
``pg.cdist``, ``pg.cov``, ``pg.corrcoef``, ``pg.trapezoid``, ``pg.polar``,
``pg.scalar_tensor``, ``pg.unique``, ``pg.lu_unpack``...
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, overload

from ... import ops
from ..._core import _creation
from ..._core._dtypes import DTYPES
from ..._core._tensor import Tensor
from ..._core._torch_type_names import scalar_type_name
from ...linalg import vector_norm
from ...ops.linalg_lu_solve import lu_unpack
from ...ops.products import diagonal
from ._aliases import accepts_numpy_names
from ._functions_index import unique_slices


@accepts_numpy_names
def diff(input: Any, n: int = 1, dim: int = -1, prepend: Any = None, append: Any = None) -> Tensor:  # noqa: A002
    """The ``n``-th forward difference along ``dim``, after ``prepend``/``append`` (torch.diff)."""
    return ops.diff(input, axis=dim, n=n, prepend=prepend, append=append)


def searchsorted(
    sorted_sequence: Any,
    input: Any,  # noqa: A002 - torch's name
    *,
    out_int32: bool = False,
    right: bool = False,
    side: str | None = None,
    sorter: Any = None,
) -> Tensor:
    """Where ``input`` would go in the last axis of ``sorted_sequence`` (1-d, or rows
    matching ``input``'s leading axes)."""
    side = side or ("right" if right else "left")
    dtype = DTYPES["int32" if out_int32 else "int64"]
    if getattr(sorted_sequence, "ndim", 1) <= 1:
        found = ops.searchsorted(sorted_sequence, input, side=side, sorter=sorter)
        return ops.astype(found, dtype)
    rows = [
        ops.searchsorted(sorted_sequence[i], input[i], side=side)
        for i in range(sorted_sequence.shape[0])
    ]
    return ops.astype(ops.stack(rows, axis=0), dtype)


def bucketize(
    input: Any, boundaries: Any, *, out_int32: bool = False, right: bool = False
) -> Tensor:  # noqa: A002
    """For each value, the index of its bucket in sorted ``boundaries`` (torch.bucketize)."""
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def broadcast_shapes(*shapes: Any) -> tuple[int, ...]:
    """The shape the given shapes broadcast to (torch.broadcast_shapes)."""
    return tuple(ops.broadcast_shapes(*((s,) if isinstance(s, int) else tuple(s) for s in shapes)))


def cartesian_prod(*tensors: Any) -> Tensor:
    """The Cartesian product of 1-d tensors, one row per combination (torch.cartesian_prod)."""
    if len(tensors) == 1:
        return tensors[0]
    grids = ops.meshgrid(*tensors, indexing="ij")
    return ops.stack([ops.reshape(g, (-1,)) for g in grids], axis=1)


def block_diag(*tensors: Any) -> Tensor:
    """The tensors (0-, 1- or 2-d) along the diagonal of one matrix, zeros elsewhere."""
    blocks = [ops.reshape(t, (1, -1)) if t.ndim < 2 else t for t in tensors]
    width = sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for block in blocks:
        right = width - left - block.shape[1]
        zeros_left = ops.multiply(
            ops.broadcast_to(block[:, :1] if block.shape[1] else block, (block.shape[0], left)), 0
        )
        zeros_right = ops.multiply(
            ops.broadcast_to(block[:, :1] if block.shape[1] else block, (block.shape[0], right)), 0
        )
        rows.append(ops.concat([zeros_left, block, zeros_right], axis=1))
        left += block.shape[1]
    return ops.concat(rows, axis=0)


def _triangle_indices(
    row: int, col: int, offset: int, upper: bool, factory: dict[str, Any]
) -> Tensor:
    pairs = [
        (i, j)
        for i in range(row)
        for j in range(col)
        if (j - i >= offset if upper else j - i <= offset)
    ]
    dtype = factory.pop("dtype", None) or DTYPES["int64"]
    data = [[i for i, _ in pairs], [j for _, j in pairs]]
    return _creation.tensor(data, dtype=dtype, **factory)


def tril_indices(row: int, col: int, offset: int = 0, **factory: Any) -> Tensor:
    """The ``(2, N)`` row and column indices of the lower triangle of a ``row`` x ``col`` matrix
    (torch.tril_indices)."""
    factory.pop("layout", None)
    return _triangle_indices(row, col, offset, False, factory)


def triu_indices(row: int, col: int, offset: int = 0, **factory: Any) -> Tensor:
    """The ``(2, N)`` row and column indices of the upper triangle of a ``row`` x ``col`` matrix
    (torch.triu_indices)."""
    factory.pop("layout", None)
    return _triangle_indices(row, col, offset, True, factory)


def logspace(start: Any, end: Any, steps: int, base: float = 10.0, **factory: Any) -> Tensor:
    """``steps`` values from ``base**start`` to ``base**end``, evenly spaced in the exponent
    (torch.logspace)."""
    factory.pop("layout", None)
    dtype = factory.pop("dtype", None)
    exponents = _creation.linspace(start, end, steps, dtype=DTYPES["float64"], **factory)
    powers = ops.pow(base, exponents)
    return ops.astype(powers, dtype or _creation._float_dtype(None))


def scalar_tensor(s: Any, **factory: Any) -> Tensor:
    """A 0-d tensor holding ``s``, of the default float dtype unless given (torch.scalar_tensor)."""
    factory.pop("layout", None)
    factory.setdefault("dtype", _creation._float_dtype(None))
    return _creation.tensor(s, **factory)


def cdist(x1: Any, x2: Any, p: float = 2.0, compute_mode: Any = None) -> Tensor:
    """Pairwise ``p``-norm distances between the rows of ``x1`` and of ``x2``."""
    differences = ops.subtract(ops.expand_dims(x1, axis=-2), ops.expand_dims(x2, axis=-3))
    return vector_norm(differences, axis=-1, ord=p)


def cov(input: Any, *, correction: int = 1, fweights: Any = None, aweights: Any = None) -> Tensor:  # noqa: A002
    """Covariance of the rows (variables) over the columns (observations), each column
    weighted by ``fweights`` (repeat counts) times ``aweights`` (importance), as torch.cov."""
    x = ops.reshape(input, (1, -1)) if input.ndim < 2 else input
    fweights, aweights = _cov_weights(x, fweights, aweights)
    weights = fweights
    if aweights is not None:
        weights = aweights if weights is None else ops.multiply(weights, aweights)
    if weights is None:
        mean = ops.mean(x, axis=1, keepdims=True)
        norm: Any = max(x.shape[1] - correction, 0)
        weighted = centered = ops.subtract(x, mean)
    else:
        total = ops.sum(weights)
        mean = ops.divide(ops.sum(ops.multiply(x, weights), axis=1, keepdims=True), total)
        centered = ops.subtract(x, mean)
        weighted = ops.multiply(centered, weights)
        if correction == 0:
            norm = total
        elif aweights is None:
            norm = ops.subtract(total, correction)
        else:  # the effective number of observations under importance weights
            spread = ops.divide(ops.sum(ops.multiply(weights, aweights)), total)
            norm = ops.subtract(total, ops.multiply(spread, correction))
        norm = ops.clip(norm, min=0)
    product = ops.matmul(weighted, ops.conj(ops.matrix_transpose(centered)))
    out = ops.divide(product, norm)
    return ops.reshape(out, ()) if x.shape[0] == 1 else out  # torch squeezes one variable


def _cov_weights(x: Tensor, fweights: Any, aweights: Any) -> tuple[Any, Any]:
    """torch's checks of cov's weights, and integer ``fweights`` in the floating dtype they
    meet (``aweights``' or the input's), as torch's promotion makes them."""
    for name, w, kinds in (
        ("fweights", fweights, ("signed integer", "unsigned integer")),
        ("aweights", aweights, ("real floating",)),
    ):
        if w is None:
            continue
        if w.ndim > 1:
            raise RuntimeError(
                f"cov(): expected {name} to have one or fewer dimensions but got {name} "
                f"with {w.ndim} dimensions"
            )
        if w.dtype.kind not in kinds:
            wanted = "integral" if name == "fweights" else "floating point"
            raise RuntimeError(
                f"cov(): expected {name} to have {wanted} dtype but got {name} with "
                f"{scalar_type_name(w.dtype.name)} dtype"
            )
    if fweights is not None:
        dtype = aweights.dtype if aweights is not None else x.dtype
        if dtype.is_complex:  # the weights stay real
            dtype = DTYPES["float32" if dtype.name == "complex64" else "float64"]
        if dtype.is_floating_point:
            fweights = ops.astype(fweights, dtype)
    return fweights, aweights


def corrcoef(input: Any) -> Tensor:  # noqa: A002
    """The Pearson correlation matrix of the rows of ``input`` (torch.corrcoef)."""
    c = cov(input)
    if c.ndim == 0:
        return ops.divide(c, c)
    d = ops.sqrt(ops.real(diagonal(c)))
    return ops.clip(ops.divide(ops.divide(c, ops.expand_dims(d, axis=1)), d), -1, 1)


def trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The integral of ``y`` along ``dim`` by the trapezoid rule."""
    n = y.shape[dim]
    lead = (slice(None),) * (dim % y.ndim)
    left, right = y[lead + (slice(0, n - 1),)], y[lead + (slice(1, n),)]
    mean = ops.multiply(ops.add(left, right), 0.5)
    if x is not None:
        widths = ops.diff(x, axis=dim if x.ndim == y.ndim else -1)
        return ops.sum(ops.multiply(mean, widths), axis=dim)
    return ops.multiply(ops.sum(mean, axis=dim), 1.0 if dx is None else dx)


def polar(abs: Any, angle: Any) -> Tensor:  # noqa: A002 - torch's name
    """The complex tensor ``abs * (cos(angle) + 1j * sin(angle))`` (torch.polar)."""
    return ops.complex(ops.multiply(abs, ops.cos(angle)), ops.multiply(abs, ops.sin(angle)))


@overload
def unique(
    input: Tensor,  # noqa: A002
    sorted: bool = True,  # noqa: A002
    return_inverse: Literal[False] = False,
    return_counts: Literal[False] = False,
    dim: int | None = None,
) -> Tensor: ...


@overload
def unique(
    input: Tensor,  # noqa: A002
    sorted: bool = True,  # noqa: A002
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Tensor | tuple[Tensor, ...]: ...


def unique(
    input: Tensor,  # noqa: A002
    sorted: bool = True,  # noqa: A002
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: int | None = None,
) -> Tensor | tuple[Tensor, ...]:
    """The sorted unique elements, with ``return_inverse``/``return_counts`` as torch.unique has
    them."""
    if dim is not None:
        return unique_slices(input, dim, return_inverse, return_counts)
    found = ops.unique_all(ops.reshape(input, (-1,)))
    for part in found:  # a lazy library's sizes that follow the values: torch's are known
        part._data = input._backend.sized(part._data)
    order = ops.argsort(found.values)
    values = ops.take(found.values, order)
    extras = []
    if return_inverse:
        rank = ops.argsort(order)
        extras.append(
            ops.reshape(
                ops.take(rank, ops.reshape(found.inverse_indices, (-1,))), tuple(input.shape)
            )
        )
    if return_counts:
        extras.append(ops.take(found.counts, order))
    return (values, *extras) if extras else values


FUNCTIONS_MORE: dict[str, Callable[..., Any]] = {
    "diff": diff,
    "searchsorted": searchsorted,
    "bucketize": bucketize,
    "broadcast_shapes": broadcast_shapes,
    "cartesian_prod": cartesian_prod,
    "block_diag": block_diag,
    "tril_indices": tril_indices,
    "triu_indices": triu_indices,
    "logspace": logspace,
    "scalar_tensor": scalar_tensor,
    "cdist": cdist,
    "cov": cov,
    "corrcoef": corrcoef,
    "trapezoid": trapezoid,
    "trapz": trapezoid,
    "polar": polar,
    "unique": unique,
    "lu_unpack": lu_unpack,
}
