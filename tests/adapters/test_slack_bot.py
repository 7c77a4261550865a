"""The Slack bot end to end: the real slack-bolt app against a fake Slack on 127.0.0.1, over HTTP and Socket Mode."""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncApp

from bot.adapters.slack import SlackCredentials, build_slack_app, http_app
from bot.adapters.slack.blocks import BLOCKS_PER_MESSAGE, SECTION_TEXT_MAX
from bot.core.types import Answer, Citation
from bot.service import Citebot
from tests.asking import answer_quoting_one_source_twice
from tests.fakes.slack_server import (
    FORM,
    JSON,
    FakeSlack,
    app_mention_event,
    block_action_form,
    dm_message_event,
    event_callback,
    json_body,
    post_signed,
    slash_command_form,
    slash_command_payload,
)

pytestmark = pytest.mark.usefixtures("loopback_only")

SECRET = "test-signing-secret"
CREDENTIALS = SlackCredentials("xoxb-test", SECRET, "xapp-test")
ROOT = Path(__file__).resolve().parents[2]
BROADCASTS = ("<!channel>", "<!here>", "<!everyone>")


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@asynccontextmanager
async def serve(app: AsyncApp) -> AsyncIterator[str]:
    runner = web.AppRunner(http_app(app), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/slack/events"
    finally:
        await runner.cleanup()
        pending = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        if pending:
            await asyncio.wait(pending, timeout=2)


@pytest.fixture
async def bolt(citebot: Citebot, fake: FakeSlack) -> AsyncApp:
    return build_slack_app(citebot, CREDENTIALS, base_url=fake.api_url)


def all_text(call: Any) -> str:
    return json.dumps(call.args, ensure_ascii=False)


def block_texts(blocks: list[dict[str, Any]]) -> list[str]:
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return out


async def mention(session: aiohttp.ClientSession, url: str, text: str, **event: Any) -> Any:
    body = json_body(event_callback(app_mention_event(text, **event)))
    return await post_signed(session, url, body, JSON, SECRET)


async def test_a_mention_is_answered_in_its_thread_with_citations(fake, session, bolt):
    async with serve(bolt) as url:
        reply = await mention(session, url, "When did Jan Leike announce his departure?", ts="1716400000.000100")
        post = await fake.wait_for("chat.postMessage")
    assert reply.status == 200
    assert post.args["channel"] == "C1" and post.args["thread_ts"] == "1716400000.000100"
    texts = block_texts(post.args["blocks"])
    assert any("May 14, 2024" in t for t in texts)
    assert any(t.startswith("*[1]*") and "“" in t for t in texts)  # a numbered citation with its quote
    assert any("Knowledge base version" in t for t in texts)
    assert "May 14, 2024" in post.args["text"]


async def test_a_dm_is_answered_and_a_thread_follow_up_keeps_the_context(fake, session, bolt):
    async with serve(bolt) as url:
        first = dm_message_event("Who is Jan Leike?", ts="1716400001.000100")
        await post_signed(session, url, json_body(event_callback(first)), JSON, SECRET)
        await fake.wait_for("chat.postMessage")
        follow = dm_message_event("and when did he leave?", ts="1716400002.000100", thread_ts="1716400001.000100")
        await post_signed(session, url, json_body(event_callback(follow)), JSON, SECRET)
        second = await fake.wait_for("chat.postMessage", lambda c: "leave" not in c.args["text"] and
                                     c is not fake.calls_to("chat.postMessage")[0])
    assert second.args["thread_ts"] == "1716400001.000100"
    assert "May 14, 2024" in second.args["text"] and "Leike" in second.args["text"]


async def test_a_follow_up_in_a_channel_thread_needs_no_mention(fake, session, bolt):
    async with serve(bolt) as url:
        await mention(session, url, "Who is Ilya Sutskever?", ts="1716400010.000100")
        await fake.wait_for("chat.postMessage")
        follow = {"type": "message", "channel": "C1", "user": "U1", "text": "why did he leave?",
                  "ts": "1716400011.000100", "thread_ts": "1716400010.000100", "channel_type": "channel"}
        await post_signed(session, url, json_body(event_callback(follow)), JSON, SECRET)
        await fake.wait_for("chat.postMessage", lambda c: len(fake.calls_to("chat.postMessage")) >= 2)
    second = fake.calls_to("chat.postMessage")[1]
    assert second.args["thread_ts"] == "1716400010.000100" and "Sutskever" in second.args["text"]


async def test_a_retried_event_is_answered_once(fake, session, bolt):
    payload = json_body(event_callback(app_mention_event("Who is Greg Brockman?"), event_id="Ev0RETRY"))
    async with serve(bolt) as url:
        await post_signed(session, url, payload, JSON, SECRET)
        await fake.wait_for("chat.postMessage")
        retry = await post_signed(session, url, payload, JSON, SECRET, retry_num=1, retry_reason="http_timeout")
        await post_signed(session, url, payload, JSON, SECRET, retry_num=2, retry_reason="http_timeout")
        marker = await mention(session, url, "Who is John Schulman?")  # a later event flushes the queue
        await fake.wait_for("chat.postMessage", lambda c: "Schulman" in c.args["text"])
    assert retry.status == 200 and marker.status == 200
    assert sum("Brockman" in c.args["text"] for c in fake.calls_to("chat.postMessage")) == 1


async def test_broadcasts_and_mentions_in_a_question_are_never_produced(fake, session, bolt):
    async with serve(bolt) as url:
        await mention(session, url, "<!channel> <!here> who is <@U999> Bitcoin <!everyone>?")
        post = await fake.wait_for("chat.postMessage")
    payload = all_text(post)
    for broadcast in (*BROADCASTS, "<@U999>"):
        assert broadcast not in payload


async def test_a_decline_says_so_and_offers_suggestions_as_buttons(fake, session, bolt):
    async with serve(bolt) as url:
        await mention(session, url, "What is the price of Bitcoin today?", ts="1716400020.000100")
        post = await fake.wait_for("chat.postMessage")
        actions = [b for b in post.args["blocks"] if b["type"] == "actions"]
        suggestions = [e for e in actions[0]["elements"] if e["action_id"].startswith("suggest_")]
        assert "I don't know" in " ".join(block_texts(post.args["blocks"])) and suggestions
        assert not any(e["action_id"].startswith("feedback") for e in actions[0]["elements"])
        first = suggestions[0]
        click = block_action_form(first["action_id"], first["value"], message_ts=post.args["thread_ts"],
                                  thread_ts="1716400020.000100", response_url=fake.response_url("s"))
        await post_signed(session, url, click, FORM, SECRET)
        answer = await fake.wait_for("chat.postMessage", lambda c: len(fake.calls_to("chat.postMessage")) >= 2)
    answer = fake.calls_to("chat.postMessage")[1]
    assert answer.args["thread_ts"] == "1716400020.000100" and "I don't know" not in answer.args["text"]


async def test_ask_command_is_acked_then_answered_privately_with_a_share_button(fake, session, bolt):
    async with serve(bolt) as url:
        question = "Why was Sam Altman removed as CEO in 2023?"
        form = slash_command_form("/ask", question, response_url=fake.response_url("a"))
        reply = await post_signed(session, url, form, FORM, SECRET)
        response = await fake.wait_for("response_url")
        assert reply.status == 200
        assert response.args["response_type"] == "ephemeral" and "candid" in response.args["text"]
        buttons = [e for b in response.args["blocks"] if b["type"] == "actions" for e in b["elements"]]
        share = next(e for e in buttons if e["action_id"] == "share")
        click = block_action_form("share", share["value"], message_ts="1716400030.000100",
                                  response_url=fake.response_url("b"))
        await post_signed(session, url, click, FORM, SECRET)
        shared = await fake.wait_for("chat.postMessage")
    assert shared.args["channel"] == "C1" and "candid" in shared.args["text"]


async def test_feedback_is_stored_once_per_user_per_answer(fake, session, bolt, citebot):
    async with serve(bolt) as url:
        await mention(session, url, "Who is John Schulman?")
        post = await fake.wait_for("chat.postMessage")
        up = next(e for b in post.args["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == "feedback_up")
        for n in range(2):
            click = block_action_form("feedback_up", up["value"], message_ts="1716400040.000100",
                                      response_url=fake.response_url(f"f{n}"))
            await post_signed(session, url, click, FORM, SECRET)
            await fake.wait_for("response_url", lambda c, n=n: c.target == f"f{n}")
    votes = await citebot.side.store.feedback_for(up["value"])
    assert len(votes) == 1 and votes[0].vote == 1
    assert votes[0].question == "Who is John Schulman?" and "john-schulman" in votes[0].cited_entry_ids
    thanks = [c.args["text"] for c in fake.calls_to("response_url")]
    assert thanks == ["Thanks for the feedback.", "You already voted."]


async def test_timeline_who_and_sources_commands(fake, session, bolt):
    async with serve(bolt) as url:
        for n, (command, text) in enumerate([("/timeline", "Leike 2024-05..2024-05"), ("/who", "莱克"),
                                             ("/sources", "")]):
            form = slash_command_form(command, text, response_url=fake.response_url(f"c{n}"))
            await post_signed(session, url, form, FORM, SECRET)
            await fake.wait_for("response_url", lambda c, n=n: c.target == f"c{n}")
    timeline, who, sources = (c.args for c in fake.calls_to("response_url"))
    lines = " ".join(block_texts(timeline["blocks"]))
    assert "Timeline of Jan Leike" in lines and "May 14, 2024" in lines and "July 5, 2023" not in lines
    assert "扬·莱克" in " ".join(block_texts(who["blocks"])) and "关键日期" in " ".join(block_texts(who["blocks"]))
    assert "InfoQ" in " ".join(block_texts(sources["blocks"]))


async def test_a_long_answer_is_split_within_slack_limits(fake, session, bolt, citebot, monkeypatch):
    citations = tuple(Citation(n, "infoq-2024-05", f"Source {n}", "InfoQ", None, "2024-05-20", "q" * 150, "x", "zh")
                      for n in range(1, 81))
    long = Answer(text=("A long sentence about the story. " * 400).strip(), language="en", intent="what",
                  answered=True, confidence=1.0, citations=citations, answer_id="a" * 32)

    async def ask(question):
        return long

    monkeypatch.setattr(citebot, "ask", ask)
    async with serve(bolt) as url:
        await mention(session, url, "Tell me everything")
        await fake.wait_for("chat.postMessage", lambda c: len(fake.calls_to("chat.postMessage")) >= 2)
        await asyncio.sleep(0)  # let the last message of the answer land
    posts = fake.calls_to("chat.postMessage")
    assert len(posts) >= 2
    for post in posts:
        assert len(post.args["blocks"]) <= BLOCKS_PER_MESSAGE
        assert all(len(t) <= SECTION_TEXT_MAX for t in block_texts(post.args["blocks"]))
    numbers = [int(m) for p in posts for t in block_texts(p.args["blocks"]) for m in re.findall(r"^\*\[(\d+)\]\*", t)]
    assert numbers == list(range(1, 81))


async def answered_with(fake, session, bolt, citebot, monkeypatch, answer: Answer) -> list[str]:
    """The block texts of every message a mention is answered with when the core answers ``answer``."""
    async def ask(question):
        return answer

    monkeypatch.setattr(citebot, "ask", ask)
    async with serve(bolt) as url:
        await mention(session, url, "Why did Leike resign?")
        await fake.wait_for("chat.postMessage")
        await asyncio.sleep(0.05)
    posts = fake.calls_to("chat.postMessage")
    assert all(len(p.args["blocks"]) <= BLOCKS_PER_MESSAGE for p in posts)
    return [t for p in posts for t in block_texts(p.args["blocks"])]


async def test_two_quotes_of_one_source_are_one_numbered_block(fake, session, bolt, citebot, monkeypatch):
    texts = await answered_with(fake, session, bolt, citebot, monkeypatch, answer_quoting_one_source_twice())
    thread, infoq = (t for t in texts if re.match(r"\*\[\d+\]\*", t))  # one block per source
    assert thread.startswith("*[1]* ") and "Jan Leike's thread on X" in thread  # (a link only to the knowledge's URLs)
    assert thread.endswith(" · X (Twitter) · 2024-05-17\n“a breaking point”\n“sailing against the wind”")
    assert infoq == ("*[2]* “我不相信他”:负责捍卫人类利益的 OpenAI 团队为何分崩离析 · InfoQ · 2024-05-20"
                     "\n“这种分歧最终走到了临界点。”")


async def test_a_source_with_many_long_quotes_stays_within_slack_limits(fake, session, bolt, citebot, monkeypatch):
    quotes = [f"<!channel> quote {n} " + "q" * 900 for n in range(8)]
    texts = await answered_with(fake, session, bolt, citebot, monkeypatch, answer_quoting_one_source_twice(*quotes))
    assert all(len(t) <= SECTION_TEXT_MAX for t in texts)
    assert [t[:5] for t in texts if t.startswith("*[")] == ["*[1]*", "*[2]*"]  # each number once
    assert all(sum(f"quote {n} " + "q" * 900 in t for t in texts) == 1 for n in range(8))  # every quote whole, once
    assert not any(b in t for t in texts for b in BROADCASTS)


async def test_bad_signatures_and_stale_timestamps_are_refused(fake, session, bolt):
    body = json_body(event_callback(app_mention_event("Who is Jan Leike?")))
    async with serve(bolt) as url:
        forged = await post_signed(session, url, body, JSON, "not-the-secret")
        stale = await post_signed(session, url, body, JSON, SECRET, timestamp=int(time.time()) - 6 * 60)
        old = await post_signed(session, url, body, JSON, SECRET, timestamp=1_000_000_000)
    assert forged.status == 401 and stale.status == 401 and old.status == 401
    assert fake.calls_to("chat.postMessage") == []


async def test_an_error_in_a_listener_is_logged_and_the_user_gets_an_apology(fake, session, bolt, citebot,
                                                                            monkeypatch, caplog):
    async def broken(question):
        raise RuntimeError("boom")

    monkeypatch.setattr(citebot, "ask", broken)
    async with serve(bolt) as url:
        await mention(session, url, "Who is Jan Leike?")
        post = await fake.wait_for("chat.postMessage")
    assert post.args["text"].startswith("Sorry")
    assert any("boom" in (r.exc_text or str(r.exc_info)) for r in caplog.records if r.levelname == "ERROR")


async def test_socket_mode_answers_events_and_commands(fake, citebot):
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    app = build_slack_app(citebot, SlackCredentials("xoxb-test", None, "xapp-test"), base_url=fake.api_url)
    handler = AsyncSocketModeHandler(app, app_token="xapp-test")
    await handler.connect_async()
    try:
        event = await fake.socket_send("events_api", event_callback(app_mention_event("Who is Greg Brockman?")))
        await fake.wait_for_ack(event)
        post = await fake.wait_for("chat.postMessage")
        command = await fake.socket_send("slash_commands", slash_command_payload(
            "/ask", "超级对齐团队是什么时候解散的？", response_url=fake.response_url("sm")))
        await fake.wait_for_ack(command)
        response = await fake.wait_for("response_url")
    finally:
        await handler.close_async()
    assert "Brockman" in post.args["text"]
    assert "2024年5月17日" in response.args["text"]


async def test_every_slash_command_reply_can_be_shared_in_the_channel(fake, session, bolt):
    async with serve(bolt) as url:
        await post_signed(session, url, slash_command_form("/who", "Kokotajlo", response_url=fake.response_url("w")),
                          FORM, SECRET)
        private = await fake.wait_for("response_url")
        share = next(e for b in private.args["blocks"] if b["type"] == "actions" for e in b["elements"]
                     if e["action_id"] == "share")
        await post_signed(session, url, block_action_form("share", share["value"], message_ts="1716400050.000100",
                                                          response_url=fake.response_url("x")), FORM, SECRET)
        shared = await fake.wait_for("chat.postMessage")
    assert private.args["response_type"] == "ephemeral"
    assert "Daniel Kokotajlo" in " ".join(block_texts(shared.args["blocks"]))
    assert not any(b.get("block_id") == "share" for b in shared.args["blocks"])


async def test_a_failing_command_is_logged_and_answered_with_an_apology(fake, session, bolt, citebot, monkeypatch,
                                                                       caplog):
    async def broken(question):
        raise RuntimeError("boom")

    monkeypatch.setattr(citebot, "ask", broken)
    async with serve(bolt) as url:
        form = slash_command_form("/ask", "Who is Jan Leike?", response_url=fake.response_url("e"))
        reply = await post_signed(session, url, form, FORM, SECRET)
        apology = await fake.wait_for("response_url")
    assert reply.status == 200 and apology.args["text"].startswith("Sorry")
    assert any(r.exc_info and "boom" in str(r.exc_info[1]) for r in caplog.records)


async def test_kb_command_is_for_admins_only(fake, session, bolt, citebot):
    citebot.settings.slack_admin_user_ids = ["UADMIN"]
    async with serve(bolt) as url:
        await post_signed(session, url, slash_command_form("/kb", "reload", response_url=fake.response_url("n")),
                          FORM, SECRET)
        refused = await fake.wait_for("response_url", lambda c: c.target == "n")
        await post_signed(session, url, slash_command_form("/kb", "history", user_id="UADMIN",
                                                           response_url=fake.response_url("y")), FORM, SECRET)
        shown = await fake.wait_for("response_url", lambda c: c.target == "y")
    assert refused.args["text"].startswith("Sorry, only citebot admins")
    assert "v1 " in shown.args["text"] and shown.args["response_type"] == "ephemeral"
    audit = await citebot.side.store.audit_log(5)
    assert [(a.action, a.outcome) for a in audit] == [("history", "ok"), ("reload", "refused")]


LATER_EVENT = """\
events:
  - id: test-later-event
    date: "2024-05-28"
    title: {en: A later test event about Jan Leike, zh: 关于扬·莱克的后续测试事件}
    text: {en: Jan Leike joined the zeppelin club., zh: 扬·莱克加入了飞艇俱乐部。}
    people: [jan-leike]
    keywords: {en: [zeppelin], zh: [飞艇]}
    citations:
      - source: infoq-2024-05
        quote: "Ilya Sutskever 与 Jan Leike 上周二宣布将离开 OpenAI。"
"""


async def test_an_admin_uploads_a_file_in_a_dm_and_gaps_list_what_was_declined(fake, session, bolt, citebot,
                                                                             tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    citebot.settings.knowledge_dir = knowledge
    citebot.settings.slack_admin_user_ids = ["UADMIN"]
    async with serve(bolt) as url:
        await mention(session, url, "Which zeppelin club did Jan Leike join?")
        declined = await fake.wait_for("chat.postMessage")
        await post_signed(session, url, slash_command_form("/kb", "gaps", user_id="UADMIN",
                                                           response_url=fake.response_url("g")), FORM, SECRET)
        gaps = await fake.wait_for("response_url", lambda c: c.target == "g")
        for n, (name, user) in enumerate([("../evil.yaml", "UADMIN"), ("later.yaml", "U1"), ("later.yaml", "UADMIN")]):
            event = dm_message_event("kb upload", user=user, ts=f"1716400{n}60.000100")
            event |= {"subtype": "file_share", "files": [fake.shared_file(name, LATER_EVENT.encode())]}
            await post_signed(session, url, json_body(event_callback(event)), JSON, SECRET)
            await fake.wait_for("chat.postMessage", lambda c, n=n: c.args.get("thread_ts") == f"1716400{n}60.000100")
        await mention(session, url, "Which zeppelin club did Jan Leike join?")
        await fake.wait_for("chat.postMessage", lambda c: "zeppelin club" in c.args["text"])
    assert "I don't know" in declined.args["text"] or "don't know" in " ".join(block_texts(declined.args["blocks"]))
    assert "Which zeppelin club did Jan Leike join" in gaps.args["text"]
    replies = {c.args["thread_ts"]: c.args["text"] for c in fake.calls_to("chat.postMessage")
               if c.args.get("thread_ts")}
    refused = replies["1716400060.000100"]
    assert refused.startswith("Upload refused") and "plain file name" in refused
    assert replies["1716400160.000100"].startswith("Sorry, only citebot admins")
    assert replies["1716400260.000100"].startswith("Uploaded later.yaml")
    assert (knowledge / "later.yaml").is_file() and not (tmp_path / "evil.yaml").exists()
