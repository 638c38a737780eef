"""The ``Optimizer`` base class: torch.optim's parameter groups, state and checkpoints.

A subclass names its hyperparameters in ``defaults`` and implements ``_update_group``;
the base class gives it torch.optim's constructor (an iterable of tensors, of
``(name, tensor)`` pairs, or of parameter-group dicts), ``param_groups``, the per-tensor
``state``, ``zero_grad(set_to_none=True)``, ``step(closure=None)`` (updates run under
``no_grad``, the closure under ``enable_grad``), ``add_param_group`` and
``state_dict()``/``load_state_dict()`` with torch's layout (parameters numbered in
group order). Parameters are updated with polygrad's in-place ops, so the same
optimizer works on every backend (on JAX an in-place op rebinds the tensor's array).

Inside ``pg.compile`` (parameters passed to the compiled function as arguments),
``step()`` keeps nothing Python-side frozen into the trace: its state tensors are bound
to the trace (read and updated in place on every call), the numbers that change from
step to step (the learning rate, step counts and what Adam derives from them) are
computed by Python on every call, exactly as eagerly, and fed to the replay as 0-d
arrays of each parameter's dtype, and a change to any other hyperparameter, to the
groups or a ``load_state_dict`` traces the step again.
"""

from __future__ import annotations

import copy
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from typing import Any

from .._core._backend import backend_of_array
from .._core._grad_mode import enable_grad, no_grad
from .._core._inplace import write
from .._core._tensor import Tensor, _make

#: Group entries a compiled step reads on every call; a change to any other traces again.
_FED = frozenset(("params", "param_names", "lr"))

#: What the constructor accepts: tensors, (name, tensor) pairs, or param-group dicts.
__all__ = ["Optimizer", "ParamsT", "required"]


ParamsT = Iterable[Tensor] | Iterable[tuple[str, Tensor]] | Iterable[dict[str, Any]]


class _Required:
    """Marks a hyperparameter without a default (each group must give one)."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _Required()


class Optimizer:
    """Base class of polygrad's optimizers (``SGD``, ``Adam``, ``AdamW``), as in torch.optim."""

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or "
                "dicts, but got polygrad.Tensor"
            )
        self.state: defaultdict[Tensor, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        self._generation = 0  # bumped where state or groups are replaced: traces go stale
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (defaults fill the rest)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            param_group["params"] = list(params)
        tensors, names = [], []
        for param in param_group["params"]:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError(
                    "all optimizer params should be with/without names. Some param names are missing"
                )
            param_group["param_names"] = names
        for param in tensors:
            if not isinstance(param, Tensor):
                module = type(param).__module__
                raise TypeError(
                    "optimizer can only optimize Tensors, but one of the params is "
                    + (
                        type(param).__qualname__
                        if module == "builtins"
                        else f"{module}.{type(param).__qualname__}"
                    )
                )
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(
                    "parameter group didn't specify a value of required optimization "
                    f"parameter {name}"
                )
            param_group.setdefault(name, default)
        if len({id(p) for p in tensors}) != len(tensors):
            warnings.warn(
                "optimizer contains a parameter group with duplicate parameters; in future, "
                "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for "
                "more information",
                stacklevel=3,
            )
        seen: set[int] = set()
        for group in self.param_groups:
            seen.update(id(p) for p in group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError(
                    "all optimizer param groups should be with/without names. "
                    f"cannot add param group {which} to the optimizer"
                )
        if not seen.isdisjoint(id(p) for p in tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)
        self._generation += 1

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients: to None (default), or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if grad.grad_fn is not None:
                        grad.detach_()
                    else:
                        grad.requires_grad_(False)
                    grad.zero_()

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; return ``closure()``'s loss if given."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            tracing = self._tracing()
            if tracing is not None:
                tracing.guard(self._layout)
                self._prepare_trace(tracing)
                for state in self.state.values():
                    for value in state.values():
                        if isinstance(value, Tensor):
                            tracing.bind(value)
            for group in self.param_groups:
                self._update_group(group)
            self._persist_lazy()
        return loss

    def _tracing(self) -> Any:
        """pg.compile's tracing adapter when this step is being traced, else None."""
        params = [p for group in self.param_groups for p in group["params"]]
        found = next((p._backend for p in params if p._backend.tracing), None)
        if found is not None:
            for p in params:
                if p._grad is not None and p._backend is not found:
                    raise TypeError(
                        "optimizer.step() inside pg.compile: a parameter with a gradient is "
                        "not an argument of the compiled function; pass every parameter in"
                    )
        return found

    def _prepare_trace(self, tracing: Any) -> None:
        """Inside pg.compile, before the state is bound to the trace: a subclass may
        arrange its state (Adam lays it out flat) and add guards of its own."""

    def _layout(self) -> Any:
        """What a traced step depends on besides its arguments and the numbers it feeds."""
        hyper = [[v for k, v in g.items() if k not in _FED] for g in self.param_groups]
        return self._generation, hyper

    def _numbers(
        self, params: list[Tensor], compute: Callable[[], list[tuple[float, ...]]]
    ) -> list[tuple[Any, ...]]:
        """``compute()``: per parameter, the numbers its update needs this step (it may
        advance step counts). Eagerly, the Python floats; inside pg.compile, the same
        floats computed on every call, fed to the replay as 0-d tensors of each
        parameter's dtype and device (a Python float is weakly typed: it computes in the
        parameter's dtype, so either way the update rounds it the same)."""
        backend = params[0]._backend if params else None
        if backend is None or not backend.tracing:
            return compute()
        xp = backend.real.xp
        targets = [(p._data.dtype, backend.device_of(p._data)) for p in params]

        def arrays() -> Iterator[Any]:
            made: dict[tuple[float, Any, Any], Any] = {}  # parameters mostly share them
            for numbers, (dtype, device) in zip(compute(), targets):
                for value in numbers:
                    key = (value, dtype, device)
                    if key not in made:
                        made[key] = xp.asarray(value, dtype=dtype, device=device)
                    yield made[key]

        fed = [_make(a, backend) for a in backend.feed(lambda: list(arrays()))]
        size = len(fed) // len(params)
        return [tuple(fed[i : i + size]) for i in range(0, len(fed), size)]

    def _zeros(self, param: Tensor) -> Tensor:
        """A state tensor of zeros like ``param``, of its real backend even while pg.compile
        traces (then bound to the trace)."""
        backend = param._backend
        real = backend.real if backend.tracing else backend
        data = real.xp.zeros(
            tuple(param.shape), dtype=param._data.dtype, device=backend.device_of(param._data)
        )
        tensor = _make(data, real)
        if backend.tracing:
            backend.bind(tensor)
        return tensor

    def _persist_lazy(self) -> None:
        """On lazy backends (Dask) compute the new parameters and state now, together.

        Otherwise each step's values would be a graph over all earlier steps, and a
        training loop would slow down quadratically. Eager backends cost one attribute
        lookup per parameter.
        """
        pending: dict[int, tuple[Any, list[Tensor]]] = {}
        for group in self.param_groups:
            for p in group["params"]:
                if not p._backend.lazy:
                    continue
                tensors = pending.setdefault(id(p._backend), (p._backend.persist, []))[1]
                tensors.append(p)
                tensors.extend(v for v in self.state.get(p, {}).values() if isinstance(v, Tensor))
        for persist, tensors in pending.values():
            for t, data in zip(tensors, persist([t._data for t in tensors])):
                write(t, data)

    def _update_group(self, group: dict[str, Any]) -> None:
        raise NotImplementedError

    @staticmethod
    def _gradients(group: dict[str, Any]) -> Iterator[tuple[Tensor, Tensor]]:
        """``(parameter, gradient)`` for each of the group's parameters that has a
        gradient, negated where the group maximizes."""
        for param in group["params"]:
            grad = param._grad
            if grad is not None:
                yield param, (-grad if group["maximize"] else grad)

    # -- checkpoints ---------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: {...}}, "param_groups": [{..., "params": [index, ...]}]}``.

        Parameters are numbered in the order of the groups; the state's tensors are the
        optimizer's own (not copies), as in torch.
        """
        mapping: dict[int, int] = {}
        start = 0

        def pack(group: dict[str, Any]) -> dict[str, Any]:
            nonlocal start
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                mapping.setdefault(id(p), i)
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            return packed

        groups = [pack(g) for g in self.param_groups]
        state = {(mapping[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Load what ``state_dict()`` returned (from polygrad or torch.optim).

        Hyperparameters come from the saved groups; state tensors (polygrad tensors or
        arrays of any backend) are copied to each parameter's backend and device, in
        the parameter's dtype when it is floating point.
        """
        groups = self.param_groups
        saved_groups = copy.deepcopy(list(state_dict["param_groups"]))
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError(
                "loaded state dict contains a parameter group that doesn't match the size of "
                "optimizer's group"
            )
        id_map = dict(
            zip(
                chain.from_iterable(g["params"] for g in saved_groups),
                chain.from_iterable(g["params"] for g in groups),
            )
        )
        state: defaultdict[Any, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in id_map:
                param = id_map[key]
                state[param] = {k: _cast(param, v, k) for k, v in value.items()}
            else:
                state[key] = value
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.state = state
        self.param_groups = saved_groups
        self._generation += 1


def _cast(param: Tensor, value: Any, key: str) -> Any:
    """A copy of a saved state value on ``param``'s backend (``step`` as a number)."""
    if key == "step":
        return float(value)  # torch keeps a 0-d tensor; polygrad a number of the same value
    backend = param._backend
    if isinstance(value, Tensor):
        data, source = value._data, value._backend
    elif hasattr(value, "__array_namespace__") or hasattr(value, "__array__"):
        data, source = value, backend_of_array(value)
    else:
        return copy.deepcopy(value)
    if source is not None and source is not backend:
        data = source.to_numpy(data)  # may share memory with the source: copied below
    dtype = param._data.dtype if param.dtype.is_floating_point else None
    device = backend.device_of(param._data)
    return _make(backend.xp.asarray(data, dtype=dtype, device=device, copy=True), backend)
