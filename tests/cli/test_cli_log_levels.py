"""What the log says by default: a running bot tells its start-up and shutdown at INFO, a one-shot command only
its problems, and --debug everything."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
from pathlib import Path
from urllib.request import urlopen

import pytest

from tests.cli.running import isolated_env
from tests.cli.test_cli_special_files import eventually, free_port

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """No log level set: the defaults (config/citebot.toml, then Settings) are what is tested."""
    env = isolated_env(tmp_path, CITEBOT_ENCODER="off")
    env.pop("CITEBOT_LOG_LEVEL", None)
    return env


def levels(log: str) -> dict[str, str]:
    """Each text log line's message (after the request id), with its level."""
    found = (re.search(r" (DEBUG|INFO|WARNING|ERROR|CRITICAL) \S+ \[\S+\] (.*)", line) for line in log.splitlines())
    return {m.group(2): m.group(1) for m in found if m}


def test_serve_tells_its_start_and_stop_at_info_by_default(env, tmp_path):
    port, log = free_port(), tmp_path / "serve.log"
    env = {**env, "CITEBOT_HTTP_HOST": "127.0.0.1", "CITEBOT_HTTP_PORT": str(port)}
    with log.open("w") as out:
        serve = subprocess.Popen([sys.executable, "-m", "bot", "serve"], stdout=out, stderr=subprocess.STDOUT,
                                 env=env, cwd=ROOT)
    try:
        assert eventually(lambda: urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).status == 200, 60), \
            log.read_text()
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=15) == 0, log.read_text()
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()
    logged = levels(log.read_text())
    assert logged[f"HTTP (health, metrics, /api/ask) on http://127.0.0.1:{port}"] == "INFO", logged
    assert logged["stopping: finishing the answers in flight"] == "INFO"
    assert logged["stopped after 0 answer(s) in flight"] == "INFO"
    assert "WARNING" not in logged.values() and "DEBUG" not in logged.values(), logged


def test_a_one_shot_command_logs_only_problems_unless_asked_for_debug(env):
    def ask(*flags: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", "ask", "Who is Jan Leike?", *flags], capture_output=True,
                              text=True, env=env, cwd=ROOT, timeout=60, check=False)

    quiet = ask()
    assert quiet.returncode == 0 and "Jan Leike" in quiet.stdout
    assert quiet.stderr == ""  # nothing went wrong, so nothing is said (the database was even created)
    debug = ask("--debug")
    assert debug.returncode == 0
    assert "INFO bot.store: connected to the database" in debug.stderr and "DEBUG " in debug.stderr
