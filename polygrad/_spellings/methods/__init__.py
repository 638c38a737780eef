"""The tensor-methods layer: Tensor's operators and torch-style methods, each bound to an op.

``x * y``, ``x.sum(dim=1)``, ``x.reshape(2, 3)``, ``x.exp_()``, ``x.numpy()``: every
method here is a thin spelling over ``polygrad.ops``, grouped by concept (metadata,
operators and arithmetic, reductions, shape methods and indexing, elementwise math,
conversions).

The core's ``Tensor`` holds the state and the autograd rules; importing this package
binds these methods onto it, the one place where Tensor meets the ops.
"""

from __future__ import annotations

from ..._core._tensor import Tensor
from ..interop._numpy_protocol import ArrayProtocols
from ._tensor_convert import TensorConversions
from ._tensor_elementwise import ElementwiseMethods
from ._tensor_metadata import TensorMetadata
from ._tensor_methods import TensorMethods
from ._tensor_reductions import TensorReductions
from ._tensor_shape_methods import TensorShapeMethods


class BoundMethods(
    TensorMetadata,
    TensorMethods,
    TensorReductions,
    TensorShapeMethods,
    TensorConversions,
    ElementwiseMethods,
    ArrayProtocols,  # np.sin(x), torch.sum(x): polygrad ops
):
    """Everything a Tensor does beyond holding its state, in lookup order; type checkers
    see it as Tensor's base class (``_core._tensor``)."""

    __slots__ = ()


#: What a class body holds about the class itself rather than as a method.
_CLASS_BOOKKEEPING = frozenset(
    {
        "__module__",
        "__qualname__",
        "__doc__",
        "__slots__",
        "__dict__",
        "__weakref__",
        "__annotations__",
        "__firstlineno__",
        "__static_attributes__",
    }
)


def _bind(cls: type, methods: type) -> None:
    """Give ``cls`` every attribute of ``methods``' bases that ``cls`` does not define,
    the first base in ``methods``' lookup order winning, as if ``cls`` inherited them.
    The core's Tensor cannot inherit them: they call ops, which build on the core."""
    for mixin in methods.__mro__[1:-1]:
        for name, value in vars(mixin).items():
            if name not in _CLASS_BOOKKEEPING and name not in vars(cls):
                setattr(cls, name, value)


_bind(Tensor, BoundMethods)
