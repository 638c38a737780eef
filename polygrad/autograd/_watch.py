"""The features that watch every recorded node: anomaly mode and saved-tensor hooks.

They switch ``polygrad._core._record.on_record`` on only while one of them is active, so
ordinary recording pays a single global read for them.
"""

from __future__ import annotations

import traceback
from typing import Any

from .._core import _record
from .._core._tensor import Tensor, _make

#: saved_tensors_hooks stack: (pack, unpack) pairs, innermost last
hook_stack: list[tuple[Any, Any]] = []
#: message of the innermost disable_saved_tensors_hooks block, or None
disabled_message: list[str] = []
anomaly = {"enabled": False, "check_nan": True}


def _unpacker(unpack: Any, backend: Any) -> Any:
    def unpack_all(packed: tuple[Any, ...]) -> tuple[Any, ...]:
        out = []
        for value in packed:
            if not isinstance(value, _Packed):
                out.append(value)
                continue
            result = unpack(value.packed)
            if not isinstance(result, Tensor):
                raise TypeError(
                    "Output of saved tensor unpack_hook expected to be a Tensor but got "
                    f"result of type {type(result).__name__}"
                )
            out.append(result._data)
        return tuple(out)

    return unpack_all


class _Packed:
    __slots__ = ("packed",)

    def __init__(self, packed: Any) -> None:
        self.packed = packed


def _watch(node: Any) -> None:
    if anomaly["enabled"]:
        node._node_hooks().forward_trace = "".join(traceback.format_stack()[:-3])
    if hook_stack and node._saved:
        pack, unpack = hook_stack[-1]
        backend = node._backend
        node._saved = tuple(
            _Packed(pack(_make(v, backend))) if backend.is_array(v) else v for v in node._saved
        )
        node._node_hooks().unpack = _unpacker(unpack, backend)


def refresh() -> None:
    """Switch the per-node watch on or off to match the active features."""
    _record.on_record = _watch if (anomaly["enabled"] or hook_stack) else None
