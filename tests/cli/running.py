"""Running the real `citebot` command as a process, with a store and data folder of its own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def isolated_env(place: Path, **extra: str) -> dict[str, str]:
    """This environment, with citebot's data (and its SQLite store) under ``place / "data"``."""
    return {**os.environ, "CITEBOT_DATA_DIR": str(place / "data"), "CITEBOT_DATABASE_URL": "", **extra}


def citebot(*args: str, env: dict[str, str], stdin: str | None = None, cwd: Path = ROOT,
            timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=timeout, check=False)
