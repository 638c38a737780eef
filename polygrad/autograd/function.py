"""Custom differentiable functions: subclass ``Function`` with static ``forward``/``backward``.

``MyFn.apply(*args)`` runs ``forward(ctx, *args)`` with grad mode off and records a
``MyFnBackward`` node, the same kind of node built-in ops record (one mechanism
for both). ``backward(ctx, *grad_outputs)`` returns one gradient (or None) per
input; under ``create_graph=True`` it runs with grad mode on, so a backward
written with polygrad ops is itself differentiable.
"""

from __future__ import annotations

from typing import Any

from .._core import _record
from .._core._backend import tensor_of
from .._core._grad_mode import _grad_enabled, no_grad
from .._core._node import Node, _edge, next_sequence_number
from .._core._record import MultiOutputNode
from .._core._tensor import Tensor, _make
from .._core._views import check_writable, rebase_views, record_on_base
from .forward_ad import _function_tangents


class FunctionCtx:
    """The ``ctx`` handed to ``forward``/``backward``: saved tensors and user attributes."""

    _inputs_meta: tuple[Any, ...]  # (shape, dtype) per input, set when the node is made

    def __init__(self) -> None:
        self._to_save: tuple[Any, ...] = ()
        self.needs_input_grad: tuple[bool, ...] = ()
        self._node: Any = None
        self.materialize_grads = True
        self.dirty: tuple[Tensor, ...] = ()
        self.non_differentiable: tuple[Tensor, ...] = ()

    def save_for_backward(self, *tensors: Any) -> None:
        for i, t in enumerate(tensors):
            if t is not None and not isinstance(t, Tensor):
                raise TypeError(
                    "save_for_backward can only save variables, but argument "
                    f"{i} is of type {type(t).__name__}"
                )
        self._to_save = tensors

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        node = self._node
        if node is None:
            return self._to_save
        return node._unpack_saved()

    def mark_dirty(self, *tensors: Tensor) -> None:
        self.dirty = tensors

    def mark_non_differentiable(self, *tensors: Tensor) -> None:
        self.non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        self.materialize_grads = bool(value)


class BackwardCFunction(MultiOutputNode):
    """The node of a custom Function; its class is named ``<Function>Backward``."""

    __slots__ = ("ctx", "_function", "_saved_meta")

    def _unpack_saved(self) -> tuple[Any, ...]:
        raw = self._saved_raw()
        out = []
        for value, meta in zip(raw, self._saved_meta):
            if meta is None:
                out.append(value)
            elif _grad_enabled.get() and meta[0] is not None:
                out.append(
                    _make(value, self._backend, meta[0], meta[1], True)
                    if meta[2] is None
                    else meta[2]
                )
            else:
                out.append(meta[2] if meta[2] is not None else _make(value, self._backend))
        return tuple(out)

    def vjp(self, xp: Any, g: Any, *saved: Any) -> tuple[Any, ...]:
        grads = g if isinstance(g, tuple) else (g,)
        wrapped = tuple(
            gi if isinstance(gi, Tensor) or gi is None else _make(gi, self._backend) for gi in grads
        )
        if not self.ctx.materialize_grads:
            wrapped = tuple(None if self._unused(i, gi) else gi for i, gi in enumerate(wrapped))
        if self._function.boxed_grads_call:  # backward takes one list it may empty
            result = self._function.backward(self.ctx, list(wrapped))
        else:
            result = self._function.backward(self.ctx, *wrapped)
        if not isinstance(result, tuple):
            result = (result,)
        return self._check(result, any(isinstance(gi, Tensor) for gi in grads))

    def _unused(self, index: int, g: Any) -> bool:
        return False

    def _check(self, result: tuple[Any, ...], as_tensors: bool) -> tuple[Any, ...]:
        n_inputs = len(self._inputs_meta)
        if len(result) < n_inputs or any(r is not None for r in result[n_inputs:]):
            raise RuntimeError(
                f"function {self.name()} returned an incorrect number of gradients "
                f"(expected {n_inputs}, got {len(result)})"
            )
        out: list[Any] = []
        for i, (r, meta) in enumerate(zip(result, self._inputs_meta)):
            if r is None:
                out.append(None)
                continue
            if meta is None:
                raise RuntimeError(
                    f"function {self.name()} returned a gradient different than None at "
                    f"position {i + 1}, but the corresponding forward input was not a Variable"
                )
            if not isinstance(r, Tensor):
                raise RuntimeError(f"expected Variable or None (got {type(r).__name__})")
            shape, dtype = meta
            if tuple(r._data.shape) != shape:
                raise RuntimeError(
                    f"Function {self.name()} returned an invalid gradient at index {i} - got "
                    f"{list(r._data.shape)} but expected shape compatible with {list(shape)}"
                )
            if r._data.dtype != dtype:
                r = (
                    r._backend.xp.astype(r._data, dtype)
                    if not as_tensors
                    else (r.__array_namespace__().astype(r, dtype))
                )
                r = r if isinstance(r, Tensor) else _make(r, self._backend)
            out.append(r if as_tensors else r._data)
        # gradients line up with next_functions, which has no slot for non-tensor arguments
        return tuple(o for o, meta in zip(out, self._inputs_meta) if meta is not None)

    @property
    def _inputs_meta(self) -> tuple[Any, ...]:
        return self.ctx._inputs_meta

    @property
    def saved_tensors(self) -> tuple[Any, ...]:
        return self._unpack_saved()


class FunctionMeta(type):
    """Gives each Function subclass its own ``<Name>Backward`` node class."""

    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> None:
        backward_cls = type(name + "Backward", (BackwardCFunction,), {"__slots__": ()})
        backward_cls.__module__ = "polygrad.autograd.function"
        cls._backward_cls = backward_cls
        super().__init__(name, bases, namespace)


class Function(metaclass=FunctionMeta):
    """Base class of user-defined differentiable operations (torch's ``autograd.Function``)."""

    _backward_cls: type[BackwardCFunction]
    #: True: ``backward(ctx, grads)`` gets the output gradients as one list, which it may
    #: empty as it goes to free them early (torch's ``boxed_grads_call``)
    boxed_grads_call = False

    @staticmethod
    def forward(ctx: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            "You must implement the forward function for custom autograd.Function."
        )

    @staticmethod
    def backward(ctx: Any, *grad_outputs: Any) -> Any:
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom "
            "autograd.Function to use it with backward mode AD."
        )

    vjp = backward

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        ctx = FunctionCtx()
        tensors = [a if isinstance(a, Tensor) else None for a in args]
        ctx.needs_input_grad = tuple(t is not None and t._requires_grad for t in tensors)
        setup = getattr(cls, "setup_context", None)
        custom_setup = (
            setup is not None and getattr(setup, "__func__", setup) is not _default_setup_context
        )
        # the edges are taken before forward runs, as torch does: an input that forward
        # modifies in place (a view of a tensor it also invalidates) still has its history
        edges = (
            tuple(_edge(t) for t in tensors if t is not None)
            if _grad_enabled.get() and any(ctx.needs_input_grad)
            else None
        )
        with no_grad():
            if custom_setup:
                outputs = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, outputs)  # type: ignore[attr-defined]
            else:
                outputs = cls.forward(ctx, *args, **kwargs)
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        if _record._dual_hook is not None:  # forward AD: the outputs' tangents come from jvp
            _function_tangents(cls, ctx, args, outs)
        record = _grad_enabled.get() and any(ctx.needs_input_grad)
        if record:
            _check_dirty_leaves(ctx.dirty)
        if not record:
            for d in ctx.dirty:
                d._vc[0] += 1
            return outputs
        backend = next(t._backend for t in tensors if t is not None)
        node: BackwardCFunction = object.__new__(cls._backward_cls)
        # one edge per tensor argument: numbers and other non-tensors get none, as in torch
        node.next_functions = (
            edges if edges is not None else tuple(_edge(t) for t in tensors if t is not None)
        )
        node._seq = next_sequence_number()  # after _edge, which may make AccumulateGrads
        node._backend = backend
        node._fix = None
        node._hooks = None
        node.ctx = ctx
        node._function = cls
        ctx._node = node
        ctx._inputs_meta = tuple(
            None if t is None else (tuple(t._data.shape), t._data.dtype) for t in tensors
        )
        results = []
        for i, o in enumerate(outs):
            if not isinstance(o, Tensor):
                results.append(o)
                continue
            if o._backend is not backend:
                raise TypeError(_other_backend_message(cls, i, o._backend, backend))
            if any(o is t for t in args if isinstance(t, Tensor)) and not any(
                o is d for d in ctx.dirty
            ):
                o = _make(o._data, o._backend)  # an input returned as-is becomes a new output
            nondiff = any(o is n for n in ctx.non_differentiable)
            if not nondiff and o.dtype.differentiable:
                if (
                    o._extra is not None
                    and o._extra.base is not None
                    and any(o is d for d in ctx.dirty)
                ):
                    _rebase_dirty_view(o, node, len(outs))
                else:
                    o._grad_fn, o._output_nr, o._requires_grad = node, i, True
            results.append(o)
        for d in ctx.dirty:
            if not any(d is r for r in results):
                raise RuntimeError(
                    "Some elements marked as dirty during the forward method were not "
                    "returned as output. The inputs that are modified inplace must all be "
                    "outputs of the Function."
                )
            d._vc[0] += 1
        node._num_outputs = len(outs)
        node._output_meta = tuple(
            (tuple(o._data.shape), o._data.dtype) if isinstance(o, Tensor) else ((), None)
            for o in results
        )
        node._output_device = backend.device_of(
            next(o for o in results if isinstance(o, Tensor))._data
        )
        saved: list[Any] = []
        meta: list[Any] = []
        for s in ctx._to_save:
            if s is None:
                saved.append(None)
                meta.append(None)
                continue
            is_output = any(s is r for r in results)
            saved.append(s._data)
            s._vc[1] = s._vc[0]
            if is_output:
                meta.append((node, s._output_nr, None))
            else:
                meta.append((s._grad_fn, s._output_nr, s if s._grad_fn is None else None))
        node._saved = tuple(saved)
        node._saved_meta = tuple(meta)
        ctx._to_save = ()
        return results[0] if single else tuple(results)


def _other_backend_message(cls: type, index: int, found: Any, expected: Any) -> str:
    """Why ``apply`` refuses an output on another backend: its backward would mix two."""
    return (
        f"{cls.__name__}.forward returned {tensor_of(found)} as output {index}, but its "
        f"inputs are {expected.name} tensors, so backward would mix two backends; convert "
        f'the output inside forward, e.g. pg.tensor(result, backend="{expected.name}")'
    )


def _check_dirty_leaves(dirty: tuple[Tensor, ...]) -> None:
    """torch refuses to let a Function modify a leaf (or a view of one) that requires grad."""
    for d in dirty:
        if d._grad_fn is None and d._requires_grad:
            raise RuntimeError(
                "a leaf Variable that requires grad has been used in an in-place operation."
            )
        base = d._extra.base if d._extra is not None else None
        if base is not None and base._grad_fn is None and base._requires_grad:
            raise RuntimeError(
                "a view of a leaf Variable that requires grad is being used in an in-place operation."
            )


_DIRTY_VIEW_MESSAGE = (
    "If your Function modifies inplace an input that is a view of another Tensor, your "
    "Function cannot return more than one Tensor. This is not supported by the current "
    "autograd engine. You should either make sure the input is not a view (using .clone() "
    "for example) or make your Function only return one Tensor (potentially splitting it "
    "into two Functions: one doing the inplace that returns a single Tensor and a second one "
    "that does the other operations). You can ask on the forum "
    "https://discuss.pytorch.org/ if you need help to do this change."
)


def _rebase_dirty_view(view: Tensor, node: BackwardCFunction, n_outputs: int) -> None:
    """A Function modified ``view`` (an input, marked dirty) in place: as torch does, the
    base's history becomes a ``CopySlices`` running the Function's node on the view's part
    of the gradient (the view is taken to be the first input), and every view of the base,
    ``view`` included, an ``AsStridedBackward0`` of it."""
    if view._requires_grad:
        check_writable(view)  # outputs of unbind/split/chunk, views made under no_grad
    if n_outputs != 1:
        raise RuntimeError(_DIRTY_VIEW_MESSAGE)
    record_on_base(view, node)
    rebase_views(view)


def _default_setup_context(ctx: Any, inputs: Any, output: Any) -> None:
    raise NotImplementedError("setup_context is not implemented.")


Function.setup_context = staticmethod(_default_setup_context)  # type: ignore[attr-defined]


def once_differentiable(fn: Any) -> Any:
    """Run a custom ``backward`` without recording, even under ``create_graph=True``."""
    import functools

    @functools.wraps(fn)
    def wrapper(ctx: Any, *grads: Any) -> Any:
        with no_grad():
            return fn(ctx, *grads)

    return wrapper


__all__ = ["Function", "FunctionCtx", "once_differentiable", "Node"]
