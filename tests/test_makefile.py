"""`make run` on a fresh clone says what it is doing while it installs, and installs once.

The Makefile runs for real in a scratch folder, with a stand-in for `python3 -m venv` whose venv's python and
citebot only note how they were called: no packages are installed and nothing is downloaded."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FAKE_PYTHON = """#!/bin/sh
# python3 -m venv DIR: a venv whose python and citebot append their arguments to DIR/calls
mkdir -p "$3/bin"
for tool in python citebot; do
    printf '#!/bin/sh\\necho "%s $*" >> "%s/calls"\\n' "$tool" "$3" > "$3/bin/$tool"
    chmod +x "$3/bin/$tool"
done
"""

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    return tmp_path


def make(clone: Path, target: str) -> list[str]:
    run = subprocess.run(["make", "--no-print-directory", target, f"PYTHON={clone / 'python3'}"], cwd=clone,
                         capture_output=True, text=True, timeout=60, check=True)
    return run.stdout.splitlines()


def test_the_first_run_says_each_step_then_starts_the_chat(clone):
    assert make(clone, "run") == [
        "citebot: creating the virtual environment in .venv…",
        "citebot: installing dependencies (first time only, about 30 s)…",
        "citebot: installed",
        "citebot: starting the chat…",
    ]
    calls = (clone / ".venv" / "calls").read_text().splitlines()
    assert calls[-1] == "citebot chat" and any("install --quiet -e .[dev,discord,slack]" in c for c in calls)


def test_a_second_run_installs_nothing_and_a_changed_pyproject_updates_without_a_new_venv(clone):
    make(clone, "install")
    assert not [line for line in make(clone, "install") if line.startswith("citebot:")]
    stamp = clone / ".venv" / ".installed-stamp"
    later = stamp.stat().st_mtime + 10
    os.utime(clone / "pyproject.toml", (later, later))
    assert make(clone, "install") == ["citebot: pyproject.toml changed: updating the dependencies…",
                                      "citebot: installed"]
