"""Graph nodes: what ``tensor.grad_fn`` is, and the hooks a user can put on it.

Every differentiable operation, built-in or a user's ``Function``, records one
``Node`` subclass instance (``MulBackward0``, ``AccumulateGrad``, ``MyFnBackward``)
holding ``next_functions`` (one ``(node, output_nr)`` edge per input, ``(None, 0)``
for constants), the values its rule needs (raw backend arrays, released after
backward unless ``retain_graph``), and optional hooks. A tensor enters the graph
as an input through ``_edge`` (its ``grad_fn``, or the ``AccumulateGrad`` a leaf gets
on first use); a saved array comes back out as a Tensor through ``_saved_as_tensor``.
Nodes build on ``_tensor``, which knows them only as the type of ``grad_fn``.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import _callbacks
from ._hook_dict import HookDict, RemovableHandle
from ._tensor import Tensor, _Extra, _make

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved "
    "tensors after they have already been freed). Saved intermediate values of the "
    "graph are freed when you call .backward() or autograd.grad(). Specify "
    "retain_graph=True if you need to backward through the graph a second time or "
    "if you need to access saved tensors after calling backward."
)


#: Nodes are numbered as they are made: a node's inputs' nodes were all made before it,
#: so running the highest number first runs every node after all that feed it
next_sequence_number = itertools.count().__next__


class _NodeHooks:
    """Hooks of one node; created only when a user registers one."""

    __slots__ = ("pre", "post", "tensor_pre", "retain", "metadata", "unpack", "forward_trace")

    def __init__(self) -> None:
        self.unpack: Callable[[Any], Any] | None = None  # saved_tensors_hooks' unpack
        self.forward_trace: str | None = None  # anomaly mode: where the forward ran
        self.pre: HookDict | None = None  # fn(grad_outputs) -> grad_outputs | None
        self.post: HookDict | None = None  # fn(grad_inputs, grad_outputs) -> grad_inputs | None
        self.tensor_pre: dict[int, HookDict] = {}  # output_nr -> tensor hooks
        self.retain: dict[int, weakref.ref[Tensor]] = {}  # output_nr -> retain_grad tensor
        self.metadata: dict[str, Any] | None = None


class Node:
    """A backward function: ``grad_fn`` of a non-leaf tensor.

    Subclasses set ``_saved_from`` (for each saved value, the input index it came
    from, or ``-1 - k`` for output ``k``) and implement ``vjp(xp, g, *saved)``
    returning one gradient (or ``None``) per input. The rule is array-API code: the
    engine runs it with the backend's namespace on raw arrays, or with polygrad's
    namespace on Tensors when ``create_graph=True`` so the backward is recorded.
    """

    __slots__ = ("next_functions", "_saved", "_backend", "_fix", "_hooks", "_seq", "__weakref__")
    _saved_from: tuple[int, ...] = ()
    #: True where the class has ``vjp_into``: the same rule, free to overwrite ``g`` (the
    #: engine calls it only with a gradient array nothing else references)
    _reuses_gradient = False
    _num_outputs = 1
    _invalidated = False  # _views.InvalidView: reading it as ``grad_fn`` raises

    next_functions: tuple[tuple[Node | None, int], ...]
    _saved: Any
    _backend: Any
    _fix: Any
    _hooks: _NodeHooks | None
    _seq: int  # the order nodes were made in (``next_sequence_number``)

    if TYPE_CHECKING:
        # An op's parameters are extra attributes its function sets after recording
        # (``result._grad_fn.axis = axis``); tell the type checker they exist.
        def __setattr__(self, name: str, value: Any) -> None: ...

    def __getattr__(self, name: str) -> Any:
        """torch's names for saved values (``_saved_self``, ``_raw_saved_other``...);
        reached only when no attribute has the name, so it costs the hot path nothing."""
        if name.startswith(("_saved_", "_raw_saved_")):
            return _callbacks.saved_attribute(self, name)
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def name(self) -> str:
        """The node's name as torch reports it (``"MulBackward0"``)."""
        return type(self).__name__

    def __repr__(self) -> str:
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    def vjp(self, xp: Any, g: Any, *saved: Any) -> tuple[Any, ...]:
        raise NotImplementedError(f"{self.name()} has no vector-Jacobian product")

    # -- saved values ------------------------------------------------------------

    def _release(self) -> None:
        if self._saved:
            self._saved = None

    def _saved_raw(self) -> tuple[Any, ...]:
        saved = self._saved
        if saved is None:
            raise RuntimeError(FREED_MESSAGE)
        hooks = self._hooks
        if hooks is not None and hooks.unpack is not None:
            return hooks.unpack(saved)
        return saved

    def _saved_tensors(self) -> tuple[Any, ...]:
        """Saved values as Tensors connected to the graph (for ``create_graph``)."""
        saved = self._saved_raw()
        out = []
        for value, source in zip(saved, self._saved_from):
            if source >= 0:
                node, nr = self.next_functions[source]
            else:
                node, nr = self, -1 - source
            # is_array first: NumPy scalars (np.float64, from x.sum() or x[1]) subclass
            # Python float, yet are saved arrays that must stay connected to the graph
            out.append(
                _saved_as_tensor(value, self._backend, node, nr)
                if not isinstance(value, Tensor) and self._backend.is_array(value)
                else value
            )
        if _callbacks.forward_ad is not None:  # forward AD: saved values keep their tangents
            _callbacks.forward_ad._saved_with_tangents(self, out)
        return tuple(out)

    # -- hooks ---------------------------------------------------------------------

    def _node_hooks(self) -> _NodeHooks:
        hooks = self._hooks
        if hooks is None:
            hooks = self._hooks = _NodeHooks()
        return hooks

    def register_hook(self, fn: Callable[..., Any]) -> RemovableHandle:
        """Run ``fn(grad_inputs, grad_outputs)`` after this node; may return new grad_inputs."""
        hooks = self._node_hooks()
        if hooks.post is None:
            hooks.post = HookDict()
        return hooks.post.add(fn)

    def register_prehook(self, fn: Callable[..., Any]) -> RemovableHandle:
        """Run ``fn(grad_outputs)`` before this node; may return new grad_outputs."""
        hooks = self._node_hooks()
        if hooks.pre is None:
            hooks.pre = HookDict()
        return hooks.pre.add(fn)

    @property
    def metadata(self) -> dict[str, Any]:
        """A dict that stays with the node, for the user's own notes."""
        hooks = self._node_hooks()
        if hooks.metadata is None:
            hooks.metadata = {}
        return hooks.metadata

    def __call__(self, *grads: Any) -> Any:
        """Apply the node's rule to output gradients (Tensors), like ``grad_fn(g)`` in torch."""
        g = grads[0] if self._num_outputs == 1 else grads
        result = self.vjp(_callbacks.recording_namespace(self._backend), g, *self._saved_tensors())
        return result[0] if len(result) == 1 else result


def new_node(
    cls: type[Node], next_functions: tuple[Any, ...], saved: tuple[Any, ...], backend: Any
) -> Any:
    """Create a node without running ``__init__`` (the per-op hot path)."""
    node = object.__new__(cls)
    node._seq = next_sequence_number()
    node.next_functions = next_functions
    node._saved = saved
    node._backend = backend
    node._fix = None
    node._hooks = None
    return node


class AccumulateGrad(Node):
    """The node of a leaf that requires grad: adds incoming gradients into ``.grad``."""

    __slots__ = ("_variable_ref",)

    @property
    def variable(self) -> Tensor | None:
        """The leaf tensor this node accumulates into."""
        return self._variable_ref()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"


def accumulate_grad_node(tensor: Tensor) -> AccumulateGrad:
    node = new_node(AccumulateGrad, (), (), tensor._backend)
    node._variable_ref = weakref.ref(tensor)
    return node


def _edge(t: Tensor) -> tuple[Node | None, int]:
    """The graph edge a tensor contributes as an input: its grad_fn or leaf accumulator."""
    if not t._requires_grad:
        return (None, 0)
    fn = t._grad_fn
    if fn is not None:
        return (fn, t._output_nr)
    extra = t._extra
    if extra is None:
        extra = t._extra = _Extra()
    acc = extra.acc
    if acc is None:
        acc = extra.acc = accumulate_grad_node(t)
    return (acc, 0)


def _saved_as_tensor(value: Any, backend: Any, node: Node | None, nr: int) -> Tensor:
    """A saved raw array as a Tensor wired to the node it came from (for create_graph)."""
    if node is None or not backend.pg_dtype(value.dtype).differentiable:
        return _make(value, backend)  # constants, and integer outputs such as indices
    if type(node) is AccumulateGrad:
        leaf = node.variable
        if leaf is not None and leaf._data is value:
            return leaf
    return _make(value, backend, node, nr, True)
