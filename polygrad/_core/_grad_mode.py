"""Grad modes: switch graph recording off and on, per thread and per async task.

``no_grad``, ``enable_grad``, ``set_grad_enabled`` and ``inference_mode`` work as
context managers and as decorators, like torch's; ``set_grad_enabled(False)`` also
switches the mode at once when used as a plain call. The state lives in context
variables, so a new thread starts with grad enabled whatever the main thread does.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar, overload

F = TypeVar("F", bound=Callable[..., Any])

_grad_enabled: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "polygrad_grad_enabled", default=True
)
_inference: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "polygrad_inference_mode", default=False
)
#: How many of polygrad's function transforms (``pg.grad``, ``pg.vjp``, ``pg.jacrev``...)
#: are running the user's function: there a value leaving the graph is a silent zero.
_transform_depth: contextvars.ContextVar[int] = contextvars.ContextVar(
    "polygrad_transform_depth", default=0
)


def is_grad_enabled() -> bool:
    """True when operations record a graph in this thread (or async task)."""
    return _grad_enabled.get()


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()``."""
    return _inference.get()


class _DecoratorContextManager:
    """Base for grad-mode objects usable as ``with`` blocks and as decorators."""

    def __call__(self, func: F) -> F:
        if inspect.isclass(func):
            raise TypeError("grad-mode decorators apply to functions, not classes")
        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def generator(*args: Any, **kwargs: Any) -> Any:
                gen = func(*args, **kwargs)
                value = None
                while True:
                    with self._clone():
                        try:
                            item = gen.send(value)
                        except StopIteration as stop:
                            return stop.value
                    value = yield item

            return generator  # type: ignore[return-value]

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self._clone():
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def _clone(self) -> _DecoratorContextManager:
        return self.__class__()

    def __enter__(self) -> None:
        raise NotImplementedError

    def __exit__(self, *exc: object) -> None:
        raise NotImplementedError


_Mode = TypeVar("_Mode", bound="_FixedGradMode")


class _FixedGradMode(_DecoratorContextManager):
    """``no_grad`` and ``enable_grad``: grad mode ``_mode`` inside, the previous one after;
    also usable as a bare decorator (``@no_grad`` without parentheses)."""

    _mode: bool

    @overload
    def __new__(cls: type[_Mode], orig_func: None = None) -> _Mode: ...

    @overload
    def __new__(cls, orig_func: F) -> F: ...  # type: ignore[misc]  # @no_grad, bare

    def __new__(cls, orig_func: Callable[..., Any] | None = None) -> Any:
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)

    def __enter__(self) -> None:
        self._prev = _grad_enabled.get()
        _grad_enabled.set(self._mode)

    def __exit__(self, *exc: object) -> None:
        _grad_enabled.set(self._prev)


class no_grad(_FixedGradMode):
    """Disable graph recording inside the block (or the decorated function).

    Results of operations get ``requires_grad=False``; factories still honour an
    explicit ``requires_grad=True``. Like torch, one instance reused nested keeps
    only the state of its last entry.
    """

    _mode = False


class enable_grad(_FixedGradMode):
    """Enable graph recording inside the block, e.g. within ``no_grad``."""

    _mode = True


class set_grad_enabled(_DecoratorContextManager):
    """Set grad mode to ``mode``: at once when called, restored when used as ``with``."""

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(
                "set_grad_enabled(): argument 'enabled' (position 1) must be bool, "
                f"not {type(mode).__name__}"
            )
        self._prev = _grad_enabled.get()
        self.mode = mode
        _grad_enabled.set(mode)

    def _clone(self) -> set_grad_enabled:
        return self.__class__(self.mode)

    def __call__(self, func: F) -> F:
        # Used as a decorator: constructing it switched the mode, so restore it.
        _grad_enabled.set(self._prev)
        return super().__call__(func)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _grad_enabled.set(self._prev)

    def __repr__(self) -> str:
        return f"polygrad.set_grad_enabled(mode={self.mode})"


class inference_mode(_DecoratorContextManager):
    """Like ``no_grad``, for code that will never be differentiated.

    ``inference_mode(False)`` is a no-op block, as in torch.
    """

    def __new__(cls, mode: Any = True) -> Any:
        if callable(mode) and not isinstance(mode, bool):
            return cls(True)(mode)
        return super().__new__(cls)

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def _clone(self) -> inference_mode:
        return self.__class__(self.mode)

    def __enter__(self) -> None:
        self._prev = (_grad_enabled.get(), _inference.get())
        if self.mode:
            _grad_enabled.set(False)
            _inference.set(True)

    def __exit__(self, *exc: object) -> None:
        _grad_enabled.set(self._prev[0])
        _inference.set(self._prev[1])
