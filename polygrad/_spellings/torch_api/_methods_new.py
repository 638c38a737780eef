"""torch's factory methods and random fills on ``Tensor``: ``x.new_ones(2, 3)``,
``x.new_tensor(data)``, ``x.normal_()``, ``x.uniform_(-1, 1)``, ``x.bernoulli_(0.3)``,
``p.bernoulli()``, ``x.exponential_()``...

New tensors land on ``x``'s backend and device with ``x``'s dtype unless told
otherwise (torch's rule). Random fills draw from the backend's generator (seeded by
``pg.manual_seed``) and are written with ``copy_``, so they are recorded in-place
writes (a fill cuts the gradient to the old values, as in torch).
"""

from __future__ import annotations

import math
from typing import Any

from ... import ops
from ..._core import _creation
from ..._core._tensor import Tensor
from ._random import normal_like, uniform_like


def _new(fn: Any, self, args: tuple[Any, ...], dtype: Any, device: Any, requires_grad: bool) -> Any:
    return fn(
        *args,
        dtype=self.dtype if dtype is None else dtype,
        device=self.device if device is None else device,
        requires_grad=requires_grad,
        backend=self._backend,
    )


def _fill(self: Any, values: Any) -> Any:

    return self.copy_(ops.astype(values, self.dtype) if values.dtype != self.dtype else values)


class NewMethods:
    """Installed onto ``Tensor`` by ``polygrad._spellings.torch_api`` (never instantiated)."""

    def new_zeros(
        self: Any,
        *size: Any,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
        **_: Any,
    ) -> Tensor:
        """Zeros of ``size`` with this tensor's dtype, device and backend unless given (torch's
        ``x.new_zeros()``)."""
        return _new(_creation.zeros, self, size, dtype, device, requires_grad)

    def new_ones(
        self: Any,
        *size: Any,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
        **_: Any,
    ) -> Tensor:
        """Ones of ``size`` with this tensor's dtype, device and backend unless given (torch's
        ``x.new_ones()``)."""
        return _new(_creation.ones, self, size, dtype, device, requires_grad)

    def new_empty(
        self: Any,
        *size: Any,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
        **_: Any,
    ) -> Tensor:
        """An uninitialised tensor of ``size`` like this one's dtype and backend (torch's
        ``x.new_empty()``)."""
        return _new(_creation.empty, self, size, dtype, device, requires_grad)

    def new_empty_strided(
        self: Any,
        size: Any,
        stride: Any,
        *,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
        **_: Any,
    ) -> Tensor:
        """An uninitialised tensor of ``size`` like this one's dtype and backend (torch's
        ``x.new_empty_strided()``: polygrad's arrays are row-major, so ``stride`` only has
        to match ``size`` in length)."""
        size, stride = tuple(size), tuple(stride)
        if len(size) != len(stride):
            raise RuntimeError(
                f"dimensionality of sizes ({len(size)}) must match dimensionality of strides "
                f"({len(stride)})"
            )
        return _new(_creation.empty, self, (size,), dtype, device, requires_grad)

    def new_full(
        self: Any,
        size: Any,
        fill_value: Any,
        *,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
        **_: Any,
    ) -> Tensor:
        """``fill_value`` in shape ``size`` with this tensor's dtype and backend unless given
        (torch's ``x.new_full()``)."""
        return _new(_creation.full, self, (size, fill_value), dtype, device, requires_grad)

    def new_tensor(
        self: Any,
        data: Any,
        *,
        dtype: Any = None,
        device: Any = None,
        requires_grad: bool = False,
        **_: Any,
    ) -> Tensor:
        """A new leaf tensor of ``data`` with this tensor's dtype and backend unless given (torch's
        ``x.new_tensor()``)."""
        return _new(_creation.tensor, self, (data,), dtype, device, requires_grad)

    # -- random fills -----------------------------------------------------------------------
    def uniform_(
        self: Any, from_: float = 0.0, to: float = 1.0, *, generator: Any = None
    ) -> Tensor:
        """Fill in place with uniform samples in ``[from_, to)``; returns self (torch's
        ``x.uniform_()``)."""
        return _fill(self, uniform_like(self, generator) * (to - from_) + from_)

    def normal_(self: Any, mean: float = 0.0, std: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill in place with normal samples (``mean``, ``std``); returns self (torch's
        ``x.normal_()``)."""
        return _fill(self, normal_like(self, generator) * std + mean)

    def bernoulli_(self: Any, p: Any = 0.5, *, generator: Any = None) -> Tensor:
        """Fill in place with 0/1 samples of probability ``p``; returns self (torch's
        ``x.bernoulli_()``)."""
        return _fill(self, uniform_like(self, generator) < p)

    def bernoulli(self: Any, p: Any = None, *, generator: Any = None) -> Tensor:
        """Draws 1 with probability ``self`` (or ``p``) and 0 otherwise, in ``self``'s dtype."""

        draws = uniform_like(self, generator)
        return ops.astype(draws < (self.detach() if p is None else p), self.dtype)

    def exponential_(self: Any, lambd: float = 1.0, *, generator: Any = None) -> Tensor:
        """Fill in place with exponential samples of rate ``lambd``; returns self (torch's
        ``x.exponential_()``)."""
        return _fill(
            self, ops.negative(ops.log1p(ops.negative(uniform_like(self, generator)))) / lambd
        )

    def cauchy_(
        self: Any, median: float = 0.0, sigma: float = 1.0, *, generator: Any = None
    ) -> Tensor:
        """Fill in place with Cauchy samples (``median``, ``sigma``); returns self (torch's
        ``x.cauchy_()``)."""
        return _fill(
            self, ops.tan((uniform_like(self, generator) - 0.5) * math.pi) * sigma + median
        )

    def log_normal_(
        self: Any, mean: float = 1.0, std: float = 2.0, *, generator: Any = None
    ) -> Tensor:
        """Fill in place with log-normal samples (``mean``, ``std`` of the log); returns self
        (torch's ``x.log_normal_()``)."""
        return _fill(self, ops.exp(normal_like(self, generator) * std + mean))

    def geometric_(self: Any, p: float, *, generator: Any = None) -> Tensor:
        """Fill in place with geometric samples of success probability ``p``; returns self (torch's
        ``x.geometric_()``)."""
        draws = ops.ceil(ops.log1p(ops.negative(uniform_like(self, generator))) / math.log1p(-p))
        return _fill(self, ops.clip(draws, 1, None))
