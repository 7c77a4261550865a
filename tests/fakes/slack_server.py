"""A fake Slack on 127.0.0.1 for end-to-end tests of the Slack adapter with the real slack-bolt.

``FakeSlack`` serves the Web API (``fake.api_url``), ``response_url`` sinks, file upload URLs and the Socket Mode
websocket, and records every call. The functions below it sign requests as Slack does and build realistic
Events API, slash command and block_actions payloads (as dicts for Socket Mode, as bodies for HTTP).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import re
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

import aiohttp
from aiohttp import WSMsgType, web
from multidict import CIMultiDict, CIMultiDictProxy

BOT_USER_ID = "UBOT"
BOT_ID = "B1"
TEAM_ID = "T1"
TEAM_DOMAIN = "fake-team"
APP_ID = "A1"
VERIFICATION_TOKEN = "fake-verification-token"  # deprecated by Slack, still sent in every payload
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"

# Arguments slack_sdk sends as JSON strings in form or query bodies; the fake decodes them for assertions.
_JSON_STRING_ARGS = ("blocks", "attachments", "files", "metadata")
_ids = itertools.count(1)


@dataclass(frozen=True)
class SlackCall:
    """One request the fake received.

    ``method`` is the Web API method ("chat.postMessage"), or "response_url" (``target`` = its key),
    "file_upload" (``target`` = file id) or "socket_ack" (``target`` = envelope id; ``args`` = the ack).
    """

    method: str
    args: dict[str, Any]
    headers: Mapping[str, str] = field(default_factory=dict)
    status: int = 200
    target: str = ""

    @property
    def token(self) -> str | None:
        auth = self.headers.get("Authorization", "")
        return auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else None


@dataclass(frozen=True)
class _Fault:
    status: int
    headers: dict[str, str]
    body: Any

    def response(self) -> web.Response:
        if isinstance(self.body, dict):
            return web.json_response(self.body, status=self.status, headers=self.headers)
        return web.Response(status=self.status, headers=self.headers, body=self.body, content_type="text/plain")


@dataclass(frozen=True)
class HttpReply:
    """What the app under test answered to a request posted by ``post_signed``."""

    status: int
    content_type: str
    text: str

    def json(self) -> Any:
        return json.loads(self.text)


class FakeSlack:
    """Slack's Web API, response URLs, file uploads and Socket Mode on 127.0.0.1 (an async context manager)."""

    def __init__(self, *, bot_user_id: str = BOT_USER_ID, bot_id: str = BOT_ID, team_id: str = TEAM_ID) -> None:
        self.bot_user_id, self.bot_id, self.team_id = bot_user_id, bot_id, team_id
        self.calls: list[SlackCall] = []
        self.uploads: dict[str, bytes] = {}  # file id -> bytes POSTed to its upload URL
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) -> message, as chat.update sees it
        self.users: dict[str, dict[str, Any]] = {}  # overrides for users.info
        self.channels: dict[str, dict[str, Any]] = {}  # overrides for conversations.info
        self.usergroups: dict[str, list[str]] = {}  # user group id -> member ids, for usergroups.users.list
        self.file_chunks: dict[str, int] = {}  # file id -> serve it in chunks of this many bytes, flushed one by one
        self.envelopes_sent: list[dict[str, Any]] = []
        self.base_url = ""
        self._faults: dict[str, deque[_Fault]] = defaultdict(deque)
        self._pending_files: dict[str, dict[str, Any]] = {}
        self._reactions: set[tuple[str, str, str]] = set()
        self._ts_base = int(time.time())
        self._ts_counter = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._changed: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.update": self._update,
            "reactions.add": self._reactions_add,
            "users.info": self._users_info,
            "conversations.info": self._conversations_info,
            "conversations.replies": self._conversations_replies,
            "usergroups.users.list": self._usergroup_members,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "apps.connections.open": self._connections_open,
        }

    # ---- lifecycle -------------------------------------------------------------------------------------------

    async def __aenter__(self) -> FakeSlack:
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files-pri/{file_id}/{name}", self._download)
        app.router.add_post("/response_url/{key}", self._response_url)
        app.router.add_get("/socket-mode", self._socket)
        app.on_shutdown.append(self._close_sockets)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def response_url(self, key: int | str = 1) -> str:
        """A URL whose POSTs are recorded as "response_url" calls with ``target == str(key)``."""
        return f"{self.base_url}/response_url/{key}"

    # ---- what the test asks ----------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[SlackCall]:
        return [call for call in self.calls if call.method == method]

    def fail_next(
        self,
        method: str,
        status: int = 500,
        headers: Mapping[str, str] | None = None,
        body: dict[str, Any] | str | bytes | None = None,
        *,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with ``status`` (recorded with that status).

        A 429 gets ``Retry-After: 1`` unless ``headers`` say otherwise; the body defaults to Slack's JSON error.
        """
        headers = dict(headers or {})
        if status == 429:
            headers.setdefault("Retry-After", "1")
        if body is None:
            body = {"ok": False, "error": "ratelimited" if status == 429 else "fatal_error"}
        for _ in range(times):
            self._faults[method].append(_Fault(status, headers, body))

    async def wait_for(
        self,
        method: str,
        predicate: Callable[[SlackCall], bool] | None = None,
        timeout: float = 5,  # noqa: ASYNC109 - a test's deadline reads best as an argument
    ) -> SlackCall:
        """The first call to ``method`` (matching ``predicate``), waiting for it if it has not come yet."""

        def first_match() -> SlackCall | None:
            return next((c for c in self.calls_to(method) if predicate is None or predicate(c)), None)

        assert self._changed is not None, "FakeSlack is not running"
        try:
            async with asyncio.timeout(timeout), self._changed:
                return await self._changed.wait_for(first_match)
        except TimeoutError:
            seen = [c.method for c in self.calls]
            raise AssertionError(f"no matching {method} call within {timeout}s; calls so far: {seen}") from None

    async def wait_for_any(self, methods: tuple[str, ...], *, since: int = 0,
                           timeout: float = 5) -> SlackCall:  # noqa: ASYNC109
        """The first call to any of ``methods`` among the calls from index ``since`` (``len(fake.calls)`` before
        the request whose reply is awaited)."""

        def first_match() -> SlackCall | None:
            return next((c for c in self.calls[since:] if c.method in methods), None)

        assert self._changed is not None, "FakeSlack is not running"
        try:
            async with asyncio.timeout(timeout), self._changed:
                return await self._changed.wait_for(first_match)
        except TimeoutError:
            seen = [c.method for c in self.calls[since:]]
            raise AssertionError(f"no call to {methods} within {timeout}s; calls since: {seen}") from None

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5) -> dict[str, Any]:  # noqa: ASYNC109
        """The Socket Mode ack for ``envelope_id``: ``{"envelope_id": ...}`` plus ``"payload"`` if the app sent one."""
        call = await self.wait_for("socket_ack", lambda c: c.target == envelope_id, timeout)
        return call.args

    # ---- Socket Mode -----------------------------------------------------------------------------------------

    async def socket_send(
        self,
        envelope_type: str,
        payload: dict[str, Any],
        accepts_response_payload: bool = False,
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 5,  # noqa: ASYNC109
    ) -> str:
        """Send an envelope ("events_api", "slash_commands", "interactive") on the newest socket; its envelope id.

        Waits for the app to connect. As Slack does, only events_api envelopes carry retry_attempt/retry_reason.
        """
        envelope_id = str(uuid.uuid4())
        envelope: dict[str, Any] = {
            "envelope_id": envelope_id,
            "type": envelope_type,
            "payload": payload,
            "accepts_response_payload": accepts_response_payload,
        }
        if envelope_type == "events_api":
            envelope.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        ws = await self._open_socket(timeout)
        self.envelopes_sent.append(envelope)
        await ws.send_json(envelope)
        return envelope_id

    async def socket_disconnect(self, reason: str = "refresh_requested", timeout: float = 5) -> None:  # noqa: ASYNC109
        """Ask the app to reconnect, as Slack does every few hours: it calls apps.connections.open again."""
        ws = await self._open_socket(timeout)
        await ws.send_json({"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-fake"}})

    async def _open_socket(self, timeout: float) -> web.WebSocketResponse:  # noqa: ASYNC109
        assert self._changed is not None, "FakeSlack is not running"

        def newest() -> web.WebSocketResponse | None:
            return next((ws for ws in reversed(self._sockets) if not ws.closed), None)

        try:
            async with asyncio.timeout(timeout), self._changed:
                return await self._changed.wait_for(newest)
        except TimeoutError:
            raise AssertionError(f"no Socket Mode connection within {timeout}s") from None

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.send_json(
            {
                "type": "hello",
                "num_connections": sum(not s.closed for s in self._sockets) + 1,
                "debug_info": {"host": "applink-fake", "build_number": 1, "approximate_connection_time": 18060},
                "connection_info": {"app_id": APP_ID},
            }
        )
        await self._notify(lambda: self._sockets.append(ws))
        headers = _headers(request)
        try:
            async for message in ws:
                if message.type != WSMsgType.TEXT:
                    continue
                data = json.loads(message.data)
                envelope_id = data.get("envelope_id", "") if isinstance(data, dict) else ""
                await self._record(SlackCall("socket_ack", data, headers, target=envelope_id))
        finally:
            await self._notify(lambda: self._sockets.remove(ws))
        return ws

    async def _close_sockets(self, _app: web.Application) -> None:
        for ws in list(self._sockets):
            await ws.close(code=aiohttp.WSCloseCode.GOING_AWAY, message=b"server shutdown")

    # ---- HTTP handlers ---------------------------------------------------------------------------------------

    async def _notify(self, change: Callable[[], object]) -> None:
        assert self._changed is not None
        async with self._changed:
            change()
            self._changed.notify_all()

    async def _record(self, call: SlackCall) -> None:
        await self._notify(lambda: self.calls.append(call))

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        return queue.popleft() if queue else None

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        fault = self._take_fault(method)
        call = SlackCall(method, args, _headers(request), status=fault.status if fault else 200)
        await self._record(call)
        if fault is not None:
            return fault.response()
        handler = self._methods.get(method)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        token = call.token or ""
        wants_app_token = method == "apps.connections.open"
        if not token:
            return web.json_response({"ok": False, "error": "not_authed"})
        if token.startswith("xapp-") != wants_app_token:
            return web.json_response({"ok": False, "error": "not_allowed_token_type"})
        return web.json_response(handler(args))

    async def _response_url(self, request: web.Request) -> web.Response:
        fault = self._take_fault("response_url")
        body = await request.read()
        args = json.loads(body) if body else {}
        key = request.match_info["key"]
        await self._record(SlackCall("response_url", args, _headers(request), fault.status if fault else 200, key))
        return fault.response() if fault else web.Response(text="ok", content_type="text/plain")

    def shared_file(self, name: str, data: bytes, *, size: int | None = None,
                    chunk_bytes: int | None = None) -> dict[str, Any]:
        """A file a user shared (as in a file_share message event); its private URL needs the bot token.

        ``size`` is what the event declares (default: the real size); with ``chunk_bytes`` the download is
        streamed in chunks of that size, each flushed on its own, with no Content-Length."""
        file_id = f"F{next(_ids):08d}"
        self.uploads[file_id] = data
        if chunk_bytes:
            self.file_chunks[file_id] = chunk_bytes
        url = f"{self.base_url}/files-pri/{file_id}/{quote(name, safe='')}"
        return {"id": file_id, "name": name, "size": len(data) if size is None else size, "mimetype": "text/yaml",
                "filetype": "yaml", "url_private": url, "url_private_download": url}

    async def _download(self, request: web.Request) -> web.StreamResponse:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        file_id = request.match_info["file_id"]
        await self._record(SlackCall("file_download", {}, dict(request.headers), 200, file_id))
        if not token.startswith("xoxb-"):
            return web.Response(status=403, text="not authed", content_type="text/plain")
        data = self.uploads.get(file_id)
        if data is None:
            return web.Response(status=404, text="file not found", content_type="text/plain")
        chunk = self.file_chunks.get(file_id)
        if not chunk:
            return web.Response(body=data, content_type="application/octet-stream")
        response = web.StreamResponse(headers={"Content-Type": "application/octet-stream"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(data), chunk):
            await response.write(data[start:start + chunk])
            await asyncio.sleep(0.001)  # each chunk reaches the client on its own
        await response.write_eof()
        return response

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        data = await request.read()
        if file_id not in self._pending_files:
            return web.Response(status=404, text="unknown upload URL", content_type="text/plain")
        self.uploads[file_id] = data
        await self._record(SlackCall("file_upload", {"length": len(data)}, _headers(request), target=file_id))
        return web.Response(text=f"OK - {len(data)}", content_type="text/plain")

    # ---- Web API methods -------------------------------------------------------------------------------------

    def _next_ts(self) -> str:
        n = next(self._ts_counter)
        return f"{self._ts_base + n // 1_000_000}.{n % 1_000_000:06d}"

    def _auth_test(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "Fake Team",
            "user": "citebot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _bot_message(self, args: dict[str, Any], ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": APP_ID,
            "team": self.team_id,
            "text": args.get("text", ""),
            "ts": ts,
        }
        for key in ("blocks", "attachments", "thread_ts", "metadata"):
            if args.get(key):
                message[key] = args[key]
        return message

    def _post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = args.get("channel")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if not any(args.get(key) for key in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        ts = self._next_ts()
        message = self._bot_message(args, ts)
        self.messages[(channel, ts)] = message
        return {"ok": True, "channel": channel, "ts": ts, "message": message}

    def _conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        """The bot's messages in a thread, oldest first (bolt reads them in DM "assistant" threads)."""
        channel, thread = args.get("channel"), args.get("ts")
        if not channel or not thread:
            return {"ok": False, "error": "thread_not_found"}
        found = [m for (c, ts), m in self.messages.items()
                 if c == channel and (ts == thread or m.get("thread_ts") == thread)]
        return {"ok": True, "messages": sorted(found, key=lambda m: m["ts"]), "has_more": False}

    def _post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not args.get("user"):
            return {"ok": False, "error": "user_not_in_channel"}
        if not any(args.get(key) for key in ("text", "blocks", "attachments")):
            return {"ok": False, "error": "no_text"}
        return {"ok": True, "message_ts": self._next_ts()}

    def _update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel, ts = args.get("channel", ""), args.get("ts", "")
        message = self.messages.get((channel, ts))
        if message is None:
            return {"ok": False, "error": "message_not_found"}
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = args[key]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {"ok": True, "channel": channel, "ts": ts, "text": message["text"], "message": message}

    def _reactions_add(self, args: dict[str, Any]) -> dict[str, Any]:
        key = (args.get("channel", ""), args.get("timestamp", ""), args.get("name", ""))
        if not all(key):
            return {"ok": False, "error": "invalid_arguments"}
        if key in self._reactions:
            return {"ok": False, "error": "already_reacted"}
        self._reactions.add(key)
        return {"ok": True}

    def _usergroup_members(self, args: dict[str, Any]) -> dict[str, Any]:
        group = args.get("usergroup", "")
        if group not in self.usergroups:
            return {"ok": False, "error": "no_such_subteam"}
        return {"ok": True, "users": list(self.usergroups[group])}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = args.get("user")
        if not user_id:
            return {"ok": False, "error": "user_not_found"}
        name = user_id.lower()
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": f"User {user_id}",
            "deleted": False,
            "is_bot": user_id == self.bot_user_id,
            "tz": "Europe/London",
            "tz_offset": 0,
            "profile": {"display_name": name, "real_name": f"User {user_id}"},
        }
        return {"ok": True, "user": {**user, **self.users.get(user_id, {})}}

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        channel_id = args.get("channel")
        if not channel_id:
            return {"ok": False, "error": "channel_not_found"}
        is_im = channel_id.startswith("D")
        channel: dict[str, Any] = {
            "id": channel_id,
            "name": "" if is_im else _channel_name(channel_id),
            "is_channel": channel_id.startswith("C"),
            "is_group": False,
            "is_im": is_im,
            "is_private": not channel_id.startswith("C"),
            "is_member": True,
            "is_archived": False,
            "created": self._ts_base,
        }
        if is_im:
            channel["user"] = "U1"
        return {"ok": True, "channel": {**channel, **self.channels.get(channel_id, {})}}

    def _get_upload_url(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("filename") or not str(args.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(_ids):08d}"
        self._pending_files[file_id] = {"name": args["filename"], "length": int(args["length"])}
        return {"ok": True, "upload_url": f"{self.base_url}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        files = args.get("files")
        if not isinstance(files, list) or not files:
            return {"ok": False, "error": "invalid_arguments"}
        if any(f.get("id") not in self.uploads for f in files):
            return {"ok": False, "error": "file_not_found"}
        channels = [args["channel_id"]] if args.get("channel_id") else []
        completed = []
        for f in files:
            pending = self._pending_files[f["id"]]
            completed.append(
                {
                    "id": f["id"],
                    "created": self._ts_base,
                    "name": pending["name"],
                    "title": f.get("title") or pending["name"],
                    "size": len(self.uploads[f["id"]]),
                    "user": self.bot_user_id,
                    "channels": channels,
                    "url_private": f"{self.base_url}/files/{f['id']}",
                    "permalink": f"https://{TEAM_DOMAIN}.slack.com/files/{self.bot_user_id}/{f['id']}",
                }
            )
        return {"ok": True, "files": completed}

    def _connections_open(self, _args: dict[str, Any]) -> dict[str, Any]:
        ws_base = self.base_url.replace("http://", "ws://", 1)
        return {"ok": True, "url": f"{ws_base}/socket-mode?ticket={uuid.uuid4()}&app_id={APP_ID}"}


def _headers(request: web.Request) -> Mapping[str, str]:
    return CIMultiDictProxy(CIMultiDict(request.headers))


async def _read_args(request: web.Request) -> dict[str, Any]:
    """Query string, JSON body or form body, as Slack accepts them all; JSON-string arguments decoded."""
    args: dict[str, Any] = dict(request.query)
    if request.body_exists:
        if request.content_type == JSON:
            args.update(await request.json())
        elif request.content_type in (FORM, "multipart/form-data"):
            form = await request.post()
            args.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key in _JSON_STRING_ARGS:
        value = args.get(key)
        if isinstance(value, str) and value[:1] in ("[", "{"):
            args[key] = json.loads(value)
    return args


def _channel_name(channel_id: str) -> str:
    return "directmessage" if channel_id.startswith("D") else "general"


# ---- signing and posting ---------------------------------------------------------------------------------------


def sign(secret: str, body: bytes, timestamp: int) -> dict[str, str]:
    """Slack's request signature: ``v0=`` + HMAC-SHA256(secret, ``v0:{timestamp}:{body}``), hex."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    digest = hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Signature": f"v0={digest}", "X-Slack-Request-Timestamp": str(timestamp)}


async def post_signed(
    session: aiohttp.ClientSession,
    url: str,
    body: bytes,
    content_type: str,
    secret: str,
    *,
    timestamp: int | None = None,
    retry_num: int | None = None,
    retry_reason: str | None = None,
) -> HttpReply:
    """POST ``body`` to the app as Slack would, signed with ``secret`` at ``timestamp`` (default: now)."""
    headers = {
        "Content-Type": content_type,
        "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
        **sign(secret, body, int(time.time()) if timestamp is None else timestamp),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
    if retry_reason is not None:
        headers["X-Slack-Retry-Reason"] = retry_reason
    async with session.post(url, data=body, headers=headers) as response:
        return HttpReply(response.status, response.content_type, await response.text())


def json_body(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload).encode()


# ---- payload builders --------------------------------------------------------------------------------------------


def _new_ts() -> str:
    return f"{time.time():.6f}"


def _rich_text(text: str) -> list[dict[str, Any]]:
    """The rich_text block Slack adds to user messages: ``<@U…>`` mentions become user elements."""
    elements: list[dict[str, Any]] = []
    for part in re.split(r"(<@[A-Z0-9]+>)", text):
        if mention := re.fullmatch(r"<@([A-Z0-9]+)>", part):
            elements.append({"type": "user", "user_id": mention.group(1)})
        elif part:
            elements.append({"type": "text", "text": part})
    section = {"type": "rich_text_section", "elements": elements}
    return [{"type": "rich_text", "block_id": uuid.uuid4().hex[:5], "elements": [section]}]


def _user_message(text: str, user: str, channel: str, ts: str | None, thread_ts: str | None) -> dict[str, Any]:
    ts = ts or _new_ts()
    event: dict[str, Any] = {
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel": channel,
        "client_msg_id": str(uuid.uuid4()),
        "team": TEAM_ID,
        "blocks": _rich_text(text),
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def app_mention_event(
    text: str,
    *,
    user: str = "U1",
    channel: str = "C1",
    ts: str | None = None,
    thread_ts: str | None = None,
    bot_user_id: str = BOT_USER_ID,
) -> dict[str, Any]:
    """An ``app_mention`` event; ``<@UBOT>`` is put in front of ``text`` unless it already mentions the bot."""
    mention = f"<@{bot_user_id}>"
    if mention not in text:
        text = f"{mention} {text}"
    return {"type": "app_mention", **_user_message(text, user, channel, ts, thread_ts)}


def dm_message_event(
    text: str, *, user: str = "U1", channel: str = "D1", ts: str | None = None, thread_ts: str | None = None
) -> dict[str, Any]:
    """A ``message`` event in a direct message with the bot (``channel_type: "im"``)."""
    return {"type": "message", **_user_message(text, user, channel, ts, thread_ts), "channel_type": "im"}


def event_callback(
    event: dict[str, Any],
    *,
    event_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
    authorizations: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The Events API envelope Slack POSTs (HTTP) or puts in an events_api envelope's payload (Socket Mode)."""
    if authorizations is None:
        authorizations = [
            {
                "enterprise_id": None,
                "team_id": team_id,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ]
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "context_team_id": team_id,
        "context_enterprise_id": None,
        "api_app_id": api_app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or f"Ev{next(_ids):010d}",
        "event_time": int(float(event.get("event_ts", time.time()))),
        "authorizations": authorizations,
        "is_ext_shared_channel": False,
        "event_context": f"4-{uuid.uuid4().hex}",
    }


def slash_command_payload(
    command: str,
    text: str,
    *,
    user_id: str = "U1",
    channel_id: str = "C1",
    response_url: str,
    trigger_id: str | None = None,
    team_id: str = TEAM_ID,
    api_app_id: str = APP_ID,
) -> dict[str, str]:
    """A slash command's fields, in Slack's order (the payload of a Socket Mode slash_commands envelope)."""
    return {
        "token": VERIFICATION_TOKEN,
        "team_id": team_id,
        "team_domain": TEAM_DOMAIN,
        "channel_id": channel_id,
        "channel_name": _channel_name(channel_id),
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": command,
        "text": text,
        "api_app_id": api_app_id,
        "is_enterprise_install": "false",
        "response_url": response_url,
        "trigger_id": trigger_id or f"{next(_ids)}.{team_id}.{uuid.uuid4().hex}",
    }


def slash_command_form(
    command: str,
    text: str,
    *,
    user_id: str = "U1",
    channel_id: str = "C1",
    response_url: str,
    trigger_id: str | None = None,
) -> bytes:
    """A slash command as Slack POSTs it: an application/x-www-form-urlencoded body."""
    payload = slash_command_payload(
        command, text, user_id=user_id, channel_id=channel_id, response_url=response_url, trigger_id=trigger_id
    )
    return urlencode(payload).encode()


def block_action_payload(
    action_id: str,
    value: str,
    *,
    user_id: str = "U1",
    channel: str = "C1",
    message_ts: str,
    thread_ts: str | None = None,
    response_url: str,
    block_id: str = "actions",
    message_text: str = "",
    trigger_id: str | None = None,
) -> dict[str, Any]:
    """A block_actions payload for a button click on a bot message (the payload of an "interactive" envelope)."""
    button = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": value, "emoji": True},
        "value": value,
    }
    message: dict[str, Any] = {
        "type": "message",
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "team": TEAM_ID,
        "ts": message_ts,
        "text": message_text,
        "blocks": [{"type": "actions", "block_id": block_id, "elements": [button]}],
    }
    container: dict[str, Any] = {
        "type": "message",
        "message_ts": message_ts,
        "channel_id": channel,
        "is_ephemeral": False,
    }
    if thread_ts:
        message["thread_ts"] = container["thread_ts"] = thread_ts
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": VERIFICATION_TOKEN,
        "container": container,
        "trigger_id": trigger_id or f"{next(_ids)}.{TEAM_ID}.{uuid.uuid4().hex}",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": _channel_name(channel)},
        "message": message,
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [{**button, "block_id": block_id, "action_ts": _new_ts()}],
    }


def block_action_form(
    action_id: str,
    value: str,
    *,
    user_id: str = "U1",
    channel: str = "C1",
    message_ts: str,
    thread_ts: str | None = None,
    response_url: str,
) -> bytes:
    """A block_actions request as Slack POSTs it: ``payload=<JSON>``, form-encoded."""
    payload = block_action_payload(
        action_id,
        value,
        user_id=user_id,
        channel=channel,
        message_ts=message_ts,
        thread_ts=thread_ts,
        response_url=response_url,
    )
    return urlencode({"payload": json.dumps(payload)}).encode()
