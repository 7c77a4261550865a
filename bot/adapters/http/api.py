"""POST /api/ask: the JSON contract for integrations, behind a bearer token; every bad request is refused with
a reason (4xx, never a traceback), and the caller's identity is its token, not anything it sends.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from functools import partial
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.adapters.http.keys import CITEBOT_KEY, TOKEN_KEY
from bot.core.types import Question

log = logging.getLogger(__name__)

BODY_MAX = 16 * 1024  # bytes: room for any question the length limit (question_max_chars) lets through
CONVERSATION_ID_MAX = 128
CONTRACT = 'send JSON: {"question": "...", "language"?: "en"|"zh", "conversation_id"?: "..."}'
_dumps = partial(json.dumps, ensure_ascii=False)


class AskRequest(BaseModel):
    """What a caller may send. Unknown fields are refused, so a misspelt field is an error rather than ignored,
    and a ``user_id`` is refused: who asks is the token's business (its rate limit, its conversations)."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True, frozen=True)

    question: str = Field(min_length=1, max_length=BODY_MAX)
    language: Literal["en", "zh"] | None = None
    conversation_id: str | None = Field(default=None, min_length=1, max_length=CONVERSATION_ID_MAX)


class Refused(Exception):
    def __init__(self, status: int, reason: str, **more: object) -> None:
        super().__init__(reason)
        self.status, self.reason, self.more = status, reason, more


def reply(data: object, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=_dumps)


def caller_id(token: str) -> str:
    """The rate-limit and conversation namespace of a token's holder: "api:" and a short hash of the token."""
    return "api:" + hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()[:16]


async def ask(request: web.Request) -> web.Response:
    token = request.app[TOKEN_KEY]
    try:
        _authorise(request.headers.get("Authorization", ""), token)
        body = await _read_json(request)
        asked = _validate(body)
    except Refused as refused:
        log.info("/api/ask refused (%d): %s", refused.status, refused.reason)
        response = reply({"error": refused.reason, **refused.more}, status=refused.status)
        if refused.status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="citebot"'
        return response
    caller = caller_id(token)
    answer = await request.app[CITEBOT_KEY].ask(Question(
        text=asked.question, language_hint=asked.language, user_id=caller, adapter="http",
        conversation_id=f"{caller}:{asked.conversation_id}" if asked.conversation_id else None,
    ))
    if answer.refusal == "too_long":
        return reply({"error": answer.text, **answer.to_json(asked.question)}, status=413)
    if answer.refusal == "rate_limited":
        response = reply(answer.to_json(asked.question), status=429)
        response.headers["Retry-After"] = str(int(answer.retry_after or 1))
        return response
    return reply(answer.to_json(asked.question))


def _authorise(header: str, token: str) -> None:
    """``Authorization: Bearer <token>``, compared in constant time (on bytes: a header need not be UTF-8)."""
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer" or not hmac.compare_digest(
            given.strip().encode("utf-8", "surrogateescape"), token.encode("utf-8", "surrogateescape")):
        raise Refused(401, "unauthorized: send the header 'Authorization: Bearer <token>'")


async def _read_json(request: web.Request) -> bytes:
    """The body, if it is JSON in UTF-8 and at most ``BODY_MAX`` bytes (read no further than that)."""
    if request.content_type != "application/json" or (request.charset or "utf-8").lower() not in ("utf-8", "utf8"):
        raise Refused(415, f"the body must be Content-Type: application/json in UTF-8; {CONTRACT}")
    too_big = Refused(413, f"the body is over {BODY_MAX} bytes")
    if request.content_length is not None and request.content_length > BODY_MAX:
        raise too_big
    body = bytearray()
    async for chunk in request.content.iter_any():
        body += chunk
        if len(body) > BODY_MAX:
            raise too_big
    return bytes(body)


def _validate(body: bytes) -> AskRequest:
    """The request, parsed and checked in one pass by pydantic (its parser bounds nesting and checks UTF-8)."""
    try:
        return AskRequest.model_validate_json(body)
    except ValidationError as err:
        problems = err.errors(include_url=False, include_input=False)
        if any(p["type"] == "json_invalid" for p in problems):
            raise Refused(400, f"{problems[0]['msg']}; {CONTRACT}") from None
        found = [{"field": ".".join(map(str, p["loc"])) or "(body)", "problem": p["msg"]} for p in problems]
        summary = "; ".join(f"{p['field']}: {p['problem']}" for p in found)
        raise Refused(422, f"invalid request: {summary}; {CONTRACT}", problems=found) from None
