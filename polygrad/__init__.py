"""polygrad: torch.autograd for every array library.

``import polygrad as pg``; tensors live on NumPy unless ``POLYGRAD_BACKEND``,
``pg.set_backend``, ``with pg.backend(...)`` or the data you wrap says otherwise.
Functions follow the array API standard, Tensor methods follow torch.
"""

from . import _tensor_convert, _tensor_methods, autograd, ops, optim, viz
from ._backend import backend, set_backend
from ._backend import _from_environment as _select_from_environment
from ._creation import (
    arange,
    as_tensor,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randn,
    randn_like,
    tensor,
    zeros,
    zeros_like,
)
from ._dtypes import DTYPES as _DTYPES
from ._dtypes import DType, get_default_dtype, set_default_dtype
from ._grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from ._size import Size
from ._tensor import Tensor
from .ops import *  # noqa: F403 - the namespace's functions at top level, like torch

globals().update(_DTYPES)
float = _DTYPES["float32"]  # noqa: A001 - torch's aliases
double = _DTYPES["float64"]
long = _DTYPES["int64"]

_tensor_methods.ops = _tensor_convert.ops = ops

__version__ = "0.1.0"
__array_api_version__ = "2024.12"

_select_from_environment()
