"""The HTTP side: health, readiness, Prometheus metrics and the JSON API, as an operator or integrator sees them."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.http import add_routes
from bot.service import Citebot
from tests.asking import assert_json_cites_by_source

pytestmark = pytest.mark.usefixtures("loopback_only")
TOKEN = "s3cret-api-token"


@pytest.fixture
async def client(citebot: Citebot) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(add_routes(web.Application(), citebot, TOKEN), host="127.0.0.1")) as client:
        yield client


async def test_health_and_readiness(client):
    assert (await client.get("/healthz")).status == 200
    ready = await client.get("/readyz")
    body = await ready.json()
    assert ready.status == 200 and body["ready"] and body["store"] == "ok" and body["knowledge"].startswith("version 1")
    assert body["degraded"] == [] and body["buffered_writes"] == 0


async def test_readiness_reports_an_unreachable_store(client, citebot, monkeypatch):
    from bot.errors import StoreError

    async def down():
        raise StoreError("cannot reach the database at postgresql://db/citebot: connection refused")

    monkeypatch.setattr(citebot.side.store, "live_version", down)
    ready = await client.get("/readyz")
    body = await ready.json()
    # still ready (answers come from memory), but the degradation is reported
    assert ready.status == 200 and body["ready"] and body["store"] == "unreachable"
    assert body["degraded"] == ["store: unreachable"]
    assert (await client.get("/healthz")).status == 200


async def test_api_ask_speaks_the_json_contract_behind_a_bearer_token(client):
    refused = await client.post("/api/ask", json={"question": "Who is Jan Leike?"})
    wrong = await client.post("/api/ask", json={"question": "Who is Jan Leike?"},
                              headers={"Authorization": "Bearer nope"})
    assert refused.status == 401 and wrong.status == 401
    ok = await client.post("/api/ask", json={"question": "GPT-4o 是什么时候发布的？"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    answer = await ok.json()
    assert ok.status == 200 and answer["answered"] and answer["language"] == "zh" and "2024年5月13日" in answer["text"]
    assert answer["citations"][0]["quote"] and {"source_id", "title", "url", "publisher", "published"} <= set(
        answer["citations"][0])
    bad = await client.post("/api/ask", data="not json",
                            headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"})
    assert bad.status == 400


async def test_api_ask_lists_each_source_once_and_keeps_the_flat_citations(client):
    ok = await client.post("/api/ask", json={"question": "Why did Jan Leike resign?"},
                           headers={"Authorization": f"Bearer {TOKEN}"})
    answer = await ok.json()
    assert ok.status == 200 and answer["answered"]
    assert_json_cites_by_source(answer)


async def test_metrics_count_questions_by_adapter_language_intent_and_outcome(client):
    headers = {"Authorization": f"Bearer {TOKEN}"}
    await client.post("/api/ask", json={"question": "Who is Jan Leike?"}, headers=headers)
    await client.post("/api/ask", json={"question": "What is the price of Bitcoin today?"}, headers=headers)
    text = await (await client.get("/metrics")).text()
    assert 'citebot_questions_total{adapter="http",intent="who",language="en",outcome="answered"} 1.0' in text
    assert 'outcome="declined"} 1.0' in text
    assert "citebot_answer_latency_seconds_bucket" in text and "citebot_knowledge_version 1.0" in text
    assert "citebot_knowledge_reload_failures 0.0" in text
    assert TOKEN not in text


# --- text no database or UTF-8 stream can carry (a lone surrogate, NUL) ------------------------------


def post(client: TestClient, body: str):
    return client.post("/api/ask", data=body, headers={"Authorization": f"Bearer {TOKEN}",
                                                       "Content-Type": "application/json"})


async def test_api_ask_answers_a_question_with_a_nul_and_logs_it_without(client, citebot):
    response = await post(client, '{"question": "Who is Jan\\u0000 Leike?"}')
    assert response.status == 200, await response.text()
    answer = await response.json()
    assert answer["answered"] and "Jan Leike" in answer["text"] and answer["citations"]
    assert answer["question"] == "Who is Jan Leike?"
    assert await citebot.side.recorder.flush(10)
    [logged] = await citebot.side.store.recent_questions()
    assert logged.answer_id == answer["answer_id"] and logged.question == "Who is Jan Leike?"


async def test_a_lone_surrogate_is_answered_or_refused_with_a_reason_never_a_500(client, citebot):
    response = await post(client, '{"question": "Who is Jan Leike \\ud800?"}')
    assert response.status in (200, 400), await response.text()
    body = await response.json()
    assert body.get("error") or body["question"] == "Who is Jan Leike ?"
    after = await post(client, '{"question": "Who is Greg Brockman?"}')
    assert after.status == 200
    assert await citebot.side.recorder.flush(10), "the question log is not held up"
    assert (await after.json())["answer_id"] in {q.answer_id for q in await citebot.side.store.recent_questions()}


async def test_readiness_names_the_kind_of_failure_never_the_error_text(client, citebot, monkeypatch, caplog):
    from bot.core.types import Question
    from bot.errors import StoreError

    private = "Is my colleague Alice Example being fired?"

    async def refuses(entries):
        raise StoreError(f"logging questions failed at postgresql://bot:***@db/citebot: canceling statement "
                         f"due to lock timeout while inserting '{entries[0].question}'")

    async def unreachable():
        raise StoreError("cannot reach the database at postgresql://bot:***@db/citebot: "
                         "password authentication failed for user 'bot' (password 'hunter 2')")

    caplog.set_level(logging.INFO, "bot")
    monkeypatch.setattr(citebot.side.store, "log_questions", refuses)
    monkeypatch.setattr(citebot.side.store, "live_version", unreachable)
    await citebot.ask(Question(private, user_id="slack:T1:U1", adapter="slack"))
    for _ in range(100):  # the writer's first attempt fails within milliseconds
        if citebot.side.recorder.last_error:
            break
        await asyncio.sleep(0.01)
    response = await client.get("/readyz")
    page = await response.text()
    body = json.loads(page)
    assert response.status == 200 and body["store"] == "unreachable"
    assert body["degraded"] == ["store: unreachable", "store: write failed; 1 write(s) buffered"]
    assert body["buffered_writes"] == 1 and body["dropped_writes"] == {"buffer_full": 0, "unstorable": 0}
    assert "Alice" not in page and "hunter" not in page and "password" not in page and "lock timeout" not in page
    assert private in caplog.text and "hunter 2" in caplog.text  # the operator's log keeps the whole error
    monkeypatch.undo()  # the store is back: closing the bot writes the question


async def test_an_api_token_read_from_a_file_still_matches_the_bearer_token(citebot, monkeypatch):
    from bot.settings import load_settings

    monkeypatch.setenv("CITEBOT_API_TOKEN", "token-from-a-secret-file\n")
    token = load_settings().api_token
    assert token is not None
    app = add_routes(web.Application(), citebot, token.get_secret_value())
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.post("/api/ask", json={"question": "Who is Jan Leike?"},
                                     headers={"Authorization": "Bearer token-from-a-secret-file"})
        assert response.status == 200, await response.text()
        assert (await response.json())["answered"]
