"""Leaving the graph and changing type: ``backward``, ``item``, ``numpy``, ``float()``,
``to``/``double``/``clone``, ``__array_namespace__`` and the Python number protocols.
"""

from __future__ import annotations

import warnings
from typing import Any, Union, cast

from ... import ops
from ..._core._creation import legacy_tensor
from ..._core._dtypes import dtype_name
from ..._core._grad_mode import _grad_enabled, _transform_depth
from ..._core._tensor import Tensor
from ..._core._torch_type_names import legacy_type_name
from ..._core._view_steps import is_contiguous
from ..._core._views import layout_of
from ...array_api._namespace import SUPPORTED_VERSIONS, namespace_for
from ...autograd._entry import backward
from ...autograd.forward_ad import tangent_of

#: What ``x.item()`` returns, as torch types it (a complex tensor gives a complex)
Number = Union[int, float, bool]  # noqa: UP007 - the class below shadows int, float, bool

_NUMPY_REQUIRES_GRAD = (
    "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
)
#: JAX raises here too (ConcretizationTypeError); detach() would only hide the zero.
_CONSTANT_IN_TRANSFORM = (
    "{call} was called on a tensor that pg.grad (or pg.vjp, pg.jacrev, pg.jvp...) is "
    "differentiating; its result is a constant, so the gradient through it would silently "
    "be zero. Compute with tensor operations instead (X @ w, x.sum(), or the namespace "
    "xp = x.__array_namespace__()) and build arrays with xp.stack or xp.concat rather than "
    "by filling a NumPy array."
)


class TensorConversions:
    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Tensor:
        """torch's legacy constructor: ``pg.Tensor([0, 1, 2])`` (a float32 copy) or
        ``pg.Tensor(2, 3)`` (an uninitialised shape)."""
        return legacy_tensor(*args, **kwargs)

    def backward(
        self,
        gradient: Any = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
        inputs: Any = None,
    ) -> None:
        """Accumulate the gradient of this tensor into the leaves' ``.grad``."""
        backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    # -- to Python and NumPy -------------------------------------------------------------
    def _recorded_copy(self, call: str) -> bool:
        """Whether ``call``, a copy of the values out of the graph, leaves a recorded tensor
        (torch then refuses ``numpy()`` and warns on ``float()``); raises where it would
        turn a value a polygrad transform differentiates into a constant."""
        recorded = self._requires_grad and _grad_enabled.get()  # type: ignore[attr-defined]
        if _transform_depth.get() > 0:
            if recorded or tangent_of(self) is not None:
                raise TypeError(_CONSTANT_IN_TRANSFORM.format(call=call))
        return recorded

    def item(self) -> Number:
        """The value of a one-element tensor as a Python number."""
        if self.numel() != 1:  # type: ignore[attr-defined]
            raise RuntimeError(
                f"a Tensor with {self.numel()} elements cannot be converted to Scalar"  # type: ignore[attr-defined]
            )
        self._recorded_copy("item()")
        return self._scalar()

    def _scalar(self) -> Any:
        return self._to_numpy().reshape(()).item()

    def tolist(self) -> Any:
        """The values as (nested lists of) Python numbers."""
        self._recorded_copy("tolist()")
        return self._to_numpy().tolist()

    def _to_numpy(self) -> Any:
        return self._backend.to_numpy(self._data)  # type: ignore[attr-defined]

    def numpy(self, *, force: bool = False) -> Any:
        """The values as a NumPy array; refused, as in torch, for a tensor that requires
        grad while grad mode is on (``force=True``: a copy in any case)."""
        if not force and self._recorded_copy("numpy()"):
            raise RuntimeError(_NUMPY_REQUIRES_GRAD)
        return self._to_numpy()

    def __array__(self, dtype: Any = None, copy: Any = None) -> Any:
        if self._recorded_copy("NumPy's __array__() (np.asarray, or writing into a NumPy array)"):
            raise RuntimeError(_NUMPY_REQUIRES_GRAD)
        array = self._to_numpy()
        return array if dtype is None else array.astype(dtype)

    def __float__(self) -> float:
        self._check_one_element()
        if self._recorded_copy("float()"):
            warnings.warn(
                "Converting a tensor with requires_grad=True to a scalar may lead to "
                "unexpected behavior.\nConsider using tensor.detach() first.",
                UserWarning,
                stacklevel=2,
            )
        return float(self._scalar())

    def __int__(self) -> int:
        self._check_one_element()
        return int(self._scalar())

    def __bool__(self) -> bool:
        if self.numel() > 1:  # type: ignore[attr-defined]
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._scalar())

    def _check_one_element(self) -> None:
        """torch's error for ``int(t)`` / ``float(t)`` of a tensor that is not one number."""
        if self.numel() != 1:  # type: ignore[attr-defined]
            raise ValueError("only one element tensors can be converted to Python scalars")

    def __complex__(self) -> complex:
        self._check_one_element()
        self._recorded_copy("complex()")
        return complex(self._scalar())

    def __index__(self) -> int:
        if self.dtype.kind not in ("signed integer", "unsigned integer", "bool"):  # type: ignore[attr-defined]
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._scalar())

    # -- the array API --------------------------------------------------------------------
    def __array_namespace__(self, /, *, api_version: str | None = None) -> Any:
        """polygrad's namespace for this tensor's backend; new arrays go to its device."""
        if api_version is not None and api_version not in SUPPORTED_VERSIONS:
            raise ValueError(
                f"polygrad does not support array API version {api_version!r}; "
                f"supported: {', '.join(SUPPORTED_VERSIONS)}"
            )
        backend = self._backend  # type: ignore[attr-defined]
        return namespace_for(backend, backend.device_of(self._data))  # type: ignore[attr-defined]

    # -- copies and dtype changes -------------------------------------------------------------
    def clone(self) -> Tensor:
        """A copy of ``self`` that stays connected to the graph (``CloneBackward0``) (torch's
        ``x.clone()``; ``pg.clone``)."""
        return ops.clone(self)

    def contiguous(self) -> Tensor:
        """Itself when torch's strides make it contiguous, else a copy recorded as
        ``CloneBackward0`` (writing into ``y.t().contiguous()`` leaves ``y`` alone)."""
        if self.is_contiguous():
            return cast(Tensor, self)
        return ops.clone(self)

    def is_contiguous(self) -> bool:
        """Whether torch would store this tensor contiguously (views: by torch's strides)."""
        extra = self._extra  # type: ignore[attr-defined]
        if extra is None or not extra.path:
            return True
        return is_contiguous(*layout_of(self))  # type: ignore[arg-type]

    def to(self, *args: Any, dtype: Any = None, device: Any = None, **kwargs: Any) -> Tensor:
        """``x.to(dtype)``, ``x.to(device)``, ``x.to(device, dtype)`` or ``x.to(other)``, then
        torch's ``non_blocking`` and ``copy`` flags (``copy=True``: a new tensor even when
        nothing changes; ``non_blocking`` changes nothing here)."""
        flags = [a for a in args if isinstance(a, bool)]  # (non_blocking, copy), as torch
        copy = kwargs.get("copy", len(flags) > 1 and flags[1])
        for a in args:  # anything that does not name a dtype is a device ("cuda:0")
            if isinstance(a, bool):
                continue
            if isinstance(a, Tensor):
                dtype, device = a.dtype, a.device
            elif dtype_name(a) is not None:
                dtype = a if dtype is None else dtype
            else:
                device = a
        out = cast(Tensor, self) if device is None else ops.to_device(self, device)
        if dtype is None or dtype == out.dtype:
            return ops.clone(out) if copy and out is self else out
        return ops.astype(out, dtype)

    def cpu(self) -> Tensor:
        """This tensor on the CPU (itself when it is there already)."""
        return self.to("cpu")

    def cuda(self, device: Any = None) -> Tensor:
        """This tensor on a CUDA device (``None``: the current one; an int: that index)."""
        return self.to(
            "cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else device
        )

    def type(self, dtype: Any = None) -> Any:
        """torch's ``x.type()``: the legacy type name (``'torch.FloatTensor'``) without ``dtype``,
        else ``x.to(dtype)``."""
        if dtype is None:
            return legacy_type_name(self)
        return self.to(dtype)

    def double(self, memory_format: Any = None) -> Tensor:
        """This tensor as float64 (torch's ``x.double()``; ``memory_format`` is accepted and
        ignored)."""
        return self.to("float64")

    def float(self, memory_format: Any = None) -> Tensor:
        """This tensor as float32 (torch's ``x.float()``; ``memory_format`` is accepted and
        ignored)."""
        return self.to("float32")

    def half(self, memory_format: Any = None) -> Tensor:
        """This tensor as float16 (torch's ``x.half()``; ``memory_format`` is accepted and ignored)."""
        return self.to("float16")

    def long(self, memory_format: Any = None) -> Tensor:
        """This tensor as int64 (torch's ``x.long()``; ``memory_format`` is accepted and ignored)."""
        return self.to("int64")

    def int(self, memory_format: Any = None) -> Tensor:
        """This tensor as int32 (torch's ``x.int()``; ``memory_format`` is accepted and ignored)."""
        return self.to("int32")

    def bool(self, memory_format: Any = None) -> Tensor:
        """This tensor as bool (torch's ``x.bool()``; ``memory_format`` is accepted and ignored)."""
        return self.to("bool")

    def byte(self, memory_format: Any = None) -> Tensor:
        """This tensor as uint8 (torch's ``x.byte()``; ``memory_format`` is accepted and ignored)."""
        return self.to("uint8")

    def char(self, memory_format: Any = None) -> Tensor:
        """This tensor as int8 (torch's ``x.char()``; ``memory_format`` is accepted and ignored)."""
        return self.to("int8")

    def short(self, memory_format: Any = None) -> Tensor:
        """This tensor as int16 (torch's ``x.short()``; ``memory_format`` is accepted and ignored)."""
        return self.to("int16")

    def bfloat16(self, memory_format: Any = None) -> Tensor:
        """This tensor as bfloat16 (where the backend has it) (torch's ``x.bfloat16()``; ``memory_format`` is accepted and ignored)."""
        return self.to("bfloat16")

    def cfloat(self, memory_format: Any = None) -> Tensor:
        """This tensor as complex64 (torch's ``x.cfloat()``; ``memory_format`` is accepted and ignored)."""
        return self.to("complex64")

    def chalf(self, memory_format: Any = None) -> Tensor:
        """This tensor as complex32 (torch's ``x.chalf()``; ``memory_format`` is accepted and
        ignored): only where the array library has complex32 (torch)."""
        backend = self._backend  # type: ignore[attr-defined]
        if getattr(backend.xp, "complex32", None) is None:
            raise TypeError(
                f"polygrad: x.chalf() needs a complex32 dtype, which the {backend.name} "
                "backend's array library does not have (of polygrad's backends only torch has one)"
            )
        return self.to("complex32")

    def cdouble(self, memory_format: Any = None) -> Tensor:
        """This tensor as complex128 (torch's ``x.cdouble()``; ``memory_format`` is accepted and ignored)."""
        return self.to("complex128")
