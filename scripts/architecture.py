"""The layer diagram of docs/architecture.md, drawn from the code.

    .venv/bin/python scripts/architecture.py          # print the diagram
    .venv/bin/python scripts/architecture.py --write  # rewrite it in docs/architecture.md

Reads the layers from pyproject.toml (the import-linter contract that ``make lint``
checks) and the imports from the code itself (grimp, import-linter's graph), so the page
cannot drift from either: ``tests/portal/test_architecture_doc.py`` fails when the page's
diagram is not what this script draws.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "architecture.md"
BEGIN, END = "<!-- layers:begin (scripts/architecture.py) -->", "<!-- layers:end -->"


def layers() -> list[list[str]]:
    """The contract's layers, top first, each a list of its apps."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in config["contracts"] if c["type"] == "layers")
    return [re.split(r"\s*[|:]\s*", layer.strip()) for layer in contract["layers"]]


def imports() -> dict[str, set[str]]:
    """For each app, the other apps of the project its modules import."""
    import grimp

    apps = [app for layer in layers() for app in layer]
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*apps)
    out: dict[str, set[str]] = {app: set() for app in apps}
    for app in apps:
        for module in graph.find_children(app) | {app} | graph.find_descendants(app):
            for imported in graph.find_modules_directly_imported_by(module):
                top = imported.split(".")[0]
                if top != app and top in out:
                    out[app].add(top)
    return out


def diagram() -> str:
    """One line per layer, top first: its apps, and what each imports (all below it)."""
    uses = imports()
    lines = ["```text"]
    for depth, layer in enumerate(layers()):
        if depth:
            lines.append("   │")
            lines.append("   ▼")
        for app in layer:
            below = ", ".join(sorted(uses[app])) or "nothing of Terang"
            lines.append(f"{app:<10} → {below}")
    lines.append("```")
    return "\n".join(lines)


def section() -> str:
    return f"{BEGIN}\n{diagram()}\n{END}"


def page_section(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]


def main() -> None:
    if "--write" in sys.argv:
        text = DOC.read_text()
        DOC.write_text(text.replace(page_section(text), section()))
    else:
        print(diagram())


if __name__ == "__main__":
    main()
