"""Pictures of the backward graph: ``pg.viz.draw(y)`` and ``pg.viz.print_graph(y)``.

``draw`` returns a ``graphviz.Digraph`` in the style of the seed tutorial's
figures: operations (the ``grad_fn`` nodes) are boxes named like torch names them,
tensors are ellipses labelled with their shape and dtype, leaves are highlighted
and named from ``params``, and with ``show_saved=True`` the values each node saved
for backward hang off it. Edges point the way the forward computation ran. With the
Graphviz ``dot`` program installed the diagram renders (``.render("g", format="png")``,
``.pipe(format="svg")``, or inline in Jupyter); without it ``.source`` is the DOT text.

``print_graph`` prints the same graph as an indented tree for a terminal; a node
reached along several paths is printed once and referred to by its ``[n]`` tag after.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, TextIO

from ._core._node import AccumulateGrad, Node
from ._core._tensor import Tensor

__all__ = ["draw", "format_graph", "print_graph"]


def __dir__() -> list[str]:
    return list(__all__)  # not the typing and sys names this module imports


_OUTPUT_COLOR = "darkolivegreen1"
_LEAF_COLOR = "lightblue"
_SAVED_COLOR = "orange"
_OP_COLOR = "lightgrey"


def node_name(fn: Node) -> str:
    """The short torch name of a graph node (``AccumulateGrad``, ``MulBackward0``)."""
    return fn.name().rpartition("::")[2]


def _roots(y: Tensor | Iterable[Tensor]) -> list[Tensor]:
    roots = [y] if isinstance(y, Tensor) else list(y)
    for root in roots:
        if not isinstance(root, Tensor):
            raise TypeError(
                f"expected a polygrad Tensor or a sequence of them, got {type(root).__name__}"
            )
    return roots


def _names(params: Mapping[str, Tensor] | None) -> dict[int, str]:
    if params is None:
        return {}
    if not isinstance(params, Mapping):
        raise TypeError("params must be a dict mapping names to tensors")
    return {id(t): name for name, t in params.items()}


def _describe(shape: Any, dtype: Any) -> str:
    dims = tuple(int(d) for d in shape)
    text = "(" + ", ".join(map(str, dims)) + ("," if len(dims) == 1 else "") + ")"
    name = getattr(dtype, "name", None)
    return f"{text} {name if isinstance(name, str) else dtype}"


def tensor_label(t: Tensor, name: str | None = None) -> str:
    """``name\\n(2, 3) float32``: what an ellipse in the picture says."""
    described = _describe(t.shape, t.dtype)
    return described if name is None else f"{name}\n{described}"


def _saved_arrays(fn: Node) -> list[tuple[int | None, Any]]:
    """(source, raw array) for each saved array still held by ``fn``; [] once freed.

    The source is the input index (``>= 0``) or ``-1 - k`` for output ``k``, or None
    where the node does not say (a custom Function's ``save_for_backward``).
    """
    saved = getattr(fn, "_saved", None)
    if not saved:
        return []
    sources = getattr(type(fn), "_saved_from", ())
    backend = getattr(fn, "_backend", None)
    found: list[tuple[int | None, Any]] = []
    for position, value in enumerate(saved):
        source = sources[position] if position < len(sources) else None
        if isinstance(value, Tensor):
            found.append((source, value._data))
        elif backend is not None and backend.is_array(value):
            found.append((source, value))
    return found


def _saved_label(source: int | None, value: Any, fn: Node) -> str:
    if source is None:
        where = "value"
    else:
        where = f"input {source}" if source >= 0 else f"output {-1 - source}"
    dtype = value.dtype
    try:
        dtype = fn._backend.pg_dtype(dtype)
    except (TypeError, AttributeError):
        pass
    return f"saved {where}\n{_describe(value.shape, dtype)}"


def walk(roots: list[Tensor]) -> Iterator[Node]:
    """Every node reachable from ``roots``, each once, parents before inputs (no recursion)."""
    seen: set[int] = set()
    stack = [r.grad_fn for r in reversed(roots) if r.grad_fn is not None]
    while stack:
        fn = stack.pop()
        if fn is None or id(fn) in seen:
            continue
        seen.add(id(fn))
        yield fn
        for parent, _ in reversed(fn.next_functions):
            if parent is not None and id(parent) not in seen:
                stack.append(parent)


def draw(
    y: Tensor | Iterable[Tensor],
    params: Mapping[str, Tensor] | None = None,
    show_saved: bool = False,
) -> Any:
    """A ``graphviz.Digraph`` of the backward graph that produced ``y``.

    ``y`` is a tensor or a sequence of tensors (the outputs, drawn green); ``params``
    maps names to tensors (usually the leaves) to label them; ``show_saved`` adds the
    arrays each node saved for backward (orange, dashed edges). Leaves that require
    grad are drawn blue next to their ``AccumulateGrad`` node.
    """
    try:
        import graphviz
    except ImportError as error:  # the picture needs the Python package, the tree does not
        raise ImportError(
            "pg.viz.draw needs the graphviz package (pip install graphviz); "
            "pg.viz.print_graph works without it"
        ) from error
    roots = _roots(y)
    names = _names(params)
    dot = graphviz.Digraph(
        "polygrad",
        node_attr={"style": "filled", "fontname": "Helvetica", "fontsize": "12", "height": "0.2"},
        graph_attr={"rankdir": "TB", "size": "12,12"},
    )
    ids: dict[int, str] = {}  # short, stable node ids (ids only need be unique in the file)

    def key_of(obj: Any, prefix: str) -> str:
        return ids.setdefault(id(obj), f"{prefix}{len(ids)}")

    drawn_tensors: set[int] = set()
    for fn in walk(roots):
        key = key_of(fn, "op")
        dot.node(key, node_name(fn), shape="box", fillcolor=_OP_COLOR)
        for parent, output_nr in fn.next_functions:
            if parent is not None:
                label = str(output_nr) if getattr(parent, "_num_outputs", 1) > 1 else None
                dot.edge(key_of(parent, "op"), key, label=label)
        if isinstance(fn, AccumulateGrad):
            leaf = fn.variable
            if leaf is not None:
                leaf_key = key_of(leaf, "tensor")
                drawn_tensors.add(id(leaf))
                dot.node(
                    leaf_key,
                    tensor_label(leaf, names.get(id(leaf))),
                    shape="ellipse",
                    fillcolor=_LEAF_COLOR,
                    penwidth="2",
                )
                dot.edge(leaf_key, key)
        if show_saved:
            for position, (source, value) in enumerate(_saved_arrays(fn)):
                saved_key = f"{key}_saved{position}"
                dot.node(
                    saved_key,
                    _saved_label(source, value, fn),
                    shape="ellipse",
                    fillcolor=_SAVED_COLOR,
                )
                dot.edge(saved_key, key, style="dashed", dir="none")
    for root in roots:
        if id(root) in drawn_tensors:
            continue
        root_key = key_of(root, "tensor")
        name = names.get(id(root), "output" if len(roots) == 1 else None)
        drawn_tensors.add(id(root))
        dot.node(root_key, tensor_label(root, name), shape="ellipse", fillcolor=_OUTPUT_COLOR)
        if root.grad_fn is not None:
            dot.edge(key_of(root.grad_fn, "op"), root_key)
    return dot


def _indegrees(roots: list[Tensor]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for root in roots:
        if root.grad_fn is not None:
            counts[id(root.grad_fn)] = counts.get(id(root.grad_fn), 0) + 1
    for fn in walk(roots):
        for parent, _ in fn.next_functions:
            if parent is not None:
                counts[id(parent)] = counts.get(id(parent), 0) + 1
    return counts


def format_graph(
    y: Tensor | Iterable[Tensor],
    params: Mapping[str, Tensor] | None = None,
    show_saved: bool = False,
) -> str:
    """The backward graph of ``y`` as an indented tree (the text ``print_graph`` prints).

    Each output's line is ``name (shape) dtype``; below it each node lists
    its inputs. A node reached more than once gets a tag ``[n]`` where it is first
    printed and later appears as ``NodeName [n] (see above)``.
    """
    roots = _roots(y)
    names = _names(params)
    indegree = _indegrees(roots)
    tags: dict[int, int] = {}
    printed: set[int] = set()
    lines: list[str] = []
    for number, root in enumerate(roots):
        name = names.get(id(root), "output" if len(roots) == 1 else f"output {number}")
        head = f"{name} {_describe(root.shape, root.dtype)}"
        if root.grad_fn is None:
            lines.append(f"{head} (leaf{', requires_grad' if root.requires_grad else ''})")
            continue
        lines.append(head)
        # (node, output_nr, prefix for this line, prefix for its children, is last child)
        stack: list[tuple[Node, int, str, bool]] = [(root.grad_fn, root.output_nr, "", True)]
        while stack:
            fn, output_nr, prefix, last = stack.pop()
            branch = "└── " if last else "├── "
            text = node_name(fn)
            if getattr(fn, "_num_outputs", 1) > 1:
                text += f" (output {output_nr})"
            if id(fn) in tags or indegree.get(id(fn), 0) > 1:
                tag = tags.setdefault(id(fn), len(tags) + 1)
                text += f" [{tag}]"
            if id(fn) in printed:
                lines.append(f"{prefix}{branch}{text} (see above)")
                continue
            printed.add(id(fn))
            if isinstance(fn, AccumulateGrad):
                leaf = fn.variable
                if leaf is not None:
                    label = names.get(id(leaf), "leaf")
                    text += f" -> {label} {_describe(leaf.shape, leaf.dtype)}"
            lines.append(f"{prefix}{branch}{text}")
            child_prefix = prefix + ("    " if last else "│   ")
            children: list[tuple[Node, int, str, bool] | str] = []
            if show_saved:
                children.extend(
                    _saved_label(s, v, fn).replace("\n", " ") for s, v in _saved_arrays(fn)
                )
            children.extend(
                (parent, nr, child_prefix, False)
                for parent, nr in fn.next_functions
                if parent is not None
            )
            for position, child in enumerate(children):
                is_last = position == len(children) - 1
                if isinstance(child, str):
                    lines.append(f"{child_prefix}{'└── ' if is_last else '├── '}{child}")
            pending = [c for c in children if not isinstance(c, str)]
            for position in range(len(pending) - 1, -1, -1):
                parent, nr, child_prefix_, _ = pending[position]
                stack.append((parent, nr, child_prefix_, position == len(pending) - 1))
    return "\n".join(lines)


def print_graph(
    y: Tensor | Iterable[Tensor],
    params: Mapping[str, Tensor] | None = None,
    show_saved: bool = False,
    file: TextIO | None = None,
) -> None:
    """Print the backward graph of ``y`` as an indented tree (see ``format_graph``)."""
    print(format_graph(y, params, show_saved), file=file if file is not None else sys.stdout)
