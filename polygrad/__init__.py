"""polygrad: torch.autograd for every array library.

``import polygrad as pg``; tensors live on NumPy unless ``POLYGRAD_BACKEND``,
``pg.set_backend``, ``with pg.backend(...)`` or the data you wrap says otherwise.
The module is torch's API (DESIGN.md principle 7): ``pg.sum(x, dim=1, keepdim=True)``,
``pg.cat``, ``pg.max(x, 1)`` as ``(values, indices)``, ``pg.zeros`` in float32,
``pg.device``, ``pg.save``... (``polygrad._spellings.torch_api``). The array API standard is the
namespace a tensor returns, ``x.__array_namespace__()``, also importable as
``polygrad.array_api``; it follows the standard and the backend's own defaults
(float64 on NumPy). Both spell the same ops.
"""

import math as _math
from importlib.util import find_spec as _find_spec

if _find_spec("polygrad.backends") is None:  # a plain checkout: backends/ is a sibling folder
    raise ImportError(
        "polygrad's adapters (backends/) install as polygrad.backends: "
        "run `pip install -e .` (or `make install`) at the repository root first"
    )

from . import (  # type: ignore[attr-defined, unused-ignore]  # noqa: E501 - backends/ installs as polygrad.backends, which mypy cannot see
    _spellings,  # binds Tensor's operators and methods onto the core's Tensor
    array_api,
    autograd,
    backends,
    fft,
    functional,
    linalg,
    ops,
    optim,
    special,
    tracing,
    utils,
    viz,
)
from ._core._backend import _from_environment as _select_from_environment
from ._core._backend import backend, set_backend
from ._core._compute import compute
from ._core._creation import (
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
from ._core._dtypes import DTYPES as _DTYPES
from ._core._dtypes import DType, get_default_dtype, set_default_dtype
from ._core._grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from ._core._size import Size
from ._core._tensor import Tensor
from ._spellings.interop._einops import install as _install_einops_backend
from ._spellings.torch_api import install as _install_torch_api
from .array_api._dtype_functions import can_cast, finfo, iinfo, isdtype, result_type
from .array_api._namespace import __array_namespace_info__, asarray, from_dlpack
from .autograd.anomaly_mode import is_anomaly_check_nan_enabled, is_anomaly_enabled
from .autograd.gradcheck import gradcheck, gradgradcheck
from .backends import get_backend  # type: ignore[import-not-found, unused-ignore]
from .functional import grad, hessian, hvp, jacfwd, jacobian, jacrev, jvp, value_and_grad, vjp
from .ops import *  # noqa: F403 - the namespace's functions at top level, like torch
from .tracing import compile  # noqa: A004 - torch.compile's name

#: The public names. The dtypes and torch's functions are added when the module runs
#: (below), by name; type checkers read them in ``__init__.pyi`` (``make stubs``).
__all__ = [
    "array_api",
    "autograd",
    "backends",
    "fft",
    "functional",
    "linalg",
    "ops",
    "optim",
    "special",
    "tracing",
    "utils",
    "viz",
    "backend",
    "set_backend",
    "compute",
    "arange",
    "as_tensor",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "linspace",
    "manual_seed",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randn",
    "randn_like",
    "tensor",
    "zeros",
    "zeros_like",
    "DType",
    "get_default_dtype",
    "set_default_dtype",
    "enable_grad",
    "inference_mode",
    "is_grad_enabled",
    "is_inference_mode_enabled",
    "no_grad",
    "set_grad_enabled",
    "Size",
    "Tensor",
    "can_cast",
    "finfo",
    "iinfo",
    "isdtype",
    "result_type",
    "asarray",
    "from_dlpack",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "gradcheck",
    "gradgradcheck",
    "get_backend",
    "grad",
    "hessian",
    "hvp",
    "jacfwd",
    "jacobian",
    "jacrev",
    "jvp",
    "value_and_grad",
    "vjp",
    "compile",
    "e",
    "pi",
    "inf",
    "nan",
    "newaxis",
    "float",
    "double",
    "long",
]
__all__ += ops.__all__

e, pi, inf, nan, newaxis = _math.e, _math.pi, _math.inf, _math.nan, None

globals().update(_DTYPES)
float = _DTYPES["float32"]  # noqa: A001 - torch's aliases
double = _DTYPES["float64"]
long = _DTYPES["int64"]

_torch_functions = _install_torch_api(Tensor)
globals().update(_torch_functions)  # torch's names over the same ops (principle 7)
__all__ += sorted((set(_DTYPES) | set(_torch_functions)) - set(__all__))

__version__ = "0.1.0"
__array_api_version__ = "2025.12"

_select_from_environment()
_install_einops_backend()  # einops.rearrange/einsum on polygrad tensors, once einops loads


def __dir__() -> list[str]:
    """The public names (``dir(pg)``, completion): not the private modules behind them."""
    return sorted(n for n in globals() if not n.startswith("_") or n.startswith("__"))
