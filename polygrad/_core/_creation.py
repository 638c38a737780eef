"""Making tensors: ``pg.tensor``, torch-style factories, and random numbers.

``pg.tensor(data)`` wraps Python data (float32 for Python floats, like torch) or
an array (keeping its dtype). Where the tensor lives is one rule: host data, Python
data and NumPy arrays alike, goes to the backend the user selected (``backend=``,
``with pg.backend(...)``, ``pg.set_backend``, ``POLYGRAD_BACKEND``; NumPy when
nothing is selected), as ``torch.tensor(ndarray)`` lands in torch; an array of another
library (torch, JAX, array-api-strict, Dask) keeps its library, dtype and device unless
``backend=`` says otherwise. ``as_tensor`` and ``from_numpy`` share the array's memory
when it stays in its own library. Factories
(``zeros``, ``ones``, ``full``, ``empty``, ``arange``, ``linspace``, ``eye``,
``rand``, ``randn`` and ``*_like``) take torch's varargs sizes or a shape tuple and
``dtype=``, ``device=``, ``backend=``, ``requires_grad=``.
"""

from __future__ import annotations

import operator
import warnings
from typing import Any

from . import _dtypes
from ._backend import backend_of_array, current, get_backend
from ._backend import manual_seed as seed_backends
from ._nested_data import check_rectangular
from ._tensor import Tensor, _make, _make_without_grad

_REQUIRES_GRAD_DTYPE = "Only Tensors of floating point and complex dtype can require gradients"


def _target(backend: Any, device: Any) -> tuple[Any, Any]:
    """The adapter and device new tensors go to."""
    if backend is None:
        adapter, scoped_device = current()
        device = scoped_device if device is None else device
    else:
        adapter = get_backend(backend)
    return adapter, adapter.parse_device(device) if device is not None else None


def _finish(data: Any, adapter: Any, requires_grad: bool) -> Tensor:
    out = _make_without_grad(data, adapter)
    if requires_grad:
        if not adapter.pg_dtype(data.dtype).differentiable:
            raise RuntimeError(_REQUIRES_GRAD_DTYPE)
        out._requires_grad = True
    return out


def _size(args: tuple[Any, ...], name: str = "empty") -> tuple[int, ...]:
    """torch's varargs or tuple size as ints, checked before any backend sees it."""
    if len(args) == 1 and not isinstance(args[0], int) and not hasattr(args[0], "__index__"):
        if not isinstance(args[0], (tuple, list)) and not hasattr(args[0], "__iter__"):
            raise TypeError(
                f"{name}(): argument 'size' (position 1) must be tuple of ints, "
                f"not {type(args[0]).__name__}"
            )
        args = tuple(args[0])
    shape = []
    for i, n in enumerate(args):
        try:
            shape.append(operator.index(n))
        except TypeError:
            raise TypeError(
                f"{name}(): argument 'size' (position 1) must be tuple of ints, but "
                f"found element of type {type(n).__name__} at pos {i}"
            ) from None
    for n in shape:
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {shape}")
    return tuple(shape)


def _float_dtype(dtype: Any) -> Any:
    return _dtypes.get_default_dtype() if dtype is None else dtype


def _python_dtype(data: Any) -> Any:
    """torch's inference for nested Python data: bool, int64, else the default float."""
    flat = [data]
    kinds = set()
    while flat:
        item = flat.pop()
        if isinstance(item, (list, tuple)):
            flat.extend(item)
        elif isinstance(item, Tensor):
            kinds.add(item.dtype.kind)
        else:
            kinds.add(type(item).__name__)
    if kinds <= {"bool"} and kinds:
        return _dtypes.DTYPES["bool"]
    if "complex" in kinds or "complex floating" in kinds:
        return _dtypes.DTYPES["complex64"]
    if kinds <= {"bool", "int", "signed integer", "unsigned integer"} and kinds:
        return _dtypes.DTYPES["int64"]
    return _dtypes.get_default_dtype()


def tensor(
    data: object,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """A new leaf tensor holding a copy of ``data`` (Python data or any library's array)."""
    if isinstance(data, Tensor):
        warnings.warn(
            "To copy construct from a tensor, it is recommended to use "
            "sourceTensor.detach().clone() or sourceTensor.detach().clone().requires_grad_(True), "
            "rather than pg.tensor(sourceTensor).",
            UserWarning,
            stacklevel=2,
        )
        if backend is None:
            backend = data._backend
        data = data._data
    if isinstance(data, (str, bytes)):
        raise TypeError(f"new(): invalid data type '{type(data).__name__}'")
    source = backend_of_array(data)
    if source is not None and backend is None and not source.host_data:
        adapter = source
        if device is not None:
            device = adapter.parse_device(device)
    else:
        adapter, device = _target(backend, device)
        if source is not None and source is not adapter:
            data = source.to_numpy(data)
    if dtype is None and source is None:
        dtype = _python_dtype(data)
    if isinstance(data, (list, tuple)) and any(isinstance(d, Tensor) for d in data):
        data = [d.item() if isinstance(d, Tensor) else d for d in data]
    try:
        array = adapter.asarray(data, dtype=dtype, device=device, copy=True)
    except (ValueError, TypeError):
        if not isinstance(data, (list, tuple)):
            raise
        try:  # say it in torch's words where the data is not rectangular
            check_rectangular(data)
        except (ValueError, TypeError) as ragged:
            raise ragged from None
        raise
    return _finish(array, adapter, requires_grad)


def as_tensor(data: Any, dtype: Any = None, device: Any = None, backend: Any = None) -> Tensor:
    """Like ``tensor`` but shares memory with an array of the same backend when possible."""
    if isinstance(data, Tensor) and dtype is None:
        return data
    source = backend_of_array(data)
    if (
        source is not None
        and backend is None
        and dtype is None
        and (not source.host_data or current()[0] is source)
        and (device is None or source.parse_device(device) == source.device_of(data))
    ):
        return _make(source.adopt(data), source)
    return tensor(data, dtype=dtype, device=device, backend=backend)


def legacy_tensor(*args: Any, **kwargs: Any) -> Tensor:
    """``pg.Tensor([0, 1, 2])`` (float32 copy) or ``pg.Tensor(2, 3)`` (uninitialised shape)."""
    if len(args) == 1 and not isinstance(args[0], int):
        return tensor(args[0], dtype=_dtypes.get_default_dtype(), **kwargs)
    return empty(*args, **kwargs)


def _factory(
    fill: str,
    args: tuple[Any, ...],
    dtype: Any,
    device: Any,
    backend: Any,
    requires_grad: bool,
    value: Any = None,
) -> Tensor:
    adapter, device = _target(backend, device)
    native = adapter.dtype(_float_dtype(dtype))
    shape = _size(args, fill)
    xp = adapter.xp
    if fill == "full":
        data = xp.full(shape, value, dtype=native, device=device)
    else:
        data = getattr(xp, fill)(shape, dtype=native, device=device)
    return _finish(data, adapter, requires_grad)


def zeros(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    return _factory("zeros", size, dtype, device, backend, requires_grad)


def ones(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """A tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``."""
    return _factory("ones", size, dtype, device, backend, requires_grad)


def empty(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """An uninitialised tensor of the given size."""
    return _factory("empty", size, dtype, device, backend, requires_grad)


def full(
    size: Any,
    fill_value: Any,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """A tensor of ``size`` filled with ``fill_value``."""
    if dtype is None and isinstance(fill_value, bool):
        dtype = "bool"
    elif dtype is None and isinstance(fill_value, int):
        dtype = "int64"
    return _factory("full", (size,), dtype, device, backend, requires_grad, fill_value)


def arange(
    start: Any,
    end: Any = None,
    step: Any = 1,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """Evenly spaced values in ``[start, end)``; int64 for int arguments, like torch."""
    adapter, device = _target(backend, device)
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_int = all(isinstance(v, int) for v in (start, end, step))
        dtype = "int64" if is_int else _dtypes.get_default_dtype()
    if step == 0:
        raise RuntimeError("step must be nonzero")
    data = adapter.xp.arange(start, end, step, dtype=adapter.dtype(dtype), device=device)
    return _finish(data, adapter, requires_grad)


def linspace(
    start: float,
    end: float,
    steps: int,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end`` inclusive."""
    adapter, device = _target(backend, device)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    data = adapter.xp.linspace(
        start, end, steps, dtype=adapter.dtype(_float_dtype(dtype)), device=device
    )
    return _finish(data, adapter, requires_grad)


def eye(
    n: int,
    m: int | None = None,
    *,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """The identity matrix (n x m)."""
    adapter, device = _target(backend, device)
    for label, size in (("n", n), ("m", m)):
        if size is not None and size < 0:
            raise RuntimeError(f"{label} must be greater or equal to 0, got {size}")
    data = adapter.xp.eye(n, m, dtype=adapter.dtype(_float_dtype(dtype)), device=device)
    return _finish(data, adapter, requires_grad)


def rand(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """Uniform samples from [0, 1)."""
    adapter, device = _target(backend, device)
    data = adapter.uniform(_size(size, "rand"), _float_dtype(dtype), device)
    return _finish(data, adapter, requires_grad)


def randn(
    *size: Any,
    dtype: Any = None,
    device: Any = None,
    requires_grad: bool = False,
    backend: Any = None,
) -> Tensor:
    """Standard normal samples."""
    adapter, device = _target(backend, device)
    data = adapter.normal(_size(size, "randn"), _float_dtype(dtype), device)
    return _finish(data, adapter, requires_grad)


def _like(fn: Any, x: Tensor, dtype: Any, requires_grad: bool, *args: Any) -> Tensor:
    return fn(
        *args,
        *([] if args else [tuple(x.shape)]),
        dtype=dtype or x.dtype,
        device=x.device,
        requires_grad=requires_grad,
        backend=x._backend,
    )


def zeros_like(x: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros with ``x``'s shape, dtype, backend and device."""
    return _like(zeros, x, dtype, requires_grad)


def ones_like(x: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones with ``x``'s shape, dtype, backend and device."""
    return _like(ones, x, dtype, requires_grad)


def empty_like(x: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """An uninitialised tensor shaped like ``x``, on its backend and device."""
    return _like(empty, x, dtype, requires_grad)


def full_like(
    x: Tensor, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False
) -> Tensor:
    """A tensor shaped like ``x`` filled with ``fill_value``, on its backend and device."""
    return full(
        tuple(x.shape),
        fill_value,
        dtype=dtype or x.dtype,
        device=x.device,
        requires_grad=requires_grad,
        backend=x._backend,
    )


def rand_like(x: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Samples from U[0, 1) shaped like ``x``, on its backend and device."""
    return _like(rand, x, dtype, requires_grad)


def randn_like(x: Tensor, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples shaped like ``x``, on its backend and device."""
    return _like(randn, x, dtype, requires_grad)


def manual_seed(seed: int) -> None:
    """Seed the random generators of every backend, also those loaded later (reproducible streams)."""
    seed_backends(seed)
