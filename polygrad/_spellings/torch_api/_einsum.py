"""``pg.einsum("ij,jk->ik", a, b)``: torch's einsum over polygrad's ops.

Each operand is laid out over every index of the expression (``permute_dims`` and
``expand_dims``), the operands are multiplied with broadcasting, and the indices not
in the output are summed; gradients come from those ops' rules. A repeated index
within one operand (``"ii->i"``) takes that operand's diagonal first.
"""

from __future__ import annotations

import string
from typing import Any

from ... import ops
from ..._core._tensor import Tensor
from ...ops.products import diagonal


def _parse(equation: str, operands: tuple[Any, ...]) -> tuple[list[str], str]:
    """Subscripts per operand and of the output, with ``...`` spelled out as letters
    no subscript uses (torch's implicit output: the indices seen once, sorted)."""
    equation = equation.replace(" ", "")
    inputs_text, arrow, output = equation.partition("->")
    inputs = inputs_text.split(",")
    if len(inputs) != len(operands):
        raise RuntimeError(
            f"einsum(): {len(inputs)} operands specified in the equation, but "
            f"{len(operands)} operands were given"
        )
    spare = [c for c in string.ascii_letters if c not in equation]
    widest = 0
    expanded = []
    for subscript, operand in zip(inputs, operands):
        if "..." in subscript:
            count = operand.ndim - (len(subscript) - 3)
            widest = max(widest, count)
            subscript = subscript.replace("...", "".join(spare[widest - count : widest]))
        if len(subscript) != operand.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(subscript)}) does "
                f"not match the number of dimensions ({operand.ndim}) for an operand"
            )
        expanded.append(subscript)
    ellipsis = "".join(spare[:widest])
    if arrow:
        output = output.replace("...", ellipsis)
    else:
        letters = "".join(expanded)
        output = ellipsis + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1 and c not in ellipsis)
        )
    return expanded, output


def _distinct(operand: Any, subscript: str) -> tuple[Any, str]:
    """``operand`` with each repeated index reduced to its diagonal."""
    while len(set(subscript)) < len(subscript):
        first = next(c for c in subscript if subscript.count(c) > 1)
        i = subscript.index(first)
        j = subscript.index(first, i + 1)
        moved = ops.moveaxis(operand, (i, j), (-2, -1))
        operand = diagonal(moved)
        rest = [c for k, c in enumerate(subscript) if k not in (i, j)]
        subscript = "".join(rest) + first
    return operand, subscript


def einsum(equation: str, *operands: Any) -> Tensor:
    """Sum of products of ``operands`` over the indices that ``equation`` leaves out."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    subscripts, output = _parse(equation, operands)
    laid_out = []
    order = list(dict.fromkeys("".join(subscripts) + output))
    sizes: dict[str, int] = {}
    for operand, subscript in zip(operands, subscripts):
        operand, subscript = _distinct(operand, subscript)
        sizes.update(zip(subscript, operand.shape))
        present = [c for c in order if c in subscript]
        operand = ops.permute_dims(operand, tuple(subscript.index(c) for c in present))
        missing = tuple(k for k, c in enumerate(order) if c not in subscript)
        laid_out.append(ops.expand_dims(operand, axis=missing) if missing else operand)
    product = laid_out[0]
    for operand in laid_out[1:]:
        product = ops.multiply(product, operand)
    summed = tuple(k for k, c in enumerate(order) if c not in output)
    if summed:
        product = ops.sum(product, axis=summed)
    kept = [c for c in order if c in output]
    result = ops.permute_dims(product, tuple(kept.index(c) for c in output))
    full = tuple(sizes.get(c, 1) for c in output)
    return result if tuple(result.shape) == full else ops.broadcast_to(result, full)
