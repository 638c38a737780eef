"""Every differentiable operation, one module per family; rules sit next to their ops."""

from types import ModuleType as _ModuleType

from .arithmetic import add, divide, multiply, negative, pow, reciprocal, subtract
from .bitwise import (
    bitwise_and,
    bitwise_invert,
    bitwise_left_shift,
    bitwise_or,
    bitwise_right_shift,
    bitwise_xor,
)
from .clamp import clip
from .compare import (
    equal,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    maximum,
    minimum,
    not_equal,
)
from .complex import complex, conj, imag, real
from .conversion import astype, clone, sign
from .cumulative import cumulative_prod, cumulative_sum
from .device import to_device
from .elementwise import abs, cos, exp, log, relu, sigmoid, sin, sqrt, tanh, where
from .elementwise_math import (
    acos,
    acosh,
    asin,
    asinh,
    atan,
    atan2,
    atanh,
    cosh,
    expm1,
    hypot,
    log1p,
    log2,
    log10,
    logaddexp,
    positive,
    sinh,
    square,
    tan,
)
from .extrema import max, max_with_indices, min, min_with_indices
from .fill import copy_from_recorded, fill_like_recorded, zero_like_recorded
from .grids import meshgrid, tril, triu
from .index_put import setitem
from .indexing import getitem
from .linalg import matmul
from .manipulation import (
    broadcast_arrays,
    broadcast_shapes,
    chunk,
    flip,
    moveaxis,
    repeat,
    roll,
    split,
    tile,
    unbind,
    unstack,
)
from .predicates import isfinite, isinf, isnan, signbit
from .products import tensordot, vecdot
from .rounding import ceil, copysign, floor, floor_divide, nextafter, remainder, round, trunc
from .scatter_add import index_add
from .search import all, any, argmax, argmin, count_nonzero, nonzero, searchsorted
from .shape import (
    broadcast_to,
    concat,
    expand_dims,
    matrix_transpose,
    permute_dims,
    reshape,
    squeeze,
    stack,
    t,
    transpose,
)
from .softmax_family import log_softmax, logsumexp, softmax
from .sorting import (
    argsort,
    isin,
    sort,
    unique_all,
    unique_counts,
    unique_inverse,
    unique_values,
)
from .statistics import std, var
from .sums import mean, prod, sum
from .take import take, take_along_axis
from .utility import diff

#: The functions, not the family modules: ``from polygrad.ops import *`` (``polygrad``'s
#: top level) must not bind ``pg.fill`` or ``pg.reduction`` to a module.
#: The ``*_recorded`` functions are the graph records of ``Tensor.zero_``/``fill_``/``copy_``
#: and of the engine's gradient copies: reached through ``polygrad.ops``, not user API.
__all__ = [
    name
    for name, value in globals().items()
    if not name.startswith("_")
    and not isinstance(value, _ModuleType)
    and not name.endswith("_recorded")
]
