"""`citebot discord [sync]`, `citebot slack`, `citebot serve`: the long-running entry points.

Each also serves /healthz, /readyz, /metrics and /api/ask: on Slack's HTTP port in Slack's HTTP
mode, on http_port otherwise. Platform SDKs are imported only here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import Awaitable

from bot import failed_reloads
from bot.bootstrap import build_app, settle_heap
from bot.cli.ports import ensure_free
from bot.knowledge.loader import KnowledgeInvalid
from bot.service import Citebot
from bot.settings import Settings

log = logging.getLogger(__name__)

HTTP_PORT_SETTING = "the http_port setting (CITEBOT_HTTP_PORT)"


async def discord(settings: Settings, command: str | None, guild: int | None) -> int:
    from bot.adapters.discord import discord_token, run_discord, sync_commands

    token = discord_token()  # before any work: a missing token is one clear line
    if command != "sync":
        await ensure_free(settings.http_host, settings.http_port, HTTP_PORT_SETTING)
    app = await start_app(settings, "discord")
    settle_heap()
    try:
        if command == "sync":
            names = await sync_commands(app, token, guild)
            where = f"in server {guild}" if guild else "globally (may take up to an hour to show)"
            print(f"synced {len(names)} commands {where}: {', '.join('/' + n for n in names)}")
            return 0
        log.info("starting the Discord bot (knowledge version %s)", app.version)
        app.live.start()  # watch knowledge/, follow versions synced by other processes
        runner = await _http_side(app, settings)
        try:
            await until_stopped(app, run_discord(app, token, message_content=settings.discord_message_content,
                                                 shard_count=settings.discord_shard_count,
                                                 shard_ids=settings.discord_shard_ids))
        finally:
            await runner.cleanup()
    finally:
        await app.close()
    return 0


async def slack(settings: Settings, mode: str, port: int) -> int:
    from bot.adapters.slack import build_slack_app, run_http, run_socket_mode, slack_credentials

    if mode == "auto":
        mode = "socket" if os.environ.get("SLACK_APP_TOKEN") else "http"
    credentials = slack_credentials(mode)  # before any work: missing settings are one clear line
    if mode == "socket":
        await ensure_free(settings.http_host, settings.http_port, HTTP_PORT_SETTING)
    else:
        await ensure_free(settings.slack_host, port, "--port or the slack_port setting")
    app = await start_app(settings, "slack")
    settle_heap()
    try:
        bolt = build_slack_app(app, credentials)
        app.live.start()
        if mode == "socket":
            assert credentials.app_token is not None
            runner = await _http_side(app, settings)
            try:
                await until_stopped(app, run_socket_mode(bolt, credentials.app_token))
            finally:
                await runner.cleanup()
        else:
            from bot.adapters.http import add_routes
            from bot.adapters.slack import http_app

            application = add_routes(http_app(bolt, app), app, _api_token(settings))
            await until_stopped(app, run_http(application, settings.slack_host, port))
    finally:
        await app.close()
    return 0


def _api_token(settings: Settings) -> str | None:
    return settings.api_token.get_secret_value() if settings.api_token else None


async def _http_side(app: Citebot, settings: Settings):  # type: ignore[no-untyped-def]
    from aiohttp import web

    from bot.adapters.http import add_routes, serve

    return await serve(add_routes(web.Application(), app, _api_token(settings)), settings.http_host,
                       settings.http_port)


async def serve_http(settings: Settings) -> int:
    """`citebot serve`: only the HTTP side (health, metrics, the JSON API), e.g. for other integrations."""
    await ensure_free(settings.http_host, settings.http_port, "--port or the http_port setting")
    app = await start_app(settings, "http")
    settle_heap()
    try:
        app.live.start()
        runner = await _http_side(app, settings)
        try:
            await until_stopped(app, asyncio.Event().wait())
        finally:
            await runner.cleanup()
    finally:
        await app.close()
    return 0


async def start_app(settings: Settings, platform: str) -> Citebot:
    """Build the bot; knowledge that does not validate is kept as a failed reload at start-up, and the bot
    serves the store's last good version (with none, it is refused). A version synced at start-up is by
    "start-up (PLATFORM)": whoever edited the files is not known."""
    started = f"{failed_reloads.START_UP} ({platform})"
    try:
        return await build_app(settings, author=started, failure_trigger=started)
    except KnowledgeInvalid as err:
        await failed_reloads.keep_in(settings, failed_reloads.failure_of(started, None, err.problems))
        raise


async def until_stopped(app: Citebot, work: Awaitable[None]) -> None:
    """Run ``work`` until it ends or SIGTERM / SIGINT arrives; then stop taking questions, let the answers
    in flight finish and their questions be logged (``app.close`` follows in the caller)."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    running = asyncio.ensure_future(work)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopping.cancel()
        if not running.done():
            log.info("stopping: finishing the answers in flight")
            running.cancel()
            await asyncio.gather(running, return_exceptions=True)
        waited = await app.drain()
        log.info("stopped after %s answer(s) in flight", waited)
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)
    if running.done() and not running.cancelled() and running.exception() is not None:
        raise running.exception()  # type: ignore[misc]
