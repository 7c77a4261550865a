"""The CLI tests' environment: a citebot with its own data folder and SQLite store."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.running import isolated_env


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path)
