"""A flooding user on Discord and Slack: answered within the limit, then told once to slow down, privately
or without a new message each time; admins are exempt; an over-long question is refused with the limit."""

from __future__ import annotations

import asyncio

import pytest

from bot.adapters.slack import SlackCredentials, build_slack_app
from bot.ratelimit import MemoryBuckets, RateLimits
from tests.adapters.test_discord_bot import bot, embed_text, fake  # noqa: F401  (fixtures)
from tests.adapters.test_slack_bot import SECRET, mention, serve, session  # noqa: F401  (fixtures)
from tests.fakes.slack_server import FakeSlack

pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture
def strict(citebot):  # type: ignore[no-untyped-def]
    citebot.limits = RateLimits(MemoryBuckets(), per_user=2, per_channel=0)
    return citebot


async def test_slack_a_flood_gets_two_answers_then_private_slow_down_notes(session, strict):  # noqa: F811
    async with FakeSlack() as slack:
        app = build_slack_app(strict, SlackCredentials("xoxb-test", SECRET, None), base_url=slack.api_url)
        async with serve(app) as url:
            for n in range(5):
                await mention(session, url, "Who is Jan Leike?", ts=f"17164000{n:02d}.000100")
            await slack.wait_for("chat.postEphemeral", lambda _c: len(slack.calls_to("chat.postEphemeral")) >= 3)
            await asyncio.sleep(0.1)
        posts, notes = slack.calls_to("chat.postMessage"), slack.calls_to("chat.postEphemeral")
    assert len(posts) == 2 and all("Leike" in p.args["text"] for p in posts)
    assert len(notes) == 3 and all("try again in" in n.args["text"] and n.args["user"] == "U1" for n in notes)


async def test_slack_admins_are_exempt(session, citebot):  # noqa: F811
    citebot.limits = RateLimits(MemoryBuckets(), per_user=1, per_channel=0)
    citebot.settings.slack_admin_user_ids = ["U1"]
    async with FakeSlack() as slack:
        app = build_slack_app(citebot, SlackCredentials("xoxb-test", SECRET, None), base_url=slack.api_url)
        async with serve(app) as url:
            for n in range(3):
                await mention(session, url, "Who is Jan Leike?", ts=f"17164001{n:02d}.000100")
            await slack.wait_for("chat.postMessage", lambda _c: len(slack.calls_to("chat.postMessage")) >= 3)
        assert not slack.calls_to("chat.postEphemeral")


async def test_discord_a_flood_gets_one_slow_down_reply_then_only_reactions(fake, bot, strict):  # noqa: F811
    spammer = {**fake.user, "id": "4242424242", "username": "spammer", "global_name": "Spammer"}  # not the owner
    for _ in range(5):
        await fake.message_create("Who is Jan Leike?", mentions_bot=True, author=spammer)
    await fake.wait_for(lambda r: len(fake.find("PUT", r"/reactions/")) >= 2
                        and len(fake.find("POST", rf"/channels/{fake.text_channel_id}/messages")) >= 3)
    replies = fake.find("POST", rf"/channels/{fake.text_channel_id}/messages")
    texts = [embed_text(r.json) for r in replies]
    assert sum("Leike" in t for t in texts) == 2
    assert sum("try again in" in t for t in texts) == 1  # told once, not five times
    assert all(r.json["allowed_mentions"]["parse"] == [] for r in replies)


async def test_discord_the_server_owner_is_exempt(fake, bot, strict):  # noqa: F811
    for _ in range(3):
        await fake.message_create("Who is Jan Leike?", mentions_bot=True)  # fake.user owns the server
    await fake.wait_for(lambda r: len(fake.find("POST", rf"/channels/{fake.text_channel_id}/messages")) >= 3)
    assert not fake.find("PUT", r"/reactions/")


async def test_discord_an_over_long_question_is_refused_with_the_limit(fake, bot, citebot):  # noqa: F811
    await fake.message_create("Who is Jan Leike? " + "x" * 1200, mentions_bot=True)
    reply = await fake.wait_for_message(fake.text_channel_id)
    assert "the limit is 1000" in embed_text(reply.json) and "I don't know" not in embed_text(reply.json)
