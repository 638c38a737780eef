"""Every name of the array API standard exists on polygrad: the namespace a tensor
returns, the top-level ``polygrad`` module, ``linalg``, ``fft`` and the array object.

The list is taken from array-api-strict (its default flags: the newest revision it
knows, with both extensions), so a name the standard adds shows up here as a
failure. ``GROUPS`` says which family each name belongs to, to tell who owns a
missing one; a name it does not classify fails ``test_every_name_is_classified``.
"""

from __future__ import annotations

import inspect
import types

import numpy as np
import pytest

import polygrad as pg

strict = pytest.importorskip("array_api_strict")

#: array-api-strict's own helpers and types: not names of the standard.
NOT_STANDARD = {
    "ArrayAPIStrictFlags",
    "Device",
    "ModuleType",
    "get_array_api_strict_flags",
    "reset_array_api_strict_flags",
    "set_array_api_strict_flags",
}

GROUPS = {
    "constants": "e inf nan newaxis pi",
    "data types": (
        "bool int8 int16 int32 int64 uint8 uint16 uint32 uint64 float32 float64 "
        "complex64 complex128"
    ),
    "data type functions": "astype can_cast finfo iinfo isdtype result_type",
    "creation": (
        "arange asarray empty empty_like eye from_dlpack full full_like linspace "
        "meshgrid ones ones_like tril triu zeros zeros_like"
    ),
    "elementwise": (
        "abs acos acosh add asin asinh atan atan2 atanh bitwise_and bitwise_invert "
        "bitwise_left_shift bitwise_or bitwise_right_shift bitwise_xor ceil clip conj copysign "
        "cos cosh divide equal exp expm1 floor floor_divide greater greater_equal hypot imag "
        "isfinite isinf isnan less less_equal log log1p log2 log10 logaddexp logical_and "
        "logical_not logical_or logical_xor maximum minimum multiply negative nextafter "
        "not_equal positive pow real reciprocal remainder round sign signbit sin sinh sqrt "
        "square subtract tan tanh trunc"
    ),
    "manipulation": (
        "broadcast_arrays broadcast_shapes broadcast_to concat expand_dims flip "
        "moveaxis permute_dims repeat reshape roll squeeze stack tile unstack"
    ),
    "indexing": "take take_along_axis",
    "searching": "argmax argmin count_nonzero nonzero searchsorted where",
    "sets": "isin unique_all unique_counts unique_inverse unique_values",
    "sorting": "argsort sort",
    "statistical": "cumulative_prod cumulative_sum max mean min prod std sum var",
    "utility": "all any diff",
    "linear algebra": "matmul matrix_transpose tensordot vecdot",
    "extensions": "linalg fft",
}
NAME_TO_GROUP = {name: group for group, names in GROUPS.items() for name in names.split()}


def standard_names() -> list[str]:
    return sorted(n for n in dir(strict) if not n.startswith("_") and n not in NOT_STANDARD)


def extension_names(module) -> list[str]:
    return sorted(n for n in module.__all__ if not n.startswith("_"))


def array_names() -> list[str]:
    """The array object's attributes, less what every Python object has."""
    array_type = type(strict.asarray(1.0))
    ours = {"__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__"}
    skip = {
        "__annotations__",
        "__module__",
        "__slots__",
        "__weakref__",
        "__buffer__",
        "__array__",
    }  # Python's buffer protocol and NumPy's: not the standard's
    return sorted(
        n
        for n in dir(array_type)
        if not (n.startswith("_") and not n.startswith("__"))
        and (n not in dir(object) or n in ours)
        and n not in skip
    )


@pytest.fixture(scope="module")
def xp():
    return pg.tensor(np.ones((2, 2))).__array_namespace__()


def test_every_name_is_classified():
    unknown = [n for n in standard_names() if n not in NAME_TO_GROUP]
    assert not unknown, f"names of the standard not in GROUPS: {unknown}"


@pytest.mark.parametrize("name", standard_names())
def test_name_on_the_namespace(name, xp):
    assert hasattr(xp, name), f"{name} ({NAME_TO_GROUP.get(name)}) is missing from the namespace"


@pytest.mark.parametrize("name", standard_names())
def test_name_on_the_module(name):
    assert hasattr(pg, name), f"{name} ({NAME_TO_GROUP.get(name)}) is missing from polygrad"


@pytest.mark.parametrize("name", extension_names(strict.linalg))
def test_linalg_name(name, xp):
    assert hasattr(xp.linalg, name), f"linalg.{name} is missing"
    assert hasattr(pg.linalg, name), f"pg.linalg.{name} is missing"


@pytest.mark.parametrize("name", extension_names(strict.fft))
def test_fft_name(name, xp):
    assert hasattr(xp.fft, name), f"fft.{name} is missing"
    assert hasattr(pg.fft, name), f"pg.fft.{name} is missing"


@pytest.mark.parametrize("name", array_names())
def test_array_attribute(name):
    assert hasattr(pg.Tensor, name), f"Tensor.{name} is missing"


def test_namespace_names_are_polygrads(xp):
    """Names resolve to polygrad's own objects, never to a backend's."""
    for name in standard_names():
        value = getattr(xp, name)
        module = getattr(value, "__module__", None) or ""
        if callable(value) and not isinstance(value, type):
            assert module.startswith("polygrad"), f"{name} comes from {module}"
    assert xp.float32 is pg.float32 and xp.bool is pg.bool


def test_no_family_module_shadows_a_torch_function():
    """``pg.complex`` is torch's ``complex(real, imag)``, not ``polygrad/ops/complex.py``:
    no module of polygrad's own sits on ``pg`` or the namespace under a torch function's name."""
    torch = pytest.importorskip("torch")
    xp = pg.asarray([1.0]).__array_namespace__()
    torch_functions = [
        n
        for n in dir(torch)
        if not n.startswith("_")
        and callable(getattr(torch, n))
        and not inspect.isclass(getattr(torch, n))
    ]
    assert "complex" in torch_functions and callable(pg.complex)
    for name in torch_functions:
        for where in (pg, xp):
            assert not isinstance(getattr(where, name, None), types.ModuleType), (where, name)
