"""The op table: one ``OpEntry`` per differentiable polygrad function and Tensor method.

``ENTRIES`` maps entry ids (``exp``, ``linalg.inv``, ``Tensor.sum``,
``pow[number exponent]``) to entries; ``inventory`` lists polygrad's public names
and the ones deliberately left out (not differentiable, or not an op).
"""

# importing a family registers its entries; this order is the report's order
from . import elementwise, reduction, shape, indexing, linalg, fft_special, extras  # noqa: I001
from . import methods, methods_shape, operators  # noqa: I001
from ._entry import ENTRIES, Absent, OpEntry

__all__ = ["ENTRIES", "Absent", "OpEntry"]
