"""docs/security.md stays true: every test it names exists under that name (a test function,
or a method ``Class::method``, found in the file's syntax tree, not by a text search), and
every ASVS chapter that applies keeps its heading."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

DOC = Path(settings.BASE_DIR) / "docs" / "security.md"
# ``tests/dir/test_x.py::test_name`` or ``tests/dir/test_x.py::TestClass::test_name``.
REFERENCE = re.compile(r"(tests/[\w/]+\.py)((?:::\w+)+)")
CHAPTERS = {
    1: "Architecture, design and threat modelling",
    2: "Authentication",
    3: "Session management",
    4: "Access control",
    5: "Validation, sanitization and encoding",
    6: "Stored cryptography",
    7: "Error handling and logging",
    8: "Data protection",
    9: "Communication",
    10: "Malicious code",
    11: "Business logic",
    12: "Files and resources",
    13: "API and web service",
    14: "Configuration",
}


def references(text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(path, tuple(names.split("::")[1:])) for path, names in REFERENCE.findall(text)]


def defined_tests(source: str) -> set[tuple[str, ...]]:
    """The test functions of a module, and the test methods of its classes, as name paths."""
    found = set()
    functions = (ast.FunctionDef, ast.AsyncFunctionDef)
    for node in ast.parse(source).body:
        if isinstance(node, functions) and node.name.startswith("test"):
            found.add((node.name,))
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, functions) and member.name.startswith("test"):
                    found.add((node.name, member.name))
    return found


def missing(text: str, root: Path) -> list[str]:
    """The references of ``text`` that name no test under ``root``."""
    problems, parsed = [], {}
    for path, names in references(text):
        node_id = "::".join((path, *names))
        file = root / path
        if not file.is_file():
            problems.append(f"{node_id}: no such file")
            continue
        if path not in parsed:
            parsed[path] = defined_tests(file.read_text(encoding="utf-8"))
        if names not in parsed[path]:
            problems.append(f"{node_id}: no such test in {path}")
    return problems


@pytest.fixture(scope="module")
def doc() -> str:
    return DOC.read_text(encoding="utf-8")


def test_every_test_the_page_names_exists(doc):
    assert len(references(doc)) >= 100, "the page names fewer tests than expected"
    problems = missing(doc, Path(settings.BASE_DIR))
    assert not problems, "docs/security.md names tests that do not exist:\n" + "\n".join(problems)


def test_every_asvs_chapter_that_applies_has_its_heading(doc):
    headings = {line[3:].strip() for line in doc.splitlines() if line.startswith("## ")}
    for number, name in CHAPTERS.items():
        assert f"V{number} {name}" in headings, f"no heading '## V{number} {name}'"
    assert "Residual risks" in headings


def test_every_chapter_names_at_least_one_test(doc):
    sections = re.split(r"^## ", doc, flags=re.MULTILINE)
    for number in CHAPTERS:
        (section,) = [s for s in sections if s.startswith(f"V{number} ")]
        assert references(section), f"V{number} names no test"


def test_work_in_progress_names_no_test(doc):
    """What is still being built is said to be in progress, with no test claimed for it."""
    for paragraph in re.split(r"\n(?=- |\n)", doc):
        if "in progress" in paragraph.lower():
            assert not references(paragraph), paragraph


def test_a_renamed_test_is_caught(tmp_path):
    """The check itself: a reference to a renamed function, or a method named without its
    class, is reported; a method named with its class is found."""
    module = tmp_path / "tests" / "portal" / "test_example.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "def test_it_is_here():\n    pass\n\n"
        "class TestGroup:\n    def test_a_method(self):\n        pass\n",
        encoding="utf-8",
    )
    page = (
        "- `tests/portal/test_example.py::test_it_is_here`\n"
        "- `tests/portal/test_example.py::TestGroup::test_a_method`\n"
    )
    assert missing(page, tmp_path) == []
    renamed = page.replace("test_it_is_here", "test_it_was_here")
    assert missing(renamed, tmp_path) == [
        "tests/portal/test_example.py::test_it_was_here: no such test in "
        "tests/portal/test_example.py"
    ]
    assert missing("`tests/portal/test_example.py::test_a_method`", tmp_path)
    assert missing("`tests/portal/test_gone.py::test_it_is_here`", tmp_path) == [
        "tests/portal/test_gone.py::test_it_is_here: no such file"
    ]
