"""Slack admins: uploads are read whole and never past the size limit, with the bot token sent only to Slack's
file hosts; membership of the admin user group is read once a minute, and a Slack failure is said as such."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from bot.admin import UPLOAD_MAX_BYTES
from bot.core.answerer import Answerer
from bot.live import LiveKnowledge
from tests.adapters.test_slack_bot import ROOT, SECRET, bolt, fake, serve, session  # noqa: F401  (fixtures)
from tests.fakes.slack_server import (
    FORM,
    JSON,
    FakeSlack,
    dm_message_event,
    event_callback,
    json_body,
    post_signed,
    slash_command_form,
)

pytestmark = pytest.mark.usefixtures("loopback_only")


def event_file(event_id: str, text: str) -> str:
    return f"""\
  - id: {event_id}
    date: "2024-05-28"
    title: {{en: {text}, zh: 测试事件}}
    text: {{en: {text}., zh: 测试事件。}}
    people: [jan-leike]
    citations:
      - source: infoq-2024-05
        quote: "Ilya Sutskever 与 Jan Leike 上周二宣布将离开 OpenAI。"
"""


def padded_file(size: int) -> bytes:
    """A valid knowledge file of exactly ``size`` bytes: an event, comment lines, then a second event."""
    head = ("events:\n" + event_file("upload-first-event", "A first uploaded event")).encode()
    tail = event_file("upload-second-event", "A second uploaded event").encode()
    line = b"# " + b"padding " * 12 + b"\n"
    middle = line * ((size - len(head) - len(tail)) // len(line))
    filler = size - len(head) - len(tail) - len(middle)
    return head + middle + (b"#" * (filler - 1) + b"\n" if filler else b"") + tail


@pytest.fixture
def admin_knowledge(citebot, tmp_path: Path) -> Path:  # type: ignore[no-untyped-def]
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    citebot.settings.knowledge_dir = knowledge
    citebot.settings.slack_admin_user_ids = ["UADMIN"]
    return knowledge


async def upload(slack: FakeSlack, http: Any, url: str, shared: dict[str, Any], ts: str) -> str:
    event = dm_message_event("kb upload", user="UADMIN", ts=ts) | {"subtype": "file_share", "files": [shared]}
    await post_signed(http, url, json_body(event_callback(event)), JSON, SECRET)
    reply = await slack.wait_for("chat.postMessage", lambda c: c.args.get("thread_ts") == ts)
    return str(reply.args["text"])


async def test_a_large_file_sent_in_many_chunks_is_written_whole(fake, session, bolt, admin_knowledge):  # noqa: F811
    data = padded_file(213_831)
    async with serve(bolt) as url:
        said = await upload(fake, session, url, fake.shared_file("big.yaml", data, chunk_bytes=4096), "1716400100.1")
    assert said.startswith("Uploaded big.yaml.") and said.endswith("is live: 2 added")
    assert (admin_knowledge / "big.yaml").read_bytes() == data


@pytest.mark.parametrize("chunk_bytes", [None, 4096])  # with a Content-Length, and streamed without one
async def test_a_file_over_the_limit_is_refused_whatever_size_it_declares(chunk_bytes, fake, session, bolt,  # noqa: F811
                                                                           admin_knowledge):
    data = padded_file(400 * 1024)
    shared = fake.shared_file("huge.yaml", data, size=10, chunk_bytes=chunk_bytes)
    async with serve(bolt) as url:
        said = await upload(fake, session, url, shared, "1716400110.1")
    assert said == f"Upload refused: the file is {len(data)} bytes; the limit is {UPLOAD_MAX_BYTES}"
    assert not (admin_knowledge / "huge.yaml").exists()


async def test_the_bot_token_goes_only_to_slacks_file_hosts(fake, session, bolt, admin_knowledge):  # noqa: F811
    async with FakeSlack() as elsewhere:
        shared = elsewhere.shared_file("later.yaml", padded_file(2000))  # a URL on another host
        async with serve(bolt) as url:
            said = await upload(fake, session, url, shared, "1716400120.1")
        assert not elsewhere.calls_to("file_download")  # not asked at all, so no token sent
    assert said == "Upload refused; nothing changed: the file is not on Slack's file servers"
    assert not (admin_knowledge / "later.yaml").exists()


async def kb(slack: FakeSlack, http: Any, url: str, user: str, key: str, text: str = "status") -> str:
    form = slash_command_form("/kb", text, user_id=user, response_url=slack.response_url(key))
    await post_signed(http, url, form, FORM, SECRET)
    return str((await slack.wait_for("response_url", lambda c: c.target == key)).args["text"])


async def test_the_admin_group_is_read_once_for_a_burst_of_kb(fake, session, bolt, citebot):  # noqa: F811
    citebot.settings.slack_admin_usergroup = "SADMINS"
    fake.usergroups["SADMINS"] = ["UGROUP"]
    async with serve(bolt) as url:
        said = [await kb(fake, session, url, user, f"k{n}") for n, user in enumerate(["UGROUP", "U1"] * 5)]
    assert all(s.startswith("Live knowledge version") for s in said[::2])
    assert all(s.startswith("Sorry, only citebot admins") for s in said[1::2])
    assert len(fake.calls_to("usergroups.users.list")) == 1


async def test_when_slack_cannot_say_the_admin_is_told_to_try_again_not_refused(fake, session, bolt,  # noqa: F811
                                                                                citebot):
    citebot.settings.slack_admin_usergroup = "SADMINS"
    fake.usergroups["SADMINS"] = ["UGROUP"]
    fake.fail_next("usergroups.users.list", status=429, headers={"Retry-After": "0"}, times=3)  # beyond the retries
    async with serve(bolt) as url:
        first = await kb(fake, session, url, "UGROUP", "a")
        second = await kb(fake, session, url, "UGROUP", "b")
    assert first == "Sorry — I couldn't check your admin rights with Slack just now. Please try again in a minute."
    assert second.startswith("Live knowledge version")  # the failure was not kept
    assert [c.status for c in fake.calls_to("usergroups.users.list")] == [429, 429, 429, 200]
    assert [(a.action, a.outcome) for a in await citebot.side.store.audit_log(5)] == [("status", "ok")]


async def test_kb_status_shows_another_bots_failed_reload_and_the_admin_whose_reload_superseded_it(
        fake, session, bolt, citebot, admin_knowledge, prepared):  # noqa: F811
    broken = "events:\n" + event_file("admin-added-event", "An event an admin added").replace("jan-leike", "nobody")
    (admin_knowledge / "later.yaml").write_text(broken, encoding="utf-8")
    elsewhere = LiveKnowledge(citebot.settings, Answerer(prepared), citebot.side.store)  # another bot's watcher
    assert not (await elsewhere.reload(None, "file watcher")).ok
    async with serve(bolt) as url:
        before = await kb(fake, session, url, "UADMIN", "s1")
        (admin_knowledge / "later.yaml").write_text(broken.replace("nobody", "jan-leike"), encoding="utf-8")
        reloaded = await kb(fake, session, url, "UADMIN", "r1", "reload")
        after = await kb(fake, session, url, "UADMIN", "s2")
    assert before.startswith("Live knowledge version 1 ") and "by test." in before
    assert ", file watcher: " in before and "later.yaml:" in before and "unknown people id 'nobody'" in before
    assert "Version 1 kept serving" in before
    assert "version 2 " in reloaded
    assert "Live knowledge version 2 " in after and "by slack:uadmin (UADMIN)." in after
    assert "Superseded: version 2 went live after it" in after
    [latest, _] = await citebot.side.store.history(2)
    assert latest.author == "slack:uadmin (UADMIN)"


async def test_a_refused_reload_and_an_upload_are_recorded_as_by_the_slack_admin(
        fake, session, bolt, citebot, admin_knowledge):  # noqa: F811
    (admin_knowledge / "later.yaml").write_text("events:\n  - id: [unclosed\n", encoding="utf-8")
    async with serve(bolt) as url:
        assert "reload refused" in await kb(fake, session, url, "UADMIN", "r1", "reload")
        status = await kb(fake, session, url, "UADMIN", "s1")
        (admin_knowledge / "later.yaml").unlink()
        said = await upload(fake, session, url, fake.shared_file("added.yaml", padded_file(2000)), "1716400130.1")
    assert ", /kb reload by slack:uadmin (UADMIN): " in status and "later.yaml" in status
    assert said.startswith("Uploaded added.yaml.") and "is live" in said
    [latest, _] = await citebot.side.store.history(2)
    assert latest.author == "slack:UADMIN"  # a file_share event carries the user's id, not their name
