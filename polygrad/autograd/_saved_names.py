"""torch's names for what a node saved: ``y.grad_fn._saved_self``, ``_saved_other``,
``_saved_result``, and ``_raw_saved_<name>`` with ``register_hooks(pack, unpack)``.

A node saves values by position (``Node._saved_from``: input ``i`` or output ``k``);
torch names them after the op's arguments. Input 0 is ``self``, input 1 ``other``, the
output ``result``, unless ``SAVED_NAMES`` gives the op's own argument names (``mm``:
``self``, ``mat2``; ``pow``: ``self``, ``exponent``).
"""

from __future__ import annotations

from typing import Any

from .._core import _callbacks
from .._core._tensor import Tensor, _make

#: Node class name -> the names of its inputs, in order (torch's argument names)
SAVED_NAMES = {
    "MmBackward0": ("self", "mat2"),
    "BmmBackward0": ("self", "mat2"),
    "PowBackward0": ("self", "exponent"),
    "PowBackward1": ("self", "exponent"),
    "PowBackward2": ("self", "exponent"),
    "WhereBackward0": ("condition", "self", "other"),
    "ClampBackward1": ("self", "min", "max"),
}
_DEFAULT_INPUTS = ("self", "other")


def _position(node: Any, name: str) -> int:
    """Where in ``node._saved`` the value torch calls ``name`` is (or AttributeError)."""
    inputs = SAVED_NAMES.get(type(node).__name__, _DEFAULT_INPUTS)
    for position, source in enumerate(type(node)._saved_from):
        label = inputs[source] if 0 <= source < len(inputs) else None
        if source < 0:
            label = "result" if source == -1 else f"result{-1 - source}"
        if label == name:
            return position
    raise AttributeError(f"'{type(node).__name__}' object has no attribute '_saved_{name}'")


def saved_attribute(node: Any, attribute: str) -> Any:
    """``node._saved_<name>`` (a Tensor, or the saved number) or ``node._raw_saved_<name>``."""
    raw = attribute.startswith("_raw_saved_")
    name = attribute.removeprefix("_raw_saved_" if raw else "_saved_")
    position = _position(node, name)
    if raw:
        return SavedTensor(node, position)
    return node._saved_tensors()[position]


class SavedTensor:
    """One value a node saved (``grad_fn._raw_saved_self``): ``register_hooks(pack,
    unpack)`` packs it now and unpacks it whenever the backward (or ``_saved_<name>``)
    reads it, as torch's ``SavedTensor.register_hooks`` does."""

    __slots__ = ("_node", "_position")

    def __init__(self, node: Any, position: int) -> None:
        self._node = node
        self._position = position

    def register_hooks(self, pack_hook: Any, unpack_hook: Any) -> None:
        node, position = self._node, self._position
        saved = node._saved
        if saved is None:
            raise RuntimeError(
                "Trying to backward through the graph a second time (or directly access "
                "saved tensors after they have already been freed)."
            )
        value = saved[position]
        if isinstance(value, _OwnHooks):
            raise RuntimeError("Calling register_hooks on a saved tensor that already has hooks")
        if not node._backend.is_array(value):
            raise RuntimeError("register_hooks: this saved value is not a tensor")
        packed = _OwnHooks(pack_hook(_make(value, node._backend)), unpack_hook)
        node._saved = saved[:position] + (packed,) + saved[position + 1 :]
        hooks = node._node_hooks()
        hooks.unpack = _with_own_hooks(hooks.unpack)


class _OwnHooks:
    __slots__ = ("packed", "unpack")

    def __init__(self, packed: Any, unpack: Any) -> None:
        self.packed, self.unpack = packed, unpack


def _with_own_hooks(outer: Any) -> Any:
    """An unpack step for a node's saved tuple: values with their own hooks are unpacked
    by them, the rest by ``outer`` (the ``saved_tensors_hooks`` in force), if any."""

    def unpack_all(saved: tuple[Any, ...]) -> tuple[Any, ...]:
        rest = outer(saved) if outer is not None else saved
        out = []
        for mine, value in zip(saved, rest):
            if isinstance(mine, _OwnHooks):
                result = mine.unpack(mine.packed)
                if not isinstance(result, Tensor):
                    raise TypeError(
                        "Output of saved tensor unpack_hook expected to be a Tensor but got "
                        f"result of type {type(result).__name__}"
                    )
                value = result._data
            out.append(value)
        return tuple(out)

    return unpack_all


_callbacks.saved_attribute = saved_attribute
