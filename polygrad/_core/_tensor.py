"""The Tensor: a backend array plus its place in the autograd graph.

A ``Tensor`` wraps one array of any array-API library (``._data``) and carries
torch's autograd attributes: ``requires_grad``, ``grad``, ``grad_fn``, ``is_leaf``,
``retain_grad()``, ``register_hook``, ``detach()``, ``.data`` and the version counter.
This module holds the state and its rules; metadata (``shape``, ``dtype``...),
operators and torch-style methods call ops, which build on this layer, so
``polygrad._spellings.methods`` binds them onto ``Tensor`` when polygrad is imported.
"""

from __future__ import annotations

import warnings
import weakref
from typing import TYPE_CHECKING, Any

from ._backend import tensor_of
from ._grad_mode import _grad_enabled, _inference
from ._hook_dict import HookDict, RemovableHandle
from ._storage import make_alias
from ._torch_type_names import cpp_name, scalar_type_name

_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its "
    ".grad attribute won't be populated during autograd.backward(). If you indeed want "
    "the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the "
    "non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access "
    "the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more "
    "information."
)


class _Extra:
    """Rarely used per-tensor state, allocated on first use to keep tensors small."""

    __slots__ = (
        "hooks",
        "post_acc_hooks",
        "acc",
        "retains_grad",
        "base",
        "path",
        "creation",
        "inference",
        "fw_base",
    )
    #: views made under a forward-AD level, and dual tensors (True): ``_views.fw_base_of``
    fw_base: Any

    def __init__(self) -> None:
        self.hooks: HookDict | None = None
        self.post_acc_hooks: HookDict | None = None
        self.acc: AccumulateGrad | None = None
        self.retains_grad = False
        self.base: Tensor | None = None  # views: the tensor whose data they show (``_base``)
        self.path: tuple[Any, ...] = ()  # views and aliases: steps from the shared data
        self.creation = 0  # views: how torch treats in-place writes (``_views``)
        self.inference = False


if (
    TYPE_CHECKING
):  # the methods polygrad._spellings (methods/, torch_api/) binds onto Tensor, for type checkers
    from .._spellings.methods import BoundMethods as _OwnMethods
    from .._spellings.torch_api import TorchMethods
    from ._node import AccumulateGrad, Node

    # torch_api's methods replace same-named ones when polygrad is imported: first here too
    class BoundMethods(TorchMethods, _OwnMethods): ...
else:
    BoundMethods = object


class Tensor(BoundMethods):
    """An n-dimensional array of any array-API library that records autograd history.

    Build one with ``pg.tensor(data)``, a factory (``pg.zeros``, ``pg.randn``...) or
    the legacy ``pg.Tensor([0, 1, 2])`` (float32) / ``pg.Tensor(2, 3)`` (shape).
    """

    __slots__ = (
        "_data",
        "_backend",
        "_grad_fn",
        "_output_nr",
        "_requires_grad",
        "_vc",
        "_grad",
        "_extra",
        "__weakref__",
    )

    _data: Any
    _backend: Any
    _grad_fn: Node | None
    _output_nr: int
    _requires_grad: bool
    _vc: list[Any]  # [version, version when last saved, shared data (_storage.Storage, optional)]
    _grad: Tensor | None
    _extra: _Extra | None

    # -- autograd state ------------------------------------------------------------------

    @property
    def requires_grad(self) -> bool:
        """Whether gradients flow to (or through) this tensor."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        if self._grad_fn is not None:
            message = "you can only change requires_grad flags of leaf variables."
            if not value:
                message += (
                    " If you want to use a computed variable in a subgraph that doesn't "
                    "require differentiation use var_no_grad = var.detach()."
                )
            raise RuntimeError(message)
        if value and not self.dtype.differentiable:
            raise RuntimeError(
                "only Tensors of floating point and complex dtype can require gradients"
            )
        self._requires_grad = bool(value)

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return self (a no-op True on non-leaves)."""
        if requires_grad is not True and requires_grad is not False:
            kind = type(requires_grad)
            name = (
                kind.__qualname__
                if kind.__module__ == "builtins"
                else f"{kind.__module__}.{kind.__qualname__}"
            )
            raise TypeError(
                f"requires_grad_(): argument 'requires_grad' (position 1) must be bool, not {name}"
            )
        if self._grad_fn is not None:
            if not requires_grad:
                self.requires_grad = False  # raises torch's message
            return self
        if requires_grad and not self.dtype.differentiable:
            # torch's wording here omits "and complex", though complex leaves are allowed
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = requires_grad
        return self

    @property
    def is_leaf(self) -> bool:
        """True for tensors the user created (and every tensor that needs no grad)."""
        # not requiring grad also covers forward AD's node-in-waiting (autograd.forward_ad)
        return self._grad_fn is None or not self._requires_grad

    def is_inference(self) -> bool:
        """True for a tensor made inside ``inference_mode()`` (torch's inference tensor)."""
        return self._extra is not None and self._extra.inference

    @property
    def grad_fn(self) -> Node | None:
        """The node that produced this tensor, or None for leaves."""
        fn = self._grad_fn
        if fn is not None and fn._invalidated:
            raise RuntimeError(fn.message)
        return fn if self._requires_grad else None

    @property
    def output_nr(self) -> int:
        """Which output of ``grad_fn`` this tensor is (0 for most ops and for leaves)."""
        return self._output_nr

    @property
    def grad(self) -> Tensor | None:
        """Accumulated gradient (leaves, or non-leaves after ``retain_grad()``)."""
        grad = self._grad
        if grad is None and self._grad_fn is not None and not self.retains_grad:
            warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return grad

    @grad.setter
    def grad(self, value: Tensor | None) -> None:
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(
                    "assigned grad expected to be a Tensor or None but got grad of type "
                    f"{type(value).__name__}"
                )
            if tuple(value.shape) != tuple(self.shape):
                raise RuntimeError(
                    f"attempting to assign a gradient of size '{list(value.shape)}' to a "
                    f"tensor of size '{list(self.shape)}'. Please ensure that the gradient "
                    "and the tensor are the same size"
                )
            if value.dtype != self.dtype:
                got, want = cpp_name(value.dtype.name), scalar_type_name(self.dtype.name)
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{got}' to a "
                    f"tensor with grad_dtype '{want}'. The gradient must match "
                    "the tensor's grad_dtype (defaults to the tensor's dtype). You can set the "
                    "tensor's grad_dtype attribute with a specific dtype, or None to allow any "
                    "dtype. Set grad_dtype with caution. Diverging the dtypes of a tensor and "
                    "its gradient may break downstream systems that assume they match."
                )
            if value._backend is not self._backend:
                raise TypeError(
                    f"assigned grad is {tensor_of(value._backend)} but the tensor is on "
                    f"the {self._backend.name} backend"
                )
        self._grad = value

    def _get_extra(self) -> _Extra:
        extra = self._extra
        if extra is None:
            extra = self._extra = _Extra()
        return extra

    @property
    def retains_grad(self) -> bool:
        """True for a non-leaf on which ``retain_grad()`` was called."""
        extra = self._extra
        return extra is not None and extra.retains_grad

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf after backward (a no-op on leaves)."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None:
            return
        self._get_extra().retains_grad = True
        self._grad_fn._node_hooks().retain[self._output_nr] = weakref.ref(self)

    def register_hook(self, hook: Any) -> RemovableHandle:
        """Call ``hook(grad)`` when this tensor's gradient is computed; it may return a new one."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is None:
            extra = self._get_extra()
            if extra.hooks is None:
                extra.hooks = HookDict()
            return extra.hooks.add(hook)
        node_hooks = self._grad_fn._node_hooks()
        hooks = node_hooks.tensor_pre.get(self._output_nr)
        if hooks is None:
            hooks = node_hooks.tensor_pre[self._output_nr] = HookDict()
        return hooks.add(hook)

    def register_post_accumulate_grad_hook(self, hook: Any) -> RemovableHandle:
        """Call ``hook(tensor)`` after ``.grad`` of this leaf was updated by backward."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self._grad_fn is not None:
            raise RuntimeError(
                "post accumulate grad hooks cannot be registered on non-leaf tensors"
            )
        extra = self._get_extra()
        if extra.post_acc_hooks is None:
            extra.post_acc_hooks = HookDict()
        return extra.post_acc_hooks.add(hook)

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data and version counter, with no grad."""
        out = _make(self._data, self._backend)
        make_alias(self, out)
        return out

    def detach_(self) -> Tensor:
        """Make this tensor a leaf that does not require grad, in place."""
        if self._extra is not None and self._extra.base is not None:
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using "
                "DistributedDataParallel (DDP) for training, and gradient_as_bucket_view is "
                "set as True, gradients are views of DDP buckets, and hence detach_() cannot "
                "be called on these gradients. To fix this error, please refer to the "
                "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution."
            )
        self._grad_fn = None
        self._output_nr = 0
        self._requires_grad = False
        return self

    @property
    def data(self) -> Tensor:
        """The same data as a tensor with no history and its own version counter.

        In-place changes through ``.data`` are not seen by autograd (as in torch), but
        they do change this tensor, also where arrays are immutable (JAX, Dask).
        """
        out = _make(self._data, self._backend)
        make_alias(self, out, share_version=False)
        return out

    @data.setter
    def data(self, value: Tensor) -> None:
        if not isinstance(value, Tensor):
            raise TypeError(f"data must be a Tensor, got {type(value).__name__}")
        self._data = value._data
        self._backend = value._backend
        if len(self._vc) > 2:  # views and aliases keep the old data, as in torch
            self._vc = self._vc[:2]
            if self._extra is not None:
                self._extra.path = ()

    @property
    def _base(self) -> Tensor | None:
        """The tensor this view shows part of (None if this is no view)."""
        return self._extra.base if self._extra is not None else None

    def _is_view(self) -> bool:
        return self._base is not None

    @property
    def _version(self) -> int:
        return self._vc[0]

    def _bump_version(self) -> None:
        self._vc[0] += 1

    def __hash__(self) -> int:
        return id(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> Tensor:
        if self._grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the "
                "deepcopy protocol at the moment."
            )
        out = _make(
            self._backend.copy(self._data), self._backend, requires_grad=self._requires_grad
        )
        memo[id(self)] = out
        if self._grad is not None:
            out._grad = self._grad.__deepcopy__(memo)
        return out


_new = object.__new__


def _make(
    data: Any,
    backend: Any,
    grad_fn: Node | None = None,
    output_nr: int = 0,
    requires_grad: bool = False,
) -> Tensor:
    """Wrap a raw array (the per-op hot path: no checks)."""
    t = _new(Tensor)
    t._data = data
    t._backend = backend
    t._grad_fn = grad_fn
    t._output_nr = output_nr
    t._requires_grad = requires_grad
    t._vc = [0, -1]
    t._grad = None
    t._extra = None
    return t


def _make_without_grad(data: Any, backend: Any) -> Tensor:
    """``_make`` for a result made while grad mode is off: inside ``inference_mode()``
    it is an inference tensor (``is_inference()``), as in torch."""
    t = _make(data, backend)
    if _inference.get():
        t._get_extra().inference = True
    return t


def grad_enabled() -> bool:
    return _grad_enabled.get()
