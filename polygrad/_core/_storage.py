"""The data several tensors share: a base, its views, and its aliases (``detach()``,
``.data``).

Each member keeps its own ``_data`` (on JAX and Dask, whose arrays are immutable, a
copy that ``_views`` brings up to date after a write) and the steps that take the
shared data to its own (``path_of``). This module only keeps the membership; what a
write through a view does, to the data and to autograd's graph, is ``_views``'.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._tensor import Tensor
    from ._view_steps import Step


def path_of(t: Tensor) -> tuple[Step, ...]:
    extra = t._extra
    return extra.path if extra is not None else ()


class Storage:
    """The array a base, its views and its aliases (``detach()``, ``.data``) all show.

    It sits in each member's version-counter list (``t._vc[2]``); members are held weakly
    and each knows its path from ``data``. A write replaces ``data`` through
    ``_views.write_through``.
    """

    __slots__ = ("data", "members")

    def __init__(self, root: Tensor) -> None:
        self.data = root._data
        self.members = [weakref.ref(root)]

    def add(self, t: Tensor) -> None:
        members = self.members
        size = len(members)
        if size >= 16 and size & (size - 1) == 0:  # drop dead views now and then (y[i] in loops)
            members[:] = [ref for ref in members if ref() is not None]
        members.append(weakref.ref(t))


def storage_of(t: Tensor) -> Storage:
    vc = t._vc
    if len(vc) == 2:
        vc.append(Storage(t))
    return vc[2]


def make_alias(original: Tensor, alias: Tensor, share_version: bool = True) -> None:
    """``alias`` shows ``original``'s data but is no view in autograd's sense (``detach()``;
    ``.data``, which also gets its own version counter, as in torch)."""
    storage = storage_of(original)
    alias._vc = original._vc if share_version else [0, -1, storage]
    path = path_of(original)
    if path:
        alias._get_extra().path = path
    storage.add(alias)
