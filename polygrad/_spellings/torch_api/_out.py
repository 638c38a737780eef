"""torch's ``out=`` argument: a function's result written into tensors the caller made.

``torch.cat(ts, out=buf)``, ``torch.linalg.eigh(A, out=(w, v))``: the result (or each
result of a tuple) is copied into ``out``, which is returned. As in torch, this is not
differentiable: when the result requires grad it raises torch's error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


def written(result: Any, out: Any, name: str) -> Any:
    """``result``, or ``out`` holding it when ``out`` is given (a tensor or a tuple)."""
    if out is None:
        return result
    results = result if isinstance(result, tuple) else (result,)
    outs = tuple(out) if isinstance(out, (tuple, list)) else (out,)
    if len(outs) != len(results):
        raise TypeError(f"{name}(): out= takes {len(results)} tensor(s), got {len(outs)}")
    if any(r.requires_grad for r in results):
        raise RuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad."
        )
    copied = tuple(o.copy_(r) for o, r in zip(outs, results))
    if not isinstance(result, tuple):
        return copied[0]
    return type(result)(*copied) if hasattr(result, "_fields") else copied


def accepts_out(fn: F) -> F:
    """``fn`` (which declares ``out`` only for its signature) writing into ``out=``; the
    signature, for ``help()`` and type checkers, stays ``fn``'s."""

    @functools.wraps(fn)
    def call(*args: Any, out: Any = None, **kwargs: Any) -> Any:
        return written(fn(*args, **kwargs), out, fn.__name__)

    return call  # type: ignore[return-value]  # fn's signature, via __wrapped__
