"""The torch front door: torch's function and method names, signatures and return types
over polygrad's ops (DESIGN.md principle 7, "two front doors, one engine").

``polygrad`` is torch's API (``pg.cat(ts, 1)``, ``pg.sum(x, dim=0)``, ``pg.max(x, 1)``
as ``(values, indices)``, ``x.gather(1, i)``, ``x.cos_()``); the array API standard
lives on ``x.__array_namespace__()`` and ``polygrad.array_api``. Both spell the same
ops: every name here is a thin adapter, declared in the tables below:

* ``METHODS``: Tensor methods torch has, written once over the ops
  (``_methods_math``, ``_methods_shape``, ``_methods_new``);
* ``FUNCTION_OF_METHOD``: torch functions that are their method's function form
  (``pg.clamp(x, 0, 1)`` is ``x.clamp(0, 1)``);
* ``INPLACE``: ``x.<name>_(...)``, the method's result written back into ``x``;
* every method with a ``dim``/``keepdim`` parameter also takes torch's NumPy aliases
  ``axis=``/``keepdims=``, as torch's argument parser does.
"""

from __future__ import annotations

import inspect
from typing import Any

from . import _fft_linalg
from ._aliases import accepts_numpy_names, function_of_method, inplace_of
from ._factories import FACTORIES
from ._functions import FUNCTIONS
from ._functions_calculus import FUNCTIONS_CALCULUS
from ._functions_index import FUNCTIONS_INDEX
from ._functions_more import FUNCTIONS_MORE
from ._functions_norm import FUNCTIONS_NORM
from ._grid_sampler import FUNCTIONS_GRID
from ._inplace import InplaceMethods
from ._lowrank import pca_lowrank, svd_lowrank
from ._methods_counting import CountingMethods
from ._methods_linalg import LinalgMethods
from ._methods_math import MathMethods
from ._methods_matrix import MatrixMethods
from ._methods_more import COPIES, MoreMethods
from ._methods_new import NewMethods
from ._methods_of_functions import FunctionMethods
from ._methods_restride import FUNCTIONS_RESTRIDE, RestrideMethods
from ._methods_scatter import ScatterMethods
from ._methods_shape import ShapeMethods
from ._methods_special import SpecialMethods
from ._methods_stats import StatsMethods
from ._methods_windows import FUNCTIONS_WINDOWS, WindowMethods
from ._random import RandomMethods, multinomial
from ._runtime import RUNTIME, RuntimeMethods
from ._serialization import load, save
from ._stft import SpectralMethods, istft, stft

#: torch functions that are their Tensor method applied to the first argument
FUNCTION_OF_METHOD = """
sum mean std var prod max min argmax argmin amax amin aminmax nansum nanmean count_nonzero
softmax log_softmax logsumexp cumsum cumprod std_mean var_mean all any
clamp clamp_min clamp_max clip add sub subtract mul multiply div divide true_divide rsub
eq ne lt le gt ge greater greater_equal less less_equal not_equal equal allclose isclose
rsqrt exp2 frac deg2rad rad2deg fmod fmax fmin float_power logaddexp2 ldexp nan_to_num
lerp addcmul addcdiv mm bmm mv dot vdot inner outer ger addmm addmv addr addbmm baddbmm
norm dist gather take index_add take_along_dim scatter scatter_add scatter_reduce
index_select masked_fill masked_select narrow select unflatten movedim moveaxis swapaxes swapdims ravel diagonal
trace diag repeat_interleave tile flip fliplr flipud roll sort argsort msort topk kthvalue
flatten permute transpose t squeeze unsqueeze reshape split chunk unbind tril triu
neg negative erf erfc lgamma digamma i0 sgn xlogy logit bernoulli mvlgamma
sinc erfinv heaviside isposinf isneginf isreal angle conj_physical resolve_conj resolve_neg
logdet matrix_exp kron diag_embed diagflat rot90 tensor_split hsplit vsplit dsplit split_with_sizes
unsafe_split unsafe_chunk fill index_fill index_copy select_scatter slice_scatter
diagonal_scatter bitwise_not
cummax cummin logcumsumexp median nanmedian mode quantile nanquantile
masked_scatter put index_put gcd lcm bincount histc histogram as_strided as_strided_scatter round
cholesky qr svd pinverse cross renorm
lu_solve triangular_solve cholesky_solve cholesky_inverse lu geqrf ormqr
igamma igammac frexp hash_tensor
""".split()

#: Tensor methods with an in-place form ``<name>_`` that polygrad does not define itself
INPLACE = """
abs acos acosh asin asinh atan atanh atan2 arccos arcsin arctan ceil clamp_min clamp_max
copysign cos cosh deg2rad digamma erf erfc exp2 expm1 float_power fmod frac hypot i0 lerp
lgamma log log10 log1p log2 logical_and logical_not logical_or logical_xor logit neg
negative nextafter rad2deg reciprocal rsqrt sgn sign sin sinh sqrt square tan tanh tril
triu xlogy gcd lcm scatter_reduce masked_scatter put index_put addcmul addcdiv addmm addmv addr baddbmm masked_fill scatter scatter_add
eq ne lt le gt ge greater greater_equal less less_equal not_equal true_divide multiply
subtract divide clip ldexp nan_to_num sinc erfinv heaviside index_add index_fill index_copy
mvlgamma polygamma bitwise_not bitwise_and bitwise_or bitwise_xor bitwise_left_shift
bitwise_right_shift conj_physical cumsum cumprod renorm igamma igammac index_reduce
""".split()


class TorchMethods(
    MathMethods,
    ShapeMethods,
    MoreMethods,
    NewMethods,
    RuntimeMethods,
    StatsMethods,
    ScatterMethods,
    CountingMethods,
    WindowMethods,
    FunctionMethods,
    MatrixMethods,
    RandomMethods,
    SpectralMethods,
    LinalgMethods,
    SpecialMethods,
    InplaceMethods,
    RestrideMethods,
):
    """torch's Tensor methods, one base class per family. ``install`` copies them onto
    Tensor (the core cannot inherit them: they call the ops), and type checkers see this
    class among Tensor's bases (``_core._tensor``): a family added here is seen by both."""


_NUMPY_NAMED = ("dim", "keepdim")


def _takes_dim(method: Any) -> bool:
    try:
        parameters = inspect.signature(method).parameters
    except (TypeError, ValueError):
        return False
    return any(name in parameters for name in _NUMPY_NAMED)


def install(tensor_type: type) -> dict[str, Any]:
    """Put torch's methods on ``tensor_type`` and return torch's functions by name."""
    _fft_linalg.install()
    for mixin in reversed(TorchMethods.__mro__[1:-1]):  # the first base wins, as inheriting
        for name, value in vars(mixin).items():
            if callable(value) and (not name.startswith("__") or name == "__format__"):
                setattr(tensor_type, name, value)
    for name in INPLACE:
        if not hasattr(tensor_type, name + "_"):
            method = inplace_of(tensor_type, name)
            setattr(InplaceMethods, name + "_", method)  # what tools/gen_stubs.py declares
            setattr(tensor_type, name + "_", method)
    for name in dir(tensor_type):
        value = getattr(tensor_type, name)
        if not name.startswith("_") and inspect.isfunction(value) and _takes_dim(value):
            setattr(tensor_type, name, accepts_numpy_names(value))
    functions: dict[str, Any] = {
        name: function_of_method(tensor_type, name) for name in FUNCTION_OF_METHOD
    }
    functions.update(FUNCTIONS)
    functions.update(FUNCTIONS_MORE)
    functions.update(FUNCTIONS_CALCULUS)
    functions.update(FUNCTIONS_INDEX)
    functions.update(FUNCTIONS_NORM)
    functions.update(FUNCTIONS_GRID)
    functions.update(FUNCTIONS_WINDOWS)
    functions.update(FUNCTIONS_RESTRIDE)
    functions.update(RUNTIME)
    functions.update(FACTORIES)
    functions.update(COPIES)
    functions.update(save=save, load=load, stft=stft, istft=istft, multinomial=multinomial)
    functions.update(svd_lowrank=svd_lowrank, pca_lowrank=pca_lowrank)
    return functions


__all__ = ["FUNCTION_OF_METHOD", "INPLACE", "TorchMethods", "install"]
