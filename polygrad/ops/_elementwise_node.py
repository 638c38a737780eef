"""One line per one-input elementwise op: its node class, VJP and JVP, from its derivative.

``elementwise_node("SinhBackward0", times=lambda xp, x: xp.cosh(x))`` makes the class
an op records: the vjp is ``g * conj(f'(x))`` (torch's conjugate-Wirtinger convention,
a no-op on real values) and the jvp ``t * f'(x)``, one expression read by both modes.
Ops whose rule needs more (in-place reuse of the gradient, masks, non-holomorphic
complex rules) write their class out by hand.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from .._core._node import Node
from ._support import conj

Derivative = Callable[[Any, Any], Any]


def elementwise_node(
    name: str,
    *,
    times: Derivative | None = None,
    over: Derivative | None = None,
    of_result: bool = False,
) -> type[Node]:
    """The node class ``name`` of ``y = f(x)``, from ``f'`` written as array-API code.

    Give ``times(xp, v)``, the derivative, or ``over(xp, v)``, its reciprocal (``log``'s
    ``x``), so the rule divides rather than multiplying by a reciprocal it made. ``v`` is
    the input ``x``, or the result ``y`` with ``of_result`` (then the node keeps the
    output alive instead of the input, as torch does for ``tan``).
    """
    if (times is None) == (over is None):
        raise TypeError("elementwise_node takes exactly one of times= and over=")
    saved = -1 if of_result else 0

    if times is not None:
        derivative = times

        def vjp(self: Node, xp: Any, g: Any, v: Any) -> tuple[Any, ...]:
            return (g * conj(xp, derivative(xp, v)),)

        def jvp(self: Node, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
            return t[0] * derivative(xp, outputs[0] if of_result else inputs[0])

    else:
        reciprocal: Derivative = over  # type: ignore[assignment]  # checked above

        def vjp(self: Node, xp: Any, g: Any, v: Any) -> tuple[Any, ...]:
            return (g / conj(xp, reciprocal(xp, v)),)

        def jvp(self: Node, xp: Any, t: Any, inputs: Any, outputs: Any) -> Any:
            return t[0] / reciprocal(xp, outputs[0] if of_result else inputs[0])

    namespace = {
        "__slots__": (),
        "__module__": sys._getframe(1).f_globals["__name__"],  # the op's own module
        "__qualname__": name,
        "_saved_from": (saved,),
        "vjp": vjp,
        "jvp": jvp,
    }
    return type(name, (Node,), namespace)
