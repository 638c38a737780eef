"""Tensor's in-place methods ``x.<name>_(...)`` (``x.cos_()``, ``x.clamp_min_(0)``): each
the out-of-place method's result written back into ``x``, made when polygrad loads from
the names in ``polygrad._spellings.torch_api.INPLACE``. Type checkers read
``_inplace.pyi``, which ``tools/gen_stubs.py`` writes from the methods made here.
"""


class InplaceMethods:
    """The in-place methods made when polygrad loads, as Tensor has them (never
    instantiated)."""

    __slots__ = ()
