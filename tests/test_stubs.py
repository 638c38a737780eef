"""The type stubs of the modules whose names are made when polygrad loads
(``polygrad/__init__.pyi``, ``fft.pyi``, ``linalg.pyi``, the in-place methods): current
with the running code (``tools/gen_stubs.py``), covering every public name, and seen by
mypy, so ``pg.cat``, ``pg.float32``, ``pg.fft.fft(x, dim=0)`` and ``x.cos_()`` have types."""

from __future__ import annotations

import ast
import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

import polygrad as pg

ROOT = Path(__file__).resolve().parents[1]
needs_311 = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="the generator reads overloads (Python >= 3.11)"
)
needs_mypy = pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None, reason="mypy is not installed"
)


def _generator():
    spec = importlib.util.spec_from_file_location("gen_stubs", ROOT / "tools" / "gen_stubs.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _bound_names(path: Path) -> set[str]:
    """The names a stub binds at its top level (what a type checker finds there)."""
    bound = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            bound.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            bound |= {alias.asname for alias in node.names if alias.asname}  # re-exported
    return bound


@needs_311
def test_the_committed_stubs_are_current():
    for path, text in _generator().stubs().items():
        assert path.read_text() == text, f"{path.name} is stale: run python tools/gen_stubs.py"


@pytest.mark.parametrize("module", [pg, pg.fft, pg.linalg], ids=lambda m: m.__name__)
def test_every_public_name_is_in_the_stub(module):
    stub = Path(module.__file__).with_suffix(".pyi")
    missing = set(module.__all__) - _bound_names(stub)
    assert not missing, f"{stub.name} lacks {sorted(missing)}"


def test_every_in_place_method_is_in_the_stub():
    from polygrad._spellings.torch_api import INPLACE, _inplace

    stub = Path(_inplace.__file__).with_suffix(".pyi").read_text()
    made = [n for n in vars(_inplace.InplaceMethods) if n.endswith("_") and n[0] != "_"]
    assert made and all(f"def {name}(" in stub for name in made)
    assert all(hasattr(pg.Tensor, name + "_") for name in INPLACE)


def test_the_generator_check_mode_reports_a_stale_stub(tmp_path, monkeypatch, capsys):
    generator = _generator()
    stale = tmp_path / "__init__.pyi"
    stale.write_text("# stale\n")
    monkeypatch.setattr(generator, "stubs", lambda: {stale: "# current\n"})
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    assert generator.main(["--check"]) == 1
    assert "out of date" in capsys.readouterr().out
    assert generator.main([]) == 0
    assert generator.main(["--check"]) == 0


@needs_mypy
def test_mypy_sees_every_public_name_and_tensor_attribute(tmp_path):
    """A program naming every public name of polygrad, fft, linalg and every public Tensor
    attribute type-checks: none is missing to a type checker; the stubs themselves pass
    ``mypy --strict``."""
    x = pg.zeros(1)
    lines = ["import polygrad as pg", "x = pg.zeros(1)"]
    for module, prefix in ((pg, "pg"), (pg.fft, "pg.fft"), (pg.linalg, "pg.linalg")):
        lines += [f"print({prefix}.{name})" for name in module.__all__]
    lines += [f"print(x.{name})" for name in dir(x) if not name.startswith("_")]
    program = tmp_path / "every_name.py"
    program.write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", "--no-incremental"]
        + [str(program)]
        + [str(path) for path in sorted((ROOT / "polygrad").rglob("*.pyi"))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


#: Public functions whose result is any object, so typed ``Any``: what was pickled
#: (``load``), what the user's function returns (the transforms), one tensor or several
#: by the number of arguments (``atleast_*d``)
ANY_RESULT = {"load", "hvp", "compile", "atleast_1d", "atleast_2d", "atleast_3d"}


@pytest.mark.parametrize("module", [pg, pg.fft, pg.linalg], ids=lambda m: m.__name__)
def test_functions_declare_what_they_return(module):
    """A function that returns tensors says so (``-> Tensor``, a named tuple...): an IDE's
    completion goes on after ``pg.cov(x)`` or ``x.sort()``."""
    untyped = []
    for name in module.__all__:
        function = getattr(module, name)
        if inspect.isroutine(function) and name not in ANY_RESULT:
            returns = inspect.signature(function).return_annotation
            if returns in ("Any", inspect.Signature.empty):
                untyped.append(name)
    assert not untyped, f"{module.__name__}: {untyped} return Any"


#: Tensor methods whose result is typed ``Any``: nested Python lists (``tolist``), a
#: dtype name or a tensor (``type``), the backend's host array (``numpy``)
ANY_METHOD_RESULT = {"tolist", "type", "numpy"}


def test_tensor_methods_declare_what_they_return():
    untyped = [
        name
        for name, method in inspect.getmembers(pg.Tensor, inspect.isfunction)
        if not name.startswith("_")
        and name not in ANY_METHOD_RESULT
        and inspect.signature(method).return_annotation in ("Any", inspect.Signature.empty)
    ]
    assert not untyped, f"Tensor methods {untyped} return Any"


def test_help_shows_torchs_signatures():
    """The signatures the stubs are written from are the ones ``help()`` shows: a method's
    function form takes ``input`` first, torch's fft takes ``dim``, a ``*_like`` factory
    ``device``, and a wrapper keeps its function's parameters."""
    assert list(inspect.signature(pg.sum).parameters)[:3] == ["input", "dim", "keepdim"]
    assert "dim" in inspect.signature(pg.fft.fft).parameters
    assert "UPLO" in inspect.signature(pg.linalg.eigh).parameters
    assert "device" in inspect.signature(pg.zeros_like).parameters
    assert list(inspect.signature(pg.cat).parameters) == ["tensors", "dim", "out"]
    assert inspect.signature(pg.Tensor.cos_).return_annotation == "Tensor"
