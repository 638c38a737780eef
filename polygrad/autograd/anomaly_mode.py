"""Anomaly detection: find the forward line behind a failing or NaN-producing backward.

Inside ``detect_anomaly()`` (or after ``set_detect_anomaly(True)``) every recorded
node keeps the traceback of the forward call that created it; when its backward
raises, that traceback is shown as a warning ("Error detected in SqrtBackward0.
Traceback of forward call that caused the error:"), and with ``check_nan`` a
backward that returns NaN raises ``Function 'SqrtBackward0' returned nan values in
its 0th output.``. Off by default, and free when off.
"""

from __future__ import annotations

import warnings
from typing import Any

from .._core import _callbacks
from . import _watch

__all__ = [
    "detect_anomaly",
    "is_anomaly_check_nan_enabled",
    "is_anomaly_enabled",
    "set_detect_anomaly",
]


_ENABLED_WARNING = (
    "Anomaly Detection has been enabled. This mode will increase the runtime and should "
    "only be enabled for debugging."
)


def is_anomaly_enabled() -> bool:
    """True inside ``detect_anomaly()`` or after ``set_detect_anomaly(True)``."""
    return bool(_watch.anomaly["enabled"])


def is_anomaly_check_nan_enabled() -> bool:
    """Whether anomaly mode checks backward results for NaN (torch's default: True)."""
    return bool(_watch.anomaly["check_nan"])


def _set(mode: bool, check_nan: bool) -> None:
    _watch.anomaly["enabled"] = mode
    _watch.anomaly["check_nan"] = check_nan
    _watch.refresh()


class detect_anomaly:
    """Context manager (and decorator) enabling anomaly detection inside it."""

    def __init__(self, check_nan: bool = True) -> None:
        self.check_nan = check_nan
        warnings.warn(_ENABLED_WARNING, UserWarning, stacklevel=2)

    def __enter__(self) -> None:
        self._prev = (is_anomaly_enabled(), is_anomaly_check_nan_enabled())
        _set(True, self.check_nan)

    def __exit__(self, *exc: object) -> None:
        _set(*self._prev)

    def __call__(self, fn: Any) -> Any:
        import functools

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self.__class__(self.check_nan):
                return fn(*args, **kwargs)

        return wrapper


class set_detect_anomaly:
    """Turn anomaly detection on or off at once; as a context manager, restore on exit."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self._prev = (is_anomaly_enabled(), is_anomaly_check_nan_enabled())
        _set(bool(mode), check_nan)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _set(*self._prev)


def run_checked(node: Any, call: Any) -> Any:
    """Run a node's backward under anomaly mode: report its forward trace on failure."""
    trace = node._hooks.forward_trace if node._hooks is not None else None
    try:
        grads = call()
    except Exception:
        if trace is not None:
            warnings.warn(
                f"Error detected in {node.name()}. Traceback of forward call that caused "
                f"the error:\n{trace}",
                UserWarning,
                stacklevel=2,
            )
        raise
    if _watch.anomaly["check_nan"]:
        for i, g in enumerate(grads):
            if g is None:
                continue
            data = getattr(g, "_data", g)
            xp = node._backend.xp
            if bool(xp.any(xp.isnan(data))):
                if trace is not None:
                    warnings.warn(
                        f"Error detected in {node.name()}. Traceback of forward call that "
                        f"caused the error:\n{trace}",
                        UserWarning,
                        stacklevel=2,
                    )
                raise RuntimeError(
                    f"Function '{node.name()}' returned nan values in its {i}th output."
                )
    return grads


_callbacks.run_checked = run_checked  # the engine's check around nodes recorded in anomaly mode
