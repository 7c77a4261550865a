"""A slash command or a button click is acted on once: a signed request sent again is acknowledged and ignored.

Slack never resends a command or a click (only events, which ``dedupe.py`` answers once by their event id), so
a second request with the same ``trigger_id`` is a replay: within the five minutes its signature stays valid,
anyone who saw it could post it again and have the answer (or a *Share in channel*) repeated. The trigger id is
unique to one invocation and signed with the body; seen ids are kept as event ids are (per process, or across
replicas through Redis).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from slack_bolt.middleware.async_middleware import AsyncMiddleware
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

log = logging.getLogger(__name__)


class Seen(Protocol):
    async def first_time(self, event_id: str) -> bool: ...


def install(app: Any, seen: Seen) -> None:
    """A global middleware: a command or an interaction whose trigger id was seen gets an empty 200, nothing else."""
    app.middleware(OncePerTrigger(seen))


class OncePerTrigger(AsyncMiddleware):
    """A class, so bolt calls it without building keyword arguments for it (see ``outgoing.DefuseOutgoing``)."""

    def __init__(self, seen: Seen) -> None:
        self._seen = seen

    async def async_process(self, *, req: AsyncBoltRequest, resp: BoltResponse,
                            next: Callable[[], Awaitable[BoltResponse]]) -> BoltResponse | None:
        body = req.body
        trigger = body.get("trigger_id") if isinstance(body, dict) else None
        if isinstance(trigger, str) and trigger and not await self._seen.first_time(f"trigger:{trigger}"):
            log.warning("ignored a replayed Slack request (trigger %s seen before)", trigger[:40])
            return BoltResponse(status=200, body="")
        return await next()
