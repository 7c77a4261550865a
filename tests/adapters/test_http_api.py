"""POST /api/ask as a hostile or careless caller meets it: every bad request gets a 4xx with a reason, and who
asks is the token (its rate limit, its own conversations), never a field of the request."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.http import add_routes
from bot.adapters.http.api import BODY_MAX, caller_id
from bot.core.types import Question
from bot.ratelimit import MemoryBuckets, RateLimits
from bot.service import Citebot

pytestmark = pytest.mark.usefixtures("loopback_only")
TOKEN = "s3cret-api-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
JSON = {**AUTH, "Content-Type": "application/json"}


@pytest.fixture
async def client(citebot: Citebot) -> AsyncIterator[TestClient]:
    async with TestClient(TestServer(add_routes(web.Application(), citebot, TOKEN), host="127.0.0.1")) as client:
        yield client


async def refusal(response) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    body = await response.json()
    assert "Traceback" not in body["error"]
    return response.status, body["error"]


async def raw_request(client: TestClient, head: bytes, body: bytes) -> bytes:
    """The status line of a request written byte for byte (an HTTP client would not send a non-UTF-8 header)."""
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(head + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body)
    await writer.drain()
    status = await reader.readline()
    writer.close()
    await writer.wait_closed()
    return status


async def test_fields_that_break_the_contract_get_422_naming_the_field_and_nothing_is_answered(client, citebot):
    cases = {
        "conversation_id": {"question": "Who is Jan Leike?", "conversation_id": 5},
        "question": {"question": ["Who is Jan Leike?"]},
        "user_id": {"question": "Who is Jan Leike?", "user_id": "slack:T1:UADMIN"},
        "language": {"question": "Who is Jan Leike?", "language": "fr"},
    }
    for field, body in cases.items():
        response = await client.post("/api/ask", json=body, headers=AUTH)
        status, error = await refusal(response)
        assert status == 422 and error.startswith(f"invalid request: {field}: "), (field, error)
        assert (await response.json())["problems"][0]["field"] == field
    empty = await client.post("/api/ask", json={"question": "   "}, headers=AUTH)
    assert (await refusal(empty))[0] == 422
    long_id = await client.post("/api/ask", json={"question": "Who is Jan Leike?", "conversation_id": "c" * 129},
                                headers=AUTH)
    status, error = await refusal(long_id)
    assert status == 422 and error.startswith("invalid request: conversation_id: ") and "128" in error
    assert 'adapter="http"' not in citebot.metrics.exposition().decode()  # no question was answered or counted


async def test_bodies_that_are_not_json_in_utf8_within_the_bound_get_a_4xx_with_a_reason(client, caplog):
    def post(body: bytes | str, content_type: str = "application/json"):  # type: ignore[no-untyped-def]
        return client.post("/api/ask", data=body, headers={**AUTH, "Content-Type": content_type})

    with caplog.at_level(logging.INFO):
        assert (await refusal(await post('{"question": "Who is Jan Leike?"}', "text/plain")))[0] == 415
        assert (await refusal(await client.post("/api/ask", data=b'{"question": "Who?"}', headers=AUTH)))[0] == 415
        latin = '{"question": "Qui est Jan Leike ? é"}'.encode("latin-1")
        assert (await refusal(await post(latin, "application/json; charset=latin-1")))[0] == 415
        status, error = await refusal(await post(latin))  # declared UTF-8 (JSON's own), but it is not
        assert status == 400 and "invalid unicode" in error
        status, error = await refusal(await post("[" * 10_000))
        assert status == 400 and "recursion limit" in error
        assert (await refusal(await post("[" * 100_000)))[0] == 413  # over the bound: not even read to the end
        padded = '{"question": "Who is Jan Leike?' + " " * BODY_MAX + '"}'
        status, error = await refusal(await post(padded))
        assert status == 413 and str(BODY_MAX) in error

        async def chunked():  # type: ignore[no-untyped-def]  # no Content-Length: the bound still holds
            for _ in range(BODY_MAX // 1000 + 2):
                yield b" " * 1000

        assert (await refusal(await post(chunked())))[0] == 413  # type: ignore[arg-type]
        status, error = await refusal(await post("not json"))
        assert status == 400 and "Invalid JSON" in error
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


async def test_only_the_bearer_scheme_with_the_token_is_let_in(client):
    question = {"question": "Who is Jan Leike?"}
    for header in (TOKEN, f"Basic {TOKEN}", f"Bearer{TOKEN}", "Bearer nope", "Bearer "):
        response = await client.post("/api/ask", json=question, headers={"Authorization": header})
        assert (await refusal(response))[0] == 401, header
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert (await client.post("/api/ask", json=question, headers={"Authorization": f"bearer {TOKEN}"})).status == 200
    head = (b"POST /api/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \xff\xfe\r\n"
            b"Content-Type: application/json\r\n")
    status = await raw_request(client, head, b'{"question": "Who is Jan Leike?"}')
    assert status.startswith(b"HTTP/1.1 401")


async def test_the_rate_limit_is_the_tokens_whatever_the_request_says(client, citebot):
    citebot.limits = RateLimits(MemoryBuckets(), per_user=2, per_channel=0)
    statuses = [(await client.post("/api/ask", json={"question": "Who is Jan Leike?", "conversation_id": f"c{n}"},
                                   headers=AUTH)).status for n in range(3)]
    assert statuses == [200, 200, 429]
    # a Slack user's allowance is their own
    assert (await citebot.ask(Question("Who is Jan Leike?", adapter="slack", user_id="slack:T1:U1"))).answered


async def test_a_callers_conversation_ids_are_its_own_and_never_a_chat_users(client, citebot):
    slack_conversation = "slack:T1:C1:1715700000.000100"
    await citebot.ask(Question("Who is Jan Leike?", conversation_id=slack_conversation, adapter="slack",
                               user_id="slack:T1:U1"))
    hijack = await client.post("/api/ask", json={"question": "When did he resign?",
                                                 "conversation_id": slack_conversation}, headers=AUTH)
    assert hijack.status == 200 and "Leike" not in (await hijack.json())["text"]  # the Slack thread is not read
    await client.post("/api/ask", json={"question": "Who is Jan Leike?", "conversation_id": "mine"}, headers=AUTH)
    follow_up = await client.post("/api/ask", json={"question": "When did he resign?", "conversation_id": "mine"},
                                  headers=AUTH)
    assert "Jan Leike" in (await follow_up.json())["text"]  # the caller's own conversation is remembered
    assert caller_id(TOKEN).startswith("api:") and TOKEN not in caller_id(TOKEN)
