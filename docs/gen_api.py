"""Write docs/api.md, the API reference, from polygrad's docstrings.

    python docs/gen_api.py            # regenerate docs/api.md
    python docs/gen_api.py --check    # exit 1 if docs/api.md is out of date

The reference lists the public names of ``polygrad`` (grouped by the module that
defines them, titled by that module's docstring), the ``Tensor`` class, and the
public submodules (``pg.autograd``, ``pg.optim``, ``pg.viz``...), each with its
signature and docstring. The output is deterministic, so a test can compare it.
"""

from __future__ import annotations

import argparse
import inspect
import pathlib
import re
import sys
import types
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "api.md"

#: Submodules documented on their own, in this order (missing ones are left out).
SUBMODULES = (
    "autograd",
    "autograd.functional",
    "autograd.forward_ad",
    "autograd.graph",
    "linalg",
    "fft",
    "special",
    "optim",
    "viz",
    "backends",
    "utils",
    "utils.checkpoint",
)
#: Classes documented member by member.
CLASSES = ("Tensor", "autograd.Function", "optim.Optimizer")


def _first_line(doc: str | None) -> str:
    return (doc or "").strip().split("\n\n")[0].replace("\n", " ").strip()


def _clean(text: str) -> str:
    """Drop memory addresses so the output does not change from run to run."""
    return re.sub(r" at 0x[0-9a-fA-F]+", "", text)


class _Annotation:
    """A string annotation (``from __future__ import annotations``) shown without quotes."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


def _unquoted(annotation: Any) -> Any:
    return _Annotation(annotation) if isinstance(annotation, str) else annotation


def _signature(obj: Any) -> str:
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(...)"
    parameters = [
        p.replace(annotation=_unquoted(p.annotation)) for p in signature.parameters.values()
    ]
    signature = signature.replace(
        parameters=parameters, return_annotation=_unquoted(signature.return_annotation)
    )
    return _clean(str(signature))


def _doc(obj: Any) -> str:
    doc = inspect.getdoc(obj)
    return _clean(doc.strip()) if doc else ""


def _resolve(dotted: str) -> Any:
    import polygrad

    obj: Any = polygrad
    for part in dotted.split("."):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _public_names(module: types.ModuleType) -> list[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith("_")]
    return sorted(set(names))


def _entry(qualified: str, obj: Any) -> list[str]:
    if inspect.isclass(obj):
        signature = _signature(obj).removesuffix(" -> None") if _has_init(obj) else ""
        heading = f"### `{qualified}{signature}` (class)"
    elif callable(obj):
        heading = f"### `{qualified}{_signature(obj)}`"
    else:
        return []
    doc = _doc(obj)
    return [heading, "", doc, ""] if doc else [heading, ""]


def _has_init(cls: type) -> bool:
    return "__init__" in vars(cls) or "__new__" in vars(cls)


def _is_polygrad(obj: Any) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module.startswith("polygrad")


def _top_level(lines: list[str]) -> None:
    import polygrad

    groups: dict[str, list[tuple[str, Any]]] = {}
    for name in _public_names(polygrad):
        obj = getattr(polygrad, name)
        if isinstance(obj, types.ModuleType) or not callable(obj) or not _is_polygrad(obj):
            continue
        if name in ("Tensor",):
            continue
        groups.setdefault(obj.__module__, []).append((name, obj))
    for module_name in sorted(groups, key=lambda m: (_section_title(m).lower(), m)):
        lines += [f"## {_section_title(module_name)}", ""]
        for name, obj in groups[module_name]:
            lines += _entry(f"pg.{name}", obj)


def _section_title(module_name: str) -> str:
    """The defining module's docstring, up to its first colon (``Making tensors``)."""
    module = sys.modules[module_name]
    title = _first_line(module.__doc__).rstrip(".") or module_name
    head, colon, _ = title.partition(": ")
    return _clean(head if colon and len(head) > 3 else title)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")


def _contents(lines: list[str]) -> list[str]:
    toc = ["## Contents", ""]
    for line in lines:
        if line.startswith("## "):
            title = line[3:]
            toc.append(f"- [{title}](#{_slug(title)})")
    return toc + [""]


def _class_members(lines: list[str], dotted: str) -> None:
    cls = _resolve(dotted)
    if cls is None:
        return
    lines += [f"## `pg.{dotted}`", ""]
    doc = _doc(cls)
    if doc:
        lines += [doc, ""]
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        member = inspect.getattr_static(cls, name)
        if isinstance(member, property):
            text = _doc(member)
            lines += [f"### `{dotted.split('.')[-1]}.{name}` (property)", ""]
            if text:
                lines += [text, ""]
        elif isinstance(member, (staticmethod, classmethod)):
            lines += _entry(f"{dotted.split('.')[-1]}.{name}", member.__func__)
        elif callable(member):
            lines += _entry(f"{dotted.split('.')[-1]}.{name}", member)


def _submodule(lines: list[str], dotted: str) -> None:
    module = _resolve(dotted)
    if not isinstance(module, types.ModuleType):
        return
    lines += [f"## `pg.{dotted}`", ""]
    doc = _doc(module)
    if doc:
        lines += [doc, ""]
    for name in _public_names(module):
        obj = getattr(module, name, None)
        if obj is None or isinstance(obj, types.ModuleType) or not _is_polygrad(obj):
            continue
        if f"{dotted}.{name}" in CLASSES:
            lines += [f"### `pg.{dotted}.{name}` (class)", "", "See its own section below.", ""]
            continue
        lines += _entry(f"pg.{dotted}.{name}", obj)


def render() -> str:
    """The text of docs/api.md for the polygrad that is imported."""
    import polygrad

    lines = [
        "# API reference",
        "",
        "Generated from the docstrings by `python docs/gen_api.py`; do not edit by hand "
        "(`tests/test_docs.py` checks that it is up to date).",
        "",
        _doc(polygrad),
        "",
    ]
    body: list[str] = []
    _top_level(body)
    for dotted in CLASSES[:1]:
        _class_members(body, dotted)
    for dotted in SUBMODULES:
        _submodule(body, dotted)
    for dotted in CLASSES[1:]:
        _class_members(body, dotted)
    text = "\n".join(lines + _contents(body) + body)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    text = render()
    path = pathlib.Path(args.output)
    if args.check:
        if not path.exists() or path.read_text() != text:
            print(f"{path} is out of date: run python docs/gen_api.py")
            return 1
        return 0
    path.write_text(text)
    print(f"wrote {path} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
