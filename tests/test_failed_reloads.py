"""Failed reloads are kept in the store without ever breaking the reload; a bot that cannot start says why there."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from bot.cli.platforms import start_app
from bot.core.answerer import Answerer
from bot.errors import StoreError
from bot.knowledge.loader import KnowledgeInvalid
from bot.live import LiveKnowledge
from bot.settings import Settings
from bot.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def broken_settings(tmp_path: Path, shared_dir: Path) -> Settings:
    folder = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder)
    (folder / "bad.yaml").write_text("events:\n  - id: [unclosed\n", encoding="utf-8")
    return Settings(knowledge_dir=folder, source_copies=[shared_dir / "seed"], data_dir=tmp_path / "data",
                    database_url="")


class FailingStore:
    async def record_reload_failure(self, failure: object) -> None:
        raise StoreError("writing to the database at sqlite:///x failed: disk I/O error")


async def test_a_store_that_cannot_keep_the_failure_leaves_the_reload_refused_as_before(broken_settings, prepared,
                                                                                        caplog):
    live = LiveKnowledge(broken_settings, Answerer(prepared), FailingStore())  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING):
        result = await live.reload("discord:alice (123)")
    assert not result.ok and not result.changed and live.kb is prepared.kb
    assert live.last_failure is not None and live.last_failure.author == "discord:alice (123)"
    assert any("could not record the failed reload" in r.getMessage() and "disk I/O error" in r.getMessage()
               for r in caplog.records)


async def test_a_bot_that_cannot_start_on_broken_files_keeps_the_failure_for_kb_status(broken_settings):
    with pytest.raises(KnowledgeInvalid):
        await start_app(broken_settings, "discord")
    store = await Store.connect(broken_settings.effective_database_url)
    try:
        failure = await store.last_reload_failure()
    finally:
        await store.close()
    assert failure is not None and (failure.trigger, failure.author) == ("start-up (discord)", None)
    assert "bad.yaml:3: invalid YAML" in failure.problems[0]
