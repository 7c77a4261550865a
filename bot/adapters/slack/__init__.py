"""The Slack adapter (slack-bolt AsyncApp) in HTTP mode or Socket Mode: `citebot slack`.

Only this package imports slack-bolt; the core knows nothing of Slack.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
    async_default_handlers,
)
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapters.slack.listeners import register
from bot.errors import ConfigError
from bot.service import Citebot

log = logging.getLogger(__name__)

__all__ = ["SlackCredentials", "build_slack_app", "run_http", "run_socket_mode", "slack_credentials"]


@dataclass(frozen=True)
class SlackCredentials:
    bot_token: str
    signing_secret: str | None  # HTTP mode
    app_token: str | None  # Socket Mode

    def __repr__(self) -> str:  # never print secrets
        return "SlackCredentials(***)"


def slack_credentials(mode: str) -> SlackCredentials:
    """Read and check the environment for ``mode`` ("http" or "socket"); one clear line when something is off."""
    bot_token = os.environ.get("SLACK_BOT_TOKEN", "").strip()
    secret = os.environ.get("SLACK_SIGNING_SECRET", "").strip() or None
    app_token = os.environ.get("SLACK_APP_TOKEN", "").strip() or None
    if not bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set (the app's Bot User OAuth Token, xoxb-…)")
    if not bot_token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN does not look like a bot token (it should start with xoxb-)")
    if mode == "http" and not secret:
        raise ConfigError("SLACK_SIGNING_SECRET is not set (Basic Information → Signing Secret); "
                          "or use Socket Mode with SLACK_APP_TOKEN")
    if mode == "socket":
        if not app_token:
            raise ConfigError("SLACK_APP_TOKEN is not set (an app-level token with connections:write, xapp-…)")
        if not app_token.startswith("xapp-"):
            raise ConfigError("SLACK_APP_TOKEN does not look like an app-level token (it should start with xapp-)")
    return SlackCredentials(bot_token, secret, app_token)


def build_slack_app(citebot: Citebot, credentials: SlackCredentials, *, base_url: str | None = None) -> AsyncApp:
    """The bolt app with our listeners; Web API calls retry 429s (after Retry-After) and 500/503s, twice.

    The Web API client keeps one HTTP session (keep-alive connections to Slack) for the app's life;
    without one, slack_sdk opens a session and a new TLS connection for every call. It is closed with
    the citebot service.
    """
    retries = [*async_default_handlers(), AsyncRateLimitErrorRetryHandler(max_retry_count=2),
               AsyncServerErrorRetryHandler(max_retry_count=2)]
    options = {"base_url": base_url} if base_url else {}
    session = aiohttp.ClientSession()
    citebot.on_close(session.close)
    client = AsyncWebClient(token=credentials.bot_token, retry_handlers=retries, session=session, **options)
    app = AsyncApp(client=client, signing_secret=credentials.signing_secret or "unused-in-socket-mode",
                   request_verification_enabled=credentials.signing_secret is not None)
    seen = None
    if citebot.settings.redis_url:  # replicas share which events were answered
        from bot.shared_state import RedisSeenEvents, SharedRedis, connect

        if citebot.shared is None:  # a Citebot not built by bootstrap
            citebot.shared = SharedRedis(connect(citebot.settings.redis_url))
        seen = RedisSeenEvents(citebot.shared)
    register(app, citebot, seen=seen)
    return app


def http_app(app: AsyncApp, citebot: Citebot | None = None) -> web.Application:
    """An aiohttp application: bolt at /slack/events (events, commands, interactivity).

    With ``citebot``, requests being acknowledged go before answers being composed (see
    ``Citebot.acknowledging``): under a burst Slack gets its acks in time and answers queue.
    """
    application = app.web_app(path="/slack/events")
    application.middlewares.append(well_formed)
    if citebot is not None:
        @web.middleware
        async def acks_first(request: web.Request, handler: Any) -> web.StreamResponse:
            with citebot.acknowledging():
                return await handler(request)

        application.middlewares.append(acks_first)
    return application


_TIMESTAMP = re.compile(r"[0-9]{1,12}")


@web.middleware
async def well_formed(request: web.Request, handler: Any) -> web.StreamResponse:
    """Requests to /slack/events that slack-bolt would fail on with a 500 are refused first: a timestamp header
    that is not a number (401, as for a bad signature), a body that is not UTF-8 (400)."""
    if request.path == "/slack/events" and request.method == "POST":
        timestamp = request.headers.get("X-Slack-Request-Timestamp")
        if timestamp is not None and not _TIMESTAMP.fullmatch(timestamp):
            return web.json_response({"error": "invalid request"}, status=401)
        try:
            (await request.read()).decode("utf-8")
        except UnicodeDecodeError:
            return web.json_response({"error": "the body is not UTF-8"}, status=400)
    return await handler(request)


async def run_http(application: web.Application, host: str, port: int) -> None:
    runner = web.AppRunner(application, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("Slack HTTP mode listening on http://%s:%s/slack/events", host, port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()


async def run_socket_mode(app: AsyncApp, app_token: str) -> None:
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    handler = AsyncSocketModeHandler(app, app_token=app_token)
    await handler.connect_async()
    log.info("Slack Socket Mode connected")
    try:
        await asyncio.Event().wait()
    finally:
        await handler.close_async()
