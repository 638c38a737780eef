"""Known gaps: ``conformance/xfails/<backend>.txt``, one ``<id>: <reason>`` per line.

``<id>`` is an op-table entry id (``linalg.eigh``), ``graph:<program>`` or
``semantics:<scenario>``; the reason must name a limitation of the backend, not a
polygrad bug. A listed check that passes is reported as XPASS, so the lists only
shrink. Blank lines and ``#`` comments are ignored.
"""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).with_name("xfails")


def parse(text: str, source: str = "<text>") -> dict[str, str]:
    known: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip() if raw.lstrip().startswith("#") else raw.strip()
        if not line:
            continue
        check_id, sep, reason = line.partition(": ")
        if not sep or not reason.strip():
            raise ValueError(f"{source}:{number}: expected '<id>: <reason>', got {raw!r}")
        if check_id in known:
            raise ValueError(f"{source}:{number}: {check_id} is listed twice")
        known[check_id.strip()] = reason.strip()
    return known


def load(backend: str) -> dict[str, str]:
    """The xfail list of ``backend`` (empty when it has no file)."""
    path = FOLDER / f"{backend}.txt"
    if not path.exists():
        return {}
    return parse(path.read_text(), str(path))
