"""``pg.save(obj, f)`` / ``pg.load(f)``: tensors, and lists, tuples and dicts of them
(optimizer ``state_dict()``s included), in a file that never runs code when loaded.

The file is a NumPy ``.npz`` archive: one ``.npy`` entry per tensor (host copies) and
a JSON entry describing the structure. Loading reads it with ``allow_pickle=False``,
so, like torch's ``weights_only=True`` default, nothing in a file can execute; a
pickle (a torch checkpoint, or a crafted file) is refused with an error that says so.
Tensors load onto the backend chosen now (``backend=``, ``with pg.backend(...)``,
``POLYGRAD_BACKEND``), so a file saved on one backend loads on another.
"""

from __future__ import annotations

import json
import os
import pickle
import zipfile
from typing import Any

import numpy as np

from ..._core._creation import tensor
from ..._core._dtypes import DTYPES, DType
from ..._core._size import Size
from ..._core._tensor import Tensor

_STRUCTURE = "__polygrad_structure__"
_FORMAT = "polygrad-save-1"


def _encode(obj: Any, arrays: dict[str, np.ndarray], memo: dict[int, str]) -> Any:
    if isinstance(obj, Tensor):
        key = memo.get(id(obj))
        if key is None:
            key = memo[id(obj)] = f"t{len(memo)}"
            arrays[key] = np.ascontiguousarray(obj.detach().numpy(force=True))
        return {"tensor": key, "requires_grad": obj.requires_grad}
    if isinstance(obj, np.ndarray):
        key = f"a{len(arrays)}"
        arrays[key] = obj
        return {"ndarray": key}
    if isinstance(obj, (bool, int, float, str)) or obj is None:
        return {"value": obj}
    if isinstance(obj, complex):
        return {"complex": [obj.real, obj.imag]}
    if isinstance(obj, DType):
        return {"dtype": obj.name}
    if isinstance(obj, Size):
        return {"size": list(obj)}
    if isinstance(obj, dict):
        return {
            "dict": [[_encode(k, arrays, memo), _encode(v, arrays, memo)] for k, v in obj.items()]
        }
    if isinstance(obj, (list, tuple)):
        kind = "tuple" if isinstance(obj, tuple) else "list"
        return {kind: [_encode(v, arrays, memo) for v in obj]}
    raise TypeError(
        f"pg.save cannot store a {type(obj).__name__}: it stores tensors, NumPy arrays, "
        "numbers, strings, None, dtypes and lists, tuples and dicts of them"
    )


def save(obj: Any, f: Any) -> None:
    """Write ``obj`` to ``f`` (a path or a binary file object)."""
    arrays: dict[str, np.ndarray] = {}
    structure = {"format": _FORMAT, "object": _encode(obj, arrays, {})}
    text = json.dumps(structure).encode()
    arrays[_STRUCTURE] = np.frombuffer(text, dtype=np.uint8)
    if isinstance(f, (str, os.PathLike)):
        with open(f, "wb") as handle:
            np.savez(handle, **arrays)  # type: ignore[arg-type]
    else:
        np.savez(f, **arrays)  # type: ignore[arg-type]


def _decode(node: Any, arrays: Any, factory: Any, memo: dict[str, Tensor]) -> Any:
    (kind, value), *rest = node.items()
    if kind == "tensor":
        if value not in memo:
            memo[value] = factory(arrays[value], node.get("requires_grad", False))
        return memo[value]
    if kind == "ndarray":
        return arrays[value]
    if kind == "value":
        return value
    if kind == "complex":
        return complex(*value)
    if kind == "dtype":
        return DTYPES[value]
    if kind == "size":
        return Size(value)
    if kind == "dict":
        return {
            _decode(k, arrays, factory, memo): _decode(v, arrays, factory, memo) for k, v in value
        }
    if kind in ("list", "tuple"):
        items = [_decode(v, arrays, factory, memo) for v in value]
        return tuple(items) if kind == "tuple" else items
    raise pickle.UnpicklingError(f"pg.load: unknown entry kind {kind!r} in the file")


def _refuse(f: Any, why: str) -> pickle.UnpicklingError:
    return pickle.UnpicklingError(
        f"pg.load: {f!r} is not a file written by pg.save ({why}). polygrad never "
        "unpickles, so loading cannot run code from a file; a torch checkpoint must be "
        "loaded with torch.load and its tensors passed to pg.tensor."
    )


def load(
    f: Any,
    map_location: Any = None,
    weights_only: bool = True,
    *,
    backend: Any = None,
    **_: Any,
) -> Any:
    """Read what ``pg.save`` wrote; tensors land on ``backend`` (default: the current
    one) and on ``map_location`` as their device (a device name or ``pg.device``)."""

    if isinstance(f, (str, os.PathLike)) or hasattr(f, "read"):
        if not zipfile.is_zipfile(f):
            raise _refuse(f, "it is not a zip archive; it may be a pickle")
        if hasattr(f, "seek"):
            f.seek(0)
    try:
        archive = np.load(f, allow_pickle=False)
        with archive:
            if _STRUCTURE not in archive.files:
                raise _refuse(f, "it has no polygrad structure entry")
            structure = json.loads(archive[_STRUCTURE].tobytes().decode())
            arrays = {name: archive[name] for name in archive.files if name != _STRUCTURE}
    except ValueError as error:  # an entry holding pickled objects
        raise _refuse(f, str(error)) from None
    if structure.get("format") != _FORMAT:
        raise _refuse(f, f"unknown format {structure.get('format')!r}")
    device = None if map_location is None or callable(map_location) else str(map_location)

    def factory(array: np.ndarray, requires_grad: bool) -> Tensor:
        return tensor(array, device=device, backend=backend, requires_grad=requires_grad)

    return _decode(structure["object"], arrays, factory, {})
