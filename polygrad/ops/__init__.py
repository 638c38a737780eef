"""Every differentiable operation, one module per family; rules sit next to their ops."""

from .arithmetic import add, divide, multiply, negative, pow, reciprocal, subtract
from .compare import (
    equal,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    not_equal,
)
from .conversion import astype, clone, sign
from .elementwise import abs, clip, cos, exp, log, relu, sigmoid, sin, sqrt, tanh, where
from .fill import copy_from_recorded, fill_like_recorded, zero_like_recorded
from .indexing import getitem, index_add, setitem
from .linalg import matmul
from .reduction import (
    cumulative_sum,
    log_softmax,
    logsumexp,
    max,
    max_with_indices,
    mean,
    min,
    min_with_indices,
    prod,
    softmax,
    std,
    sum,
    var,
)
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

__all__ = [name for name in dir() if not name.startswith("_")]
