"""What a type checker sees: a typical user program passes ``mypy --strict`` with no value
typed ``Any``, so an IDE's completion goes on after ``pg.tensor(...)``, ``x.sum()``,
``loss.backward()``, an optimizer step, ``pg.no_grad()`` and ``pg.grad(f)(x)``."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROGRAM = Path(__file__).parent / "data" / "typed_user_program.py"


@pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")
def test_a_typical_program_type_checks_strictly_without_any() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--disallow-any-expr",  # any value typed Any in the program is an error
            "--follow-imports=silent",  # polygrad's own code is checked by `mypy polygrad`
            "--no-incremental",
            str(PROGRAM),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("Success: no issues found")


def test_the_typed_program_runs() -> None:
    """The program type-checked above is real: it runs and trains."""
    result = subprocess.run(
        [sys.executable, str(PROGRAM)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
