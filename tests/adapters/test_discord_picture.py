"""/timeline on Discord carries its picture: a PNG attached to the answer and shown in its embed."""

from __future__ import annotations

import asyncio
import logging
import struct

import pytest

from bot.adapters.discord import browse_cog
from tests.adapters import test_discord_bot
from tests.adapters.test_discord_bot import buttons, embed_text

pytestmark = pytest.mark.usefixtures("loopback_only")
fake, bot = test_discord_bot.fake, test_discord_bot.bot  # the fake Discord and the bot logged in to it

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(PNG_SIGNATURE) and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


async def test_timeline_answers_with_its_picture_attached_and_shown_in_the_embed(fake, bot, citebot):
    await citebot.timeline_picture()  # drawn ahead, so that a slow machine tests this path too
    interaction = await fake.interaction_create("timeline", {})
    response = await fake.wait_for_interaction_response(interaction)
    assert response.json["type"] == 4
    [upload] = response.files
    assert upload.filename == "timeline.png"
    width, height = png_size(upload.data)
    assert width == 1400 and 600 <= height <= 3000
    data = response.json["data"]
    page = data["embeds"][0]
    assert page["image"]["url"] == "attachment://timeline.png"
    assert data["attachments"][0]["filename"] == "timeline.png" and data["attachments"][0]["description"]
    assert "[1]" in embed_text(data) and "“" in embed_text(data)  # the numbered citations, in the message
    message = response.response["resource"]["message"]
    assert message["attachments"][0]["filename"] == "timeline.png"
    forward = next(b for b in buttons(data) if b.get("emoji", {}).get("name") == "▶️")
    click = await fake.interaction_create(forward["custom_id"], type=3, message=message)
    turned = await fake.wait_for_interaction_response(click)
    assert turned.json["data"]["embeds"][0]["image"]["url"] == "attachment://timeline.png"  # every page shows it
    assert "attachments" not in turned.json["data"] and not turned.files  # and the attachment stays as it was


async def test_the_picture_draws_the_filtered_events(fake, bot, citebot):
    picture = await citebot.timeline_picture(person="Leike", since="2024", language="zh")  # drawn ahead
    options = {"person": "Jan Leike", "since": "2024"}
    interaction = await fake.interaction_create("timeline", options, locale="zh-CN")
    response = await fake.wait_for_interaction_response(interaction)
    page = response.json["data"]["embeds"][0]
    assert page["title"] == "扬·莱克的时间线" and page["image"]["url"] == "attachment://timeline.png"
    assert response.files[0].data == picture.png  # the same picture: cached per version and filter
    assert [lane.key for lane in picture.chart.lanes] == ["jan-leike"]
    assert {m.event_id for m in picture.chart.marks} == {e.event_id for e in picture.timeline.entries}
    assert all(m.start.year == 2024 for m in picture.chart.marks) and len(picture.chart.marks) == 4
    for mark in picture.chart.marks:
        assert "".join(f"[{n}]" for n in mark.citation_numbers) in page["description"]


async def test_a_slow_picture_is_added_to_the_answer_when_ready(fake, bot, citebot, monkeypatch):
    release = asyncio.Event()
    real = citebot.timeline_picture

    async def slow(**filters):
        await release.wait()
        return await real(**filters)

    monkeypatch.setattr(citebot, "timeline_picture", slow)
    monkeypatch.setattr(browse_cog, "PICTURE_WAIT", 0.05)
    interaction = await fake.interaction_create("timeline", {"person": "Sutskever"})
    first = await fake.wait_for_interaction_response(interaction)
    assert not first.files and "image" not in first.json["data"]["embeds"][0]  # the 3-second window is kept
    release.set()
    edit = await fake.wait_for_edit(interaction)
    assert edit.files[0].filename == "timeline.png" and png_size(edit.files[0].data)[0] == 1400
    assert edit.json["embeds"][0]["image"]["url"] == "attachment://timeline.png"
    assert "Timeline of Ilya Sutskever" in edit.json["embeds"][0]["title"]


async def test_a_picture_that_fails_costs_only_the_picture(fake, bot, citebot, monkeypatch, caplog):
    async def broken(**filters):
        raise RuntimeError("no canvas")

    monkeypatch.setattr(citebot, "timeline_picture", broken)
    with caplog.at_level(logging.ERROR):
        interaction = await fake.interaction_create("timeline", {"person": "Leike"})
        response = await fake.wait_for_interaction_response(interaction)
    assert not response.files and "May 14, 2024" in embed_text(response.json["data"])
    assert any(r.exc_info and "no canvas" in str(r.exc_info[1]) for r in caplog.records)


async def test_an_empty_timeline_has_no_picture(fake, bot):
    interaction = await fake.interaction_create("timeline", {"since": "2030"})
    response = await fake.wait_for_interaction_response(interaction)
    assert not response.files and "No events match." in embed_text(response.json["data"])


async def test_a_user_who_has_had_their_share_of_pictures_gets_the_timeline_without_one(fake, bot, citebot, caplog):
    from bot.picture import PictureRefused
    from bot.ratelimit import MemoryBuckets, RateLimits

    citebot.limits = RateLimits(MemoryBuckets(), per_user=2, per_channel=0)
    for person in ("Leike", "Kokotajlo"):  # this user's two drawings this minute
        await citebot.timeline_picture(person=person, user_id=f"discord:{fake.user_id}")
    with pytest.raises(PictureRefused):
        await citebot.timeline_picture(person="Sutskever", user_id=f"discord:{fake.user_id}")
    with caplog.at_level(logging.INFO):
        interaction = await fake.interaction_create("timeline", {"person": "Altman"})
        response = await fake.wait_for_interaction_response(interaction)
    assert not response.files and "Timeline of Sam Altman" in response.json["data"]["embeds"][0]["title"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert any("no timeline picture" in r.getMessage() for r in caplog.records)
    cached = await fake.interaction_create("timeline", {"person": "Jan Leike"})  # drawn already: it comes
    assert (await fake.wait_for_interaction_response(cached)).files
    other = fake.add_user("other")
    theirs = await fake.interaction_create("timeline", {"person": "Altman"}, user=other)
    first = await fake.wait_for_interaction_response(theirs)
    assert first.files or (await fake.wait_for_edit(theirs)).files  # another user's share is their own
