"""The spellings: how callers name the ops, each a thin layer over ``polygrad.ops``.

``x * y`` and ``x.sum(dim=1)`` (``methods/``: Tensor's operators and methods, bound onto
the core's Tensor in one place), ``pg.cat(ts, 1)`` and ``pg.sum(x, dim=0)``
(``torch_api/``: torch's function names, signatures and return types, DESIGN.md
principle 7), ``np.sin(x)``, ``torch.sin(x)`` and ``einops.rearrange(x, ...)``
(``interop/``: NumPy's and torch's protocols, einops' backend). The array API standard,
the other front door, is public: ``polygrad.array_api``.

Importing this package binds the methods onto ``Tensor``; ``polygrad`` installs torch's
names and the einops backend when it loads.
"""

from . import methods

__all__ = ["methods"]
