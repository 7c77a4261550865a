"""Malformed and replayed Slack requests, and the Share button: a bad timestamp is a 401 (not a 500), a replayed
command or click is acted on once, a Share value is always whole JSON within Slack's 2,000 characters, and Share
is offered only for what is worth sharing."""

from __future__ import annotations

import json
import time

import pytest

from bot.adapters.slack.blocks import BUTTON_VALUE_MAX
from bot.core.types import Answer
from bot.ratelimit import MemoryBuckets, RateLimits
from tests.adapters.test_slack_bot import SECRET, bolt, fake, serve, session  # noqa: F401  (fixtures)
from tests.fakes.slack_server import FORM, block_action_form, post_signed, sign, slash_command_form

pytestmark = pytest.mark.usefixtures("loopback_only")


def share_values(call) -> list[str]:  # type: ignore[no-untyped-def]
    return [e["value"] for b in call.args.get("blocks", []) if b["type"] == "actions" for e in b["elements"]
            if e["action_id"] == "share"]


@pytest.mark.parametrize("timestamp", ["abc", "1e9", "9" * 5000, "١٧١٦٤٠٠٠٠٠", " 1716400000", ""])
async def test_a_malformed_timestamp_is_refused_not_a_server_error(timestamp, fake, session, bolt):  # noqa: F811
    body = slash_command_form("/who", "Kokotajlo", response_url=fake.response_url("w"))
    headers = {"Content-Type": FORM, **sign(SECRET, body, int(time.time())), "X-Slack-Request-Timestamp": timestamp}
    async with serve(bolt) as url, session.post(url, data=body, headers=headers) as reply:
        status = reply.status
    assert status == 401
    assert not fake.calls_to("response_url")


async def test_a_body_that_is_not_utf8_is_refused_not_a_server_error(fake, session, bolt):  # noqa: F811
    body = b"payload=%7B%7D&x=\xff\xfe"
    async with serve(bolt) as url:
        reply = await post_signed(session, url, body, FORM, SECRET)
    assert reply.status == 400


async def test_a_replayed_slash_command_is_answered_once(fake, session, bolt):  # noqa: F811
    body = slash_command_form("/who", "Kokotajlo", response_url=fake.response_url("w"))
    timestamp = int(time.time())
    async with serve(bolt) as url:
        replies = [await post_signed(session, url, body, FORM, SECRET, timestamp=timestamp) for _ in range(3)]
        await fake.wait_for("response_url")
        marker = slash_command_form("/sources", "", response_url=fake.response_url("m"))
        await post_signed(session, url, marker, FORM, SECRET)  # a later command, answered after the replays
        await fake.wait_for("response_url", lambda c: c.target == "m")
    assert [r.status for r in replies] == [200, 200, 200]  # acknowledged, so Slack's side sees nothing amiss
    assert len([c for c in fake.calls_to("response_url") if c.target == "w"]) == 1


async def test_a_replayed_share_click_posts_in_the_channel_once(fake, session, bolt):  # noqa: F811
    async with serve(bolt) as url:
        await post_signed(session, url, slash_command_form("/who", "Kokotajlo", response_url=fake.response_url("w")),
                          FORM, SECRET)
        [value] = share_values(await fake.wait_for("response_url"))
        click = block_action_form("share", value, message_ts="1716400070.000100", response_url=fake.response_url("s"))
        timestamp = int(time.time())
        for _ in range(3):
            await post_signed(session, url, click, FORM, SECRET, timestamp=timestamp)
        await fake.wait_for("chat.postMessage")
        await post_signed(session, url, slash_command_form("/sources", "", response_url=fake.response_url("m")),
                          FORM, SECRET)
        await fake.wait_for("response_url", lambda c: c.target == "m")
    assert len(fake.calls_to("chat.postMessage")) == 1


@pytest.fixture
def answers_everything(citebot, monkeypatch):  # type: ignore[no-untyped-def]
    """Any question is answered (whatever its words), so that only its length decides the Share button."""
    async def ask(question):  # type: ignore[no-untyped-def]
        return Answer(text="An answer.", language="en", intent="what", answered=True, confidence=1.0,
                      answer_id="c" * 32)

    monkeypatch.setattr(citebot, "ask", ask)
    return citebot


@pytest.mark.parametrize(("question", "fits"), [
    ("x" * 990, True), ("Why? " * 198, True), ("是" * 990, True),
    ("a/b.c@d " * 124, False),  # each / . @ is written as a 6-character escape
    ('"\\' * 495, False),  # 990 characters, 1,980 once JSON-escaped: the old button cut it into broken JSON
])
async def test_a_share_value_is_whole_json_or_there_is_no_button(question, fits, fake, session, bolt,  # noqa: F811
                                                                 answers_everything):
    async with serve(bolt) as url:
        await post_signed(session, url, slash_command_form("/ask", question, response_url=fake.response_url("a")),
                          FORM, SECRET)
        values = share_values(await fake.wait_for("response_url"))
        for value in values:
            click = block_action_form("share", value, message_ts="1716400080.000100",
                                      response_url=fake.response_url("s"))
            await post_signed(session, url, click, FORM, SECRET)
            await fake.wait_for("chat.postMessage")
    for value in values:
        assert len(value) <= BUTTON_VALUE_MAX and json.loads(value) == {"command": "/ask", "text": question.strip()}
    assert bool(values) == fits
    assert len(fake.calls_to("chat.postMessage")) == len(values)


@pytest.mark.parametrize(("command", "text"), [
    ("/ask", "What is the price of Bitcoin today?"),  # a decline
    ("/ask", "Who is Jan Leike? " * 60),  # over question_max_chars
    ("/who", "Nobody Atall"),  # an error
    ("/timeline", "Leike 2024-13"),  # a malformed date
])
async def test_no_share_under_a_refusal_an_error_or_a_decline(command, text, fake, session, bolt):  # noqa: F811
    async with serve(bolt) as url:
        await post_signed(session, url, slash_command_form(command, text, response_url=fake.response_url("r")),
                          FORM, SECRET)
        reply = await fake.wait_for("response_url")
    assert reply.args["response_type"] == "ephemeral" and reply.args["text"]
    assert share_values(reply) == []


async def test_share_is_not_offered_to_a_rate_limited_question(fake, session, bolt, citebot):  # noqa: F811
    citebot.limits = RateLimits(MemoryBuckets(), per_user=1, per_channel=0)
    async with serve(bolt) as url:
        for key in ("a", "b"):
            form = slash_command_form("/ask", "Who is Jan Leike?", response_url=fake.response_url(key))
            await post_signed(session, url, form, FORM, SECRET)
            await fake.wait_for("response_url", lambda c, key=key: c.target == key)
    first, second = fake.calls_to("response_url")
    assert share_values(first) and "try again in" in second.args["text"] and share_values(second) == []


async def test_a_share_refused_when_clicked_is_told_privately_not_posted(fake, session, bolt, citebot):  # noqa: F811
    citebot.limits = RateLimits(MemoryBuckets(), per_user=1, per_channel=0)
    async with serve(bolt) as url:
        await post_signed(session, url, slash_command_form("/ask", "Who is Jan Leike?",
                                                           response_url=fake.response_url("a")), FORM, SECRET)
        [value] = share_values(await fake.wait_for("response_url"))
        click = block_action_form("share", value, message_ts="1716400090.000100", response_url=fake.response_url("s"))
        await post_signed(session, url, click, FORM, SECRET)  # asked again at once: over the limit now
        told = await fake.wait_for("response_url", lambda c: c.target == "s")
    assert "try again in" in told.args["text"] and told.args["response_type"] == "ephemeral"
    assert not fake.calls_to("chat.postMessage")


async def test_a_share_click_with_a_broken_value_gets_an_apology(fake, session, bolt):  # noqa: F811
    async with serve(bolt) as url:
        cut = json.dumps({"command": "/ask", "text": "x" * 3000})[:BUTTON_VALUE_MAX]  # what the old button sent
        click = block_action_form("share", cut, message_ts="1716400091.000100", response_url=fake.response_url("s"))
        await post_signed(session, url, click, FORM, SECRET)
        told = await fake.wait_for("response_url", lambda c: c.target == "s")
    assert told.args["text"].startswith("Sorry") and not fake.calls_to("chat.postMessage")
