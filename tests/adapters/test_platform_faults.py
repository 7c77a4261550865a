"""Flaky platforms: a dropped Discord gateway resumes, and 429 / 5xx from either platform's API are retried
with backoff (the answer arrives once), up to a limit (no endless loop)."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from bot.adapters.slack import SlackCredentials, build_slack_app
from tests.adapters.test_discord_bot import bot, embed_text, fake  # noqa: F401  (fixtures)
from tests.adapters.test_slack_bot import SECRET, mention, serve
from tests.fakes.slack_server import FakeSlack

pytestmark = pytest.mark.usefixtures("loopback_only")


async def test_discord_after_a_gateway_drop_the_bot_resumes_and_answers(fake, bot):  # noqa: F811
    await fake.disconnect(code=1001)
    resume = await fake.wait_for_gateway(lambda frame: frame["op"] == 6)  # RESUME, not a new IDENTIFY
    assert resume["d"]["session_id"] == fake.session_id
    await fake.message_create("Who is Jan Leike?", mentions_bot=True)
    reply = await fake.wait_for_message(fake.text_channel_id)
    assert "Leike" in embed_text(reply.json)


async def test_discord_a_429_then_a_500_are_retried_and_the_answer_is_sent_once(fake, bot):  # noqa: F811
    path = rf"/channels/{fake.text_channel_id}/messages$"
    fake.fail_next("POST", path, status=429, retry_after=0.1)
    fake.fail_next("POST", path, status=500)
    await fake.message_create("Who is Jan Leike?", mentions_bot=True)
    await fake.wait_for(lambda r: r.method == "POST" and r.ok and r.path.endswith("/messages"), timeout=10)
    attempts = fake.find("POST", path)
    assert [r.status for r in attempts] == [429, 500, 200]
    assert "Leike" in embed_text(attempts[-1].json)


async def test_slack_a_429_and_a_503_are_retried_and_the_answer_is_posted_once(citebot):
    async with FakeSlack() as slack, aiohttp.ClientSession() as session:
        slack.fail_next("chat.postMessage", status=429, headers={"Retry-After": "1"})
        slack.fail_next("chat.postMessage", status=503)
        app = build_slack_app(citebot, SlackCredentials("xoxb-test", SECRET, None), base_url=slack.api_url)
        async with serve(app) as url:
            await mention(session, url, "Who is Jan Leike?")
            await slack.wait_for("chat.postMessage", lambda c: c.status == 200, timeout=10)
            await asyncio.sleep(0.2)
        statuses = [c.status for c in slack.calls_to("chat.postMessage")]
    assert statuses == [429, 503, 200]


async def test_slack_a_platform_that_keeps_failing_is_given_up_on_not_looped(citebot, caplog):
    async with FakeSlack() as slack, aiohttp.ClientSession() as session:
        slack.fail_next("chat.postMessage", status=500, times=10)
        app = build_slack_app(citebot, SlackCredentials("xoxb-test", SECRET, None), base_url=slack.api_url)
        async with serve(app) as url:
            await mention(session, url, "Who is Jan Leike?")
            await slack.wait_for("chat.postMessage", lambda _c: len(slack.calls_to("chat.postMessage")) >= 6,
                                 timeout=15)
            await asyncio.sleep(1.5)  # time for any further (wrong) retries
        calls = slack.calls_to("chat.postMessage")
    # the answer and two retries, then the apology and two retries: bounded, never a loop
    assert len(calls) == 6 and all(c.status == 500 for c in calls)
    assert sum("Sorry" in c.args.get("text", "") for c in calls) == 3
    assert any(r.levelname == "ERROR" for r in caplog.records)
