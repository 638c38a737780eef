"""Every code block in README.md and docs/*.md runs, and docs/api.md is up to date.

A file's blocks run in order in one namespace, like a notebook: ```python blocks are
executed (```python no-run ones are not), ```pycon blocks are doctests whose printed
output must match (``...`` matches anything). A block that needs a backend whose
library is not installed (``pg.set_backend("jax")``, ``backend="torch"``, ``import
dask``...) or a CUDA device that is absent is skipped; such blocks are written to be
self-contained, so the blocks after them still run.
"""

from __future__ import annotations

import doctest
import importlib.util
import pathlib
import re

import pytest

import polygrad as pg
from polygrad._core import _backend

ROOT = pathlib.Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

_FENCE = re.compile(r"^```(\S*)[ \t]*(.*)$")
_BACKEND_NAME = re.compile(
    r"""(?:set_backend|backend)\(\s*["'](\w+)["']|backend\s*=\s*["'](\w+)["']"""
    r"""|^\s*(?:import|from)\s+(torch|jax|dask|array_api_strict)\b""",
    re.M,
)
_FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
#: backend name -> the library it needs
KNOWN = {
    "numpy": "numpy",
    "torch": "torch",
    "jax": "jax",
    "array_api_strict": "array_api_strict",
    "dask": "dask",
}


def is_installed(name: str) -> bool:
    return importlib.util.find_spec(KNOWN[name]) is not None


def code_blocks(path: pathlib.Path) -> list[tuple[int, str, str, str]]:
    """(line number, language, options, code) of each fenced block."""
    blocks, lines, i = [], path.read_text().splitlines(), 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match and match.group(1):
            start, body = i + 1, []
            i += 1
            while i < len(lines) and not lines[i].startswith("```"):
                body.append(lines[i])
                i += 1
            blocks.append((start, match.group(1), match.group(2).strip(), "\n".join(body) + "\n"))
        i += 1
    return blocks


def missing_requirement(code: str) -> str | None:
    """Why this block cannot run here (a library or a GPU it needs is absent), or None."""
    for groups in _BACKEND_NAME.findall(code):
        name = next(g for g in groups if g)
        name = _backend._ALIASES.get(name, name)
        if name in KNOWN and not is_installed(name):
            return f"{KNOWN[name]} is not installed"
    if re.search(r"""device\s*=\s*["']cuda""", code):
        if not is_installed("torch"):
            return "torch is not installed"
        import torch

        if not torch.cuda.is_available():
            return "no CUDA device"
    return None


def test_every_doc_has_runnable_blocks():
    assert (ROOT / "docs").is_dir()
    for path in DOCS[1:]:
        languages = {lang for _, lang, options, _ in code_blocks(path) if options != "no-run"}
        if path.name != "api.md":
            assert languages & {"python", "pycon"}, f"{path.name} has no runnable example"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_code_blocks_run(path: pathlib.Path) -> None:
    namespace: dict[str, object] = {"__name__": f"docs_{path.stem}"}
    saved_backend = _backend._process_default
    saved_dtype = pg.get_default_dtype()
    skipped: list[str] = []
    ran = 0
    try:
        for line, language, options, code in code_blocks(path):
            if language not in ("python", "pycon") or options == "no-run":
                continue
            where = f"{path.name}:{line}"
            reason = missing_requirement(code)
            if reason:
                skipped.append(f"{where} ({reason})")
                continue
            if language == "python":
                try:
                    exec(compile(code, where, "exec"), namespace)
                except Exception as error:
                    raise AssertionError(f"the block at {where} failed: {error!r}") from error
            else:
                test = doctest.DocTestParser().get_doctest(code, namespace, where, str(path), line)
                runner = doctest.DocTestRunner(optionflags=_FLAGS)
                runner.run(test, clear_globs=False)
                assert runner.failures == 0, f"the pycon block at {where} printed something else"
            ran += 1
    finally:
        _backend._process_default = saved_backend
        pg.set_default_dtype(saved_dtype)
        pg.set_grad_enabled(True)
    if skipped and not ran:
        pytest.skip("; ".join(skipped))


def _gen_api():
    spec = importlib.util.spec_from_file_location("gen_api", ROOT / "docs" / "gen_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_api_reference_is_up_to_date():
    current = (ROOT / "docs" / "api.md").read_text()
    assert current == _gen_api().render(), "docs/api.md is stale: run python docs/gen_api.py"


def test_api_reference_documents_the_public_api():
    text = (ROOT / "docs" / "api.md").read_text()
    for name in (
        "### `pg.tensor(",
        "### `Tensor.backward(",
        "### `pg.optim.SGD(",
        "### `pg.viz.draw(",
        "### `pg.autograd.grad(",
        "## `pg.autograd.Function`",
    ):
        assert name in text


def test_gen_api_check_mode_reports_a_stale_file(tmp_path, capsys):
    stale = tmp_path / "api.md"
    stale.write_text("# API reference\n")
    gen_api = _gen_api()
    assert gen_api.main(["--check", "--output", str(stale)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert gen_api.main(["--output", str(stale)]) == 0
    assert gen_api.main(["--check", "--output", str(stale)]) == 0
