"""The NumPy backend's ``broadcast_to`` against NumPy's own: the same values, shape and
strides, read-only, sharing the input's memory, and NumPy's errors."""

from __future__ import annotations

from typing import Any
from unittest import mock

import hypothesis.extra.numpy as hnp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polygrad.backends import _numpy_namespace as namespace


@st.composite
def arrays_and_targets(draw: Any) -> tuple[np.ndarray, tuple[int, ...], str]:
    """An array (contiguous, transposed or strided) and a shape it broadcasts to."""
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4))
    base = np.arange(int(np.prod(shape)), dtype=draw(st.sampled_from(["float64", "int32"])))
    x = base.reshape(shape)
    layout = draw(st.sampled_from(["contiguous", "transposed", "strided"]))
    if layout == "transposed":
        x = x.T
    elif layout == "strided" and x.ndim:
        x = np.repeat(x, 2, axis=-1)[..., ::2]  # the same values, every other element
    sizes = st.integers(0, 4)
    lead = draw(st.lists(sizes, max_size=2))
    kept = [draw(sizes) if n == 1 else n for n in x.shape]  # a size-1 axis takes any size
    return x, (*lead, *kept), layout


@settings(max_examples=300, deadline=None, derandomize=True)
@given(arrays_and_targets())
def test_broadcast_to_is_numpys_view(case: tuple[np.ndarray, tuple[int, ...], str]) -> None:
    x, target, layout = case
    theirs = np.broadcast_to(x, target)
    with mock.patch.object(np, "broadcast_to", wraps=np.broadcast_to) as numpys:
        mine = namespace.broadcast_to(x, target)
    # one buffer holds a contiguous or transposed array: the view is made directly
    assert numpys.called == (layout == "strided" and x.size > 1)
    assert type(mine) is np.ndarray
    assert mine.shape == theirs.shape and mine.dtype == theirs.dtype
    np.testing.assert_array_equal(mine, theirs)
    assert not mine.flags.writeable
    assert mine.base is not None  # a view: the engine never writes into it
    if mine.size:
        assert np.shares_memory(mine, x)


def test_new_leading_axes_and_size_one_axes_repeat() -> None:
    x = np.array([[1.0], [2.0]])
    out = namespace.broadcast_to(x, (3, 2, 4))
    assert out.strides == (0, x.strides[0], 0)
    np.testing.assert_array_equal(out, np.broadcast_to(x, (3, 2, 4)))


@pytest.mark.parametrize("target", [(2,), (3, 2), (-1, 3), (3, -1)])
def test_shapes_that_do_not_broadcast_raise_numpys_error(target: tuple[int, ...]) -> None:
    x = np.zeros(3)
    with pytest.raises(ValueError) as theirs:
        np.broadcast_to(x, target)
    with pytest.raises(ValueError, match=str(theirs.value).split("(")[0].strip()[:40]):
        namespace.broadcast_to(x, target)


def test_every_other_name_is_array_api_compats() -> None:
    import array_api_compat.numpy as compat

    for name in compat.__all__:
        if name != "broadcast_to" and not name.startswith("__"):
            assert getattr(namespace, name) is getattr(compat, name), name
