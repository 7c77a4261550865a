"""The HTTP side: /healthz, /readyz, /metrics, and /api/ask (the JSON contract, behind a bearer token).

Served alongside Slack's HTTP mode (the same aiohttp application) or on its own port.
"""

from __future__ import annotations

import asyncio
import json
import logging

from aiohttp import web

from bot.adapters.http.api import ask
from bot.adapters.http.keys import CITEBOT_KEY, TOKEN_KEY
from bot.service import Citebot

log = logging.getLogger(__name__)

READY_TIMEOUT = 2.0


def _json(data: object, status: int = 200) -> web.Response:
    return web.Response(text=json.dumps(data, ensure_ascii=False), status=status, content_type="application/json")


async def healthz(request: web.Request) -> web.Response:
    return _json({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    """Ready when the knowledge is loaded: questions are answered from memory.

    An unreachable store does not take the bot out of rotation (every replica shares the store, so
    that would stop all answers); it is reported as ``"degraded"``, with the writes being buffered.
    Anyone may read this page: it names the kind of each failure only, never an error's text (which
    can quote another user's question or a password); the log has the full error.
    """
    citebot = request.app[CITEBOT_KEY]
    checks: dict[str, object] = {"knowledge": f"version {citebot.live.version_id} ({citebot.version})"}
    degraded = []
    if citebot.side is not None:
        try:
            await asyncio.wait_for(citebot.side.store.live_version(), timeout=READY_TIMEOUT)
            checks["store"] = "ok"
        except Exception as err:  # degraded: answers still come from memory, writes wait in the buffers
            log.info("readiness: the store is unreachable (%s: %s)", type(err).__name__, err)
            checks["store"] = "unreachable"
            degraded.append("store: unreachable")
        if citebot.side.degraded:
            degraded.append(citebot.side.degraded)
        checks["buffered_writes"] = citebot.side.recorder.backlog + citebot.side.votes.backlog
        checks["dropped_writes"] = citebot.side.dropped
    if citebot.shared is not None:  # Redis down: answers go on, with this process's memory and limits
        checks["redis"] = "ok" if await citebot.shared.check() else "unreachable"
        if citebot.shared.degraded:
            degraded.append(citebot.shared.degraded)
    embeddings = citebot.answerer.embeddings
    if embeddings is not None:  # no encoder: answers from the lexical index alone
        checks["semantic"] = embeddings.state
        if embeddings.state == "unavailable":
            degraded.append("semantic: unavailable (answering from the lexical index alone)")
    checks["degraded"] = degraded
    return _json({"ready": True, **checks})  # a Citebot exists only with its knowledge loaded


async def metrics(request: web.Request) -> web.Response:
    body = request.app[CITEBOT_KEY].metrics.exposition()
    return web.Response(body=body, headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})


def add_routes(app: web.Application, citebot: Citebot, api_token: str | None) -> web.Application:
    """Mount the health, metrics and API routes on ``app`` (a new one, or Slack's)."""
    app[CITEBOT_KEY] = citebot
    app[TOKEN_KEY] = api_token or ""
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/metrics", metrics)
    app.router.add_post("/api/ask", ask)
    return app


async def serve(app: web.Application, host: str, port: int) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("HTTP (health, metrics, /api/ask) on http://%s:%s", host, port)
    return runner
