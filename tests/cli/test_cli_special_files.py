"""Special files in the knowledge folder, as an operator meets them: `kb check` and `serve` as real processes.

A FIFO once hung `kb check` and wedged the live reload (and with it SIGTERM); a link to /dev/zero
grew `kb check` to 5.4 GB. Each child runs with its address space capped, so a regression fails
the test instead of taking the machine's memory.
"""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.request import urlopen

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADDRESS_SPACE = 3 * 1024**3
# The child reports its own peak resident memory (kB on Linux) on its last stderr line.
MEASURED = ("import resource, sys\nfrom bot.cli.main import main\ncode = main(sys.argv[1:])\n"
            "print('maxrss', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\nsys.exit(code)")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("README.md", ".*"))
    return knowledge


@pytest.fixture
def env(tmp_path: Path, folder: Path) -> dict[str, str]:
    return {**os.environ, "CITEBOT_DATA_DIR": str(tmp_path / "data"), "CITEBOT_DATABASE_URL": "",
            "CITEBOT_KNOWLEDGE_DIR": str(folder)}


def capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def unblock(fifo: Path) -> None:
    """Open the FIFO's other end, so a reader stuck in open() (the code before the fix) can finish."""
    with contextlib.suppress(OSError):
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def kb_check(env: dict[str, str]) -> tuple[subprocess.CompletedProcess, float, int]:
    started = time.monotonic()
    run = subprocess.run([sys.executable, "-c", MEASURED, "kb", "check"], capture_output=True, text=True, env=env,
                         cwd=ROOT, timeout=60, check=False, preexec_fn=capped)
    rss = next((int(line.split()[1]) for line in run.stderr.splitlines() if line.startswith("maxrss ")), -1)
    return run, time.monotonic() - started, rss * 1024


def test_kb_check_names_a_fifo_at_once(env, folder):
    fifo = folder / "pipe.yaml"
    os.mkfifo(fifo)
    try:
        run, seconds, _ = kb_check(env)
    finally:
        unblock(fifo)
    assert run.returncode == 1, run.stderr
    assert "pipe.yaml: is a FIFO (named pipe), not a regular file" in run.stdout
    assert seconds < 30 and "Traceback" not in run.stderr


def test_kb_check_refuses_a_link_to_dev_zero_in_bounded_time_and_memory(env, folder):
    (folder / "zero.yaml").symlink_to("/dev/zero")
    run, seconds, rss = kb_check(env)
    assert run.returncode == 1, run.stderr
    assert "zero.yaml: is a link to /dev/zero, outside the knowledge folder" in run.stdout
    assert "unexpected error" not in run.stderr and seconds < 30
    assert 0 < rss < 400 * 1024**2, f"peak RSS {rss / 2**20:.0f} MB"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def eventually(check: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if check():
                return True
        time.sleep(0.1)
    return False


LATER_SOURCE = "sources:\n  - {id: a-later-source, title: A later source, publisher: Test Press, language: en}\n"


def test_serve_reports_a_fifo_goes_on_reloading_and_stops_on_sigterm(env, folder, tmp_path):
    log, port = tmp_path / "serve.log", free_port()
    env = {**env, "CITEBOT_HTTP_HOST": "127.0.0.1", "CITEBOT_HTTP_PORT": str(port), "CITEBOT_LOG_LEVEL": "INFO"}
    fifo = folder / "pipe.yaml"

    def logged(text: str) -> bool:
        return text in log.read_text(errors="replace")

    with log.open("w") as out:
        serve = subprocess.Popen([sys.executable, "-m", "bot", "serve"], stdout=out, stderr=subprocess.STDOUT,
                                 env=env, cwd=ROOT, preexec_fn=capped)
    try:
        assert eventually(lambda: urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).status == 200, 60), \
            log.read_text()
        time.sleep(0.5)  # the file watcher is up
        os.mkfifo(fifo)
        assert eventually(lambda: logged("pipe.yaml: is a FIFO"), 15), log.read_text()
        fifo.unlink()
        (folder / "later.yaml").write_text(LATER_SOURCE, encoding="utf-8")
        assert eventually(lambda: logged("is live, by file watcher"), 15), log.read_text()
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(timeout=15) == 0, log.read_text()
    finally:
        unblock(fifo)
        if serve.poll() is None:
            serve.kill()
            serve.wait()
