"""`citebot kb gaps` prints what people asked without letting a stored question drive the admin's terminal:
rows logged before typed questions were cleaned still hold escape sequences."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.store import QuestionLogEntry, Store

ROOT = Path(__file__).resolve().parents[2]
STORED = "who is \x1b[A\x1b[Ajan\x1b]0;owned\x07 \x1b[2Jleike's cat?"


def kb_gaps(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "kb", "gaps"], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120, check=False)


async def test_gaps_shows_control_characters_as_escapes(tmp_path):
    env = {**os.environ, "CITEBOT_DATA_DIR": str(tmp_path / "data"), "CITEBOT_DATABASE_URL": ""}
    (tmp_path / "data").mkdir()
    store = await Store.connect(f"sqlite:///{tmp_path / 'data' / 'citebot.db'}")
    try:
        await store.log_question(QuestionLogEntry(
            asked_at=datetime.now(UTC), question=STORED, language="en", intent="who", answered=False,
            confidence=0.0, cited_entry_ids=(), latency_ms=1.0, adapter="cli"))
    finally:
        await store.close()
    run = kb_gaps(env)
    assert run.returncode == 0, run.stderr
    assert "\x1b" not in run.stdout and "\x07" not in run.stdout
    assert "1× who is \\x1b[A\\x1b[Ajan\\x1b]0;owned\\x07 \\x1b[2Jleike's cat?" in run.stdout
