"""Which public names polygrad has, and for each, why it has no op-table entry if it has
none: either it is not differentiable (with torch's reason) or it is not an op at all
(autograd API, metadata, backend control). The completeness test uses this to fail
on any public differentiable function or Tensor method the table does not cover.
"""

from __future__ import annotations

import inspect
import types
from typing import Any

#: submodules of ``polygrad`` that are namespaces of functions (array-API extensions)
EXTENSIONS = ("linalg", "fft", "special")

NOT_DIFFERENTIABLE: dict[str, str] = {}
NOT_AN_OP: dict[str, str] = {}


def _group(table: dict[str, str], reason: str, *names: str) -> None:
    for name in names:
        table[name] = reason


_group(
    NOT_DIFFERENTIABLE,
    "comparison/logic: boolean result, never requires grad (torch: grad_fn None)",
    "equal",
    "not_equal",
    "less",
    "less_equal",
    "greater",
    "greater_equal",
    "logical_and",
    "logical_or",
    "logical_not",
    "logical_xor",
    "isfinite",
    "isinf",
    "isnan",
    "signbit",
    "isin",
    "all",
    "any",
    "Tensor.__eq__",
    "Tensor.__ne__",
    "Tensor.__lt__",
    "Tensor.__le__",
    "Tensor.__gt__",
    "Tensor.__ge__",
    "Tensor.__and__",
    "Tensor.__rand__",
    "Tensor.__or__",
    "Tensor.__ror__",
    "Tensor.__xor__",
    "Tensor.__rxor__",
    "Tensor.__invert__",
    "Tensor.__iand__",
    "Tensor.__ior__",
    "Tensor.__ixor__",
    "Tensor.isfinite",
    "Tensor.isnan",
    "Tensor.isinf",
    "Tensor.eq",
    "Tensor.ne",
    "Tensor.lt",
    "Tensor.le",
    "Tensor.gt",
    "Tensor.ge",
    "Tensor.all",
    "Tensor.any",
    "Tensor.logical_not",
    "Tensor.logical_and",
    "Tensor.logical_or",
    "Tensor.signbit",
    "Tensor.logical_xor",
)
_group(
    NOT_DIFFERENTIABLE,
    "integer/bitwise: integer dtypes cannot require grad",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_right_shift",
    "Tensor.__lshift__",
    "Tensor.__rshift__",
    "Tensor.__rlshift__",
    "Tensor.__rrshift__",
    "Tensor.__ilshift__",
    "Tensor.__irshift__",
    "Tensor.bitwise_and",
    "Tensor.bitwise_or",
    "Tensor.bitwise_xor",
    "Tensor.bitwise_not",
    "Tensor.bitwise_left_shift",
    "Tensor.bitwise_right_shift",
    "Tensor.long",
    "Tensor.int",
    "Tensor.bool",
    "Tensor.short",
    "Tensor.byte",
    "Tensor.char",
)
_group(
    NOT_DIFFERENTIABLE,
    "searching/sorting/set: integer results or no derivative (torch: grad_fn None)",
    "argmax",
    "argmin",
    "argsort",
    "nonzero",
    "count_nonzero",
    "searchsorted",
    "unique_all",
    "unique_counts",
    "unique_inverse",
    "unique_values",
    "Tensor.argmax",
    "Tensor.argmin",
    "Tensor.argsort",
    "Tensor.nonzero",
)
_group(
    NOT_DIFFERENTIABLE,
    "creation: no tensor input to differentiate (a factory's requires_grad=True makes a leaf)",
    "arange",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "linspace",
    "ones",
    "ones_like",
    "zeros",
    "zeros_like",
    "tensor",
    "as_tensor",
    "rand",
    "rand_like",
    "randn",
    "randn_like",
    "from_dlpack",
    "fft.fftfreq",
    "fft.rfftfreq",
    "manual_seed",
    "randint",
    "normal",
    "uniform",
)
_group(
    NOT_DIFFERENTIABLE,
    "dtype and shape queries: return dtypes, shapes or Python values",
    "can_cast",
    "finfo",
    "iinfo",
    "isdtype",
    "result_type",
    "broadcast_shapes",
    "get_default_dtype",
    "set_default_dtype",
    "Tensor.dim",
    "Tensor.numel",
    "Tensor.is_contiguous",
    "Tensor.size",
    "Tensor.shape",
    "Tensor.dtype",
    "Tensor.device",
    "Tensor.ndim",
    "Tensor.backend",
    "Tensor.__len__",
    "Tensor.is_floating_point",
    "Tensor.is_complex",
    "Tensor.element_size",
    "Tensor.nelement",
    "Tensor.itemsize",
    "Tensor.nbytes",
)
_group(
    NOT_DIFFERENTIABLE,
    "leaves the graph: returns Python or NumPy values (torch: the same)",
    "Tensor.item",
    "Tensor.tolist",
    "Tensor.numpy",
    "Tensor.__bool__",
    "Tensor.__float__",
    "Tensor.__int__",
    "Tensor.__index__",
    "Tensor.__complex__",
    "Tensor.__array__",
    "Tensor.__dlpack__",
    "Tensor.__dlpack_device__",
    "Tensor.__repr__",
    "Tensor.__str__",
    "Tensor.__format__",
    "Tensor.__hash__",
    "Tensor.__reduce__",
    "Tensor.__reduce_ex__",
    "Tensor.__getstate__",
    "Tensor.__setstate__",
    "Tensor.__copy__",
    "Tensor.__deepcopy__",
    "Tensor.__array_namespace__",
    "Tensor.cpu",
    "Tensor.cuda",
)
_group(
    NOT_DIFFERENTIABLE, "matrix_rank: integer-valued (torch: no derivative)", "linalg.matrix_rank"
)
_group(
    NOT_AN_OP,
    "autograd API, checked by the semantics scenarios",
    "Tensor.backward",
    "Tensor.detach",
    "Tensor.detach_",
    "Tensor.register_hook",
    "Tensor.register_post_accumulate_grad_hook",
    "Tensor.retain_grad",
    "Tensor.requires_grad_",
    "Tensor.grad",
    "Tensor.grad_fn",
    "Tensor.data",
    "Tensor.is_leaf",
    "Tensor.requires_grad",
    "Tensor.retains_grad",
    "Tensor.output_nr",
    "Tensor.is_inference",
    "Tensor.grad_dtype",
    "Tensor.zero_grad",
)
_group(NOT_AN_OP, "backend and device control", "backend", "set_backend", "get_backend")
_group(
    NOT_AN_OP,
    "torch's queries about a tensor return a Python bool or int",
    "is_complex",
    "is_floating_point",
    "is_nonzero",
    "is_tensor",
    "numel",
)
_group(
    NOT_DIFFERENTIABLE,
    "torch factories make new leaves from data or random draws (no input to differentiate)",
    "randperm",
    "Tensor.new_tensor",
)
_group(
    NOT_AN_OP,
    "torch's runtime vocabulary: devices, seeds, files and host memory, not tensor ops",
    "from_numpy",
    "get_default_device",
    "set_default_device",
    "initial_seed",
    "load",
    "save",
    "Tensor.is_pinned",
    "Tensor.pin_memory",
)
_group(
    NOT_AN_OP,
    "execution control and mode queries (tracing, computing lazy values, anomaly mode)",
    "compile",
    "compute",
    "is_anomaly_enabled",
    "is_anomaly_check_nan_enabled",
)
_group(NOT_AN_OP, "grad-mode queries return a bool", "is_grad_enabled", "is_inference_mode_enabled")
_group(
    NOT_AN_OP,
    "function transforms and checkers (the functional API), not ops; they are "
    "built on the ops checked here and tested in tests/",
    "grad",
    "value_and_grad",
    "vjp",
    "jvp",
    "jacobian",
    "jacrev",
    "jacfwd",
    "hessian",
    "hvp",
    "vhp",
    "gradcheck",
    "gradgradcheck",
)
_group(
    NOT_AN_OP,
    "interoperability protocols: dispatch into polygrad's own functions, which "
    "are checked one by one",
    "Tensor.__array_function__",
    "Tensor.__array_ufunc__",
    "Tensor.__torch_function__",
)


def _is_function(obj: Any) -> bool:
    return callable(obj) and not inspect.isclass(obj) and not isinstance(obj, types.ModuleType)


def _module_functions(module: types.ModuleType) -> dict[str, Any]:
    """A namespace module's public functions: its ``__all__``, else what it defines."""
    names = getattr(module, "__all__", None)
    if names is None:
        names = [
            n for n, v in vars(module).items() if getattr(v, "__module__", None) == module.__name__
        ]
    return {
        n: getattr(module, n)
        for n in names
        if not n.startswith("_") and _is_function(getattr(module, n, None))
    }


def public_functions() -> dict[str, Any]:
    """Every public function of ``polygrad`` and its extension namespaces, by table name
    (``exp``, ``linalg.inv``); an extension's alias of a top-level function is skipped."""
    import polygrad

    found: dict[str, Any] = {}
    for name in dir(polygrad):
        obj = getattr(polygrad, name)
        if name.startswith("_") or isinstance(obj, types.ModuleType) or not _is_function(obj):
            continue
        if not getattr(obj, "__module__", "").startswith("polygrad"):
            continue
        found[name] = obj
    top = {id(v) for v in found.values()}
    from ._entry import extension

    for ext in EXTENSIONS:
        try:
            module = extension(polygrad, ext)
        except AttributeError:
            continue
        if isinstance(module, types.ModuleType):
            functions = _module_functions(module)
        else:  # a namespace object
            functions = {
                n: getattr(module, n)
                for n in dir(module)
                if not n.startswith("_") and _is_function(getattr(module, n))
            }
        for name, obj in functions.items():
            if id(obj) not in top:
                found[f"{ext}.{name}"] = obj
    return found


#: attributes every class has; not part of polygrad's Tensor API
_STRUCTURAL = {
    "__slots__",
    "__module__",
    "__doc__",
    "__new__",
    "__init__",
    "__annotations__",
    "__dict__",
    "__weakref__",
    "__qualname__",
    "__firstlineno__",
    "__static_attributes__",
    "__classcell__",
    "__init_subclass__",
    "__class_getitem__",
    "__annotate_func__",
    "__annotations_cache__",
}


def public_tensor_members() -> list[str]:
    """``Tensor.<name>`` for every public method/property and every operator polygrad's
    Tensor classes define."""
    import polygrad

    names = {n for n in dir(polygrad.Tensor) if not n.startswith("_")}
    for cls in polygrad.Tensor.__mro__:
        if not cls.__module__.startswith("polygrad"):
            continue
        for n in vars(cls):
            if n.startswith("__") and n.endswith("__") and n not in _STRUCTURAL:
                names.add(n)
    return sorted(f"Tensor.{n}" for n in names)


def public_names() -> list[str]:
    return sorted(public_functions()) + public_tensor_members()
