"""polygrad's layers, checked from the source: every import points down.

Each package under ``polygrad/`` belongs to one layer (``LAYERS``, lowest first). A
module may import from its own layer and the layers below it, never from a layer
above, and it imports polygrad's own modules at module level, so its first lines tell
the truth about what it needs. (An optional library such as torch or jax may be
imported inside a function: it is not installed everywhere.) Where the core needs
something from above (forward AD, anomaly mode, the recording namespace), the upper
layer registers a callback into the core instead.
"""

from __future__ import annotations

import ast
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
#: Where each package's files are: backends/ installs as polygrad.backends.
SOURCES = {"polygrad": ROOT / "polygrad", "polygrad.backends": ROOT / "backends"}

#: The layers, lowest first: a module may import only from its own layer and those below.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    # The data model, graph and engine; the backend adapters share it (they read dtypes).
    ("core", ("polygrad._core", "polygrad.backends")),
    # Every differentiable op (special functions are ops too).
    ("ops", ("polygrad.ops", "polygrad.special")),
    # The standard's namespace and its extensions, spelled over the ops.
    ("array API", ("polygrad.array_api", "polygrad.fft", "polygrad.linalg")),
    # torch.autograd's API: backward entry points, forward AD, Function, anomaly mode.
    ("autograd", ("polygrad.autograd",)),
    # Other libraries calling polygrad: NumPy's and torch's protocols, einops.
    ("interop", ("polygrad._spellings.interop",)),
    # Tensor's methods and operators, bound onto the core's Tensor in one place.
    ("tensor methods", ("polygrad._spellings.methods", "polygrad._spellings")),
    # torch's names and signatures over the same ops (the torch front door, principle 7).
    ("torch API", ("polygrad._spellings.torch_api",)),
    # User-facing features built on all of the above.
    (
        "features",
        (
            "polygrad.functional",
            "polygrad.optim",
            "polygrad.utils",
            "polygrad.viz",
            "polygrad.tracing",
        ),
    ),
    # The public names.
    ("package", ("polygrad",)),
)


def _modules() -> list[tuple[str, pathlib.Path]]:
    found = {}
    for package, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            parts = [*package.split("."), *path.relative_to(folder).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found.setdefault(".".join(parts), path)  # checkouts may link backends/ in
    return sorted(found.items())


def _layer(module: str) -> int:
    best, depth = None, -1
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > depth:
                best, depth = rank, len(prefix)
    assert best is not None, f"{module} is in no layer: add its package to LAYERS"
    return best


def _imports(module: str, path: pathlib.Path) -> list[tuple[str, bool, int]]:
    """(imported polygrad module, inside a function?, line) for each import in the file."""
    is_package = path.name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child.test):
                continue  # seen by type checkers only: never runs
            if isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                if base.split(".")[0] == "polygrad":
                    for alias in child.names:
                        target = f"{base}.{alias.name}"  # a submodule, or a name in base
                        found.append((target, in_function, child.lineno))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.split(".")[0] == "polygrad":
                        found.append((alias.name, in_function, child.lineno))
            nested = isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            visit(child, in_function or nested)

    visit(ast.parse(path.read_text()), False)
    return found


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _owner(target: str, modules: set[str]) -> str:
    """The module that ``target`` (``pkg.module`` or ``pkg.module.name``) lives in."""
    while target not in modules and "." in target:
        target = target.rpartition(".")[0]
    return target


MODULES = _modules()


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_imports_point_down(module: str, path: pathlib.Path) -> None:
    names = {m for m, _ in MODULES}
    own = _layer(module)
    upward = [
        f"line {line}: {target} (layer {LAYERS[_layer(_owner(target, names))][0]!r})"
        for target, _, line in _imports(module, path)
        if _layer(_owner(target, names)) > own
    ]
    assert not upward, f"{module} (layer {LAYERS[own][0]!r}) imports from above: {upward}"


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_polygrad_imported_at_module_level(module: str, path: pathlib.Path) -> None:
    inner = [
        f"line {line}: {target}"
        for target, in_function, line in _imports(module, path)
        if in_function
    ]
    assert not inner, f"{module} imports polygrad inside a function: {inner}"


def test_no_module_over_400_lines() -> None:
    long = {m: n for m, p in MODULES if (n := len(p.read_text().splitlines())) > 400}
    assert not long, f"split these modules by concept: {long}"


#: Adapter names: only backends/ and interop/ may branch on them.
BACKEND_NAMES = frozenset({"numpy", "torch", "jax", "dask", "array_api_strict"})


@pytest.mark.parametrize(("module", "path"), MODULES, ids=[m for m, _ in MODULES])
def test_no_backend_name_compared(module: str, path: pathlib.Path) -> None:
    """Backend differences are capabilities of the adapter (``backends/_base.py``)."""
    if module.startswith(("polygrad.backends", "polygrad._spellings.interop")):
        return
    compared = [
        f"line {node.lineno}"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Compare)
        and any(
            isinstance(side, ast.Constant) and side.value in BACKEND_NAMES
            for side in (node.left, *node.comparators)
        )
    ]
    assert not compared, f"{module} compares a backend's name: {compared}"


#: Array libraries: the core reaches arrays only through a backend adapter.
ARRAY_LIBRARIES = frozenset(
    {"numpy", "torch", "jax", "jaxlib", "dask", "array_api_strict", "scipy"}
)


@pytest.mark.parametrize(
    ("module", "path"),
    [(m, p) for m, p in MODULES if m.startswith("polygrad._core")],
    ids=[m for m, _ in MODULES if m.startswith("polygrad._core")],
)
def test_core_imports_no_array_library(module: str, path: pathlib.Path) -> None:
    found = [
        f"line {node.lineno}"
        for node in ast.walk(ast.parse(path.read_text()))
        if (
            isinstance(node, ast.Import)
            and any(a.name.split(".")[0] in ARRAY_LIBRARIES for a in node.names)
        )
        or (
            isinstance(node, ast.ImportFrom)
            and not node.level
            and (node.module or "").split(".")[0] in ARRAY_LIBRARIES
        )
    ]
    assert not found, f"{module} imports an array library: {found}"
