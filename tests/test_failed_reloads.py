"""Failed reloads are kept in the store without ever breaking the reload; a bot that cannot start says why there."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest

from bot.cli.platforms import start_app
from bot.core.answerer import Answerer
from bot.core.types import Question
from bot.errors import StoreError
from bot.knowledge.loader import KnowledgeInvalid
from bot.live import LiveKnowledge
from bot.settings import Settings
from bot.store import Store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def broken_settings(tmp_path: Path) -> Settings:
    folder = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder)
    (folder / "bad.yaml").write_text("events:\n  - id: [unclosed\n", encoding="utf-8")
    return Settings(knowledge_dir=folder, data_dir=tmp_path / "data",
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


async def test_a_bot_starting_on_broken_files_serves_the_stored_version_and_keeps_the_failure(broken_settings):
    """A version synced before the files broke: the bot starts from it, and kb status can say why."""
    (broken_settings.knowledge_dir / "bad.yaml").rename(broken_settings.data_dir.parent / "bad.yaml")
    good = await start_app(broken_settings, "slack")
    served = good.live.kb.version
    await good.close()
    (broken_settings.data_dir.parent / "bad.yaml").rename(broken_settings.knowledge_dir / "bad.yaml")
    app = await start_app(broken_settings, "slack")
    try:
        assert app.live.kb.version == served and (await app.ask(Question("Who is Jan Leike?"))).answered
        failure = await app.side.store.last_reload_failure()  # type: ignore[union-attr]
    finally:
        await app.close()
    assert failure is not None and failure.trigger == "start-up (slack)"
    assert "bad.yaml:3: invalid YAML" in failure.problems[0]
