"""Every benchmark script under ``bench/`` starts as the README runs it (``python
bench/NAME.py``): its imports resolve from the project's root, Django sets up, and it
answers ``--help``. (A module imported before the script put the project on the path once
broke ``seed.py`` unnoticed.)"""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings

# A fresh process with its own environment and database: the same on either pass.
pytestmark = pytest.mark.judged_once

SCRIPTS = sorted(
    path.name
    for path in (settings.BASE_DIR / "bench").glob("*.py")
    if path.name not in {"__init__.py", "urls.py", "planted.py"} and "argparse" in path.read_text()
)


def test_the_scripts_are_found():
    assert {"seed.py", "measure.py", "flags.py", "history.py"} <= set(SCRIPTS)


@pytest.mark.parametrize("script", SCRIPTS)
def test_a_benchmark_script_starts_from_the_command_line(script, project_env, tmp_path):
    env = project_env | {"DEBUG": "1", "TERANG_VAR_DIR": str(tmp_path)}
    env.pop("PYTHONPATH", None)  # as a shell runs it: only the script's own folder
    result = subprocess.run(
        [sys.executable, f"bench/{script}", "--help"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "usage:" in result.stdout
