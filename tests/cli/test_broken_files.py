"""An admin is never locked out: with a broken knowledge file in place every command answers from the
store's last good version (saying so in one line), and `kb rollback` brings the files back, asking first."""

from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli.running import ROOT, citebot, isolated_env

BROKEN = "people:\n  - id: someone-new\n    role: {en: a new person}\n"  # no name, summary, citations
GPT_4O = 'en: "OpenAI announces GPT-4o"'
NOTE = "citebot: knowledge files do not validate (knowledge/later.yaml:2: people[0]."


def copy_knowledge(into: Path) -> Path:
    folder = into / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


def run(*args: str, env: dict[str, str], folder: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    """A command on ``folder`` (run beside it, so files are named knowledge/NAME as an admin sees them)."""
    return citebot(*args, "--knowledge", "knowledge", env=env, stdin=stdin, cwd=folder.parent)


def notes(run: subprocess.CompletedProcess) -> list[str]:
    return [line for line in run.stderr.splitlines() if line.startswith("citebot:")]


def files_of(folder: Path) -> dict[str, bytes]:
    """The knowledge files of ``folder`` and what is in them."""
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.yaml"))}


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, str], Path]:
    """Version 1 synced from the curated files, then a broken later.yaml put beside them."""
    place = tmp_path_factory.mktemp("broken")
    env = isolated_env(place)
    folder = copy_knowledge(place)
    assert run("kb", "sync", env=env, folder=folder).returncode == 0
    (folder / "later.yaml").write_text(BROKEN, encoding="utf-8")
    return env, folder


@pytest.mark.parametrize(("command", "shown"), [
    (["kb", "status"], "Live knowledge version 1 ("),
    (["kb", "history"], "v1 "),
    (["kb", "gaps"], "Most-asked questions the bot declined:"),
    (["kb", "stats"], "stored version 1 ("),
    (["timeline", "--since", "2024-05-13", "--until", "2024-05-13"], "OpenAI announces GPT-4o"),
    (["ask", "When did Jan Leike announce his departure?"], "May 14, 2024"),
])
def test_each_command_answers_from_the_stored_version_and_says_so_in_one_line(broken, command, shown):
    env, folder = broken
    result = run(*command, env=env, folder=folder)
    assert result.returncode == 0, result.stderr
    assert shown in result.stdout
    [note] = notes(result)
    assert note.startswith(NOTE) and "more, run 'citebot kb check'); using stored version 1 of " in note, note
    assert note.endswith(" UTC")


def test_the_timeline_picture_is_drawn_from_the_stored_version(broken, tmp_path):
    env, folder = broken
    picture = tmp_path / "timeline.png"
    result = run("timeline", "--since", "2024-05", "--until", "2024-05", "--png", str(picture), env=env, folder=folder)
    assert result.returncode == 0, result.stderr
    assert picture.read_bytes().startswith(b"\x89PNG") and "[1]" in result.stdout
    [note] = notes(result)
    assert note.startswith(NOTE)


def test_check_and_sync_still_refuse_the_broken_file(broken):
    env, folder = broken
    check = run("kb", "check", env=env, folder=folder)
    assert check.returncode == 1 and "knowledge/later.yaml:2: people[0]." in check.stdout
    sync = run("kb", "sync", env=env, folder=folder)
    assert sync.returncode == 1 and "knowledge/later.yaml:2" in sync.stderr and "using stored" not in sync.stderr
    assert "v2" not in run("kb", "history", env=env, folder=folder).stdout


def test_with_no_stored_version_the_validation_error_stands(env, tmp_path):
    folder = copy_knowledge(tmp_path)
    (folder / "later.yaml").write_text(BROKEN, encoding="utf-8")
    result = run("kb", "status", env=env, folder=folder)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("citebot: error: knowledge in knowledge is invalid: knowledge/later.yaml:2: people[0].")


# --- rollback --------------------------------------------------------------------------------------

@pytest.fixture
def edited(env, tmp_path) -> Path:
    """Version 1 synced; then events.yaml edited (valid) and the broken later.yaml added: version 1 is live."""
    folder = copy_knowledge(tmp_path)
    assert run("kb", "sync", env=env, folder=folder).returncode == 0
    events = folder / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace(GPT_4O, 'en: "OpenAI unveils GPT-4o"'),
                      encoding="utf-8")
    (folder / "later.yaml").write_text(BROKEN, encoding="utf-8")
    return folder


def on_a_terminal(*args: str, env: dict[str, str], folder: Path, answer: str) -> subprocess.CompletedProcess:
    """A command whose stdin is a terminal (a pseudo-terminal), typing ``answer`` at it."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen([sys.executable, "-m", "bot", *args, "--knowledge", "knowledge"], stdin=terminal,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                   cwd=folder.parent)
        os.close(terminal)
        os.write(controller, answer.encode())
        stdout, stderr = process.communicate(timeout=60)
    finally:
        os.close(controller)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_a_dry_run_lists_what_it_would_write_and_delete_and_writes_nothing(env, edited):
    before = files_of(edited)
    result = run("kb", "rollback", "1", "--dry-run", env=env, folder=edited)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "rollback to version 1 will:",
        "  overwrite events.yaml",
        "  delete    later.yaml (version 1 did not have it)",
        f"  ({len(list((ROOT / 'knowledge').glob('*.yaml'))) - 1} file(s) unchanged)",  # all but events.yaml
        "dry run: nothing written",
    ]
    assert files_of(edited) == before


def test_a_rollback_asks_before_deleting_a_file_the_version_did_not_have_and_yes_goes_ahead(env, edited):
    result = on_a_terminal("kb", "rollback", "1", env=env, folder=edited, answer="y\n")
    assert result.returncode == 0, result.stderr
    assert "Delete later.yaml, which version 1 did not have? [y/N]" in result.stdout
    assert "Files: overwrote events.yaml; deleted later.yaml." in result.stdout
    assert not (edited / "later.yaml").exists() and GPT_4O in (edited / "events.yaml").read_text(encoding="utf-8")
    assert run("kb", "check", env=env, folder=edited).returncode == 0


def test_answering_no_writes_nothing(env, edited):
    before = files_of(edited)
    result = on_a_terminal("kb", "rollback", "1", env=env, folder=edited, answer="n\n")
    assert result.returncode == 1
    assert "[y/N]" in result.stdout and "rollback cancelled; nothing written" in result.stdout
    assert files_of(edited) == before


def test_yes_deletes_without_asking(env, edited):
    result = run("kb", "rollback", "1", "--yes", env=env, folder=edited)
    assert result.returncode == 0, result.stderr
    assert "[y/N]" not in result.stdout and "deleted later.yaml" in result.stdout
    assert files_of(edited) == files_of(ROOT / "knowledge")


def test_with_no_terminal_and_no_yes_it_refuses_in_one_line_and_writes_nothing(env, edited):
    before = files_of(edited)
    result = run("kb", "rollback", "1", env=env, folder=edited, stdin="y\n")
    assert result.returncode == 1
    [error] = [line for line in notes(result) if not line.startswith(NOTE)]
    assert error.startswith("citebot: error: the rollback would delete later.yaml") and "--yes" in error
    assert files_of(edited) == before


def test_rolling_back_to_the_live_version_that_matches_the_files_does_nothing(env, tmp_path):
    folder = copy_knowledge(tmp_path)
    assert run("kb", "sync", env=env, folder=folder).returncode == 0
    before = {path.name: path.stat().st_mtime_ns for path in folder.glob("*.yaml")}
    result = run("kb", "rollback", "1", env=env, folder=folder)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "version 1 is already live and matches the files; nothing to do"
    assert {path.name: path.stat().st_mtime_ns for path in folder.glob("*.yaml")} == before
    assert "v2" not in run("kb", "history", env=env, folder=folder).stdout


def test_rolling_back_past_the_live_version_with_broken_files_makes_a_new_version(env, edited):
    (edited / "later.yaml").unlink()
    assert "synced: version 2" in run("kb", "sync", env=env, folder=edited).stdout  # "unveils" is live
    (edited / "later.yaml").write_text(BROKEN, encoding="utf-8")
    result = run("kb", "rollback", "1", "--yes", env=env, folder=edited)
    assert result.returncode == 0, result.stderr
    assert "Rolled back to version 1: version 3 (" in result.stdout and "1 changed" in result.stdout
    assert "Files: overwrote events.yaml; deleted later.yaml." in result.stdout
    history = run("kb", "history", env=env, folder=edited).stdout
    assert history.startswith("v3 ") and "(rollback to version 1)" in history.splitlines()[0]
    timeline = run("timeline", "--since", "2024-05-13", "--until", "2024-05-13", env=env, folder=edited)
    assert "OpenAI announces GPT-4o" in timeline.stdout and not notes(timeline)
