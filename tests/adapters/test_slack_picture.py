"""/timeline on Slack: the private reply stays text (Slack files cannot be ephemeral) and says that sharing it
brings the picture; the share posts the timeline and uploads its picture with the files API."""

from __future__ import annotations

import json
import logging
import re
import struct
from typing import Any

import pytest

from bot.picture import fonts
from tests.adapters import test_slack_bot
from tests.adapters.test_slack_bot import SECRET, block_texts, serve
from tests.fakes.slack_server import FORM, block_action_form, post_signed, slash_command_form

pytestmark = pytest.mark.usefixtures("loopback_only")
fake, session, bolt = test_slack_bot.fake, test_slack_bot.session, test_slack_bot.bolt

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def numbers_in(comment: str) -> set[int]:
    """The citation numbers a picture's comment lists: "[1]–[3], [5]" is 1, 2, 3 and 5."""
    found: set[int] = set()
    for first, last in re.findall(r"\[(\d+)\](?:–\[(\d+)\])?", comment):
        found.update(range(int(first), int(last or first) + 1))
    return found


def share_button(blocks: list[dict[str, Any]]) -> dict[str, Any]:
    return next(e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "share")


async def private_timeline(fake, session, url: str, text: str) -> Any:
    await post_signed(session, url, slash_command_form("/timeline", text, response_url=fake.response_url("t")),
                      FORM, SECRET)
    return await fake.wait_for("response_url", lambda c: c.target == "t")


async def shared_timeline(fake, session, url: str, text: str, message_ts: str) -> Any:
    """Share the private /timeline reply to ``text``: the chat.postMessage that the click made."""
    private = await private_timeline(fake, session, url, text)
    click = block_action_form("share", share_button(private.args["blocks"])["value"], message_ts=message_ts,
                              response_url=fake.response_url("s"))
    await post_signed(session, url, click, FORM, SECRET)
    return await fake.wait_for("chat.postMessage")


async def test_sharing_a_timeline_uploads_its_picture_with_the_citations(fake, session, bolt, citebot):
    async with serve(bolt) as url:
        private = await private_timeline(fake, session, url, "Leike 2024-05..2024-05")
        assert private.args["response_type"] == "ephemeral"
        assert "Shared in the channel, the timeline comes with its picture." in block_texts(private.args["blocks"])
        assert not fake.uploads and not fake.calls_to("files.getUploadURLExternal")  # private stays private
        click = block_action_form("share", share_button(private.args["blocks"])["value"],
                                  message_ts="1716400060.000100", response_url=fake.response_url("s"))
        await post_signed(session, url, click, FORM, SECRET)
        shared = await fake.wait_for("chat.postMessage")
        completed = await fake.wait_for("files.completeUploadExternal")
    assert "Timeline of Jan Leike" in " ".join(block_texts(shared.args["blocks"]))
    [asked] = fake.calls_to("files.getUploadURLExternal")
    assert asked.args["filename"] == "timeline.png" and asked.args["alt_txt"].startswith("Timeline of Jan Leike")
    [upload] = fake.calls_to("file_upload")
    png = fake.uploads[upload.target]
    assert png.startswith(PNG_SIGNATURE) and struct.unpack(">I", png[16:20])[0] == 1400
    assert int(asked.args["length"]) == len(png)
    assert completed.args["channel_id"] == "C1" and "thread_ts" not in completed.args
    assert completed.args["files"] == [{"id": upload.target, "title": "Timeline of Jan Leike"}]
    comment = completed.args["initial_comment"]
    picture = await citebot.timeline_picture(person="Leike", since="2024-05", until="2024-05")
    assert png == picture.png  # the filtered timeline's picture (drawn once, then cached)
    assert {m.event_id for m in picture.chart.marks} == {e.event_id for e in picture.timeline.entries}
    assert len(picture.timeline.entries) == 4 and all(m.start.year == 2024 for m in picture.chart.marks)
    assert comment.startswith("*Timeline of Jan Leike*\n")
    assert numbers_in(comment) == {c.number for c in picture.timeline.citations}  # each number on the picture
    assert ("X (Twitter), 2024-05-14 · <https://x.com/janleike/status/1790603862132596961|Jan Leike's post on X"
            in comment) and "InfoQ, 2024-05-20" in comment
    for c in picture.timeline.citations:  # and the timeline's message has them with their quotes
        assert f"*[{c.number}]*" in " ".join(block_texts(shared.args["blocks"]))


async def test_a_timeline_shared_in_a_thread_puts_its_picture_in_the_thread(fake, session, bolt, prepared):
    async with serve(bolt) as url:
        private = await private_timeline(fake, session, url, "")  # the whole timeline can be shared too
        click = block_action_form("share", share_button(private.args["blocks"])["value"], thread_ts="1716400000.000100",
                                  message_ts="1716400061.000100", response_url=fake.response_url("s"))
        await post_signed(session, url, click, FORM, SECRET)
        completed = await fake.wait_for("files.completeUploadExternal")
    assert all(c.args["thread_ts"] == "1716400000.000100" for c in fake.calls_to("chat.postMessage"))
    assert completed.args["thread_ts"] == "1716400000.000100" and completed.args["files"][0]["title"] == "Timeline"
    # every citation of the timeline has its number in the comment
    from bot.core.timeline import build_timeline

    sources = len({c.source_id for c in build_timeline(prepared).citations})  # one number each
    assert numbers_in(completed.args["initial_comment"]) == set(range(1, sources + 1))
    assert "<https://www.vox.com/" in completed.args["initial_comment"]


async def test_a_chinese_timeline_is_shared_with_chinese_citations(fake, session, bolt):
    async with serve(bolt) as url:
        private = await private_timeline(fake, session, url, "莱克 2024-05..2024-05")
        assert "分享到频道时,时间线会附上图片。" in block_texts(private.args["blocks"])
        value = share_button(private.args["blocks"])["value"]
        assert json.loads(value) == {"command": "/timeline", "text": "莱克 2024-05..2024-05"}
        await post_signed(session, url, block_action_form("share", value, message_ts="1716400062.000100",
                                                          response_url=fake.response_url("s")), FORM, SECRET)
        completed = await fake.wait_for("files.completeUploadExternal")
    assert completed.args["initial_comment"].startswith("*扬·莱克的时间线*")
    # the picture is drawn in Chinese where a CJK font is installed, else in English (and titled so)
    assert completed.args["files"][0]["title"] == ("扬·莱克的时间线" if fonts.cjk_family() else "Timeline of Jan Leike")


async def test_when_slack_refuses_the_upload_the_shared_text_stands_and_the_log_says_why(fake, session, bolt,
                                                                                        caplog):
    fake.fail_next("files.getUploadURLExternal", status=200, body={"ok": False, "error": "missing_scope"})
    with caplog.at_level(logging.WARNING, logger="bot.adapters.slack.pictures"):
        async with serve(bolt) as url:  # on leaving, it waits for the listener to finish
            shared = await shared_timeline(fake, session, url, "Kokotajlo", "1716400063.000100")
            await fake.wait_for("files.getUploadURLExternal")
    assert "Daniel Kokotajlo" in " ".join(block_texts(shared.args["blocks"]))
    assert not fake.uploads and not fake.calls_to("files.completeUploadExternal")
    assert not [c for c in fake.calls_to("response_url") if c.target == "s"]  # no apology: the text was shared
    assert any("missing_scope" in r.getMessage() and "files:write" in r.getMessage() for r in caplog.records)


async def test_an_empty_timeline_is_shared_without_a_picture(fake, session, bolt):
    async with serve(bolt) as url:
        shared = await shared_timeline(fake, session, url, "2030", "1716400064.000100")
    assert "No events match." in " ".join(block_texts(shared.args["blocks"]))
    assert not fake.calls_to("files.getUploadURLExternal")


async def test_a_user_who_has_had_their_share_of_pictures_shares_the_timeline_without_one(fake, session, bolt,
                                                                                         citebot, caplog):
    from bot.ratelimit import MemoryBuckets, RateLimits

    citebot.limits = RateLimits(MemoryBuckets(), per_user=2, per_channel=0)
    for person in ("Leike", "Sutskever"):  # U1's two drawings this minute
        await citebot.timeline_picture(person=person, user_id="slack:T1:U1")
    with caplog.at_level(logging.INFO):
        async with serve(bolt) as url:  # on leaving, it waits for the listener to finish
            shared = await shared_timeline(fake, session, url, "Kokotajlo", "1716400065.000100")
    assert "Daniel Kokotajlo" in " ".join(block_texts(shared.args["blocks"]))
    assert not fake.calls_to("files.getUploadURLExternal") and not fake.uploads
    assert any("no timeline picture" in r.getMessage() for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
