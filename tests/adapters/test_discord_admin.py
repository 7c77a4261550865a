"""Discord admins: `/kb status` shows the running bots' live version and their last failed reload (whichever process
failed it), and the versions an admin makes with `/kb reload` and `/kb upload` are recorded as theirs."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.core.answerer import Answerer
from bot.live import LiveKnowledge
from tests.adapters.conftest import ROOT
from tests.adapters.test_discord_bot import bot, fake, kb_options  # noqa: F401  (fixtures)
from tests.fakes.discord_server import FakeDiscord

pytestmark = pytest.mark.usefixtures("loopback_only")

GOOD = """\
events:
  - id: admin-added-event
    date: "2024-05-28"
    title: {en: An event an admin added, zh: 管理员添加的事件}
    text: {en: An event an admin added., zh: 管理员添加的事件。}
    people: [jan-leike]
    citations:
      - source: infoq-2024-05
        quote: "Ilya Sutskever 与 Jan Leike 上周二宣布将离开 OpenAI。"
"""
BROKEN = GOOD.replace('"2024-05-28"', '"2024-05-99"').replace("[jan-leike]", "[nobody]")


@pytest.fixture
def knowledge(citebot, fake: FakeDiscord, tmp_path: Path) -> Path:  # noqa: F811
    folder = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", folder)
    citebot.settings.knowledge_dir = folder
    fake.permissions |= 1 << 5  # Manage Server: an admin
    return folder


async def kb(fake: FakeDiscord, sub: str, options: list[dict[str, Any]] | None = None,  # noqa: F811
             **more: Any) -> str:
    interaction = await fake.interaction_create("kb", options or kb_options(sub), **more)
    await fake.wait_for_interaction_response(interaction)
    return str((await fake.wait_for_followup(interaction, timeout=30)).json["content"])


async def test_status_shows_another_processes_failed_reload_until_a_version_supersedes_it(
        fake, bot, citebot, knowledge, prepared):  # noqa: F811
    (knowledge / "later.yaml").write_text(BROKEN, encoding="utf-8")
    elsewhere = LiveKnowledge(citebot.settings, Answerer(prepared), citebot.side.store)  # another bot's watcher
    assert not (await elsewhere.reload(None, "file watcher")).ok

    status = await kb(fake, "status")
    assert "Live knowledge version 1 " in status and "Made live" in status and "by test." in status
    assert "Last failed reload: " in status and ", file watcher: " in status and "later.yaml:" in status
    assert "(and 1 more problem)" in status and "Version 1 kept serving" in status

    (knowledge / "later.yaml").write_text(GOOD, encoding="utf-8")
    assert "version 2 " in await kb(fake, "reload")
    status = await kb(fake, "status")
    admin = f"discord:tester ({fake.user_id})"
    assert "Live knowledge version 2 " in status and f"by {admin}." in status
    assert "Superseded: version 2 went live after it" in status and "file watcher" in status


async def test_a_refused_reload_names_the_admin_and_their_upload_is_recorded_as_theirs(
        fake, bot, citebot, knowledge):  # noqa: F811
    admin = f"discord:tester ({fake.user_id})"
    (knowledge / "later.yaml").write_text(BROKEN, encoding="utf-8")
    assert "reload refused" in await kb(fake, "reload")
    assert f", /kb reload by {admin}: " in await kb(fake, "status")

    (knowledge / "later.yaml").unlink()
    attachment = fake.shared_attachment("added.yaml", GOOD.encode())
    options = kb_options("upload")
    options[0]["options"] = [{"name": "file", "type": 11, "value": attachment["id"]}]
    uploaded = await kb(fake, "upload", options, resolved={"attachments": {attachment["id"]: attachment}})
    assert uploaded.startswith("Uploaded added.yaml") and "is live" in uploaded
    [latest, first] = await citebot.side.store.history(2)
    assert (latest.id, latest.author, first.author) == (2, admin, "test")
    history = await kb(fake, "history")
    assert f"v2 {latest.created_at:%Y-%m-%d %H:%M} by {admin}" in history
    assert [a.actor for a in await citebot.side.store.audit_log(2)] == [admin, admin]
