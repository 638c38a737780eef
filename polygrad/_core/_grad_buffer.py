"""Gradient buffers: where the gradients for each node add up until it runs.

A node that feeds several others receives one gradient from each; they are summed in
its buffer. Summing in place instead of allocating ``old + g`` matters for large
arrays, but is only safe when nothing else can see ``old``: not a hook, not a retained
``.grad``, not the caller's seed, not another node's rule. CPython's reference counts
prove that (``held_only_by``); the same proof lets a rule write its result into the
incoming gradient (``Node.vjp_into``). Where counts cannot prove it (other Pythons,
CPython 3.14's borrowed references) polygrad never reuses a buffer.
"""

from __future__ import annotations

import sys
from sys import getrefcount
from typing import Any

from ._node import Node

#: CPython before 3.14 counts every reference, frame locals included; 3.14 may skip
#: some (borrowed stack references), so a low count no longer proves sole ownership
COUNTS_EVERY_REFERENCE = sys.implementation.name == "cpython" and sys.version_info < (3, 14)


def held_only_by(value: Any, references: int) -> bool:
    """Whether ``references`` is every reference to ``value`` besides this call's own
    argument (a caller's local counts one, a dict entry one), so that their holder may
    overwrite it. False wherever reference counts cannot prove it."""
    # getrefcount sees ``references``, this function's parameter, and its own argument
    return COUNTS_EVERY_REFERENCE and getrefcount(value) == references + 2


def add_gradient(buffers: dict[Node, Any], node: Node, nr: int, g: Any, in_place: bool) -> None:
    """Add ``g``, the gradient for output ``nr`` of ``node``, into its buffer.

    With ``in_place`` (raw arrays: no graph records the sum) a single-output node's
    buffer is summed into when nothing but ``buffers`` holds it and the backend can
    (``Backend.add_into``), as torch's InputBuffer does."""
    if node._num_outputs == 1:
        old = buffers.get(node)
        if old is None:
            buffers[node] = g
        elif not (in_place and held_only_by(old, 2) and node._backend.add_into(old, g)):
            buffers[node] = old + g  # refs to old above: the dict's, and ``old``
        return
    slots = buffers.get(node)
    if slots is None:
        slots = buffers[node] = [None] * node._num_outputs
    old = slots[nr]
    slots[nr] = g if old is None else old + g
