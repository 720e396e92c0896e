"""Event names live in one module (``permits.event_names``), so a renamed event cannot
silently blind a rule, a label or the generator (issue 17 point 5)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from integrity.inspection.flags.registry import RULES
from permits.event_names import EVENT_NAMES

ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {".venv", "tests", "migrations", "staticfiles", "node_modules", "var"}
# Outbox message kinds and partners' webhook event types that read like an event (other
# namespaces): where they are written.
MESSAGE_KINDS = {
    ("integrity/conflicts/services/cases.py", "integrity.case_overdue"),
    ("issuance/services/issue.py", "permit.revoked"),
    ("integrity/conflicts/services/suspicions.py", "integrity.suspicion_reported"),
    ("api/models.py", "permit.issued"),
    ("api/models.py", "permit.revoked"),
}
LABELS = ROOT / "permits/templates/permits/backoffice/_event_label.html"


def source_files() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not SKIPPED & set(path.relative_to(ROOT).parts)
        and path.relative_to(ROOT).as_posix() != "permits/event_names.py"
    ]


def stray_literals(path: Path, relative: str = "") -> list[str]:
    """The event names written as bare strings in ``path`` (named ``relative``)."""
    relative = relative or path.relative_to(ROOT).as_posix()
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=relative)):
        is_name = isinstance(node, ast.Constant) and node.value in EVENT_NAMES
        if is_name and (relative, node.value) not in MESSAGE_KINDS:
            found.append(f"{relative}:{node.lineno} {node.value!r}")
    return found


def test_no_code_writes_an_event_name_as_a_bare_string():
    stray = [hit for path in source_files() for hit in stray_literals(path)]
    assert not stray, "use permits.event_names instead of:\n" + "\n".join(stray)


def test_the_scan_catches_a_bare_string_but_not_a_message_kind(tmp_path):
    module = tmp_path / "probe.py"
    module.write_text('ACTION = "application.signed"\nKIND = "permit.revoked"\n')
    assert stray_literals(module, "integrity/probe.py") == [
        "integrity/probe.py:1 'application.signed'",
        "integrity/probe.py:2 'permit.revoked'",
    ]
    assert stray_literals(module, "issuance/services/issue.py") == [
        "issuance/services/issue.py:1 'application.signed'"
    ]


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_listens_to_events_that_exist(code):
    assert set(RULES[code].triggers) <= EVENT_NAMES, set(RULES[code].triggers) - EVENT_NAMES


def test_every_event_has_a_label_and_every_label_an_event():
    compared = set(re.findall(r'a == "([a-z_]+\.[a-z_]+)"', LABELS.read_text()))
    assert compared <= EVENT_NAMES, compared - EVENT_NAMES
    assert compared >= EVENT_NAMES, EVENT_NAMES - compared
