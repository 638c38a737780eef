"""Printing tensors as torch does, on every backend.

``repr(x)`` gives torch's text for the same values (``tensor([0., 1.], requires_grad=True)``,
scientific notation, wrapping at 80 columns, ``...`` past 1000 elements), with dtypes
written ``polygrad.float64``. A port of ``torch/_tensor_str.py``, on a NumPy copy of
the data (``backend.to_numpy``), so it runs the same on every backend.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..._core._backend import current
from ..._core._dtypes import _KINDS, get_default_dtype
from ...autograd.forward_ad import tangent_of

PRECISION, THRESHOLD, EDGEITEMS, LINEWIDTH = 4, 1000, 3, 80


class _Formatter:
    """Chooses integer / fixed / scientific notation and the common width of elements."""

    def __init__(self, a: np.ndarray, floating: bool) -> None:
        self.floating, self.int_mode, self.sci_mode, self.max_width = floating, True, False, 1
        flat = a.reshape(-1)
        if not floating:
            self.max_width = max([1] + [len(f"{v}") for v in flat.tolist()])
            return
        vals = flat[np.isfinite(flat) & (flat != 0)]
        if vals.size == 0:
            return
        absv = np.abs(vals)
        lo, hi = float(absv.min()), float(absv.max())
        self.int_mode = bool(np.all(vals == np.ceil(vals)))
        self.sci_mode = hi / lo > 1000.0 or hi > 1.0e8 or lo < 1.0e-4
        for v in vals.tolist():
            if self.sci_mode:
                width = len(f"{v:.{PRECISION}e}")
            elif self.int_mode:
                width = len(f"{v:.0f}") + 1
            else:
                width = len(f"{v:.{PRECISION}f}")
            self.max_width = max(self.max_width, width)

    def format(self, value: Any) -> str:
        if not self.floating:
            ret = f"{value}"
        elif self.sci_mode:
            ret = f"{value:{self.max_width}.{PRECISION}e}"
        elif self.int_mode:
            ret = f"{value:.0f}"
            if not (math.isinf(value) or math.isnan(value)):
                ret += "."
        else:
            ret = f"{value:.{PRECISION}f}"
        return (self.max_width - len(ret)) * " " + ret


def _value_str(val: Any, f1: _Formatter, f2: _Formatter | None) -> str:
    if f2 is None:
        return f1.format(val)
    real, imag = f1.format(val.real), (f2.format(val.imag) + "j").lstrip()
    return real + imag if imag[0] in "+-" else real + "+" + imag


def _vector_str(
    a: np.ndarray, indent: int, summarize: bool, f1: _Formatter, f2: _Formatter | None
) -> str:
    element_length = f1.max_width + 2 + (f2.max_width + 1 if f2 is not None else 0)
    per_line = max(1, math.floor((LINEWIDTH - indent) / element_length))
    if summarize and a.shape[0] > 2 * EDGEITEMS:
        data = (
            [_value_str(v, f1, f2) for v in a[:EDGEITEMS].tolist()]
            + [" ..."]
            + [_value_str(v, f1, f2) for v in a[-EDGEITEMS:].tolist()]
        )
    else:
        data = [_value_str(v, f1, f2) for v in a.tolist()]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _nd_str(
    a: np.ndarray, indent: int, summarize: bool, f1: _Formatter, f2: _Formatter | None
) -> str:
    if a.ndim == 0:
        return _value_str(a.item(), f1, f2)
    if a.ndim == 1:
        return _vector_str(a, indent, summarize, f1, f2)
    n = a.shape[0]
    if summarize and n > 2 * EDGEITEMS:
        rows = list(range(EDGEITEMS)) + [None] + list(range(n - EDGEITEMS, n))
    else:
        rows = list(range(n))
    slices = ["..." if i is None else _nd_str(a[i], indent + 1, summarize, f1, f2) for i in rows]
    return "[" + ("," + "\n" * (a.ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized(a: np.ndarray) -> np.ndarray:
    """The elements that a summarized print shows (edge items along every axis)."""
    idx = [
        np.r_[0:EDGEITEMS, n - EDGEITEMS : n] if n > 2 * EDGEITEMS else np.arange(n)
        for n in a.shape
    ]
    return a[np.ix_(*idx)] if idx else a


def _tensor_str(a: np.ndarray, kind: str, indent: int) -> str:
    summarize = a.size > THRESHOLD
    if kind == "complex floating":
        a = a.astype(np.complex128)
        shown = _summarized(a) if summarize else a
        f1, f2 = _Formatter(shown.real, True), _Formatter(shown.imag, True)
        return _nd_str(a, indent, summarize, f1, f2)
    floating = kind == "real floating"
    if floating:
        a = a.astype(np.float64)  # exact; also covers float16 and bfloat16 storage
    return _nd_str(
        a, indent, summarize, _Formatter(_summarized(a) if summarize else a, floating), None
    )


def _add_suffixes(text: str, suffixes: list[str], indent: int) -> str:
    parts = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    return "".join(parts) + ")"


def _grad_fn_name(node: Any) -> str:
    try:
        name = node.name()
    except Exception:
        name = type(node).__name__
    return str(name).rsplit("::", 1)[-1]


def tensor_repr(t: Any) -> str:
    """``repr`` of a polygrad Tensor, identical to torch's for the same values and flags;
    a tensor of another backend than the current default says which (``backend='torch'``)."""
    a = np.asarray(t._backend.to_numpy(t._data))
    dtype = t.dtype
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if t._backend is not current()[0]:  # like torch's device=: shown when not the default
        suffixes.append(f"backend='{t._backend.name}'")
    device = str(t.device)
    if device.startswith("cuda"):
        suffixes.append(f"device='{device}'")
    default = get_default_dtype().name
    default_complex = "complex128" if default == "float64" else "complex64"
    if a.size == 0:
        if a.ndim != 1:
            suffixes.append("size=" + str(tuple(int(d) for d in a.shape)))
        if dtype.name != default:
            suffixes.append(f"dtype=polygrad.{dtype.name}")
        body = "[]"
    else:
        if dtype.name not in (default, default_complex, "int64", "bool"):
            suffixes.append(f"dtype=polygrad.{dtype.name}")
        body = _tensor_str(a, _KINDS[dtype.name], indent)
    # a dual tensor shows its tangent, as torch's does (looked up first: computing it
    # finishes the op that made ``t``, which may still hold a node for forward AD only)
    tangent = tangent_of(t) if hasattr(t, "__array_namespace__") else None
    if t._grad_fn is not None:
        suffixes.append(f"grad_fn=<{_grad_fn_name(t._grad_fn)}>")
    elif t.requires_grad:
        suffixes.append("requires_grad=True")
    if tangent is not None:
        suffixes.append(f"tangent={tensor_repr(tangent)}")
    return _add_suffixes(prefix + body, suffixes, indent)
