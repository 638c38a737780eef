"""The op table covers every public differentiable name of polygrad (run in ``make test``).

A new public function or Tensor method must get an entry in ``conformance/ops`` or be
listed in ``conformance/ops/inventory.py`` as not differentiable / not an op, with a
reason. Names listed there must exist and must not also have an entry.
"""

from __future__ import annotations

from conformance.ops import ENTRIES
from conformance.ops.inventory import NOT_AN_OP, NOT_DIFFERENTIABLE, public_names


def _covered() -> set[str]:
    return set().union(*(entry.covered_names() for entry in ENTRIES.values())) | _torch_oracle()


def _torch_oracle() -> set[str]:
    """Names torch's operator database checks (``conformance.torch_names``): the
    function, the method and the in-place method of each OpInfo."""
    try:
        from conformance.torch_oracle import opinfos
    except ImportError:  # torch (or its test helpers) missing: the op table alone
        return set()
    names = {op.name for op in opinfos().values()}
    names |= {alias.name for op in opinfos().values() for alias in op.aliases}
    return names | {f"Tensor.{n}" for n in names} | {f"Tensor.{n}_" for n in names}


def test_every_public_name_has_an_entry_or_a_reason() -> None:
    excluded = set(NOT_DIFFERENTIABLE) | set(NOT_AN_OP)
    missing = [n for n in public_names() if n not in _covered() and n not in excluded]
    assert not missing, (
        f"{len(missing)} public polygrad names have no op-table entry: {', '.join(missing)}. "
        "Add an entry in conformance/ops/ (or list it in conformance/ops/inventory.py with "
        "the reason it is not differentiable)."
    )


def test_no_name_is_both_tested_and_excluded() -> None:
    both = set().union(*(entry.covered_names() for entry in ENTRIES.values())) & (
        set(NOT_DIFFERENTIABLE) | set(NOT_AN_OP)
    )
    assert not both, f"listed as excluded but covered by an entry: {sorted(both)}"


def test_every_exclusion_has_a_reason() -> None:
    for table in (NOT_DIFFERENTIABLE, NOT_AN_OP):
        for name, reason in table.items():
            assert len(reason.split()) >= 3, f"{name}: the reason {reason!r} says too little"


def test_the_enumeration_sees_functions_methods_and_operators() -> None:
    names = set(public_names())
    for expected in ("exp", "sum", "matmul", "Tensor.sum", "Tensor.__add__", "Tensor.backward"):
        assert expected in names, f"{expected} missing from polygrad's public names"
