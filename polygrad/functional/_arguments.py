"""How ``polygrad.functional``'s transforms read their arguments and return results.

The arguments to differentiate (``argnums``) are pytrees of arrays or tensors; each
leaf becomes a fresh differentiable tensor, the other arguments pass as constants,
and results come back as the kind of array the caller passed (``_Inputs``), with an
optional auxiliary output split off (``has_aux``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import optree

from .._core._tensor import Tensor
from ..autograd import _functional_core as core


def _argnums(argnums: int | Sequence[int], nargs: int) -> tuple[int, ...]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for n in nums:
        if not -nargs <= n < nargs:
            raise TypeError(
                f"differentiating with respect to argnums={argnums} requires at least "
                f"{max(nums) + 1} positional arguments to be passed by the caller, but got "
                f"only {nargs} positional arguments."
            )
    return tuple(n % nargs for n in nums)


def _leaves(tree: Any) -> tuple[list[Any], Any]:
    return optree.tree_flatten(tree, none_is_leaf=True)


def _unflatten(spec: Any, leaves: Sequence[Any]) -> Any:
    return optree.tree_unflatten(spec, list(leaves))


def _raw(values: Sequence[Any]) -> bool:
    """Results are backend arrays unless the user passed polygrad tensors."""
    return not any(isinstance(v, Tensor) for v in values)


def _constant(x: Any) -> Any:
    """A non-differentiated argument: arrays become polygrad tensors, the rest passes."""
    return core.as_tensor(x) if core.is_array(x) else x


class _Inputs:
    """The arguments of one call, with fresh differentiable tensors for ``argnums``."""

    def __init__(self, args: tuple[Any, ...], argnums: tuple[int, ...]) -> None:
        self.argnums = argnums
        self.specs: list[Any] = []
        self.given: list[list[Any]] = []  # the user's leaves per differentiated argument
        self.tensors: list[Tensor] = []  # all fresh inputs, flat
        self.call_args = list(optree.tree_map(_constant, a, none_is_leaf=True) for a in args)
        every = []
        for n in argnums:
            leaves, spec = _leaves(args[n])
            fresh = [core.as_input(x, f"argument {n}") for x in leaves]
            self.specs.append(spec)
            self.given.append(leaves)
            self.tensors.extend(fresh)
            self.call_args[n] = _unflatten(spec, fresh)
            every.extend(leaves)
        for a in args:
            every.extend(_leaves(a)[0])
        self.raw = _raw(every)
        self.create_graph = core.wants_graph(every)

    def regroup(self, flat: Sequence[Any], single: bool) -> Any:
        """Per-input results (flat, in input order) in the structure of ``argnums``."""
        out, i = [], 0
        for spec, given in zip(self.specs, self.given):
            part = [
                core.export(v, not isinstance(g, Tensor))
                for v, g in zip(flat[i : i + len(given)], given)
            ]
            out.append(_unflatten(spec, part))
            i += len(given)
        return out[0] if single else tuple(out)


def _split_aux(result: Any, has_aux: bool) -> tuple[Any, Any]:
    if not has_aux:
        return result, None
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise TypeError(
            "expected function with aux output to return a two-element tuple, but got type "
            f"{type(result)} with value {result!r}"
        )
    return result[0], result[1]


def _export_tree(tree: Any, raw: bool) -> Any:
    return optree.tree_map(lambda v: core.export(v, raw), tree, none_is_leaf=True)
