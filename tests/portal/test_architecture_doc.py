"""docs/architecture.md stays true: its layer diagram is the one the code draws, and its
extension points are the ones the apps register in ``ready()``, no more, no fewer."""

import ast
import importlib
import re

from scripts.architecture import DOC, ROOT, page_section, section

APPS = ["accounts", "core", "demo", "integrity", "issuance", "outbox", "permits", "portal",
        "public", "trail", "worktime"]  # fmt: skip


def test_the_layer_diagram_is_the_one_the_code_draws():
    assert page_section(DOC.read_text()) == section(), (
        "docs/architecture.md: run .venv/bin/python scripts/architecture.py --write"
    )


def _ready_calls() -> set[str]:
    """The names every app's ``ready()`` calls to register something (hooks and signal
    connections), e.g. ``register_action_guard`` or ``post_save.connect``."""
    names = set()
    for app in APPS:
        config = ROOT / app / "apps.py"
        if not config.exists():
            continue
        tree = ast.parse(config.read_text())
        ready = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "ready"]
        for function in ready:
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                target = call.func
                if isinstance(target, ast.Name):
                    names.add(target.id)
                elif isinstance(target, ast.Attribute) and target.attr == "connect":
                    owner = target.value
                    names.add(f"{getattr(owner, 'id', getattr(owner, 'attr', '?'))}.connect")
    return names


def _hooks_on_page() -> dict[str, str]:
    """The extension-point table: hook name -> the module that offers it."""
    text = DOC.read_text().split("## Extension points", 1)[1].split("Django signals", 1)[0]
    rows = re.findall(r"^\| `(\w+)`[^|]*\| `([\w.]+)` \|", text, flags=re.MULTILINE)
    return dict(rows)


def test_every_hook_on_the_page_exists_where_it_says():
    hooks = _hooks_on_page()
    assert len(hooks) >= 10
    for name, module in hooks.items():
        assert hasattr(importlib.import_module(module), name), f"{module}.{name}"


def test_every_registration_in_ready_is_on_the_page():
    on_page = set(_hooks_on_page())
    signals_text = DOC.read_text().split("Django signals", 1)[1]
    for name in _ready_calls():
        if name.endswith(".connect"):
            signal = name.split(".")[0]
            if signal == "signal":  # a loop over post_save and post_delete
                continue
            assert f"`{signal}`" in signals_text, f"{name} is not in the signals table"
        elif name in {"range", "register", "print"}:
            assert name != "register" or "register" in on_page
        else:
            assert name in on_page or f"`{name}`" in signals_text, (
                f"ready() calls {name}: list it in docs/architecture.md"
            )
