"""torch's random draws with ``generator=``: ``pg.rand(3, generator=g)``,
``pg.randn``, ``pg.randint``, ``pg.randperm``, ``pg.normal``, ``x.uniform_(generator=g)``,
``x.normal_``, ``x.bernoulli``, and ``pg.multinomial(p, n, replacement)``.

A ``pg.Generator`` is a stream of its own: its state lives on the host (a NumPy
``PCG64``), so the same seed gives the same numbers on every backend; the draws are
then copied onto the tensor's backend and device. Without ``generator=`` the draws come
from the backend's own generator, seeded by ``pg.manual_seed``.
"""

from __future__ import annotations

from typing import Any

from ..._core import _creation
from ..._core._dtypes import DTYPES
from ..._core._tensor import Tensor, _make
from ._runtime import Generator


def _check_generator(generator: Any) -> None:
    if generator is not None and not isinstance(generator, Generator):
        raise TypeError("generator must be a polygrad.Generator, not " + type(generator).__name__)


def _draw(kind: str, size: tuple[Any, ...], generator: Any, **factory: Any) -> Tensor:
    """``kind`` (``'rand'``/``'randn'``) samples of ``size``: from ``generator`` on the
    host, or from the backend's generator."""
    _check_generator(generator)
    if generator is None:
        return getattr(_creation, kind)(*size, **factory)
    shape = _creation._size(size, kind)
    dtype = _creation._float_dtype(factory.pop("dtype", None))
    rng = generator._rng
    host = rng.random(shape) if kind == "rand" else rng.standard_normal(shape)
    return _creation.tensor(host, dtype=dtype, **factory)


def rand(*size: Any, generator: Any = None, **factory: Any) -> Tensor:
    """Uniform samples from [0, 1) (torch.rand; ``generator=`` a ``pg.Generator``)."""
    return _draw("rand", size, generator, **factory)


def randn(*size: Any, generator: Any = None, **factory: Any) -> Tensor:
    """Standard normal samples (torch.randn; ``generator=`` a ``pg.Generator``)."""
    return _draw("randn", size, generator, **factory)


def _uniform_array(like: Tensor, shape: tuple[int, ...], generator: Any) -> Any:
    """Uniform samples of ``shape`` in ``like``'s dtype, backend and device (raw)."""
    drawn = rand(
        shape, generator=generator, dtype=like.dtype, device=like.device, backend=like._backend
    )
    return drawn._data


def uniform_like(x: Any, generator: Any = None) -> Tensor:
    """Uniform samples of ``x``'s shape on its backend and device (float64 unless ``x`` is
    floating)."""
    dtype = x.dtype if x.dtype.kind == "real floating" else DTYPES["float64"]
    return rand(
        tuple(x.shape), generator=generator, dtype=dtype, device=x.device, backend=x._backend
    )


def normal_like(x: Any, generator: Any = None) -> Tensor:
    """Standard normal samples of ``x``'s shape on its backend and device."""
    dtype = x.dtype if x.dtype.kind == "real floating" else DTYPES["float64"]
    return randn(
        tuple(x.shape), generator=generator, dtype=dtype, device=x.device, backend=x._backend
    )


def multinomial(
    input: Any,  # noqa: A002 - torch's name
    num_samples: int,
    replacement: bool = False,
    *,
    generator: Any = None,
) -> Tensor:
    """``num_samples`` indices per row of ``input`` (non-negative weights, 1-d or 2-d),
    drawn in proportion to the weights, with or without ``replacement``
    (torch.multinomial)."""
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if input.dtype.kind != "real floating":
        raise RuntimeError(
            "multinomial only supports floating-point dtypes for input, got: " + input.dtype.name
        )
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n = input.shape[-1]
    if not replacement and num_samples > n:
        raise RuntimeError(
            "cannot sample n_sample > prob_dist.size(-1) samples without replacement"
        )
    xp = input._backend.xp
    weights = xp.reshape(input._data, (-1, n))
    if bool(xp.any(~xp.isfinite(weights) | (weights < 0))):
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    total = xp.sum(weights, axis=-1, keepdims=True)
    if bool(xp.any(total <= 0)):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    rows = weights.shape[0]
    if replacement:  # inverse CDF: how many cumulative weights lie at or below each draw
        cdf = xp.cumulative_sum(weights / total, axis=-1)
        draws = _uniform_array(input, (rows, num_samples), generator)
        below = cdf[:, None, :] <= draws[:, :, None]
        index = xp.clip(xp.sum(xp.astype(below, xp.int64), axis=-1), 0, n - 1)
    else:  # an exponential race: the first num_samples to finish, slower for small weights
        draws = _uniform_array(input, (rows, n), generator)
        finish = xp.where(
            weights > 0, -xp.log1p(-draws) / xp.where(weights > 0, weights, 1), xp.inf
        )
        index = xp.argsort(finish, axis=-1, stable=True)[:, :num_samples]
    shape = (num_samples,) if input.ndim == 1 else (rows, num_samples)
    return _make(xp.reshape(xp.astype(index, xp.int64), shape), input._backend)


class RandomMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def multinomial(
        self: Any, num_samples: int, replacement: bool = False, *, generator: Any = None
    ) -> Tensor:
        """``num_samples`` indices per row drawn in proportion to this tensor's weights
        (torch's ``x.multinomial()``)."""
        return multinomial(self, num_samples, replacement, generator=generator)
