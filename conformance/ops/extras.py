"""Op table: copies and dtype changes, triangles, meshgrid, sort, and the remaining
operators (``//``, ``%``)."""

from __future__ import annotations

from typing import Any

from ..samples import Maker, Sample, fixed, unary
from ._entry import function, program


def _astype(lib: str) -> Any:
    def call(x: Any, target: str) -> Any:
        mod = __import__(lib)
        dtype = getattr(mod, target)
        return mod.astype(x, dtype) if lib == "polygrad" else x.to(dtype)

    return call


program(
    "astype",
    _astype("polygrad"),
    _astype("torch"),
    fixed(
        lambda m: Sample((m(3, 4), "float64"), label="to float64"),
        lambda m: Sample((m(3, 4), "float32"), label="to float32"),
        lambda m: Sample((m(), "float64"), label="0-d"),
    ),
    covers=("astype",),
)
function("clone", "clone", unary())
function(
    "asarray",
    lambda x, copy=None: x.clone() if copy else x,
    fixed(
        lambda m: Sample((m(3, 4),), label="tensor (no copy)"),
        lambda m: Sample((m(3, 4),), {"copy": True}, label="copy=True"),
    ),
)


def _torch_tri(name: str) -> Any:
    def call(x: Any, k: int = 0) -> Any:
        import torch

        return getattr(torch, name)(x, diagonal=k)

    return call


for _name in ("tril", "triu"):
    function(
        _name,
        _torch_tri(_name),
        fixed(
            lambda m: Sample((m(4, 4),), label="square"),
            lambda m: Sample((m(2, 3, 4),), {"k": 1}, label="batched, k=1"),
            lambda m: Sample((m(3, 4),), {"k": -1}, label="k=-1"),
        ),
    )


def _meshgrid(lib: str) -> Any:
    def call(*xs: Any, indexing: str = "xy") -> Any:
        return tuple(__import__(lib).meshgrid(*xs, indexing=indexing))

    return call


program(
    "meshgrid",
    _meshgrid("polygrad"),
    _meshgrid("torch"),
    fixed(
        lambda m: Sample((m(3), m(4)), label="xy"),
        lambda m: Sample((m(3), m(4), m(2)), {"indexing": "ij"}, label="ij, three"),
    ),
    covers=("meshgrid",),
)


def _torch_sort(x: Any, axis: int = -1, descending: bool = False, stable: bool = True) -> Any:
    import torch

    return torch.sort(x, dim=axis, descending=descending, stable=stable).values


def _sort_samples(m: Maker) -> list[Sample]:
    return [
        Sample((m.distinct(3, 4),), label="last axis"),
        Sample((m.distinct(3, 4),), {"axis": 0, "descending": True}, label="axis=0 descending"),
        Sample((m.distinct(5),), label="1-d"),
    ]


function("sort", _torch_sort, _sort_samples)
program(
    "Tensor.__floordiv__",
    lambda a, b: a // b,
    lambda a, b: a // b,
    fixed(
        lambda m: Sample((m(3, 4), m(3, 4, domain="nonzero")), label="tensor"),
        lambda m: Sample((m(3, 4), 0.7), label="number"),
    ),
    covers=("Tensor.__floordiv__",),
)
program(
    "Tensor.__rfloordiv__",
    lambda a, b: a.__rfloordiv__(b),
    lambda a, b: a.__rfloordiv__(b),
    fixed(lambda m: Sample((m(3, 4, domain="nonzero"), 2.5), label="number on the left")),
    covers=("Tensor.__rfloordiv__",),
)
program(
    "Tensor.__mod__",
    lambda a, b: a % b,
    lambda a, b: a % b,
    fixed(
        lambda m: Sample((m(3, 4), m(3, 4, domain="nonzero")), label="tensor"),
        lambda m: Sample((m(3, 4), 0.7), label="number"),
    ),
    covers=("Tensor.__mod__",),
)
program(
    "Tensor.__rmod__",
    lambda a, b: a.__rmod__(b),
    lambda a, b: a.__rmod__(b),
    fixed(
        lambda m: Sample((m(3, 4, domain="nonzero"), 2.5), label="number on the left"),
    ),
    covers=("Tensor.__rmod__",),
)

function(
    "to_device",
    lambda x, device: x.to(device),
    fixed(lambda m: Sample((m(3, 4), "cpu"), label="same device")),
    pg=lambda x, device: __import__("polygrad").to_device(x, x.device),
)
