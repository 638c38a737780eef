"""More of torch's tensor vocabulary over polygrad's ops: ``x.sinc()``, ``x.erfinv()``,
``x.heaviside(v)``, ``x.isposinf()``, ``x.angle()``, ``x.logdet()``, ``x.kron(y)``,
``x.rot90()``, ``x.tensor_split(3)``, ``x.hsplit(2)``, ``x.diag_embed()``,
``x.index_fill(0, i, v)``, ``x.index_copy(0, i, src)``, ``x.fill(v)``...

Each composes ops that record their own nodes; none re-implements an op.
"""

from __future__ import annotations

import math
import operator
from typing import Any

from ... import ops, special
from ..._core._tensor import Tensor
from ...ops.linalg_inverse import slogdet
from ...ops.linalg_triangular import matrix_exp
from ...ops.products import diagonal
from ...ops.shape import _normalize_axis


def _axis(dim: int, ndim: int) -> int:
    return operator.index(dim) % max(ndim, 1)


def _on_diagonal(v: Tensor, offset: int) -> Tensor:
    """Matrices with the last axis of ``v`` on diagonal ``offset``, zeros elsewhere: a
    ``where`` over the diagonal's mask, which every backend differentiates (no nd fancy
    indexing, which Dask and array-api-strict lack). Row ``i`` of the mask takes ``v[i]``
    (column ``j`` takes ``v[j]`` below the main diagonal); ``v`` is padded with zeros to the
    matrices' size, and those never land on the diagonal."""
    ns = v.__array_namespace__()
    m, k = v.shape[-1], abs(offset)
    n = m + k
    positions = ns.arange(n)
    mask = ops.equal(ops.subtract(positions, ops.reshape(positions, (n, 1))), offset)
    if k:
        v = ops.concat([v, ns.zeros(tuple(v.shape[:-1]) + (k,), dtype=v.dtype)], axis=-1)
    spread = ops.expand_dims(v, axis=-1 if offset >= 0 else -2)
    return ops.where(mask, spread, ns.zeros((), dtype=v.dtype))


class MoreMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    # -- elementwise --------------------------------------------------------------------
    def sinc(self: Any) -> Tensor:
        """sin(pi x) / (pi x), 1 at 0 (the gradient there is 0, as torch's)."""
        at_zero = ops.equal(self, 0)
        safe = ops.where(at_zero, 1.0, self)
        scaled = ops.multiply(safe, math.pi)
        return ops.where(at_zero, 1.0, ops.divide(ops.sin(scaled), scaled))

    def erfinv(self: Any) -> Tensor:
        """The inverse of ``erf`` on (-1, 1) (torch's ``x.erfinv()``; ``pg.erfinv``)."""
        return special.erfinv(self)

    def mvlgamma(self: Any, p: int) -> Tensor:
        """The multivariate log-gamma function of dimension ``p`` (torch's
        ``x.mvlgamma(p)``; ``pg.special.multigammaln``)."""
        return special.multigammaln(self, p)

    def heaviside(self: Any, values: Any) -> Tensor:
        """Elementwise step: 0 below zero, 1 above, ``values`` at zero (torch's ``x.heaviside()``)."""
        step = ops.astype(ops.greater(self, 0), self.dtype)
        return ops.where(ops.equal(self, 0), ops.astype(values, self.dtype), step)

    def isposinf(self: Any) -> Tensor:
        """Elementwise: equal to +inf (torch's ``x.isposinf()``)."""
        return ops.logical_and(ops.isinf(self), ops.greater(self, 0))

    def isneginf(self: Any) -> Tensor:
        """Elementwise: equal to -inf (torch's ``x.isneginf()``)."""
        return ops.logical_and(ops.isinf(self), ops.less(self, 0))

    def isreal(self: Any) -> Tensor:
        """Elementwise: the imaginary part is zero (torch's ``x.isreal()``)."""
        if self.dtype.kind != "complex floating":
            return (
                ops.equal(self, self)
                if self.dtype.kind != "real floating"
                else ops.logical_or(ops.equal(self, self), ops.isnan(self))
            )
        return ops.equal(ops.imag(self), 0)

    def angle(self: Any) -> Tensor:
        """Elementwise argument of a complex number, 0 or pi for reals (torch's ``x.angle()``)."""
        if self.dtype.kind == "complex floating":
            return ops.atan2(ops.imag(self), ops.real(self))
        return ops.where(ops.less(self, 0), math.pi, ops.where(ops.isnan(self), self, 0.0))

    def conj_physical(self: Any) -> Tensor:
        """Elementwise complex conjugate (the input itself for real tensors) (torch's
        ``x.conj_physical()``; ``pg.conj``)."""
        return ops.conj(self)

    def resolve_conj(self: Any) -> Tensor:
        """This tensor (polygrad has no lazy conjugate bit; torch's ``x.resolve_conj()``)."""
        return self

    def resolve_neg(self: Any) -> Tensor:
        """This tensor (polygrad has no lazy negative bit; torch's ``x.resolve_neg()``)."""
        return self

    # -- linear algebra -----------------------------------------------------------------
    def logdet(self: Any) -> Tensor:
        """log(det(x)): NaN for a negative determinant, -inf for a zero one (torch)."""
        sign, logabs = slogdet(self)
        return ops.where(ops.less(sign, 0), math.nan, logabs)

    def matrix_exp(self: Any) -> Tensor:
        """The matrix exponential (torch's ``x.matrix_exp()``, ``torch.linalg.matrix_exp``)."""
        return matrix_exp(self)

    def kron(self: Any, other: Any) -> Tensor:
        """The Kronecker product with ``other`` (torch's ``x.kron()``)."""
        ndim = max(self.ndim, other.ndim)
        a = ops.reshape(self, (1,) * (ndim - self.ndim) + tuple(self.shape))
        b = ops.reshape(other, (1,) * (ndim - other.ndim) + tuple(other.shape))
        spread_a = ops.reshape(a, tuple(x for n in a.shape for x in (n, 1)))
        spread_b = ops.reshape(b, tuple(x for n in b.shape for x in (1, n)))
        shape = tuple(n * m for n, m in zip(a.shape, b.shape))
        return ops.reshape(ops.multiply(spread_a, spread_b), shape)

    def diag_embed(self: Any, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
        """Tensors whose diagonals (``offset``, ``dim1``, ``dim2``) hold the last dimension (torch's
        ``x.diag_embed()``)."""
        ndim = self.ndim + 1
        a, b = _normalize_axis(dim1, ndim), _normalize_axis(dim2, ndim)
        if a == b:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        out = _on_diagonal(self, operator.index(offset))
        return ops.moveaxis(out, (-2, -1), (a, b))

    def diagflat(self: Any, offset: int = 0) -> Tensor:
        """A 2-d tensor with the flattened input on diagonal ``offset`` (torch's ``x.diagflat()``)."""
        return MoreMethods.diag_embed(ops.reshape(self, (-1,)), offset)

    # -- reshaping and splitting ----------------------------------------------------------
    def rot90(self: Any, k: int = 1, dims: Any = (0, 1)) -> Tensor:
        """Rotated by 90 degrees ``k`` times in the plane of ``dims`` (torch's ``x.rot90()``)."""
        a, b = (_axis(d, self.ndim) for d in dims)
        k %= 4
        if k == 0:
            return ops.clone(self)
        if k == 2:
            return ops.flip(self, axis=(a, b))
        if k == 1:
            return ops.transpose(ops.flip(self, axis=b), a, b)
        return ops.flip(ops.transpose(self, a, b), axis=b)

    def tensor_split(self: Any, indices_or_sections: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """Pieces along ``dim``: ``n`` nearly equal ones, or cut at the given indices (torch's
        ``x.tensor_split()``)."""
        axis = _axis(dim, self.ndim)
        n = self.shape[axis]
        if isinstance(indices_or_sections, Tensor):  # 0-d: the sections; 1-d: the indices
            indices_or_sections = indices_or_sections.tolist()
        if isinstance(indices_or_sections, int):
            sections = indices_or_sections
            base, extra = divmod(n, sections)
            sizes = [base + 1] * extra + [base] * (sections - extra)
            bounds = [sum(sizes[:i]) for i in range(sections + 1)]
        else:
            cuts = [min(max(int(i), 0), n) for i in indices_or_sections]
            bounds = [0, *cuts, n]
        lead = (slice(None),) * axis
        return tuple(
            self[lead + (slice(start, max(start, stop)),)]
            for start, stop in zip(bounds, bounds[1:])
        )

    def hsplit(self: Any, sections: Any) -> tuple[Tensor, ...]:
        """``tensor_split`` along the horizontal dimension (torch's ``x.hsplit()``)."""
        return MoreMethods.tensor_split(self, sections, 1 if self.ndim > 1 else 0)

    def vsplit(self: Any, sections: Any) -> tuple[Tensor, ...]:
        """``tensor_split`` along dimension 0 (torch's ``x.vsplit()``)."""
        return MoreMethods.tensor_split(self, sections, 0)

    def dsplit(self: Any, sections: Any) -> tuple[Tensor, ...]:
        """``tensor_split`` along dimension 2 (torch's ``x.dsplit()``)."""
        return MoreMethods.tensor_split(self, sections, 2)

    def split_with_sizes(self: Any, split_sizes: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """A tuple of pieces along ``dim`` of the given sizes (torch's ``x.split_with_sizes()``)."""
        return ops.split(self, list(split_sizes), dim)

    def unsafe_split(self: Any, split_size: Any, dim: int = 0) -> tuple[Tensor, ...]:
        """``split`` (torch's ``x.unsafe_split()``: no view is unsafe here)."""
        return ops.split(self, split_size, dim)

    def unsafe_chunk(self: Any, chunks: int, dim: int = 0) -> tuple[Tensor, ...]:
        """``chunk`` (torch's ``x.unsafe_chunk()``: no view is unsafe here)."""
        return ops.chunk(self, chunks, dim)

    # -- writing by index ---------------------------------------------------------------
    def fill(self: Any, value: Any) -> Tensor:
        """A tensor like ``self`` filled with ``value`` (torch.fill, out of place)."""
        ns = self.__array_namespace__()
        if hasattr(value, "shape"):
            if value.ndim:
                raise RuntimeError(
                    "fill_ only supports 0-dimension value tensor but got tensor with "
                    f"{value.ndim} dimensions."
                )
            value = ops.astype(value, self.dtype)  # keeps a tensor's gradient
        else:  # cast as torch does: True fills floats with 1, 2.7 fills integers with 2
            value = ns.asarray(value, dtype=self.dtype)
        # a where keeps ``self`` in the graph with a zero gradient, as torch's FillBackward
        return ops.where(ns.asarray(True), value, self)

    def index_fill(self: Any, dim: int, index: Any, value: Any) -> Tensor:
        """A copy with ``value`` at ``index`` along ``dim`` (torch's ``x.index_fill()``)."""
        out = ops.clone(self)
        if self.ndim == 0:
            out[...] = value
            return out
        out[(slice(None),) * _axis(dim, self.ndim) + (ops.reshape(index, (-1,)),)] = value
        return out

    def index_copy(self: Any, dim: int, index: Any, source: Any) -> Tensor:
        """A copy with ``source``'s slices at ``index`` along ``dim`` (torch's ``x.index_copy()``)."""
        out = ops.clone(self)
        if self.ndim == 0:
            out[...] = ops.reshape(source, ())
            return out
        out[(slice(None),) * _axis(dim, self.ndim) + (ops.reshape(index, (-1,)),)] = source
        return out

    def select_scatter(self: Any, src: Any, dim: int, index: int) -> Tensor:
        """A copy with ``src`` written at ``index`` of ``dim`` (torch's ``x.select_scatter()``)."""
        out = ops.clone(self)
        out[(slice(None),) * _axis(dim, self.ndim) + (index,)] = src
        return out

    def slice_scatter(
        self: Any, src: Any, dim: int = 0, start: Any = None, end: Any = None, step: int = 1
    ) -> Tensor:
        """A copy with ``src`` written into a slice of ``dim`` (torch's ``x.slice_scatter()``)."""
        out = ops.clone(self)
        out[(slice(None),) * _axis(dim, self.ndim) + (slice(start, end, step),)] = src
        return out

    def diagonal_scatter(
        self: Any, src: Any, offset: int = 0, dim1: int = 0, dim2: int = 1
    ) -> Tensor:
        """A copy with ``src`` written on a diagonal (torch's ``x.diagonal_scatter()``)."""
        a, b = _axis(dim1, self.ndim), _axis(dim2, self.ndim)
        moved = ops.clone(ops.moveaxis(self, (a, b), (-2, -1)))
        m, n = moved.shape[-2:]
        length = diagonal(moved, offset=offset).shape[-1]
        positions = self.__array_namespace__().arange(length)
        rows, cols = positions + max(-offset, 0), positions + max(offset, 0)
        moved[(Ellipsis, rows, cols)] = src
        return ops.moveaxis(moved, (-2, -1), (a, b))


#: torch's ``*_copy`` functions: the view op, returned as a new tensor
COPY_OF = {
    "alias_copy": lambda x: x,
    "expand_copy": lambda x, *size, **kw: x.expand(*size),
    "permute_copy": lambda x, dims: x.permute(*dims),
    "t_copy": lambda x: x.t(),
    "transpose_copy": lambda x, dim0, dim1: x.transpose(dim0, dim1),
    "unsqueeze_copy": lambda x, dim: x.unsqueeze(dim),
    "squeeze_copy": lambda x, dim=None: x.squeeze(dim),
    "view_copy": lambda x, *shape: x.reshape(*shape),
    "diagonal_copy": lambda x, *args, **kw: x.diagonal(*args, **kw),
    "narrow_copy": lambda x, dim, start, length: x.narrow(dim, start, length),
    "unfold_copy": lambda x, dimension, size, step: x.unfold(dimension, size, step),
}
#: ... of the views that give several tensors
COPY_OF_PARTS = {
    "unbind_copy": lambda x, dim=0: x.unbind(dim),
    "split_with_sizes_copy": lambda x, sizes, dim=0: x.split_with_sizes(sizes, dim),
}


def _named(copy: Any, name: str) -> Any:
    copy.__name__ = copy.__qualname__ = name
    copy.__doc__ = f"``torch.{name}``: ``{name.removesuffix('_copy')}`` as a new tensor."
    return copy


def _copy_function(name: str, view: Any) -> Any:
    def copy(input: Tensor, *args: Any, **kwargs: Any) -> Tensor:  # noqa: A002 - torch's name
        return ops.clone(view(input, *args, **kwargs))

    return _named(copy, name)


def _parts_copy_function(name: str, view: Any) -> Any:
    def copy(input: Tensor, *args: Any, **kwargs: Any) -> tuple[Tensor, ...]:  # noqa: A002
        return tuple(ops.clone(part) for part in view(input, *args, **kwargs))

    return _named(copy, name)


COPIES = {name: _copy_function(name, view) for name, view in COPY_OF.items()}
COPIES |= {name: _parts_copy_function(name, view) for name, view in COPY_OF_PARTS.items()}
