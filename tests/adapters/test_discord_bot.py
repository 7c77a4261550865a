"""The Discord bot end to end: the real discord.py client against a fake Discord (REST and gateway) on 127.0.0.1."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.adapters.discord import CitebotDiscord, sync_commands
from bot.adapters.discord.render import (
    DESCRIPTION_MAX,
    EMBED_TOTAL_MAX,
    EMBEDS_PER_MESSAGE,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
)
from bot.core.types import Answer, Citation
from bot.service import Citebot
from tests.asking import answer_quoting_one_source_twice
from tests.fakes.discord_server import FakeDiscord

pytestmark = pytest.mark.usefixtures("loopback_only")

TOKEN = "fake-token"


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        fake.patch(monkeypatch)
        yield fake


@pytest.fixture
async def bot(fake: FakeDiscord, citebot: Citebot) -> AsyncIterator[CitebotDiscord]:
    async with fake.connected(CitebotDiscord(citebot, guild_ready_timeout=0.05), token=TOKEN) as client:
        yield client


def embed_text(payload: dict[str, Any]) -> str:
    parts = []
    for embed in payload.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(parts)


def buttons(payload: dict[str, Any]) -> list[dict[str, Any]]:
    return [c for row in payload.get("components") or [] for c in row.get("components", [])]


async def test_a_mention_gets_a_reply_with_the_answer_and_numbered_citations(fake, bot):
    question = await fake.message_create("When did Jan Leike announce his departure?", mentions_bot=True)
    reply = await fake.wait_for_message(fake.text_channel_id)
    assert str(reply.json["message_reference"]["message_id"]) == question["id"]
    text = embed_text(reply.json)
    assert "May 14, 2024" in text and "[1]" in text and "“" in text
    assert "Knowledge base version" in text
    assert reply.json["allowed_mentions"]["parse"] == []
    assert {b["custom_id"].split(":")[1] for b in buttons(reply.json) if b["custom_id"].startswith("fb:")} == {
        "up", "down"}


async def test_in_a_thread_the_reply_stays_in_the_thread_and_a_reply_chain_keeps_the_context(fake, bot):
    await fake.message_create("Who is Jan Leike?", mentions_bot=True, thread=True)
    answer = await fake.wait_for_message(fake.thread_id)
    assert "Leike" in embed_text(answer.json)
    await fake.message_create("and when did he leave?", thread=True, reference=int(answer.response["id"]),
                              mentions_bot=True)
    follow = await fake.wait_for(lambda r: r.method == "POST" and r.path == f"/channels/{fake.thread_id}/messages"
                                 and r is not answer)
    assert "May 14, 2024" in embed_text(follow.json)


async def test_replying_to_an_answer_continues_without_a_new_mention(fake, bot):
    await fake.message_create("Who is Ilya Sutskever?", mentions_bot=True)
    answer = await fake.wait_for_message(fake.text_channel_id)
    await fake.message_create("why did he leave?", reference=int(answer.response["id"]))
    follow = await fake.wait_for(lambda r: r.method == "POST" and r.path.endswith("/messages") and r is not answer)
    assert "Sutskever" in embed_text(follow.json)


async def test_a_dm_is_answered_and_plain_channel_chatter_is_ignored(fake, bot):
    await fake.message_create("Just chatting about lunch", guild=True)
    await fake.message_create("超级对齐团队是什么时候解散的？", guild=False)
    reply = await fake.wait_for_message(fake.dm_channel_id)
    assert "2024年5月17日" in embed_text(reply.json) and "知识库版本" in embed_text(reply.json)
    assert not fake.find("POST", rf"/channels/{fake.text_channel_id}/messages")


async def test_ask_defers_first_then_follows_up_and_private_is_ephemeral(fake, bot):
    interaction = await fake.interaction_create("ask", {"question": "Why was Sam Altman removed as CEO in 2023?",
                                                        "private": True})
    deferred = await fake.wait_for_interaction_response(interaction)
    assert deferred.json["type"] == 5 and deferred.json["data"]["flags"] & 64
    follow = await fake.wait_for_followup(interaction)
    assert "candid" in embed_text(follow.json) and follow.json["flags"] & 64


async def test_a_slow_core_still_meets_the_three_second_window(fake, bot, citebot, monkeypatch):
    release = asyncio.Event()
    real_ask = citebot.ask

    async def slow(question):
        await release.wait()
        return await real_ask(question)

    monkeypatch.setattr(citebot, "ask", slow)
    interaction = await fake.interaction_create("ask", {"question": "Who is Greg Brockman?"})
    deferred = await fake.wait_for_interaction_response(interaction, timeout=1)
    assert deferred.json["type"] == 5 and not release.is_set()  # acknowledged while the core is still working
    release.set()
    follow = await fake.wait_for_followup(interaction)
    assert "Brockman" in embed_text(follow.json)


async def test_a_feedback_click_is_stored_once_per_user(fake, bot, citebot):
    interaction = await fake.interaction_create("ask", {"question": "Who is John Schulman?"})
    follow = await fake.wait_for_followup(interaction)
    up = next(b for b in buttons(follow.json) if b["custom_id"].startswith("fb:up:"))
    for _ in range(2):
        click = await fake.interaction_create(up["custom_id"], type=3)
        reply = await fake.wait_for_interaction_response(click)
    assert reply.json["data"]["content"] == "You already voted." and reply.json["data"]["flags"] & 64
    votes = await citebot.side.store.feedback_for(up["custom_id"].split(":")[2])
    assert len(votes) == 1 and votes[0].vote == 1 and votes[0].question == "Who is John Schulman?"
    assert "john-schulman" in votes[0].cited_entry_ids


async def test_a_decline_offers_suggestions_as_buttons_that_ask_them(fake, bot):
    await fake.message_create("What is the price of Bitcoin today?", mentions_bot=True)
    reply = await fake.wait_for_message(fake.text_channel_id)
    assert "I don't know" in embed_text(reply.json)
    suggestions = [b for b in buttons(reply.json) if b["custom_id"].startswith("sg:")]
    assert suggestions and not any(b["custom_id"].startswith("fb:") for b in buttons(reply.json))
    click = await fake.interaction_create(suggestions[0]["custom_id"], type=3)
    follow = await fake.wait_for_followup(click)
    assert "I don't know" not in embed_text(follow.json) and "[1]" in embed_text(follow.json)


async def test_everyone_here_and_mentions_in_a_question_never_ping(fake, bot):
    await fake.message_create("@everyone @here <@&123> who is Bitcoin <@456>?", mentions_bot=True)
    reply = await fake.wait_for_message(fake.text_channel_id)
    assert reply.json["allowed_mentions"]["parse"] == []
    text = embed_text(reply.json) + (reply.json.get("content") or "")
    for raw in ("@everyone", "@here", "<@&123>", "<@456>"):
        assert raw not in text


async def test_an_over_long_answer_is_split_within_discord_limits(fake, bot, citebot, monkeypatch):
    citations = tuple(Citation(n, "infoq-2024-05", f"Source {n} " + "t" * 300, "InfoQ", "https://example.org/a",
                               "2024-05-20", "q" * 400, "x", "zh") for n in range(1, 61))
    long = Answer(text=("A long sentence about the story. " * 500).strip(), language="en", intent="what",
                  answered=True, confidence=1.0, citations=citations, answer_id="b" * 32)

    async def ask(question):
        return long

    monkeypatch.setattr(citebot, "ask", ask)
    interaction = await fake.interaction_create("ask", {"question": "Tell me everything"})
    await fake.wait_for_followup(interaction)
    await fake.wait_for(lambda r: len(fake.find("POST", r"/webhooks/")) >= 2 and r.ok)
    await asyncio.sleep(0.05)
    follow_ups = [r for r in fake.find("POST", r"/webhooks/") if r.ok]
    assert len(follow_ups) >= 2 and all(r.ok for r in follow_ups)
    cited = []
    for request in follow_ups:
        embeds = request.json["embeds"]
        assert len(embeds) <= EMBEDS_PER_MESSAGE
        total = 0
        for embed in embeds:
            assert len(embed.get("description") or "") <= DESCRIPTION_MAX
            assert len(embed.get("fields") or []) <= FIELDS_MAX
            assert all(len(f["value"]) <= FIELD_VALUE_MAX for f in embed.get("fields") or [])
            total += len(embed.get("description") or "") + sum(len(f["name"]) + len(f["value"])
                                                              for f in embed.get("fields") or [])
            cited += [f["name"].split("]")[0] for f in embed.get("fields") or []]
        assert total <= EMBED_TOTAL_MAX
    assert cited == [f"[{n}" for n in range(1, 61)]


async def asked_for(fake, citebot, monkeypatch, answer: Answer) -> list[dict[str, Any]]:
    """The embeds of every follow-up message /ask sends when the core answers ``answer``."""
    async def ask(question):
        return answer

    monkeypatch.setattr(citebot, "ask", ask)
    interaction = await fake.interaction_create("ask", {"question": "Why did Leike resign?"})
    await fake.wait_for_followup(interaction)
    await asyncio.sleep(0.05)
    return [e for r in fake.find("POST", r"/webhooks/") if r.ok for e in r.json["embeds"]]


async def test_two_quotes_of_one_source_are_one_numbered_field(fake, bot, citebot, monkeypatch):
    embeds = await asked_for(fake, citebot, monkeypatch, answer_quoting_one_source_twice())
    fields = [f for e in embeds for f in e.get("fields") or []]
    assert [f["name"] for f in fields] == ["[1] X (Twitter), 2024-05-17", "[2] InfoQ, 2024-05-20"]
    thread, infoq = (f["value"] for f in fields)
    assert thread.startswith("[Jan Leike's thread on X explaining why he resigned](https://x.com/janleike/status/")
    assert thread.endswith("\n> “a breaking point”\n> “sailing against the wind”")
    assert infoq.endswith("> “这种分歧最终走到了临界点。”")


async def test_a_source_with_many_long_quotes_stays_within_discord_limits(fake, bot, citebot, monkeypatch):
    quotes = [f"<@123> @everyone quote {n} " + "q" * 700 for n in range(8)]
    embeds = await asked_for(fake, citebot, monkeypatch, answer_quoting_one_source_twice(*quotes))
    fields = [f for e in embeds for f in e.get("fields") or []]
    assert all(len(f["value"]) <= FIELD_VALUE_MAX and f["name"] for f in fields)
    assert [f["name"][:3] for f in fields if f["name"].startswith("[")] == ["[1]", "[2]"]  # each number once
    text = embed_text({"embeds": embeds})
    assert all(f"quote {n} " + "q" * 700 in text for n in range(8))  # every quote whole, in fields of its own
    assert "<@123>" not in text and "@everyone" not in text


async def test_timeline_pages_with_buttons(fake, bot):
    interaction = await fake.interaction_create("timeline", {})
    first = await fake.wait_for_interaction_response(interaction)
    page_one = first.json["data"]["embeds"][0]
    assert "page 1/" in page_one["footer"]["text"]
    forward = next(b for b in buttons(first.json["data"]) if b.get("emoji", {}).get("name") == "▶️")
    original = first.response["resource"]["message"]
    click = await fake.interaction_create(forward["custom_id"], type=3, message=original)
    turned = await fake.wait_for_interaction_response(click)
    assert turned.json["type"] == 7 and "page 2/" in turned.json["data"]["embeds"][0]["footer"]["text"]
    assert turned.json["data"]["embeds"][0]["description"] != page_one["description"]


async def test_timeline_for_a_person_and_the_autocomplete(fake, bot):
    complete = await fake.interaction_create("timeline", {"person": "lei"}, type=4)
    choices = (await fake.wait_for_interaction_response(complete)).json["data"]["choices"]
    assert {"name": "Jan Leike", "value": "Jan Leike"} in choices
    interaction = await fake.interaction_create("timeline", {"person": "Jan Leike", "since": "2024"})
    shown = (await fake.wait_for_interaction_response(interaction)).json["data"]["embeds"][0]
    assert shown["title"] == "Timeline of Jan Leike" and "May 17, 2024" in shown["description"]
    assert "2023" not in shown["description"]


async def test_who_is_a_profile_card_with_key_dates_in_the_askers_language(fake, bot):
    interaction = await fake.interaction_create("who", {"name": "Sutskver"}, locale="zh-CN")
    card = (await fake.wait_for_interaction_response(interaction)).json["data"]
    text = embed_text(card)
    assert "伊利亚·苏茨克维" in text and "关键日期" in text and "2024年5月14日" in text and "[1]" in text


async def test_sources_lists_the_cited_sources_with_links(fake, bot):
    interaction = await fake.interaction_create("sources", {})
    text = embed_text((await fake.wait_for_interaction_response(interaction)).json["data"])
    assert "InfoQ" in text and "https://www.vox.com/" in text


async def test_an_error_is_logged_and_the_user_gets_an_apology(fake, bot, citebot, monkeypatch, caplog):
    async def broken(question):
        raise RuntimeError("boom")

    monkeypatch.setattr(citebot, "ask", broken)
    with caplog.at_level(logging.ERROR):
        interaction = await fake.interaction_create("ask", {"question": "Who is Jan Leike?"})
        follow = await fake.wait_for_followup(interaction)
        await fake.message_create("Who is Jan Leike?", mentions_bot=True)
        reply = await fake.wait_for_message(fake.text_channel_id)
    assert follow.json["content"].startswith("Sorry") and reply.json["content"].startswith("Sorry")
    assert sum(1 for r in caplog.records if r.exc_info and "boom" in str(r.exc_info[1])) == 2


async def test_sync_registers_the_commands_with_chinese_localizations(fake, citebot):
    names = await sync_commands(citebot, TOKEN, guild_id=fake.guild_id)
    assert sorted(names) == ["ask", "kb", "sources", "timeline", "who"]
    put = fake.find("PUT", rf"/applications/{fake.application_id}/guilds/{fake.guild_id}/commands")[0]
    ask = next(c for c in put.json if c["name"] == "ask")
    assert ask["name_localizations"] == {"zh-CN": "提问", "zh-TW": "提問"}
    assert ask["description_localizations"]["zh-CN"].startswith("询问")
    assert not fake.gateway_frames  # syncing needs no gateway connection


def kb_options(sub: str, **values: Any) -> list[dict[str, Any]]:
    options = [{"name": k, "type": 4 if isinstance(v, int) else 3, "value": v} for k, v in values.items()]
    return [{"name": sub, "type": 1, "options": options}]


async def test_kb_commands_refuse_non_admins_and_audit_it(fake, bot, citebot):
    interaction = await fake.interaction_create("kb", kb_options("reload"))
    refused = await fake.wait_for_interaction_response(interaction)
    data = refused.json["data"]
    assert data["content"].startswith("Sorry, only citebot admins") and data["flags"] & 64
    [entry] = await citebot.side.store.audit_log(5)
    assert entry.action == "reload" and entry.outcome == "refused"


async def test_an_admin_with_manage_server_gets_status_and_history(fake, bot):
    fake.permissions |= 1 << 5  # Manage Server
    status = await fake.interaction_create("kb", kb_options("status"))
    await fake.wait_for_interaction_response(status)
    shown = await fake.wait_for_followup(status)
    assert "Live knowledge version 1" in shown.json["content"] and shown.json["flags"] & 64
    history = await fake.interaction_create("kb", kb_options("history"))
    await fake.wait_for_interaction_response(history)
    assert "v1 " in (await fake.wait_for_followup(history)).json["content"]


async def test_a_process_runs_only_its_configured_shards(fake, citebot):
    client = CitebotDiscord(citebot, shard_count=4, shard_ids=[2], guild_ready_timeout=0.05)
    async with fake.connected(client, token=TOKEN):
        assert fake.identify["shard"] == [2, 4]
        assert client.shard_count == 4 and sorted(client.shards) == [2]


async def test_timeline_dates_read_as_the_chat_reads_them_and_an_inverted_range_is_refused(fake, bot):
    interaction = await fake.interaction_create("timeline", {"person": "Jan Leike", "since": "May 2024",
                                                             "until": "2024年5月"})
    shown = (await fake.wait_for_interaction_response(interaction)).json["data"]["embeds"][0]
    assert "May 17, 2024" in shown["description"] and "2023" not in shown["description"]
    inverted = await fake.interaction_create("timeline", {"since": "June 2024", "until": "Jan 2024"})
    refused = (await fake.wait_for_interaction_response(inverted)).json["data"]
    assert "is after until" in refused["content"] and refused["flags"] == 64  # ephemeral, one line
