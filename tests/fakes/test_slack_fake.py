"""The fake Slack, proven with the real slack-bolt AsyncApp over HTTP and Socket Mode, and slack_sdk's retries."""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from types import SimpleNamespace
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_async_handlers
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.signature import Clock, SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.network_guard import NetworkGuard, NonLoopbackConnectionError, loopback_only  # noqa: F401
from tests.fakes.slack_server import (
    FORM,
    JSON,
    FakeSlack,
    app_mention_event,
    block_action_form,
    block_action_payload,
    dm_message_event,
    event_callback,
    json_body,
    post_signed,
    sign,
    slash_command_form,
    slash_command_payload,
)

pytestmark = pytest.mark.usefixtures("loopback_only", "no_leaks")

SECRET = "test-signing-secret"
THREAD = "1716400000.000100"


@pytest.fixture
def no_leaks(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail on "Unclosed client session", "Task was destroyed …" and errors bolt or slack_sdk only log."""
    yield
    gc.collect(1)
    records = caplog.get_records("setup") + caplog.get_records("call") + caplog.records
    leaks = [r.getMessage() for r in records if r.levelno >= logging.ERROR]
    assert not leaks


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlack]:
    async with FakeSlack() as fake:
        yield fake
    await _settle()


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def _settle() -> None:
    """Let bolt's fire-and-forget listener tasks finish, so no test leaves a task behind."""
    others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    if others:
        _, pending = await asyncio.wait(others, timeout=1)
        assert not pending, f"tasks left running: {pending}"


def make_app(fake: FakeSlack, **client_options: Any) -> AsyncApp:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url, **client_options)
    return AsyncApp(client=client, signing_secret=SECRET)


@asynccontextmanager
async def serve(app: AsyncApp) -> AsyncIterator[str]:
    """Serve the bolt app over HTTP on 127.0.0.1; yields its Events/Interactivity/Commands URL."""
    runner = web.AppRunner(app.web_app(path="/slack/events"), access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/slack/events"
    finally:
        await runner.cleanup()


def reply_in_thread(app: AsyncApp) -> None:
    @app.event("app_mention")
    async def on_mention(event: dict[str, Any], say: Any) -> None:
        await say(text="Jan Leike resigned on 17 May 2024.", thread_ts=event.get("thread_ts") or event["ts"])


# ---- HTTP mode -------------------------------------------------------------------------------------------------


async def test_signed_app_mention_is_answered_in_its_thread(fake: FakeSlack, session: aiohttp.ClientSession) -> None:
    app = make_app(fake)
    reply_in_thread(app)
    async with serve(app) as url:
        event = app_mention_event("when did Jan Leike leave?", ts=THREAD)
        reply = await post_signed(session, url, json_body(event_callback(event)), JSON, SECRET)
        post = await fake.wait_for("chat.postMessage")

    assert reply.status == 200
    assert post.args["channel"] == "C1"
    assert post.args["thread_ts"] == THREAD
    assert "17 May 2024" in post.args["text"]
    assert post.token == "xoxb-test"
    assert fake.calls_to("auth.test"), "bolt authorizes with auth.test before the first listener runs"


async def test_bad_signature_is_refused_before_anything_reaches_slack(
    fake: FakeSlack, session: aiohttp.ClientSession
) -> None:
    app = make_app(fake)
    reply_in_thread(app)
    async with serve(app) as url:
        body = json_body(event_callback(app_mention_event("hello")))
        reply = await post_signed(session, url, body, JSON, "not-the-secret")

    assert reply.status == 401
    # bolt answers 401 synchronously, before authorizing or dispatching: nothing can follow.
    assert fake.calls == []


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> int:
    """The second Slack's signature check takes as now, frozen: a request signed at ``now + skew`` is checked
    at exactly that skew, however long the request takes to arrive."""
    now = 1_716_400_000
    monkeypatch.setattr(Clock, "now", lambda self: float(now))
    return now


@pytest.mark.parametrize("skew", [-301, 301])
async def test_timestamp_over_five_minutes_off_is_refused(
    fake: FakeSlack, session: aiohttp.ClientSession, frozen_clock: int, skew: int
) -> None:
    app = make_app(fake)
    reply_in_thread(app)
    async with serve(app) as url:
        body = json_body(event_callback(app_mention_event("hello")))
        reply = await post_signed(session, url, body, JSON, SECRET, timestamp=frozen_clock + skew)

    assert reply.status == 401
    assert fake.calls == []


@pytest.mark.parametrize("skew", [-300, 300])
async def test_timestamp_five_minutes_off_is_still_answered(
    fake: FakeSlack, session: aiohttp.ClientSession, frozen_clock: int, skew: int
) -> None:
    """The other side of the boundary, on the same frozen clock (and the proof that the check reads it)."""
    app = make_app(fake)
    reply_in_thread(app)
    async with serve(app) as url:
        body = json_body(event_callback(app_mention_event("hello")))
        reply = await post_signed(session, url, body, JSON, SECRET, timestamp=frozen_clock + skew)
        post = await fake.wait_for("chat.postMessage")

    assert reply.status == 200
    assert "17 May 2024" in post.args["text"]


async def test_slash_command_acks_in_the_http_response_and_responds_to_the_response_url(
    fake: FakeSlack, session: aiohttp.ClientSession
) -> None:
    app = make_app(fake)

    @app.command("/ask")
    async def ask(ack: Any, respond: Any, command: dict[str, Any]) -> None:
        await ack(text="Looking that up…", response_type="ephemeral")
        await respond(text=f"Answer to: {command['text']}", response_type="in_channel")

    async with serve(app) as url:
        body = slash_command_form("/ask", "who left?", response_url=fake.response_url(7))
        reply = await post_signed(session, url, body, FORM, SECRET)
        answer = await fake.wait_for("response_url")

    assert reply.status == 200
    assert reply.json() == {"text": "Looking that up…", "response_type": "ephemeral"}
    assert answer.target == "7"
    assert answer.args == {"text": "Answer to: who left?", "response_type": "in_channel"}


async def test_block_action_click_reaches_its_action_listener(fake: FakeSlack, session: aiohttp.ClientSession) -> None:
    app = make_app(fake)

    @app.action("feedback_up")
    async def on_click(ack: Any, body: dict[str, Any], action: dict[str, Any], respond: Any) -> None:
        await ack()
        await respond(text=f"Thanks ({action['value']}) for {body['container']['thread_ts']}", replace_original=False)

    async with serve(app) as url:
        form = block_action_form(
            "feedback_up", "q42", message_ts="1716400001.000200", thread_ts=THREAD, response_url=fake.response_url()
        )
        reply = await post_signed(session, url, form, FORM, SECRET)
        answer = await fake.wait_for("response_url")

    assert reply.status == 200
    assert reply.text == ""
    assert answer.args == {"text": f"Thanks (q42) for {THREAD}", "replace_original": False}


async def test_bolt_does_not_deduplicate_retried_events(fake: FakeSlack, session: aiohttp.ClientSession) -> None:
    app = make_app(fake)
    seen: list[tuple[str, str | None]] = []

    @app.event("message")
    async def on_dm(body: dict[str, Any], request: Any, say: Any) -> None:
        seen.append((body["event_id"], request.headers.get("x-slack-retry-num", [None])[0]))
        await say(text=f"answer {len(seen)}")

    async with serve(app) as url:
        body = json_body(event_callback(dm_message_event("who left?"), event_id="Ev1"))
        await post_signed(session, url, body, JSON, SECRET)
        await post_signed(session, url, body, JSON, SECRET, retry_num=1, retry_reason="http_timeout")
        await fake.wait_for("chat.postMessage", lambda c: c.args["text"] == "answer 2")

    assert seen == [("Ev1", None), ("Ev1", "1")]  # the adapter must drop the second one itself


# ---- Socket Mode -----------------------------------------------------------------------------------------------


@asynccontextmanager
async def socket_mode(app: AsyncApp) -> AsyncIterator[AsyncSocketModeHandler]:
    # The handler's SocketModeClient uses app.client (our base_url) for apps.connections.open;
    # it must be built inside the running loop (it creates an aiohttp session and a task at once).
    handler = AsyncSocketModeHandler(app, app_token="xapp-test")
    await handler.connect_async()  # not start_async(): that sleeps forever
    try:
        yield handler
    finally:
        await handler.close_async()


async def test_socket_mode_event_is_acked_and_answered(fake: FakeSlack) -> None:
    app = make_app(fake)
    reply_in_thread(app)
    async with socket_mode(app):
        event = app_mention_event("when did Jan Leike leave?", ts=THREAD)
        envelope_id = await fake.socket_send("events_api", event_callback(event))
        ack = await fake.wait_for_ack(envelope_id)
        post = await fake.wait_for("chat.postMessage")

    assert ack == {"envelope_id": envelope_id}
    assert post.args["thread_ts"] == THREAD
    assert fake.calls_to("apps.connections.open")[0].token == "xapp-test"
    assert post.token == "xoxb-test"


async def test_socket_mode_slash_command_ack_carries_the_response_payload(fake: FakeSlack) -> None:
    app = make_app(fake)

    @app.command("/ask")
    async def ask(ack: Any) -> None:
        await ack(text="Looking that up…", response_type="ephemeral")

    async with socket_mode(app):
        payload = slash_command_payload("/ask", "who left?", response_url=fake.response_url())
        envelope_id = await fake.socket_send("slash_commands", payload, accepts_response_payload=True)
        ack = await fake.wait_for_ack(envelope_id)

    assert ack == {"envelope_id": envelope_id, "payload": {"text": "Looking that up…", "response_type": "ephemeral"}}


async def test_socket_mode_interactive_and_reconnect(fake: FakeSlack) -> None:
    app = make_app(fake)
    clicked: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    @app.action("feedback_up")
    async def on_click(ack: Any, action: dict[str, Any]) -> None:
        await ack()
        clicked.set_result(action["value"])

    async with socket_mode(app):
        await fake.socket_disconnect()
        await fake.wait_for("apps.connections.open", lambda c: len(fake.calls_to("apps.connections.open")) == 2)
        payload = block_action_payload("feedback_up", "q7", message_ts=THREAD, response_url=fake.response_url())
        envelope_id = await fake.socket_send("interactive", payload, accepts_response_payload=False)
        await fake.wait_for_ack(envelope_id)
        assert await asyncio.wait_for(clicked, 2) == "q7"


# ---- slack_sdk retries -----------------------------------------------------------------------------------------


@pytest.fixture
def no_retry_jitter(monkeypatch: pytest.MonkeyPatch) -> None:
    """AsyncRateLimitErrorRetryHandler sleeps Retry-After + random() seconds; drop the random second in tests."""
    monkeypatch.setattr(builtin_async_handlers, "random", SimpleNamespace(random=lambda: 0.0))


def retrying_client_options() -> dict[str, Any]:
    fast = FixedValueRetryIntervalCalculator(0.01)  # the default backoff sleeps 0.5 s + up to 1 s of jitter
    return {
        # Passing retry_handlers replaces the default list ([AsyncConnectionErrorRetryHandler]): keep it.
        "retry_handlers": [
            *async_default_handlers(),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=2, interval_calculator=fast),
        ]
    }


@pytest.mark.parametrize(("status", "error"), [(429, "ratelimited"), (500, "fatal_error"), (503, "fatal_error")])
async def test_default_client_raises_on_429_and_5xx(fake: FakeSlack, status: int, error: str) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)
    fake.fail_next("chat.postMessage", status, headers={"Retry-After": "0"})

    with pytest.raises(SlackApiError) as raised:
        await client.chat_postMessage(channel="C1", text="hi")

    assert raised.value.response.status_code == status
    assert raised.value.response["error"] == error
    assert len(fake.calls_to("chat.postMessage")) == 1


@pytest.mark.usefixtures("no_retry_jitter")
@pytest.mark.parametrize("status", [429, 500, 503])
async def test_retry_handlers_retry_429_500_and_503(fake: FakeSlack, status: int) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url, **retrying_client_options())
    fake.fail_next("chat.postMessage", status, headers={"Retry-After": "0"}, times=2)

    response = await client.chat_postMessage(channel="C1", text="hi")

    assert response["ok"] is True
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [status, status, 200]


async def test_server_error_retry_handler_ignores_502(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url, **retrying_client_options())
    fake.fail_next("chat.postMessage", 502, body="<html>Bad Gateway</html>")

    with pytest.raises(SlackApiError):
        await client.chat_postMessage(channel="C1", text="hi")

    assert len(fake.calls_to("chat.postMessage")) == 1


async def test_bolt_listeners_inherit_the_app_clients_retry_handlers(
    fake: FakeSlack, session: aiohttp.ClientSession
) -> None:
    app = make_app(fake, **retrying_client_options())
    reply_in_thread(app)
    fake.fail_next("chat.postMessage", 500)
    async with serve(app) as url:
        body = json_body(event_callback(app_mention_event("hello", ts=THREAD)))
        await post_signed(session, url, body, JSON, SECRET)
        await fake.wait_for("chat.postMessage", lambda c: c.status == 200)

    assert [c.status for c in fake.calls_to("chat.postMessage")] == [500, 200]


# ---- the rest of the Web API surface, the helpers, the guard ---------------------------------------------------


async def test_web_api_surface(fake: FakeSlack) -> None:
    client = AsyncWebClient(token="xoxb-test", base_url=fake.api_url)

    posted = await client.chat_postMessage(channel="C1", text="draft", thread_ts=THREAD, blocks=[{"type": "divider"}])
    updated = await client.chat_update(channel="C1", ts=posted["ts"], text="final")
    second = await client.chat_postMessage(channel="C1", text="again")
    await client.reactions_add(channel="C1", timestamp=THREAD, name="eyes")
    ephemeral = await client.chat_postEphemeral(channel="C1", user="U1", text="only you")
    user = await client.users_info(user="U1")
    dm = await client.conversations_info(channel="D1")
    upload = await client.files_upload_v2(
        channel="C1", thread_ts=THREAD, content=b"\x89PNG fake", filename="timeline.png", title="Timeline"
    )

    assert posted["message"]["thread_ts"] == THREAD
    assert posted["message"]["bot_id"] == "B1"
    assert fake.calls_to("chat.postMessage")[0].args["blocks"] == [{"type": "divider"}]
    assert float(second["ts"]) > float(posted["ts"])
    assert updated["message"]["text"] == "final"
    assert ephemeral["message_ts"]
    assert user["user"]["id"] == "U1"
    assert dm["channel"]["is_im"] is True
    assert fake.uploads[upload["file"]["id"]] == b"\x89PNG fake"
    complete = fake.calls_to("files.completeUploadExternal")[0].args
    assert (complete["channel_id"], complete["thread_ts"]) == ("C1", THREAD)
    assert complete["files"] == [{"id": upload["file"]["id"], "title": "Timeline"}]

    with pytest.raises(SlackApiError, match="already_reacted"):
        await client.reactions_add(channel="C1", timestamp=THREAD, name="eyes")
    with pytest.raises(SlackApiError, match="no_text"), pytest.warns(UserWarning, match="`text` argument is missing"):
        await client.chat_postMessage(channel="C1")
    with pytest.raises(SlackApiError, match="unknown_method"):
        await client.api_call("chat.frobnicate")
    with pytest.raises(SlackApiError, match="not_allowed_token_type"):
        await client.apps_connections_open(app_token="xoxb-test")


def test_sign_matches_slack_sdk_verifier() -> None:
    body = slash_command_form("/ask", "who?", response_url="http://127.0.0.1:9/response_url/1")
    now = int(time.time())
    headers = sign(SECRET, body, now)

    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("other").is_valid_request(body, headers)


def test_event_builders_look_like_slack() -> None:
    mention = app_mention_event("who left?", thread_ts=THREAD)
    dm = dm_message_event("who left?")

    assert mention["text"] == "<@UBOT> who left?"
    assert mention["blocks"][0]["elements"][0]["elements"][0] == {"type": "user", "user_id": "UBOT"}
    assert mention["thread_ts"] == THREAD
    assert (dm["channel"], dm["channel_type"]) == ("D1", "im")
    assert event_callback(mention)["authorizations"][0]["user_id"] == "UBOT"


async def test_loopback_guard_blocks_other_hosts(loopback_only: NetworkGuard) -> None:  # noqa: F811
    with pytest.raises(NonLoopbackConnectionError):
        await asyncio.open_connection("192.0.2.1", 443)  # TEST-NET-1: never routed
    with pytest.raises(NonLoopbackConnectionError):
        await asyncio.open_connection("slack.com", 443)
    assert len(loopback_only.blocked) == 2
    loopback_only.blocked.clear()  # expected here; any other test would fail at teardown
