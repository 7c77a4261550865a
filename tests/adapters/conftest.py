"""A real Citebot for adapter tests: the curated knowledge, and a fresh SQLite store for logs and feedback."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bootstrap import open_store
from bot.core.answerer import Answerer
from bot.core.recording import Recorders
from bot.service import Citebot
from bot.settings import Settings
from tests.fakes.network_guard import loopback_only  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
async def citebot(tmp_path: Path, prepared) -> AsyncIterator[Citebot]:
    settings = Settings(knowledge_dir=ROOT / "knowledge", data_dir=tmp_path / "data", database_url="")
    side = await open_store(settings, prepared.kb, author="test")
    bot = Citebot(settings, Answerer(prepared), side)
    bot.answerer.recorder = Recorders(side.recorder, bot.metrics)
    side.recorder.version_of = lambda: bot.live.version_id
    try:
        yield bot
    finally:
        await bot.close()
