"""`citebot discord [sync]`: the chat platforms' entry points (their SDKs are imported only here)."""

from __future__ import annotations

import logging
import os

from bot.bootstrap import build_app
from bot.settings import Settings

log = logging.getLogger(__name__)


async def discord(settings: Settings, command: str | None, guild: int | None) -> int:
    from bot.adapters.discord import discord_token, run_discord, sync_commands

    token = discord_token()  # before any work: a missing token is one clear line
    logging.getLogger().setLevel(settings.log_level)
    app = await build_app(settings, author="discord")
    try:
        if command == "sync":
            names = await sync_commands(app, token, guild)
            where = f"in server {guild}" if guild else "globally (may take up to an hour to show)"
            print(f"synced {len(names)} commands {where}: {', '.join('/' + n for n in names)}")
            return 0
        log.warning("starting the Discord bot (knowledge version %s)", app.version)
        app.live.start()  # watch knowledge/, follow versions synced by other processes
        await run_discord(app, token, message_content=settings.discord_message_content)
    finally:
        await app.close()
    return 0


async def slack(settings: Settings, mode: str, port: int) -> int:
    from bot.adapters.slack import build_slack_app, run_http, run_socket_mode, slack_credentials

    if mode == "auto":
        mode = "socket" if os.environ.get("SLACK_APP_TOKEN") else "http"
    credentials = slack_credentials(mode)  # before any work: missing settings are one clear line
    logging.getLogger().setLevel(settings.log_level)
    app = await build_app(settings, author="slack")
    try:
        bolt = build_slack_app(app, credentials)
        app.live.start()
        if mode == "socket":
            assert credentials.app_token is not None
            await run_socket_mode(bolt, credentials.app_token)
        else:
            await run_http(bolt, settings.slack_host, port)
    finally:
        await app.close()
    return 0
