"""pg.viz: the DOT picture and the terminal tree describe torch's graph for the same code."""

from __future__ import annotations

import io
import re
import shutil
from collections import Counter

import pytest

import polygrad as pg

torch = pytest.importorskip("torch")
pytest.importorskip("graphviz")

_NODE = re.compile(r'^\s*(\w+) \[label=("(?:[^"\\]|\\.)*"|[^\s\]]+)([^\]]*)\]', re.M | re.S)
_EDGE = re.compile(r"^\s*(\w+) -> (\w+)(?: \[([^\]]*)\])?$", re.M)


def parse_dot(source: str) -> tuple[dict[str, tuple[str, str]], list[tuple[str, str, str]]]:
    """{id: (label, attributes)} and [(from, to, attributes)] of graphviz's DOT output."""
    nodes = {}
    for key, label, attrs in _NODE.findall(source):
        nodes[key] = (label.strip('"'), attrs)
    edges = [(a, b, attrs or "") for a, b, attrs in _EDGE.findall(source)]
    return nodes, edges


def torch_graph(root) -> tuple[Counter, Counter]:
    """Node-name and (input name -> consumer name) edge counts of torch's backward graph."""
    names, edges, seen, stack = Counter(), Counter(), set(), [root.grad_fn]
    while stack:
        fn = stack.pop()
        if fn in seen:
            continue
        seen.add(fn)
        names[type(fn).__name__] += 1
        for parent, _ in fn.next_functions:
            if parent is not None:
                edges[(type(parent).__name__, type(fn).__name__)] += 1
                stack.append(parent)
    return names, edges


def dot_graph(source: str) -> tuple[Counter, Counter]:
    """The same counts read from the picture's boxes and the edges between boxes."""
    nodes, edges = parse_dot(source)
    boxes = {key: label for key, (label, attrs) in nodes.items() if "shape=box" in attrs}
    box_edges = Counter((boxes[a], boxes[b]) for a, b, _ in edges if a in boxes and b in boxes)
    return Counter(boxes.values()), box_edges


def build(lib, x, w, b):
    """One expression with a shared intermediate, written once for torch and polygrad."""
    h = (x @ w + b).relu()
    e = h.exp()
    return (e * e + e.sin()).sum() + h.mean()


def make_inputs(lib):
    x = lib.tensor([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], dtype=lib.float64)
    w = lib.tensor([[0.1, 0.2], [-0.3, 0.4], [0.5, -0.6]], dtype=lib.float64, requires_grad=True)
    b = lib.tensor([0.05, -0.1], dtype=lib.float64, requires_grad=True)
    return x, w, b


def test_draw_matches_torch_graph():
    xt, wt, bt = make_inputs(torch)
    x, w, b = make_inputs(pg)
    names, edges = dot_graph(pg.viz.draw(build(pg, x, w, b)).source)
    torch_names, torch_edges = torch_graph(build(torch, xt, wt, bt))
    assert names == torch_names
    assert edges == torch_edges


def test_draw_labels_tensors_with_shape_dtype_and_highlights_leaves():
    x, w, b = make_inputs(pg)
    y = build(pg, x, w, b)
    nodes, edges = parse_dot(pg.viz.draw(y, params={"w": w, "b": b}).source)
    ellipses = {label: attrs for label, attrs in nodes.values() if "shape=ellipse" in attrs}
    assert set(ellipses) == {"w\n(3, 2) float64", "b\n(2,) float64", "output\n() float64"}
    assert "fillcolor=lightblue" in ellipses["w\n(3, 2) float64"]
    assert "fillcolor=lightblue" in ellipses["b\n(2,) float64"]
    assert "fillcolor=darkolivegreen1" in ellipses["output\n() float64"]
    # each leaf feeds its AccumulateGrad box; the root box feeds the output ellipse
    key_of = {label: key for key, (label, _) in nodes.items()}
    targets = {
        nodes[b_][0]
        for a, b_, _ in edges
        if a in (key_of["w\n(3, 2) float64"], key_of["b\n(2,) float64"])
    }
    assert targets == {"AccumulateGrad"}
    assert [nodes[a][0] for a, b_, _ in edges if b_ == key_of["output\n() float64"]] == [
        "AddBackward0"
    ]


def test_draw_unnamed_leaf_and_several_outputs():
    a = pg.tensor([1.0, 2.0], requires_grad=True)
    y1, y2 = a * 2, a.exp()
    nodes, _ = parse_dot(pg.viz.draw([y1, y2]).source)
    ellipses = sorted(label for label, attrs in nodes.values() if "shape=ellipse" in attrs)
    assert ellipses == ["(2,) float32"] * 3  # the leaf and the two outputs, no names given
    boxes = Counter(label for label, attrs in nodes.values() if "shape=box" in attrs)
    assert boxes == Counter({"MulBackward0": 1, "ExpBackward0": 1, "AccumulateGrad": 1})


def _torch_saved_count(fn) -> int:
    return sum(isinstance(getattr(fn, n), torch.Tensor) for n in dir(fn) if n.startswith("_saved_"))


def test_show_saved_matches_what_torch_saves_and_disappears_after_backward():
    a = pg.tensor([0.5, 1.0, 2.0], dtype=pg.float64, requires_grad=True)
    at = torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64, requires_grad=True)

    def f(v):
        e = v.exp()
        return e * v.sin()

    y, yt = f(a), f(at)
    nodes, edges = parse_dot(pg.viz.draw(y, show_saved=True).source)
    saved_per_box = Counter()
    for a_, b_, attrs in edges:
        if "style=dashed" in attrs:
            assert nodes[a_][0].startswith("saved ") and nodes[a_][0].endswith("(3,) float64")
            saved_per_box[nodes[b_][0]] += 1
    expected = Counter()
    stack = [yt.grad_fn]
    while stack:
        fn = stack.pop()
        if fn is not None and _torch_saved_count(fn):
            expected[type(fn).__name__] += _torch_saved_count(fn)
        stack.extend(p for p, _ in getattr(fn, "next_functions", ()))
    assert saved_per_box == expected == Counter(MulBackward0=2, ExpBackward0=1, SinBackward0=1)
    y.sum().backward()  # frees the saved values
    assert "saved" not in pg.viz.draw(y, show_saved=True).source


def test_draw_is_iterative_on_deep_graphs():
    x = pg.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(3000):
        y = y * 1.0001
    names, _ = dot_graph(pg.viz.draw(y).source)
    assert names == Counter({"MulBackward0": 3000, "AccumulateGrad": 1})
    assert pg.viz.format_graph(y).count("MulBackward0") == 3000


def test_bad_input_is_a_type_error():
    with pytest.raises(TypeError, match="polygrad Tensor"):
        pg.viz.draw([1.0])
    with pytest.raises(TypeError, match="params must be a dict"):
        pg.viz.draw(pg.tensor([1.0]), params=[("x", pg.tensor([1.0]))])


@pytest.mark.skipif(shutil.which("dot") is None, reason="the Graphviz dot program is not installed")
def test_renders_svg_and_png_with_graphviz(tmp_path):
    x, w, b = make_inputs(pg)
    picture = pg.viz.draw(build(pg, x, w, b), params={"w": w, "b": b}, show_saved=True)
    svg = picture.pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    for name in ("MulBackward0", "ReluBackward0", "AccumulateGrad", "(3, 2) float64"):
        assert name in svg
    png = picture.render(tmp_path / "graph", format="png")
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


# -- the terminal tree ---------------------------------------------------------------------

_LINE = re.compile(r"^(?P<indent>(?:│   |    )*)(?:├── |└── )(?P<text>.*)$")


def parse_tree(text: str) -> tuple[Counter, Counter, list[str]]:
    """Node names (printed in full once each), edges (input -> consumer) and raw lines."""
    lines = text.splitlines()
    names, edges, stack = Counter(), Counter(), []
    for line in lines[1:]:
        match = _LINE.match(line)
        assert match, line
        depth = len(match["indent"]) // 4
        body = match["text"]
        if body.startswith("saved "):
            continue
        name = body.split(" ")[0]
        del stack[depth:]
        if stack:
            edges[(name, stack[-1])] += 1
        stack.append(name)
        if not body.endswith("(see above)"):
            names[name] += 1
    return names, edges, lines


def test_print_graph_matches_torch_and_prints_shared_nodes_once():
    xt, wt, bt = make_inputs(torch)
    x, w, b = make_inputs(pg)
    y = build(pg, x, w, b)
    out = io.StringIO()
    pg.viz.print_graph(y, params={"w": w, "b": b}, file=out)
    names, edges, lines = parse_tree(out.getvalue())
    torch_names, torch_edges = torch_graph(build(torch, xt, wt, bt))
    assert lines[0] == "output () float64"
    assert names == torch_names and edges == torch_edges
    # h (relu) is used twice and e (exp) three times: printed once, referenced after
    tagged = [line for line in lines if re.search(r"\[\d+\]", line)]
    assert sum("(see above)" in line for line in tagged) == (2 - 1) + (3 - 1)
    assert {re.search(r"(\w+) \[", line)[1] for line in tagged} == {"ReluBackward0", "ExpBackward0"}
    assert any(line.endswith("AccumulateGrad -> w (3, 2) float64") for line in lines)
    assert any(line.endswith("AccumulateGrad -> b (2,) float64") for line in lines)


def test_format_graph_show_saved_and_leaf_root():
    a = pg.tensor([0.5, 1.0], dtype=pg.float64, requires_grad=True)
    text = pg.viz.format_graph(a.exp(), {"a": a}, show_saved=True)
    assert text.splitlines() == [
        "output (2,) float64",
        "└── ExpBackward0",
        "    ├── saved output 0 (2,) float64",
        "    └── AccumulateGrad -> a (2,) float64",
    ]
    assert pg.viz.format_graph(a, {"a": a}) == "a (2,) float64 (leaf, requires_grad)"


def test_custom_function_node_and_its_saved_values():
    class MultiplyAdd(pg.autograd.Function):
        @staticmethod
        def forward(ctx, w, x, b):
            ctx.save_for_backward(x, w)
            return w * x + b

        @staticmethod
        def backward(ctx, grad):
            x, w = ctx.saved_tensors
            return grad * x, grad * w, grad

    w = pg.tensor([1.0, 2.0], requires_grad=True)
    b = pg.tensor([0.5, 0.5], requires_grad=True)
    z = MultiplyAdd.apply(w, pg.ones(2), b)
    assert pg.viz.format_graph(z, {"w": w, "b": b}, show_saved=True).splitlines() == [
        "output (2,) float32",
        "└── MultiplyAddBackward",
        "    ├── saved value (2,) float32",  # save_for_backward does not say which input
        "    ├── saved value (2,) float32",
        "    ├── AccumulateGrad -> w (2,) float32",
        "    └── AccumulateGrad -> b (2,) float32",
    ]
    names, _ = dot_graph(pg.viz.draw(z).source)
    assert names == Counter({"MultiplyAddBackward": 1, "AccumulateGrad": 2})
