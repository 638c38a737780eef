"""torch's counting and integer arithmetic over the standard's arrays: ``x.bincount()``,
``x.histc(bins, min, max)``, ``x.histogram(bins)`` as ``(hist, bin_edges)``,
``x.gcd(y)`` and ``x.lcm(y)``.

None of these has a gradient in torch; their results never require grad. Counts are
added with the backend's ``scatter_add`` (repeated bins add up); an element outside the
range adds zero to bin 0, so no shape depends on the values. ``gcd`` runs Euclid's
algorithm elementwise until every remainder is zero.
"""

from __future__ import annotations

from typing import Any

from ..._core._record import operand
from ..._core._tensor import Tensor, _make
from . import _return_types as return_types


def _integers(x: Tensor, other: Any, name: str) -> tuple[Any, Any, Any]:
    """``x`` and ``other`` as broadcast arrays of their common integer dtype."""
    other = operand(other, x)
    xp = x._backend.xp
    for t in (x, other):
        if not xp.isdtype(t._data.dtype, "integral"):
            raise RuntimeError(f"\"{name}_cpu\" not implemented for '{t.dtype.name}'")
    dtype = xp.result_type(x._data.dtype, other._data.dtype)
    a, b = xp.broadcast_arrays(xp.astype(x._data, dtype), xp.astype(other._data, dtype))
    return xp, a, b


def _gcd(xp: Any, a: Any, b: Any) -> Any:
    a, b = xp.abs(a), xp.abs(b)
    while bool(xp.any(b != 0)):
        nonzero = b != 0
        a, b = xp.where(nonzero, b, a), xp.where(nonzero, a % xp.where(nonzero, b, 1), 0)
    return a


def _counts(x: Tensor, bins: Any, weights: Any, length: int, dtype: Any) -> Any:
    """Zeros of ``length`` with each weight added at its bin."""
    backend = x._backend
    return backend.scatter_add((length,), dtype, (bins,), weights, backend.device_of(x._data))


def _bins_of(xp: Any, data: Any, edges: Any) -> tuple[Any, Any]:
    """Each element's bin among the sorted ``edges`` (the last bin closed on the right)
    and whether it falls in any."""
    n = edges.shape[0] - 1
    inside = (data >= edges[0]) & (data <= edges[-1])
    position = xp.searchsorted(edges, data, side="right") - 1
    return xp.where(inside, xp.clip(position, 0, n - 1), 0), inside


def _even_edges(xp: Any, low: float, high: float, bins: int, dtype: Any, device: Any) -> Any:
    """``bins + 1`` evenly spaced edges, as torch's ``linspace`` computes them: from the
    start for the first half, from the end for the rest (so both ends are exact)."""
    steps = xp.arange(bins + 1, dtype=dtype, device=device)
    width = (high - low) / bins
    return xp.where(steps < (bins + 1) // 2, low + width * steps, high - width * (bins - steps))


def _float_input(x: Tensor, name: str) -> None:
    if not x._backend.xp.isdtype(x._data.dtype, "real floating"):
        raise RuntimeError(f"\"{name}\" not implemented for '{x.dtype.name}'")


class CountingMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def gcd(self: Any, other: Any) -> Tensor:
        """The elementwise greatest common divisor, non-negative (torch's ``x.gcd()``)."""
        xp, a, b = _integers(self, other, "gcd")
        return _make(_gcd(xp, a, b), self._backend)

    def lcm(self: Any, other: Any) -> Tensor:
        """The elementwise least common multiple, non-negative; 0 where either is 0
        (torch's ``x.lcm()``)."""
        xp, a, b = _integers(self, other, "lcm")
        g = _gcd(xp, a, b)
        safe = xp.where(g == 0, 1, g)
        return _make(xp.where(g == 0, 0, xp.abs(a // safe * b)), self._backend)

    def bincount(self: Any, weights: Any = None, minlength: int = 0) -> Tensor:
        """How often each non-negative integer occurs (or the sum of its ``weights``), at
        least ``minlength`` long (torch's ``x.bincount()``)."""
        xp = self._backend.xp
        data = self._data
        if minlength < 0:
            raise RuntimeError("minlength should be >= 0")
        if data.ndim != 1 or not xp.isdtype(data.dtype, "integral"):
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        if data.shape[0] and int(xp.min(data)) < 0:
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        length = max(int(xp.max(data)) + 1 if data.shape[0] else 0, minlength)
        if weights is None:
            dtype, values = xp.int64, xp.ones(data.shape, dtype=xp.int64)
        else:
            weights = operand(weights, self)
            if tuple(weights.shape) != tuple(data.shape):
                raise RuntimeError("weights should be 1-d and have the same length as input")
            floating = xp.isdtype(weights._data.dtype, "real floating")
            dtype = weights._data.dtype if floating else xp.float64
            values = xp.astype(weights._data, dtype)
        return _make(_counts(self, data, values, length, dtype), self._backend)

    def histc(self: Any, bins: int = 100, min: Any = 0, max: Any = 0) -> Tensor:  # noqa: A002
        """Counts in ``bins`` equal bins between ``min`` and ``max`` (the data's range when
        both are equal); elements outside are ignored (torch's ``x.histc()``)."""
        _float_input(self, "histogram_cpu")
        if bins <= 0:
            raise RuntimeError("bins must be > 0")
        if min > max:
            raise RuntimeError("max must be larger than min")
        xp = self._backend.xp
        data = xp.reshape(self._data, (-1,))
        low, high = float(min), float(max)
        if low == high and data.shape[0]:
            low, high = float(xp.min(data)), float(xp.max(data))
        if low == high:
            low, high = low - 1, high + 1
        inside = (data >= low) & (data <= high)
        # torch's linear position, the right edge falling in the last bin
        position = xp.astype(xp.floor((data - low) * bins / (high - low)), xp.int64)
        position = xp.where(inside, xp.clip(position, 0, bins - 1), 0)
        ones = xp.astype(inside, data.dtype)
        return _make(_counts(self, position, ones, bins, data.dtype), self._backend)

    def histogram(
        self: Any, bins: Any = 100, *, range: Any = None, weight: Any = None, density: bool = False
    ) -> return_types.histogram:
        """A ``(hist, bin_edges)`` named tuple: counts (or summed ``weight``) in ``bins``
        (a number of equal bins over ``range`` or the data's range, or the edges as a
        tensor), normalized to a density if asked (torch's ``x.histogram()``)."""
        _float_input(self, "histogram_cpu")
        xp = self._backend.xp
        device = self._backend.device_of(self._data)
        data = xp.reshape(self._data, (-1,))
        if isinstance(bins, Tensor):
            edges = xp.astype(bins._data, data.dtype)
        else:
            if bins <= 0:
                raise RuntimeError("torch.histogram(): bins must be > 0, but got " + str(bins))
            if range is not None:
                low, high = float(range[0]), float(range[1])
            elif data.shape[0]:
                low, high = float(xp.min(data)), float(xp.max(data))
            else:
                low, high = 0.0, 0.0
            if low > high:
                raise RuntimeError(
                    "torch.histogram(): max must be larger than min, but got min "
                    f"{low} and max {high}"
                )
            if low == high:
                low, high = low - 0.5, high + 0.5
            edges = _even_edges(xp, low, high, bins, data.dtype, device)
        position, inside = _bins_of(xp, data, edges)
        if weight is None:
            values = xp.astype(inside, data.dtype)
        else:
            w = xp.reshape(operand(weight, self)._data, (-1,))
            values = xp.where(inside, xp.astype(w, data.dtype), xp.zeros_like(data))
        hist = _counts(self, position, values, edges.shape[0] - 1, data.dtype)
        if density:
            hist = hist / (xp.sum(hist) * (edges[1:] - edges[:-1]))
        return return_types.histogram(_make(hist, self._backend), _make(edges, self._backend))
