"""Views: ``y[0]``, ``y[:, 1:]``, ``y.T``, ``y.reshape(...)``, ``y.unbind()``... show part of
another tensor's data, and writing into one writes into that tensor, as in torch, on
every backend.

A view remembers its base (``v._base``) and the steps that take the base's data to its
own. An in-place op on a view (``v.mul_(2)``, ``v[0] = 1``) computes the base's new data
and every tensor sharing it is brought up to date: on NumPy and torch they share memory
anyway; on JAX and Dask, whose arrays are immutable, polygrad recomputes each live view
from the base after the write. A recorded write makes the base's ``grad_fn`` a
``CopySlices`` wrapping the op's node, and every view of it an ``AsStridedBackward0``,
as torch does. torch's refusals are kept: views of leaves that require grad, outputs of
multi-view ops (``unbind``, ``split``, ``chunk``), views made under ``no_grad`` and
modified with grad on, and expanded views. Which tensors share one array is
``_storage``'s record; this module makes a write reach each of them.
"""

from __future__ import annotations

from typing import Any

from . import _record
from ._backward_step import fix_grad
from ._grad_mode import _grad_enabled
from ._node import Node, _edge, new_node, next_sequence_number
from ._storage import Storage, path_of, storage_of
from ._tensor import Tensor
from ._view_steps import Step, Undo, contiguous, get_path, put_path

#: How a view was made, when torch treats it specially on an in-place write.
DEFAULT, MULTI_OUTPUT, NO_GRAD = 0, 1, 2


def layout_of(t: Tensor) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """torch's sizes and strides of ``t`` (a tensor that is not a view is contiguous)."""
    path = path_of(t)
    if not path:
        shape = tuple(t._data.shape)
        return shape, contiguous(shape)
    shape = tuple(t._vc[2].data.shape)
    strides = contiguous(shape)
    for step in path:
        shape, strides = step.layout(shape, strides)
    return shape, strides


def make_view(parent: Tensor, view: Tensor, step: Step, creation: int = DEFAULT) -> Tensor:
    """Record that ``view`` shows ``parent``'s data through ``step``: it shares the version
    counter and the data, and its base is ``parent``'s base (or ``parent``)."""
    storage = storage_of(parent)
    view._vc = parent._vc
    extra = view._get_extra()
    parent_extra = parent._extra
    if parent_extra is not None and parent_extra.base is not None:
        extra.base = parent_extra.base
        creation = parent_extra.creation or creation  # torch keeps the first special kind
    else:
        extra.base = parent
    extra.path = path_of(parent) + (step,)
    if creation == DEFAULT and not _grad_enabled.get():
        creation = NO_GRAD
    extra.creation = creation
    if _record._dual_hook is not None:  # forward AD: whose tangent this view's is part of
        extra.fw_base = fw_base_of(parent)
    storage.add(view)
    return view


def fw_base_of(t: Tensor) -> Tensor:
    """The tensor whose tangent ``t``'s tangent is a part of, in forward AD: its base, but
    a dual tensor (``make_dual``'s output) and ``unpack_dual``'s primal are their own, and
    a view made of one under a level is a part of theirs (torch's forward view chain)."""
    extra = t._extra
    if extra is None or extra.base is None:
        return t
    fw_base = getattr(extra, "fw_base", None)
    if fw_base is None:
        return extra.base
    return t if fw_base is True else fw_base


# -- the graph of a write through a view -----------------------------------------------------


def _device(backend: Any, g: Any) -> Any:
    return g.device if isinstance(g, Tensor) else backend.device_of(g)


class AsStridedBackward0(Node):
    """The history of a view after its base was written: its part of the base's gradient."""

    __slots__ = ("path", "base_shape")

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        zeros = xp.zeros(self.base_shape, dtype=g.dtype, device=_device(self._backend, g))
        return (put_path(xp, self._backend, zeros, self.path, g),)


class CopySlices(Node):
    """An in-place op on a view, recorded on the base: the op's node ``fn`` runs on the
    view's part of the gradient, the rest passes through unchanged (torch's CopySlices)."""

    __slots__ = ("path", "fn")

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def vjp(self, xp: Any, g: Any, *saved: Any) -> tuple[Any, ...]:
        fn = self.fn
        region = get_path(xp, g, self.path)
        fn_saved = fn._saved_tensors() if isinstance(g, Tensor) else fn._saved_raw()
        grads = fn.vjp(xp, region, *fn_saved)
        if fn._fix is not None:
            grads = tuple(fix_grad(xp, gi, spec) for gi, spec in zip(grads, fn._fix))
        gx = None
        if self.next_functions[0][0] is not None:
            first = grads[0] if grads[0] is not None else xp.zeros_like(region)
            gx = put_path(xp, self._backend, g, self.path, first)
        return (gx, *grads[1:])

    def _release(self) -> None:
        self.fn._release()


CopySlices.__qualname__ = "CopySlices"


def _relative_path(view: Tensor, base: Tensor) -> tuple[Step, ...]:
    """The steps from ``base``'s data to ``view``'s: past the base's own path, or, where
    the base changed shape in place since (``x.t_()``), back to where the paths part."""
    view_path, base_path = path_of(view), path_of(base)
    common = 0
    for a, b in zip(view_path, base_path):
        if a is not b:
            break
        common += 1
    if common == len(base_path):
        return view_path[common:]
    shape = tuple(base._vc[2].data.shape)
    strides = contiguous(shape)
    for step in base_path[:common]:
        shape, strides = step.layout(shape, strides)
    return (Undo(base_path[common:], shape, base._backend), *view_path[common:])


class InvalidView(Node):
    """The history of a view torch forbids to follow a write into its base (an output of
    ``unbind``, or a view made under ``no_grad``): reading ``grad_fn``, or a backward
    through it, raises torch's error."""

    __slots__ = ("message", "replaced")  # replaced: the view's node before (for errors)
    _invalidated = True

    def name(self) -> str:
        return "Invalid"

    def vjp(self, xp: Any, g: Any) -> tuple[Any, ...]:
        raise RuntimeError(self.message)


_OUTPUT_NR = Tensor.__dict__["_output_nr"]  # the slot itself, past InvalidatedView's property


class InvalidatedView(Tensor):
    """The class an ``InvalidView``'s tensor takes: every recorded op reads its inputs'
    ``_output_nr``, which here raises torch's error, so using the view with grad mode on
    raises as in torch while ordinary tensors pay nothing for the check."""

    __slots__ = ()

    @property
    def _output_nr(self) -> int:
        fn = self._grad_fn
        if isinstance(fn, InvalidView) and self._requires_grad:
            raise RuntimeError(fn.message)
        return _OUTPUT_NR.__get__(self)

    @_output_nr.setter
    def _output_nr(self, value: int) -> None:
        _OUTPUT_NR.__set__(self, value)

    @property
    def output_nr(self) -> int:
        return _OUTPUT_NR.__get__(self)

    @property
    def is_leaf(self) -> bool:
        fn = self._grad_fn
        if isinstance(fn, InvalidView) and self._requires_grad:
            raise RuntimeError(fn.message)
        return fn is None or not self._requires_grad


InvalidatedView.__name__ = InvalidatedView.__qualname__ = "Tensor"


def _node(cls: type[Node], base: Tensor) -> Any:
    return new_node(cls, (_edge(base),), (), base._backend)


def rebase_history(member: Tensor) -> None:
    """After a write, a view of a base that requires grad gets an ``AsStridedBackward0``
    pointing at the base's current history (torch regenerates it the same way)."""
    extra = member._extra
    if extra is None or extra.base is None or not extra.base._requires_grad:
        return
    base = extra.base
    if extra.creation == DEFAULT:
        node = _node(AsStridedBackward0, base)
        node.path = _relative_path(member, base)
        node.base_shape = tuple(base._data.shape)
    elif member._grad_fn is None or not member._grad_fn._invalidated:
        node = _node(InvalidView, base)
        node.message = _view_error(
            member, "its base or another view of its base has been modified inplace"
        )
        node.replaced = member._grad_fn
        member._grad_fn = node  # torch keeps its output number (``Output 1 of Unbind``)
        member._requires_grad = True
        member.__class__ = InvalidatedView
        return
    else:
        return
    member._grad_fn = node
    member._output_nr = 0
    member._requires_grad = True


#: What torch adds to its error for a view made by a multi-view op, or under no_grad.
REASONS = {
    MULTI_OUTPUT: "This view is the output of a function that returns multiple views. Such "
    "functions do not allow the output views to be modified inplace. You should "
    "replace the inplace operation by an out-of-place one.",
    NO_GRAD: "Given that this use case is ambiguous and error-prone, it is forbidden. You can "
    "clarify your code by moving both the view and the inplace either both inside the "
    "no_grad block (if you don't want the inplace to be tracked) or both outside (if "
    "you want the inplace to be tracked).",
}
OVERLAP_MESSAGE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single "
    "memory location. Please clone() the tensor before performing the operation."
)


def _short_name(node: Node) -> str:
    """A node's name as torch 2.13 prints it in error messages (``Unbind``, ``Pow1``)."""
    name = node.name()
    return name[: -len("Backward0")] if name.endswith("Backward0") else name.replace("Backward", "")


def _creation(view: Tensor) -> int:
    extra = view._extra
    return extra.creation if extra is not None else DEFAULT


def _view_error(view: Tensor, what: str) -> str:
    """torch's error for a view it cannot follow through a write (``handle_view_on_rebase``):
    named by its node if it has one, then the reason its kind gives."""
    fn = view._grad_fn
    if isinstance(fn, InvalidView):  # torch names the node that made the view
        fn = fn.replaced
    if fn is not None:
        start = f"Output {_OUTPUT_NR.__get__(view)} of {_short_name(fn)} is a view and {what}."
    else:
        start = f"A view was created in no_grad mode and {what} with grad mode enabled."
    return f"{start} {REASONS[_creation(view)]}"


def check_writable(view: Tensor) -> None:
    """torch's refusals of a recorded write through ``view``."""
    if _creation(view) != DEFAULT:
        raise RuntimeError(_view_error(view, "is being modified inplace"))


def record_on_base(view: Tensor, node: Node) -> None:
    """Make the base's history a ``CopySlices`` running ``node`` (an in-place op on
    ``view``, whose first edge is the view's old history) on the view's part of its
    gradient."""
    base = view._extra.base  # type: ignore[union-attr]
    assert base is not None
    copy = object.__new__(CopySlices)
    copy.next_functions = (_edge(base),) + node.next_functions[1:]
    copy._seq = next_sequence_number()  # after _edge, which may make base's AccumulateGrad
    copy._saved = ()
    copy._backend = node._backend
    # a fix-up of Nones sends the node down the engine's general path, whose
    # release also frees the wrapped node's saved values
    copy._fix = (None,) * len(copy.next_functions)
    copy._hooks = None
    copy.path = _relative_path(view, base)
    copy.fn = node
    base._grad_fn = copy
    base._output_nr = 0
    base._requires_grad = True


def rebase_views(t: Tensor) -> None:
    """Every live view sharing ``t``'s data takes its history from the base again (after
    the base's history changed without a write through ``write_through``)."""
    storage = t._vc[2]
    for ref in storage.members:
        member = ref()
        if member is not None and len(member._vc) > 2 and member._vc[2] is storage:
            rebase_history(member)


def _install(storage: Storage, data: Any, in_place: bool) -> None:
    """Make ``data`` the shared data (into the same buffer when ``in_place``), then
    bring every live member's data and, for views, history up to date."""
    old = storage.data
    if in_place and data is not old:
        try:
            old[...] = data
            data = old
        except (TypeError, ValueError):
            pass  # a read-only or scalar buffer: rebind
    storage.data = data
    live = []
    for ref in storage.members:
        member = ref()
        if member is None or len(member._vc) < 3 or member._vc[2] is not storage:
            continue  # gone, or given other data since (``x.data = t``)
        live.append(ref)
        member._data = get_path(member._backend.xp, data, path_of(member))
        rebase_history(member)
    storage.members = live


def write_through(t: Tensor, new: Any, node: Node | None) -> None:
    """Write ``new`` (``t``'s new values) into the data ``t`` shares; a recorded ``node``
    (the op's, taking ``t``'s old history first) becomes the base's ``CopySlices``."""
    path = path_of(t)
    if any(step.overlapping for step in path):
        raise RuntimeError(OVERLAP_MESSAGE)
    extra = t._extra
    if node is not None and extra is not None and extra.base is not None:
        record_on_base(t, node)
    elif node is not None:  # the base itself (or an alias of it) was written
        t._grad_fn = node
        t._output_nr = 0
        t._requires_grad = True
    storage = t._vc[2]
    backend = t._backend
    data = backend.bounded(put_path(backend.xp, backend, storage.data, path, new) if path else new)
    vc = t._vc
    _install(storage, data, in_place=backend.mutable and vc[1] != vc[0])
    vc[0] += 1
