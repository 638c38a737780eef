"""The xfail lists are well formed and name real checks (run in ``make test``)."""

from __future__ import annotations

import pytest

from conformance import graph, semantics, xfails
from conformance.backends import ALL_BACKENDS
from conformance.ops import ENTRIES
from conformance.runner import Cell, apply_xfail


def test_parse_reads_ids_and_reasons() -> None:
    text = "# comment\n\nexp: jax has no such thing\ngraph:mlp: dask cannot\n"
    assert xfails.parse(text) == {"exp": "jax has no such thing", "graph:mlp": "dask cannot"}


@pytest.mark.parametrize("text", ["exp", "exp:", "exp: ", "exp: a\nexp: b"])
def test_parse_rejects_bad_lines(text: str) -> None:
    with pytest.raises(ValueError):
        xfails.parse(text)


def _torch_name_checks() -> set[str]:
    """``torch_names:<op id>:<form>`` for every OpInfo (empty without torch's op_db)."""
    try:
        from conformance.torch_oracle import FORMS, opinfos
    except ImportError:  # torch or expecttest missing: those entries cannot be checked
        return set()
    return {f"torch_names:{op_id}:{form}" for op_id in opinfos() for form in FORMS}


def test_files_are_named_after_backends_and_list_known_checks() -> None:
    known = (
        set(ENTRIES)
        | {f"graph:{n}" for n in graph.PROGRAMS}
        | {f"semantics:{n}" for n in semantics.SCENARIOS}
        | _torch_name_checks()
    )
    for path in sorted(xfails.FOLDER.glob("*")):
        assert path.suffix == ".txt" and path.stem in ALL_BACKENDS, f"stray file {path.name}"
        for check_id, reason in xfails.load(path.stem).items():
            assert check_id in known, f"{path.name}: {check_id} is not a check"
            assert len(reason.split()) >= 4, f"{path.name}: {check_id}: say which limitation"


def test_an_xfail_that_passes_is_reported() -> None:
    known = {"exp": "a limitation"}
    assert apply_xfail(Cell("FAIL"), "exp", known).status == "xfail"
    assert apply_xfail(Cell("ERROR"), "exp", known).status == "xfail"
    assert apply_xfail(Cell("pass"), "exp", known).status == "XPASS"
    assert apply_xfail(Cell("pass"), "log", known).status == "pass"
