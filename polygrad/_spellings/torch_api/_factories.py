"""torch's factory keywords that arrays have no notion of: ``layout=torch.strided``,
``memory_format=``, ``pin_memory=False`` are accepted (and ``pin_memory=True`` refused
with the reason), and ``*_like(x, device=...)`` puts the new tensor on that device.

Each factory of ``polygrad._core._creation`` is wrapped once here; the wrapped function is
what ``pg.zeros``, ``pg.ones_like``... are.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from ..._core import _creation
from ..._core._backend import current
from ..._core._tensor import Tensor
from . import _random

#: torch keywords that only describe memory layout: every polygrad array is strided
_LAYOUT_ONLY = ("layout", "memory_format")
_FACTORIES = "zeros ones empty full arange linspace eye tensor as_tensor".split()
_LIKE = "zeros_like ones_like empty_like full_like rand_like randn_like".split()


def _drop_layout(name: str, kwargs: dict[str, Any]) -> None:
    for key in _LAYOUT_ONLY:
        kwargs.pop(key, None)
    if kwargs.pop("pin_memory", False):
        raise RuntimeError(
            f"polygrad: {name}(pin_memory=True) has no meaning on the "
            f"{kwargs.get('backend') or current()[0].name} backend: pinned host memory "
            "exists only for CUDA transfers in torch"
        )


def factory(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn`` accepting torch's layout keywords."""

    @functools.wraps(fn)
    def make(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            _drop_layout(fn.__name__, kwargs)
        return fn(*args, **kwargs)

    return make


def like(fn: Callable[..., Any]) -> Callable[..., Any]:
    """``fn(x, ...)`` accepting torch's layout keywords and ``device=``."""

    @functools.wraps(fn)
    def make(*args: Any, device: Any = None, **kwargs: Any) -> Any:
        if kwargs:
            _drop_layout(fn.__name__, kwargs)
        out = fn(*args, **kwargs)
        return out if device is None else out.to(device)

    signature = inspect.signature(fn)  # fn's, and the device= it takes here
    device = inspect.Parameter("device", inspect.Parameter.KEYWORD_ONLY, default=None)
    make.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*signature.parameters.values(), device.replace(annotation="Any")]
    )
    return make


def empty_strided(size: Any, stride: Any, **factory: Any) -> Tensor:
    """An uninitialised tensor of ``size`` (torch's ``empty_strided``: polygrad's arrays are
    row-major, so ``stride`` only has to match ``size`` in length)."""
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError(
            f"dimensionality of sizes ({len(size)}) must match dimensionality of strides "
            f"({len(stride)})"
        )
    out: Tensor = FACTORIES["empty"](size, **factory)
    return out


def empty_permuted(size: Any, physical_layout: Any, **factory: Any) -> Tensor:
    """An uninitialised tensor of ``size`` (torch's ``empty_permuted``: the memory order
    ``physical_layout`` names is the backend's)."""
    size, order = tuple(size), tuple(physical_layout)
    if sorted(order) != list(range(len(size))):
        raise RuntimeError(
            f"Number of dimensions in size does not match the length of the physical_layout; "
            f"i.e. len(size) = {len(size)} is not equal to len(physical_layout) = {len(order)}"
            if len(order) != len(size)
            else f"physical_layout {list(order)} is not a permutation of the dimensions"
        )
    out: Tensor = FACTORIES["empty"](size, **factory)
    return out


FACTORIES = {name: factory(getattr(_creation, name)) for name in _FACTORIES}
FACTORIES.update({name: like(getattr(_creation, name)) for name in _LIKE})
FACTORIES.update(rand=factory(_random.rand), randn=factory(_random.randn))
FACTORIES.update(empty_strided=empty_strided, empty_permuted=empty_permuted)
