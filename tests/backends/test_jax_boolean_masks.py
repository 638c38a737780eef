"""Boolean masks on the JAX backend: eagerly, and under JAX's transformations.

Eagerly a JAX array has values, so ``x[mask]`` and ``x[mask] = v`` work and are
differentiable (checked against torch). Inside ``jax.jit`` or ``jax.vmap`` the mask is
traced and the result's shape would depend on its values, which JAX cannot trace:
polygrad then reports ``capabilities()["boolean indexing"] = False`` (JAX's own
namespace always reports False) so that array-API libraries take their fixed-shape
paths, and indexing with a traced mask raises an IndexError naming the cause. Writing
one value (a number or a 0-d tensor) under a mask, ``x[mask] = 0.5``, has a fixed shape:
it is a ``where``, so it works, differentiably, under ``jax.jit`` and ``jax.vmap`` too.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from oracle import assert_close, torch, torch_from

import polygrad as pg

jax = pytest.importorskip("jax")
jnp = pytest.importorskip("jax.numpy")

VALUES = np.array([-1.5, 2.0, 0.5, -0.25, 3.0])


def capabilities(x: Any) -> dict[str, Any]:
    return x.__array_namespace__().__array_namespace_info__().capabilities()


def masked_square_sum(x: Any) -> Any:
    return (x[x > 0] ** 2).sum()


def clamp_negatives(x: Any) -> Any:
    y = x * 1.0
    y[y < 0] = 0.5
    return (y * y * x).sum()


def test_capabilities_on_jax_are_true_eagerly_and_false_while_tracing() -> None:
    seen: dict[str, Any] = {}

    def probe(name: str) -> Any:
        def f(x: Any) -> Any:
            seen[name] = capabilities(pg.tensor(x))
            return x

        return f

    x = jnp.asarray(VALUES)
    probe("eager")(x)
    jax.jit(probe("jit"))(x)
    jax.vmap(probe("vmap"))(x)
    assert seen["eager"]["boolean indexing"] is True
    assert seen["eager"]["data-dependent shapes"] is True
    for name in ("jit", "vmap"):
        assert seen[name]["boolean indexing"] is False, name
        assert seen[name]["data-dependent shapes"] is False, name
        assert seen[name]["max dimensions"] == seen["eager"]["max dimensions"]
    # JAX's namespace (which array-api-compat hands out for JAX arrays) never claims them
    raw = jnp.__array_namespace_info__().capabilities()
    assert raw["boolean indexing"] is False and raw["data-dependent shapes"] is False
    with pg.backend("jax"):  # the top-level inspection follows the same rule
        assert pg.__array_namespace_info__().capabilities()["boolean indexing"] is True


@pytest.mark.parametrize("fn", [masked_square_sum, clamp_negatives], ids=lambda f: f.__name__)
def test_boolean_masks_work_eagerly_on_jax(fn: Any) -> None:
    g = pg.grad(fn)(jnp.asarray(VALUES))
    assert isinstance(g, jax.Array)
    xt = torch_from(VALUES, requires_grad=True)
    (expected,) = torch.autograd.grad(fn(xt), xt)
    assert_close(np.asarray(g), expected)


def fill_negatives_with_a_tensor(x: Any) -> Any:
    y = x * 1.0
    y[y < 0] = x[1] * 3  # a 0-d tensor that requires grad: its gradient is a masked sum
    return (y * y * x).sum()


def write_a_vector(x: Any) -> Any:
    y = x * 1.0
    y[y < 0] = y[:2] * 2  # one value per selected element: the shape depends on the mask
    return (y * y).sum()


@pytest.mark.parametrize(
    "fn", [clamp_negatives, fill_negatives_with_a_tensor], ids=lambda f: f.__name__
)
def test_writing_one_value_under_a_traced_mask_works_like_torch(fn: Any) -> None:
    x = jnp.asarray(VALUES)
    xt = torch_from(VALUES, requires_grad=True)
    (expected,) = torch.autograd.grad(fn(xt), xt)
    assert_close(np.asarray(pg.grad(fn)(x)), expected)
    assert_close(np.asarray(jax.jit(pg.grad(fn))(x)), expected)
    batched = jax.vmap(pg.grad(fn))(jnp.stack([x, 2 * x]))
    xt2 = torch_from(2 * VALUES, requires_grad=True)
    (expected2,) = torch.autograd.grad(fn(xt2), xt2)
    assert_close(np.asarray(batched[0]), expected)
    assert_close(np.asarray(batched[1]), expected2)


@pytest.mark.parametrize(
    "fn, what",
    [(masked_square_sum, r"x\[mask\] with"), (write_a_vector, r"x\[mask\] = value with")],
    ids=["getitem", "setitem"],
)
def test_traced_boolean_mask_raises_naming_the_cause(fn: Any, what: str) -> None:
    x = jnp.asarray(VALUES)
    message = what + r" a boolean mask that JAX is tracing.*data-dependent shapes"
    with pytest.raises(IndexError, match=message):
        jax.jit(pg.grad(fn))(x)
    with pytest.raises(IndexError, match=message):
        jax.vmap(pg.grad(fn))(jnp.stack([x, 2 * x]))


def test_array_api_extra_takes_the_fixed_shape_path_under_jit() -> None:
    """``apply_where`` checks capabilities(): under jit it computes with ``where`` instead
    of masks, so jit(grad) works and agrees with the eager (masked) computation."""
    xpx = pytest.importorskip("array_api_extra")

    def f(x: Any) -> Any:
        return xpx.apply_where(x > 0, x, lambda v: v**3, fill_value=0.25).sum()

    x = jnp.asarray(VALUES)
    eager = pg.grad(f)(x)
    jitted = jax.jit(pg.grad(f))(x)
    xt = torch_from(VALUES, requires_grad=True)
    (expected,) = torch.autograd.grad(f(xt), xt)
    assert_close(np.asarray(eager), expected)
    assert_close(np.asarray(jitted), expected)
