"""A fake Discord on 127.0.0.1: the REST API and the gateway, for end-to-end tests with the real discord.py.

::

    async with FakeDiscord() as fake:
        fake.patch(monkeypatch)                      # discord.py now talks to the fake only
        async with fake.connected(client):           # login + gateway until READY
            sent = await fake.message_create("who left?", mentions_bot=True)
            reply = await fake.wait_for_message(sent["channel_id"])
            assert reply.json["message_reference"]["message_id"] == sent["id"]

REST paths are recorded below ``/api/v10`` (``RecordedRequest.path == "/channels/1/messages"``). The fake
answers what discord.py 2.7 needs at login (``GET /users/@me``, ``GET /oauth2/applications/@me``; a plain
``Client`` never calls ``GET /gateway``: it connects to ``DiscordWebSocket.DEFAULT_GATEWAY``, then to READY's
``resume_gateway_url``), messages, typing, threads, command sync, interaction callbacks, follow-ups and edits.
It checks what Discord checks and a test would otherwise miss: an interaction answered twice (400, code 40060),
an unknown interaction or a follow-up before the first response (404), an unknown channel or message (404).
An unknown route is recorded and answered 404 ``{"message": "Unknown", "code": 0}``.

Every wait uses an ``asyncio.Condition`` over the request log; nothing sleeps.
"""

# The waits take ``timeout=`` on purpose: a test reads better as ``wait_for_message(id, timeout=1)``.
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import contextlib
import datetime
import itertools
import json
import logging
import re
import secrets
import time
import zlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiohttp import WSMsgType, web
from multidict import CIMultiDict

from tests.fakes.network_guard import NetworkGuard, NonLoopbackConnectionError, loopback_only

if TYPE_CHECKING:
    import discord
    import pytest

__all__ = [
    "DEFAULT_PERMISSIONS",
    "FakeDiscord",
    "NetworkGuard",
    "NonLoopbackConnectionError",
    "RecordedFile",
    "RecordedRequest",
    "loopback_only",
    "point_discord_py_at",
]

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"
DISCORD_EPOCH_MS = 1420070400000
ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024
# @everyone and the bot role: view, send, embed links, attach files, read history, add reactions,
# external emojis, use application commands, create public threads, send in threads.
DEFAULT_PERMISSIONS = sum(1 << bit for bit in (6, 10, 11, 14, 15, 16, 18, 31, 35, 38))
MESSAGE_FLAG_EPHEMERAL = 1 << 6
MESSAGE_FLAG_LOADING = 1 << 7
APPLICATION_FLAGS = 1 << 19  # GATEWAY_MESSAGE_CONTENT_LIMITED: the message content intent is enabled
RESPONSE_WITH_MESSAGE = {4, 5}  # CHANNEL_MESSAGE_WITH_SOURCE, DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE
RESPONSE_ON_CLICKED_MESSAGE = {6, 7}  # DEFERRED_UPDATE_MESSAGE, UPDATE_MESSAGE


@dataclass(frozen=True)
class RecordedFile:
    """One uploaded file of a multipart request (``files[0]`` …)."""

    field: str
    filename: str | None
    content_type: str | None
    data: bytes


@dataclass
class RecordedRequest:
    """One REST request as the fake received it, and what it answered."""

    method: str
    path: str  # below /api/v10, e.g. "/channels/123/messages"; other paths as they came
    query: dict[str, str]
    headers: CIMultiDict[str]
    json: Any  # the JSON body, or the ``payload_json`` part of a multipart body; None without one
    files: list[RecordedFile] = field(default_factory=list)
    status: int = 0
    response: Any = None

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass
class _Fault:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]
    times: int


@dataclass
class _Interaction:
    payload: dict[str, Any]
    response_type: int | None = None
    original_id: int | None = None


class _Reply(Exception):
    """Raised by a route handler to answer with an error status."""

    def __init__(self, status: int, message: str, code: int = 0) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"message": message, "code": code}


def _now_iso() -> str:
    return datetime.datetime.now(datetime.UTC).isoformat()


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    if isinstance(value, float):
        return 10
    return 3


def _truthy(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true")


class _Connection:
    """One gateway websocket; frames are zlib-stream compressed when the client asked for it."""

    def __init__(self, ws: web.WebSocketResponse, *, compress: bool) -> None:
        self.ws = ws
        self.lock = asyncio.Lock()
        self._deflate = zlib.compressobj() if compress else None

    async def send(self, payload: Mapping[str, Any]) -> None:
        async with self.lock:
            await self.send_locked(payload)

    async def send_locked(self, payload: Mapping[str, Any]) -> None:
        text = json.dumps(payload, separators=(",", ":"))
        if self._deflate is None:
            await self.ws.send_str(text)
        else:
            await self.ws.send_bytes(self._deflate.compress(text.encode()) + self._deflate.flush(zlib.Z_SYNC_FLUSH))


class FakeDiscord:
    """Discord's REST API and gateway on one loopback port, with a guild, a text channel, a thread and a DM.

    Attributes: ``base_url``, ``ws_url``, ``application_id``, ``bot_user_id``, ``bot_user`` (payload),
    ``user_id``/``user`` (a human member who writes and clicks), ``guild_id``, ``guild_name``,
    ``text_channel_id``, ``thread_id``, ``dm_channel_id``, ``channels`` (id → payload), ``messages``
    (id → payload: dispatched and posted), ``commands`` (None for global or a guild id → synced commands),
    ``requests`` (the REST log), ``gateway_frames`` (what the client sent on the gateway),
    ``identify`` (the last IDENTIFY's ``d``: intents, token, properties), ``gateway_queries`` (each
    connection's query string), ``identify_close_code`` (set, e.g. 4014, to refuse IDENTIFY with it).
    """

    def __init__(
        self,
        *,
        token: str | None = None,
        compress: bool = True,
        heartbeat_interval: int = 45_000,
        bot_name: str = "citebot",
        guild_name: str = "Citebot Test Guild",
        permissions: int = DEFAULT_PERMISSIONS,
    ) -> None:
        self.token = token  # None: accept any bot token; else answer 401 to any other
        self.compress = compress
        self.heartbeat_interval = heartbeat_interval
        self.permissions = permissions
        self.identify_close_code: int | None = None
        self._ids = itertools.count(1)
        self.base_url = ""
        self.ws_url = ""

        self.application_id = self.snowflake()
        self.bot_user_id = self.application_id  # as for every bot created since 2020
        self.bot_user: dict[str, Any] = {
            "id": str(self.bot_user_id), "username": bot_name, "discriminator": "0000", "global_name": None,
            "avatar": None, "bot": True, "system": False, "mfa_enabled": False, "verified": True, "flags": 0,
            "public_flags": 0, "locale": "en-US", "email": None,
        }
        self.user_id = self.snowflake()
        self.user: dict[str, Any] = self.make_user(self.user_id, "tester", global_name="Tester")
        self.users: dict[int, dict[str, Any]] = {self.bot_user_id: self.bot_user, self.user_id: self.user}

        self.guild_id = self.snowflake()
        self.guild_name = guild_name
        self.bot_role_id = self.snowflake()
        self.joined_at = _now_iso()
        self.channels: dict[int, dict[str, Any]] = {}
        self.text_channel_id = self.snowflake()
        self.channels[self.text_channel_id] = {
            "id": str(self.text_channel_id), "type": 0, "guild_id": str(self.guild_id), "name": "general",
            "position": 0, "permission_overwrites": [], "parent_id": None, "topic": None, "nsfw": False,
            "last_message_id": None, "rate_limit_per_user": 0, "flags": 0,
        }
        self.thread_id = int(self.add_thread(self.text_channel_id, name="citebot-thread")["id"])
        self.dm_channel_id = self.snowflake()
        self.channels[self.dm_channel_id] = self._dm_channel(self.dm_channel_id, self.user)

        self.messages: dict[int, dict[str, Any]] = {}
        self.commands: dict[int | None, list[dict[str, Any]]] = {}
        self.requests: list[RecordedRequest] = []
        self.gateway_frames: list[dict[str, Any]] = []
        self.gateway_queries: list[dict[str, str]] = []
        self.identify: dict[str, Any] | None = None
        self.session_id: str | None = None
        self._interactions: dict[int, _Interaction] = {}
        self._tokens: dict[str, _Interaction] = {}
        self._attachments: dict[int, tuple[str | None, bytes]] = {}
        self._faults: list[_Fault] = []
        self._sequence = 0
        self._connection: _Connection | None = None
        self._connections: set[_Connection] = set()
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._routes: list[tuple[str, re.Pattern[str], Callable[..., Any]]] = [
            (method, re.compile(pattern), handler) for method, pattern, handler in self._route_table()
        ]

    # ---------------------------------------------------------------- lifecycle

    async def __aenter__(self) -> FakeDiscord:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}/gateway"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        for connection in list(self._connections):
            await connection.ws.close(code=1001, message=b"fake discord shutting down")
        if self._runner is not None:
            await self._runner.cleanup()

    def patch(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Point discord.py at this fake for the test (REST base, gateway, CDN)."""
        point_discord_py_at(self, monkeypatch)

    @contextlib.asynccontextmanager
    async def connected(self, client: discord.Client, *, token: str = "fake-token", timeout: float = 5.0,
                        ) -> AsyncIterator[discord.Client]:
        """``client.start(token, reconnect=False)`` split in two: log in (setup_hook runs), connect in a task,
        yield once READY has fired; then close the client and wait for its task, re-raising its error."""
        try:
            await client.login(token)
        except BaseException:
            await client.close()  # login opened an HTTP session
            raise
        task = asyncio.create_task(client.connect(reconnect=False), name="discord.py connect")
        ready = asyncio.create_task(client.wait_until_ready())
        try:
            done, _ = await asyncio.wait({task, ready}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                task.result()
                raise RuntimeError("the client stopped before READY")
            if ready not in done:
                raise TimeoutError(f"no READY within {timeout}s; gateway frames: {self.gateway_frames}")
            yield client
        finally:
            ready.cancel()
            await client.close()
            ended, _ = await asyncio.wait({task}, timeout=timeout)
            if not ended:
                task.cancel()
            error = None if not ended or task.cancelled() else task.exception()  # retrieved even if the body failed
        if not ended:
            raise TimeoutError("the client's connect task did not end after close()")
        if error is not None:
            raise error

    # ---------------------------------------------------------------- ids and payloads

    def snowflake(self) -> int:
        """A new, unique, time-ordered Discord id."""
        return ((int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22) | (next(self._ids) & 0x3FFFFF)

    @staticmethod
    def make_user(user_id: int, username: str, *, global_name: str | None = None, bot: bool = False,
                  ) -> dict[str, Any]:
        user = {"id": str(user_id), "username": username, "discriminator": "0", "global_name": global_name,
                "avatar": None, "public_flags": 0}
        if bot:
            user["bot"] = True
        return user

    def add_user(self, username: str, *, global_name: str | None = None, bot: bool = False) -> dict[str, Any]:
        """A guild member to write messages or click as (pass it as ``author=``/``user=``)."""
        user = self.make_user(self.snowflake(), username, global_name=global_name, bot=bot)
        self.users[int(user["id"])] = user
        return user

    def add_thread(self, parent_id: int | None = None, *, name: str = "thread", thread_id: int | None = None,
                   ) -> dict[str, Any]:
        """Register a public thread. Added before the client connects, it is in GUILD_CREATE; afterwards send it
        with ``await fake.dispatch("THREAD_CREATE", thread)``."""
        parent_id = parent_id or self.text_channel_id
        thread_id = thread_id or self.snowflake()
        thread = {
            "id": str(thread_id), "type": 11, "guild_id": str(self.guild_id), "parent_id": str(parent_id),
            "owner_id": str(self.user_id), "name": name, "last_message_id": None, "message_count": 0,
            "member_count": 1, "rate_limit_per_user": 0, "flags": 0, "total_message_sent": 0,
            "thread_metadata": {"archived": False, "auto_archive_duration": 1440, "archive_timestamp": _now_iso(),
                                "locked": False, "create_timestamp": _now_iso()},
        }
        self.channels[thread_id] = thread
        return thread

    def member(self, user: Mapping[str, Any], *, with_permissions: bool = False) -> dict[str, Any]:
        is_bot = int(user["id"]) == self.bot_user_id
        member = {"user": dict(user), "roles": [str(self.bot_role_id)] if is_bot else [], "nick": None,
                  "avatar": None, "joined_at": self.joined_at, "premium_since": None, "deaf": False, "mute": False,
                  "flags": 0, "pending": False, "communication_disabled_until": None}
        if with_permissions:
            member["permissions"] = str(self.permissions)
        return member

    def guild_payload(self) -> dict[str, Any]:
        """The GUILD_CREATE payload: roles, channels, threads and members as they stand now."""
        guild_channels = [c for c in self.channels.values() if c.get("guild_id") == str(self.guild_id)]
        members = [self.member(u) for u in self.users.values()]
        role = {"hoist": False, "managed": False, "mentionable": False, "color": 0, "icon": None,
                "unicode_emoji": None, "flags": 0, "permissions": str(self.permissions)}
        return {
            "id": str(self.guild_id), "name": self.guild_name, "icon": None, "splash": None, "discovery_splash": None,
            "owner_id": str(self.user_id), "afk_channel_id": None, "afk_timeout": 300, "verification_level": 0,
            "default_message_notifications": 1, "explicit_content_filter": 0, "features": [], "mfa_level": 0,
            "application_id": None, "system_channel_id": str(self.text_channel_id), "system_channel_flags": 0,
            "rules_channel_id": None, "vanity_url_code": None, "description": None, "banner": None,
            "premium_tier": 0, "premium_subscription_count": 0, "preferred_locale": "en-US",
            "public_updates_channel_id": None, "nsfw_level": 0, "premium_progress_bar_enabled": False,
            "max_members": 500000, "max_video_channel_users": 25,
            "roles": [
                {**role, "id": str(self.guild_id), "name": "@everyone", "position": 0},
                {**role, "id": str(self.bot_role_id), "name": self.bot_user["username"], "position": 1,
                 "managed": True, "tags": {"bot_id": str(self.bot_user_id)}},
            ],
            "emojis": [], "stickers": [], "joined_at": self.joined_at, "large": False, "unavailable": False,
            "member_count": len(members), "members": members, "voice_states": [], "presences": [],
            "channels": [c for c in guild_channels if c["type"] not in (10, 11, 12)],
            "threads": [c for c in guild_channels if c["type"] in (10, 11, 12)],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [],
        }

    @staticmethod
    def _dm_channel(channel_id: int, user: Mapping[str, Any]) -> dict[str, Any]:
        return {"id": str(channel_id), "type": 1, "last_message_id": None, "recipients": [dict(user)], "flags": 0}

    def _message(self, channel_id: int, body: Mapping[str, Any], files: list[RecordedFile], *,
                 author: Mapping[str, Any] | None = None, message_type: int = 0,
                 interaction: _Interaction | None = None) -> dict[str, Any]:
        """A message object as Discord returns it for a message the bot posts (REST, webhook or callback)."""
        message_id = self.snowflake()
        message: dict[str, Any] = {
            "id": str(message_id), "channel_id": str(channel_id), "author": dict(author or self.bot_user),
            "content": "", "timestamp": _now_iso(), "edited_timestamp": None, "tts": bool(body.get("tts")),
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
            "components": [], "pinned": False, "type": message_type, "flags": 0,
        }
        if body.get("nonce") is not None:
            message["nonce"] = body["nonce"]
        reference = body.get("message_reference")
        if reference:
            referenced_id = int(reference["message_id"])
            message["type"] = 19
            message["message_reference"] = {
                "type": reference.get("type", 0), "message_id": str(referenced_id),
                "channel_id": str(reference.get("channel_id") or channel_id),
            }
            if reference.get("guild_id") or "guild_id" in self.channels.get(channel_id, {}):
                message["message_reference"]["guild_id"] = str(reference.get("guild_id") or self.guild_id)
            if referenced_id in self.messages:
                message["referenced_message"] = self.messages[referenced_id]
        if interaction is not None:
            user = interaction.payload.get("member", {}).get("user") or interaction.payload.get("user")
            message["webhook_id"] = str(self.application_id)
            message["application_id"] = str(self.application_id)
            message["interaction_metadata"] = {
                "id": interaction.payload["id"], "type": interaction.payload["type"], "user": user,
                "authorizing_integration_owners": interaction.payload["authorizing_integration_owners"],
            }
        self._apply_edit(message, body, files)
        self.messages[message_id] = message
        return message

    def _apply_edit(self, message: dict[str, Any], body: Mapping[str, Any], files: list[RecordedFile]) -> None:
        if "content" in body:
            message["content"] = body["content"] or ""
        if "embeds" in body:
            message["embeds"] = [{"type": "rich", **embed} for embed in body["embeds"] or []]
        if "components" in body:
            message["components"] = body["components"] or []
        if "flags" in body:
            message["flags"] = body["flags"] or 0
        mentioned = {int(m) for m in re.findall(r"<@!?(\d+)>", message["content"])}
        message["mentions"] = [self.users[m] for m in mentioned if m in self.users]
        if "attachments" in body or files:
            kept = {a["id"]: a for a in message["attachments"]}
            attachments = []
            for index, item in enumerate(body.get("attachments") or [{"id": i} for i in range(len(files))]):
                if str(item.get("id")) in kept:
                    attachments.append(kept[str(item["id"])])
                elif index < len(files):
                    attachments.append(self._attachment(message["channel_id"], files[index], item))
            message["attachments"] = attachments

    def shared_attachment(self, filename: str, data: bytes, content_type: str = "text/yaml") -> dict[str, Any]:
        """A file a user attached to a command (for its ``resolved``), downloadable from this fake."""
        return self._attachment(str(self.text_channel_id), RecordedFile("file", filename, content_type, data), {})

    def _attachment(self, channel_id: str, upload: RecordedFile, item: Mapping[str, Any]) -> dict[str, Any]:
        attachment_id = self.snowflake()
        filename = item.get("filename") or upload.filename or "file"
        self._attachments[attachment_id] = (upload.content_type, upload.data)
        url = f"{self.base_url}/attachments/{channel_id}/{attachment_id}/{filename}"
        attachment = {"id": str(attachment_id), "filename": filename, "size": len(upload.data), "url": url,
                      "proxy_url": url, "content_type": upload.content_type}
        if item.get("description"):
            attachment["description"] = item["description"]
        return attachment

    # ---------------------------------------------------------------- waiting on the log

    async def wait_for(self, predicate: Callable[[RecordedRequest], bool], timeout: float = 5.0, *,
                       since: int = 0) -> RecordedRequest:
        """The first recorded request (from index ``since``) matching ``predicate``, waiting for it if need be."""

        def first() -> RecordedRequest | None:
            return next((r for r in self.requests[since:] if predicate(r)), None)

        async with self._changed:
            try:
                async with asyncio.timeout(timeout):
                    return await self._changed.wait_for(first)
            except TimeoutError:
                raise AssertionError(f"no such request within {timeout}s; the fake got:\n{self.describe()}") from None

    def find(self, method: str, path_regex: str, *, ok: bool | None = None) -> list[RecordedRequest]:
        """Every recorded request with this method whose path matches ``path_regex`` (``re.search``)."""
        pattern = re.compile(path_regex)
        return [r for r in self.requests
                if r.method == method and pattern.search(r.path) and (ok is None or r.ok == ok)]

    def describe(self) -> str:
        return "\n".join(f"  {r.method} {r.path} -> {r.status}" for r in self.requests) or "  (no requests)"

    async def wait_for_message(self, channel_id: int | str, timeout: float = 5.0, *, since: int = 0,
                               ) -> RecordedRequest:
        """The first successful ``POST /channels/{channel_id}/messages``."""
        path = f"/channels/{channel_id}/messages"
        return await self.wait_for(lambda r: r.ok and r.method == "POST" and r.path == path, timeout, since=since)

    async def wait_for_interaction_response(self, interaction: int | str | Mapping[str, Any], timeout: float = 5.0,
                                            *, since: int = 0) -> RecordedRequest:
        """The first successful ``POST /interactions/{id}/{token}/callback`` (pass the id or the payload)."""
        prefix = f"/interactions/{interaction['id'] if isinstance(interaction, Mapping) else interaction}/"
        return await self.wait_for(
            lambda r: r.ok and r.method == "POST" and r.path.startswith(prefix) and r.path.endswith("/callback"),
            timeout, since=since)

    async def wait_for_followup(self, token: str | Mapping[str, Any], timeout: float = 5.0, *, since: int = 0,
                                ) -> RecordedRequest:
        """The first successful ``POST /webhooks/{application_id}/{token}`` (pass the token or the payload)."""
        path = f"/webhooks/{self.application_id}/{token['token'] if isinstance(token, Mapping) else token}"
        return await self.wait_for(lambda r: r.ok and r.method == "POST" and r.path == path, timeout, since=since)

    async def wait_for_edit(self, token: str | Mapping[str, Any], timeout: float = 5.0, *, since: int = 0,
                            ) -> RecordedRequest:
        """The first successful ``PATCH /webhooks/{application_id}/{token}/messages/@original``."""
        token = token["token"] if isinstance(token, Mapping) else token
        path = f"/webhooks/{self.application_id}/{token}/messages/@original"
        return await self.wait_for(lambda r: r.ok and r.method == "PATCH" and r.path == path, timeout, since=since)

    async def wait_for_gateway(self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 5.0,
                               ) -> dict[str, Any]:
        """The first frame the client sent on the gateway (``{"op": 2, "d": ...}``) matching ``predicate``."""
        async with self._changed:
            try:
                async with asyncio.timeout(timeout):
                    return await self._changed.wait_for(
                        lambda: next((f for f in self.gateway_frames if predicate(f)), None))
            except TimeoutError:
                raise AssertionError(f"no such gateway frame within {timeout}s: {self.gateway_frames}") from None

    async def _notify(self, append: Callable[[], None]) -> None:
        async with self._changed:
            append()
            self._changed.notify_all()

    # ---------------------------------------------------------------- fault injection

    def fail_next(self, method: str, path_regex: str, status: int = 500, body: Any = None,
                  headers: Mapping[str, str] | None = None, *, times: int = 1, retry_after: float = 0.05) -> None:
        """Answer the next ``times`` requests matching ``method`` and ``path_regex`` (``re.search`` on the path
        below /api/v10) with ``status``. A 429 gets Discord's body (``retry_after``) and headers (``Via``,
        ``X-RateLimit-*``), so discord.py waits and retries rather than taking it for a Cloudflare ban.
        discord.py retries a 500, 502, 504 after sleeping 1 s, other errors it raises."""
        default_headers: dict[str, str] = {}
        if status == 429:
            body = body if body is not None else {"message": "You are being rate limited.",
                                                  "retry_after": retry_after, "global": False, "code": 0}
            default_headers = {
                "Via": "1.1 google", "Retry-After": str(max(1, round(retry_after))), "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0", "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                "X-RateLimit-Reset-After": f"{retry_after:.3f}", "X-RateLimit-Bucket": secrets.token_hex(16),
                "X-RateLimit-Scope": "user",
            }
        elif body is None:
            body = {"message": f"{status}: fault injected by the test", "code": 0}
        self._faults.append(_Fault(method.upper(), re.compile(path_regex), status, body,
                                   {**default_headers, **(headers or {})}, times))

    def _take_fault(self, method: str, path: str) -> _Fault | None:
        for fault in self._faults:
            if fault.method == method and fault.pattern.search(path):
                fault.times -= 1
                if fault.times <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    # ---------------------------------------------------------------- REST

    def _route_table(self) -> list[tuple[str, str, Callable[..., Any]]]:
        app = r"/applications/(?P<app>\d+)(?:/guilds/(?P<guild>\d+))?/commands"
        webhook = r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"
        return [
            ("GET", r"/users/@me", self._get_me),
            ("GET", r"/(?:oauth2/)?applications/@me", self._get_application),
            ("GET", r"/gateway", self._get_gateway),
            ("GET", r"/gateway/bot", self._get_gateway),
            ("GET", app, self._get_commands),
            ("PUT", app, self._put_commands),
            ("POST", app, self._post_command),
            ("POST", r"/users/@me/channels", self._create_dm),
            ("GET", r"/channels/(?P<channel>\d+)", self._get_channel),
            ("POST", r"/channels/(?P<channel>\d+)/messages", self._create_message),
            ("GET", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)", self._get_message),
            ("PATCH", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)", self._edit_message),
            ("DELETE", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)", self._delete_message),
            ("PUT", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/reactions/[^/]+/@me", self._no_content),
            ("DELETE", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/reactions/[^/]+/@me",
             self._no_content),
            ("POST", r"/channels/(?P<channel>\d+)/typing", self._typing),
            ("POST", r"/channels/(?P<channel>\d+)/threads", self._create_thread),
            ("POST", r"/channels/(?P<channel>\d+)/messages/(?P<message>\d+)/threads", self._create_thread),
            ("POST", r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback", self._interaction_callback),
            ("POST", webhook, self._create_followup),
            ("GET", webhook + r"/messages/(?P<message>@original|\d+)", self._get_webhook_message),
            ("PATCH", webhook + r"/messages/(?P<message>@original|\d+)", self._edit_webhook_message),
            ("DELETE", webhook + r"/messages/(?P<message>@original|\d+)", self._delete_webhook_message),
        ]

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        recorded = await self._read(request)
        status, body, headers = await self._answer(request, recorded)
        recorded.status, recorded.response = status, body
        await self._notify(lambda: self.requests.append(recorded))
        if isinstance(body, bytes):
            return web.Response(status=status, body=body, headers=headers)
        if body is None:
            return web.Response(status=status, headers=headers)
        # Exactly "application/json": discord.py parses JSON only then, and text= would add "; charset=utf-8".
        return web.Response(status=status, body=json.dumps(body).encode(),
                            headers={**headers, "Content-Type": "application/json"})

    async def _read(self, request: web.Request) -> RecordedRequest:
        path = request.path
        if path.startswith(API_PREFIX + "/"):
            path = path[len(API_PREFIX):]
        payload: Any = None
        files: list[RecordedFile] = []
        if request.content_type.startswith("multipart/"):
            reader = await request.multipart()
            async for part in reader:
                data = await part.read(decode=False)  # type: ignore[union-attr]
                if part.name == "payload_json":
                    payload = json.loads(data)
                else:
                    content_type = part.headers.get("Content-Type")
                    files.append(RecordedFile(part.name or "", part.filename, content_type, bytes(data)))  # type: ignore[union-attr]
        elif request.can_read_body:
            raw = await request.read()
            if raw:
                payload = json.loads(raw) if request.content_type == "application/json" else raw
        return RecordedRequest(request.method, path, dict(request.query), CIMultiDict(request.headers), payload, files)

    async def _answer(self, request: web.Request, recorded: RecordedRequest,
                      ) -> tuple[int, Any, dict[str, str]]:
        fault = self._take_fault(recorded.method, recorded.path)
        if fault is not None:
            return fault.status, fault.body, fault.headers
        if recorded.method == "GET" and recorded.path.startswith("/attachments/"):
            return self._get_attachment(recorded.path)
        for method, pattern, route_handler in self._routes:
            match = pattern.fullmatch(recorded.path)
            if method == recorded.method and match:
                handler = route_handler
                break
        else:
            return 404, {"message": "Unknown", "code": 0}, {}
        if not self._authorized(recorded):
            return 401, {"message": "401: Unauthorized", "code": 0}, {}
        try:
            status, body = await handler(recorded, match)
        except _Reply as reply:
            return reply.status, reply.body, {}
        return status, body, {}

    def _authorized(self, recorded: RecordedRequest) -> bool:
        if self.token is None or recorded.path.startswith(("/webhooks/", "/interactions/")):
            return True
        return recorded.headers.get("Authorization") == f"Bot {self.token}"

    def _get_attachment(self, path: str) -> tuple[int, Any, dict[str, str]]:
        parts = path.split("/")
        stored = self._attachments.get(int(parts[3])) if len(parts) > 3 and parts[3].isdigit() else None
        if stored is None:
            return 404, {"message": "Unknown", "code": 0}, {}
        content_type, data = stored
        return 200, data, {"Content-Type": content_type or "application/octet-stream"}

    async def _no_content(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        return 204, None

    async def _get_me(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        return 200, self.bot_user

    async def _get_application(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        return 200, {
            "id": str(self.application_id), "name": self.bot_user["username"], "description": "", "icon": None,
            "bot_public": False, "bot_require_code_grant": False, "verify_key": "0" * 64, "flags": APPLICATION_FLAGS,
            "owner": {"id": str(self.user_id), "username": self.user["username"], "discriminator": "0",
                      "avatar": None, "global_name": self.user["global_name"], "public_flags": 0},
            "team": None, "rpc_origins": [], "tags": [], "redirect_uris": [], "interactions_endpoint_url": None,
            "bot": self.bot_user, "approximate_guild_count": 1,
        }

    async def _get_gateway(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        limit = {"total": 1000, "remaining": 999, "reset_after": 14_400_000, "max_concurrency": 1}
        return 200, {"url": self.ws_url, "shards": 1, "session_start_limit": limit}

    def _check_application(self, match: re.Match[str]) -> None:
        if int(match["app"]) != self.application_id:
            raise _Reply(404, "Unknown Application", 10002)

    async def _get_commands(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        self._check_application(match)
        return 200, self.commands.get(int(match["guild"]) if match["guild"] else None, [])

    def _command(self, body: Mapping[str, Any], guild: int | None, existing: list[dict[str, Any]],
                 ) -> dict[str, Any]:
        kind = body.get("type", 1)
        same = next((c for c in existing if c["name"] == body["name"] and c["type"] == kind), None)
        command = {"description": "", "options": [], "default_member_permissions": None, "dm_permission": True,
                   "nsfw": False, **body, "type": kind, "id": same["id"] if same else str(self.snowflake()),
                   "application_id": str(self.application_id), "version": str(self.snowflake())}
        if guild is not None:
            command["guild_id"] = str(guild)
        return command

    async def _put_commands(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        self._check_application(match)
        guild = int(match["guild"]) if match["guild"] else None
        existing = self.commands.get(guild, [])
        self.commands[guild] = [self._command(c, guild, existing) for c in recorded.json or []]
        return 200, self.commands[guild]

    async def _post_command(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        self._check_application(match)
        guild = int(match["guild"]) if match["guild"] else None
        existing = self.commands.setdefault(guild, [])
        command = self._command(recorded.json, guild, existing)
        self.commands[guild] = [c for c in existing if c["id"] != command["id"]] + [command]
        return 201, command

    async def _create_dm(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        recipient = int(recorded.json["recipient_id"])
        for channel in self.channels.values():
            if channel["type"] == 1 and channel["recipients"][0]["id"] == str(recipient):
                return 200, channel
        if recipient not in self.users:
            raise _Reply(400, "Invalid Recipient(s)", 50033)
        channel_id = self.snowflake()
        self.channels[channel_id] = self._dm_channel(channel_id, self.users[recipient])
        return 200, self.channels[channel_id]

    def _channel(self, match: re.Match[str]) -> int:
        channel_id = int(match["channel"])
        if channel_id not in self.channels:
            raise _Reply(404, "Unknown Channel", 10003)
        return channel_id

    def _stored_message(self, match: re.Match[str]) -> dict[str, Any]:
        message = self.messages.get(int(match["message"]))
        if message is None or message["channel_id"] != str(self._channel(match)):
            raise _Reply(404, "Unknown Message", 10008)
        return message

    async def _get_channel(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        return 200, self.channels[self._channel(match)]

    async def _create_message(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        channel_id = self._channel(match)
        body = recorded.json or {}
        if not (body.get("content") or body.get("embeds") or recorded.files or body.get("components")
                or body.get("sticker_ids") or body.get("poll")):
            raise _Reply(400, "Cannot send an empty message", 50006)
        return 200, self._message(channel_id, body, recorded.files)

    async def _get_message(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        return 200, self._stored_message(match)

    async def _edit_message(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        message = self._stored_message(match)
        self._apply_edit(message, recorded.json or {}, recorded.files)
        message["edited_timestamp"] = _now_iso()
        return 200, message

    async def _delete_message(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        del self.messages[int(self._stored_message(match)["id"])]
        return 204, None

    async def _typing(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        self._channel(match)
        return 204, None

    async def _create_thread(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        parent_id = self._channel(match)
        body = recorded.json or {}
        thread_id = None
        if match.groupdict().get("message"):
            thread_id = int(self._stored_message(match)["id"])  # a thread from a message takes its id
        thread = self.add_thread(parent_id, name=body.get("name", "thread"), thread_id=thread_id)
        thread["owner_id"] = str(self.bot_user_id)
        thread["type"] = body.get("type", 11)
        thread["thread_metadata"]["auto_archive_duration"] = body.get("auto_archive_duration", 1440)
        if self._connection is not None:
            await self.dispatch("THREAD_CREATE", {**thread, "newly_created": True})
        return 201, thread

    def _interaction(self, token: str, match: re.Match[str]) -> _Interaction:
        if int(match["app"]) != self.application_id or token not in self._tokens:
            raise _Reply(404, "Unknown Webhook", 10015)
        return self._tokens[token]

    async def _interaction_callback(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        interaction = self._interactions.get(int(match["id"]))
        if interaction is None or interaction.payload["token"] != match["token"]:
            raise _Reply(404, "Unknown interaction", 10062)
        if interaction.response_type is not None:
            raise _Reply(400, "Interaction has already been acknowledged.", 40060)
        body = recorded.json or {}
        response_type = body["type"]
        data = body.get("data") or {}
        interaction.response_type = response_type
        payload = interaction.payload
        resource: dict[str, Any] = {"type": response_type}
        if response_type in RESPONSE_WITH_MESSAGE:
            message_data = dict(data)
            if response_type == 5:
                message_data = {"flags": (data.get("flags") or 0) | MESSAGE_FLAG_LOADING}
            message = self._message(int(payload["channel_id"]), message_data, recorded.files,
                                    message_type=20 if payload["type"] == 2 else 0, interaction=interaction)
            interaction.original_id = int(message["id"])
            resource["message"] = message
        elif response_type in RESPONSE_ON_CLICKED_MESSAGE and "message" in payload:
            clicked = self.messages.setdefault(int(payload["message"]["id"]), payload["message"])
            interaction.original_id = int(clicked["id"])
            if response_type == 7:
                self._apply_edit(clicked, data, recorded.files)
                clicked["edited_timestamp"] = _now_iso()
                resource["message"] = clicked
        if not _truthy(recorded.query.get("with_response")):
            return 204, None
        flags = resource.get("message", {}).get("flags", 0)
        answer: dict[str, Any] = {"interaction": {
            "id": payload["id"], "type": payload["type"], "activity_instance_id": None,
            "response_message_loading": response_type == 5,
            "response_message_ephemeral": bool(flags & MESSAGE_FLAG_EPHEMERAL),
        }}
        if interaction.original_id is not None:
            answer["interaction"]["response_message_id"] = str(interaction.original_id)
        if response_type not in (1, 8):
            answer["resource"] = resource
        return 200, answer

    async def _create_followup(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        interaction = self._interaction(match["token"], match)
        if interaction.response_type is None:
            raise _Reply(404, "Unknown Webhook", 10015)  # a follow-up needs the first response
        channel_id = int(recorded.query.get("thread_id") or interaction.payload["channel_id"])
        message = self._message(channel_id, recorded.json or {}, recorded.files, interaction=interaction)
        return (200, message) if _truthy(recorded.query.get("wait")) else (204, None)

    def _webhook_message(self, match: re.Match[str]) -> dict[str, Any]:
        interaction = self._interaction(match["token"], match)
        message_id = interaction.original_id if match["message"] == "@original" else int(match["message"])
        if message_id is None or message_id not in self.messages:
            raise _Reply(404, "Unknown Message", 10008)
        return self.messages[message_id]

    async def _get_webhook_message(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        return 200, self._webhook_message(match)

    async def _edit_webhook_message(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        message = self._webhook_message(match)
        body = dict(recorded.json or {})
        if message["flags"] & MESSAGE_FLAG_LOADING:
            body["flags"] = (body.get("flags") or 0) | (message["flags"] & ~MESSAGE_FLAG_LOADING)
        self._apply_edit(message, body, recorded.files)
        message["edited_timestamp"] = _now_iso()
        return 200, message

    async def _delete_webhook_message(self, recorded: RecordedRequest, match: re.Match[str]) -> tuple[int, Any]:
        del self.messages[int(self._webhook_message(match)["id"])]
        return 204, None

    # ---------------------------------------------------------------- gateway

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(max_msg_size=0, timeout=2.0)
        await ws.prepare(request)
        connection = _Connection(ws, compress=self.compress and request.query.get("compress") == "zlib-stream")
        self.gateway_queries.append(dict(request.query))
        self._connections.add(connection)
        self._connection = connection
        try:
            await connection.send({"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval}})
            async for frame in ws:
                if frame.type in (WSMsgType.TEXT, WSMsgType.BINARY):
                    received = json.loads(frame.data)
                    await self._notify(lambda received=received: self.gateway_frames.append(received))
                    await self._on_frame(connection, received)
        finally:
            self._connections.discard(connection)
            if self._connection is connection:
                self._connection = None
        return ws

    async def _on_frame(self, connection: _Connection, frame: dict[str, Any]) -> None:
        op, data = frame.get("op"), frame.get("d")
        if op == 1:
            await connection.send({"op": 11})
        elif op == 2:
            self.identify = data
            if self.identify_close_code is not None:
                await connection.ws.close(code=self.identify_close_code, message=b"identify refused by the test")
                return
            self.session_id = secrets.token_hex(16)
            await self._send_dispatch(connection, "READY", {
                **({"shard": data["shard"]} if "shard" in data else {}),  # AutoShardedClient needs it back
                "v": 10, "user": self.bot_user, "guilds": [{"id": str(self.guild_id), "unavailable": True}],
                "session_id": self.session_id, "session_type": "normal", "resume_gateway_url": self.ws_url,
                "application": {"id": str(self.application_id), "flags": APPLICATION_FLAGS},
                "private_channels": [], "relationships": [], "presences": [], "geo_ordered_rtc_regions": [],
                "guild_join_requests": [], "user_settings": {}, "_trace": ["fake-discord"],
            })
            await self._send_dispatch(connection, "GUILD_CREATE", self.guild_payload())
        elif op == 6:
            if data and data.get("session_id") == self.session_id:
                await self._send_dispatch(connection, "RESUMED", {"_trace": ["fake-discord"]})
            else:
                await connection.send({"op": 9, "d": False})
        elif op == 8:
            guild_id = int(data["guild_id"])
            await self._send_dispatch(connection, "GUILD_MEMBERS_CHUNK", {
                "guild_id": str(guild_id), "members": [self.member(u) for u in self.users.values()],
                "chunk_index": 0, "chunk_count": 1, "not_found": [], "nonce": data.get("nonce"),
            })

    async def _send_dispatch(self, connection: _Connection, event: str, data: Any) -> None:
        async with connection.lock:
            self._sequence += 1
            await connection.send_locked({"op": 0, "t": event, "s": self._sequence, "d": data})

    async def dispatch(self, event: str, data: dict[str, Any]) -> dict[str, Any]:
        """Send a gateway event (op 0) with the next sequence number; returns ``data``.
        MESSAGE_CREATE payloads are kept in ``messages``, INTERACTION_CREATE ones make their token valid."""
        if self._connection is None:
            raise RuntimeError("no client is connected to the fake gateway")
        if event == "MESSAGE_CREATE":
            self.messages[int(data["id"])] = data
        elif event == "INTERACTION_CREATE":
            interaction = _Interaction(data)
            self._interactions[int(data["id"])] = interaction
            self._tokens[data["token"]] = interaction
        await self._send_dispatch(self._connection, event, data)
        return data

    async def send_op(self, op: int, data: Any = None) -> None:
        """Send a non-dispatch opcode: 7 asks the client to reconnect, 9 invalidates its session."""
        if self._connection is None:
            raise RuntimeError("no client is connected to the fake gateway")
        await self._connection.send({"op": op, "d": data})

    async def disconnect(self, code: int = 1001) -> None:
        """Close the gateway socket from the server side. discord.py then RESUMEs, even with ``reconnect=False``,
        unless the code is 4004 or 4010–4014: those end ``connect()`` with ``ConnectionClosed``."""
        if self._connection is not None:
            await self._connection.ws.close(code=code, message=b"closed by the test")

    # ---------------------------------------------------------------- event builders

    async def message_create(
        self,
        content: str,
        *,
        channel_id: int | None = None,
        author: Mapping[str, Any] | None = None,
        mentions_bot: bool = False,
        thread: bool = False,
        reference: int | Mapping[str, Any] | None = None,
        guild: bool = True,
    ) -> dict[str, Any]:
        """Dispatch MESSAGE_CREATE from ``author`` (default: ``fake.user``) and return its payload.

        Channel: ``channel_id``, else the DM channel (``guild=False``), the thread (``thread=True``) or the text
        channel. ``mentions_bot`` puts ``<@bot_id>`` before the content and the bot in ``mentions``;
        ``reference`` (a message id or payload) makes it a reply."""
        author = dict(author or self.user)
        if channel_id is None:
            channel_id = self.dm_channel_id if not guild else self.thread_id if thread else self.text_channel_id
        if mentions_bot:
            content = f"<@{self.bot_user_id}> {content}"
        message: dict[str, Any] = {
            "id": str(self.snowflake()), "channel_id": str(channel_id), "author": author, "content": content,
            "timestamp": _now_iso(), "edited_timestamp": None, "tts": False, "mention_everyone": False,
            "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "components": [],
            "pinned": False, "type": 0, "flags": 0, "nonce": str(self.snowflake()),
        }
        if guild:
            message["guild_id"] = str(self.guild_id)
            message["member"] = {k: v for k, v in self.member(author).items() if k != "user"}
        for user_id in dict.fromkeys(int(m) for m in re.findall(r"<@!?(\d+)>", content)):
            if user_id in self.users:
                mentioned = dict(self.users[user_id])
                if guild:
                    mentioned["member"] = {k: v for k, v in self.member(mentioned).items() if k != "user"}
                message["mentions"].append(mentioned)
        if reference is not None:
            referenced = reference if isinstance(reference, Mapping) else self.messages.get(int(reference))
            referenced_id = referenced["id"] if referenced is not None else str(reference)
            message["type"] = 19
            message["message_reference"] = {"type": 0, "message_id": referenced_id, "channel_id": str(channel_id)}
            if guild:
                message["message_reference"]["guild_id"] = str(self.guild_id)
            message["referenced_message"] = dict(referenced) if referenced is not None else None
        return await self.dispatch("MESSAGE_CREATE", message)

    async def interaction_create(
        self,
        name: str,
        options: Mapping[str, Any] | list[dict[str, Any]] | None = None,
        *,
        type: int = 2,
        guild: bool = True,
        locale: str = "en-US",
        user: Mapping[str, Any] | None = None,
        channel_id: int | None = None,
        focused: str | None = None,
        message: int | Mapping[str, Any] | None = None,
        component_type: int = 2,
        values: list[str] | None = None,
        command_guild_id: int | None = None,
        resolved: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Dispatch INTERACTION_CREATE and return its payload (with its unique ``id`` and ``token``).

        - ``type=2``, a slash command: ``name`` and ``options`` (``{"question": "who?"}``, value types
          inferred, or Discord's raw option list for subcommands); ``command_guild_id`` for a guild command.
        - ``type=4``, autocomplete: the same, the option ``focused`` (default: the last) marked focused.
        - ``type=3``, a component: ``name`` is the ``custom_id``; ``component_type`` (2 button, 3 select with
          ``values``); ``message`` is the clicked message (a payload or the id of one in ``messages``; default:
          a bot message carrying that button).
        - ``resolved``: the command's resolved objects (``{"attachments": {id: attachment}}`` for a file option).
        ``guild=False`` makes it a DM interaction: ``user`` instead of ``member``, no guild.
        """
        user = dict(user or self.user)
        if channel_id is None:
            channel_id = self.text_channel_id if guild else self.dm_channel_id
        channel = self.channels.get(channel_id) or self._dm_channel(channel_id, user)
        interaction_id = self.snowflake()
        payload: dict[str, Any] = {
            "id": str(interaction_id), "application_id": str(self.application_id), "type": type,
            "token": f"fake-interaction-token-{interaction_id}-{secrets.token_urlsafe(12)}", "version": 1,
            "channel_id": str(channel_id), "channel": channel, "app_permissions": str(self.permissions),
            "locale": locale, "entitlements": [], "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
            "authorizing_integration_owners": {"0": str(self.guild_id) if guild else "0"},
            "context": 0 if guild else 1,
        }
        if guild:
            payload["guild_id"] = str(self.guild_id)
            payload["guild"] = {"id": str(self.guild_id), "locale": "en-US", "features": []}
            payload["guild_locale"] = "en-US"
            payload["member"] = self.member(user, with_permissions=True)
        else:
            payload["user"] = user
        if type == 3:
            payload["data"] = {"custom_id": name, "component_type": component_type}
            if values is not None:
                payload["data"]["values"] = values
            payload["message"] = self._clicked_message(name, message, channel_id, component_type)
        else:
            payload["data"] = self._command_data(name, options, type, focused, command_guild_id)
            if resolved is not None:
                payload["data"]["resolved"] = dict(resolved)
        return await self.dispatch("INTERACTION_CREATE", payload)

    def _command_data(self, name: str, options: Mapping[str, Any] | list[dict[str, Any]] | None, type: int,
                      focused: str | None, command_guild_id: int | None) -> dict[str, Any]:
        if isinstance(options, Mapping):
            listed = [{"name": k, "type": _option_type(v), "value": v} for k, v in options.items()]
        else:
            listed = [dict(o) for o in options or []]
        if type == 4 and listed:
            target = next((o for o in listed if o["name"] == focused), listed[-1])
            target["focused"] = True
        registered = self.commands.get(command_guild_id, [])
        command_id = next((c["id"] for c in registered if c["name"] == name), None) or str(self.snowflake())
        data: dict[str, Any] = {"id": command_id, "name": name, "type": 1, "options": listed}
        if command_guild_id is not None:
            data["guild_id"] = str(command_guild_id)
        return data

    def _clicked_message(self, custom_id: str, message: int | Mapping[str, Any] | None, channel_id: int,
                         component_type: int) -> dict[str, Any]:
        if isinstance(message, Mapping):
            return dict(message)
        if message is not None:
            return self.messages[int(message)]
        component: dict[str, Any] = {"type": component_type, "custom_id": custom_id}
        if component_type == 2:
            component.update(style=1, label=custom_id)
        else:
            component.update(options=[], min_values=1, max_values=1)
        return self._message(channel_id, {"content": "", "components": [{"type": 1, "components": [component]}]},
                             [])


def point_discord_py_at(fake: FakeDiscord, monkeypatch: pytest.MonkeyPatch) -> None:
    """Redirect discord.py's REST base, default gateway and CDN to ``fake`` for one test."""
    import discord
    import yarl

    monkeypatch.setattr(discord.http.Route, "BASE", fake.base_url + API_PREFIX)
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(fake.ws_url))
    monkeypatch.setattr(discord.asset.Asset, "BASE", fake.base_url + "/cdn")
