"""Running a scenario in torch and in polygrad, recording what a user would see.

A scenario is ``fn(lib, T, rec)``: ``lib`` is ``torch`` or ``polygrad``, ``T(data,
requires_grad=False, dtype="float32")`` makes a leaf (on the backend under test for
polygrad), and ``rec(label, value)`` / ``rec.attempt(label, thunk)`` log values,
exceptions (type and message) and warnings. The two logs must be equal: same
labels, same values (tensors by shape, dtype, ``requires_grad``, ``grad_fn`` name
and values), same exception types and message texts, same warnings.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

#: torch appends where in its C++ a warning was raised; that is not part of the text
_TRIGGERED = re.compile(r" \(Triggered internally at [^)]*\)\.?$")


@dataclass(frozen=True)
class Raised:
    type: str
    message: str


@dataclass(frozen=True)
class Warned:
    category: str
    message: str


@dataclass(frozen=True)
class TensorView:
    shape: tuple[int, ...]
    dtype: str
    requires_grad: bool
    grad_fn: str | None
    values: Any  # nested lists of Python numbers

    def matches(self, other: TensorView) -> bool:
        if (self.shape, self.dtype, self.requires_grad, self.grad_fn) != (
            other.shape,
            other.dtype,
            other.requires_grad,
            other.grad_fn,
        ):
            return False
        a, b = np.asarray(self.values, dtype=float), np.asarray(other.values, dtype=float)
        return bool(np.allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True))


#: Each library names its own API in a message (``torch.Size([3])`` / ``polygrad.Size([3])``,
#: ``torch.autograd.backward`` / ``pg.autograd.backward``): compared as one name.
_OWN_NAME = re.compile(r"\b(?:torch|polygrad|pg)\.(?=Size\(|float|complex|u?int|bool|autograd\.)")
#: A hint about torch.nn modules, which polygrad (having no nn) leaves out of its message.
_NN_HINT = re.compile(r"\s+If you were attempting to deepcopy a module.*$", re.S)


def clean(message: str) -> str:
    message = _NN_HINT.sub("", _TRIGGERED.sub("", message.strip()))
    return _OWN_NAME.sub("<library>.", message)


def _is_tensor(value: Any) -> bool:
    module = type(value).__module__
    return type(value).__name__ in ("Tensor", "Parameter") and module.split(".")[0] in (
        "torch",
        "polygrad",
    )


def normalize(value: Any) -> Any:
    """A library-neutral picture of ``value``."""
    if _is_tensor(value):
        data = value.detach()
        dtype = str(data.dtype).replace("torch.", "").replace("polygrad.", "")
        node = value.grad_fn
        return TensorView(
            tuple(value.shape),
            dtype,
            bool(value.requires_grad),
            None if node is None else node.name(),
            np.asarray(data.numpy(), dtype=float).tolist(),
        )
    if isinstance(value, (tuple, list)):
        return tuple(normalize(v) for v in value)
    if hasattr(value, "next_functions") and hasattr(value, "name"):
        return ("node", value.name())
    if isinstance(value, (np.ndarray, np.generic)):
        return np.asarray(value).tolist()
    return value


def same(a: Any, b: Any) -> bool:
    if isinstance(a, TensorView) and isinstance(b, TensorView):
        return a.matches(b)
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and isinstance(b, float):
        return bool(np.isclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True))
    return bool(a == b)


class Recorder:
    """The log of one scenario run."""

    def __init__(self) -> None:
        self.log: list[tuple[str, Any]] = []

    def __call__(self, label: str, value: Any) -> None:
        self.log.append((label, normalize(value)))

    def attempt(self, label: str, thunk: Callable[[], Any]) -> Any:
        """Run ``thunk``; log its value or the exception, and any warnings it gave."""
        value = None
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                value = thunk()
                result = normalize(value)
            except Exception as error:  # noqa: BLE001 - the exception is the observation
                result = Raised(type(error).__name__, clean(str(error)))
        self.log.append((label, result))
        for w in caught:
            if issubclass(w.category, RuntimeWarning):
                continue  # NumPy's floating-point warnings (divide by zero...): backend noise
            self.log.append(
                (f"{label} (warning)", Warned(w.category.__name__, clean(str(w.message))))
            )
        return value

    def quiet(self, thunk: Callable[[], Any]) -> Any:
        """Run ``thunk`` ignoring warnings it gives (ones the scenario is not about)."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return thunk()


def differences(
    want: list[tuple[str, Any]], got: list[tuple[str, Any]], limit: int = 3
) -> list[str]:
    """Up to ``limit`` observations that differ, matched by label (then by order among
    equal labels), so one extra warning does not misalign the rest."""

    def by_label(log: list[tuple[str, Any]]) -> dict[str, list[Any]]:
        table: dict[str, list[Any]] = {}
        for label, value in log:
            table.setdefault(label, []).append(value)
        return table

    w, g = by_label(want), by_label(got)
    found = []
    for label in dict.fromkeys([lbl for lbl, _ in want] + [lbl for lbl, _ in got]):
        wv, gv = w.get(label, []), g.get(label, [])
        if len(wv) != len(gv):
            found.append(f"{label}: torch logged {_short(wv)}, polygrad {_short(gv)}")
        elif not all(same(a, b) for a, b in zip(wv, gv)):
            a, b = next((a, b) for a, b in zip(wv, gv) if not same(a, b))
            found.append(f"{label}: torch {_short(a)}, polygrad {_short(b)}")
    return found[:limit]


def _short(value: Any, limit: int = 300) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."
