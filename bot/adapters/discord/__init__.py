"""The Discord adapter: `citebot discord` runs it, `citebot discord sync` registers its slash commands.

Only this package imports discord.py; the core knows nothing of Discord.
"""

from __future__ import annotations

import logging
import os

import discord

from bot.adapters.discord.client import CitebotDiscord
from bot.errors import ConfigError
from bot.service import Citebot

log = logging.getLogger(__name__)

__all__ = ["CitebotDiscord", "discord_token", "run_discord", "sync_commands"]

TOKEN_HELP = ("DISCORD_TOKEN is not set: create a bot in the Discord developer portal "
              "(see README, 'Discord') and export its token as DISCORD_TOKEN")


def discord_token() -> str:
    token = os.environ.get("DISCORD_TOKEN", "").strip()
    if not token:
        raise ConfigError(TOKEN_HELP)
    return token


async def run_discord(citebot: Citebot, token: str, *, message_content: bool = False,
                      shard_count: int | None = None, shard_ids: list[int] | None = None) -> None:
    """Connect to the gateway (the given shards of ``shard_count``, or all) and answer until stopped."""
    if shard_ids is not None and shard_count is None:
        raise ConfigError("CITEBOT_DISCORD_SHARD_IDS needs CITEBOT_DISCORD_SHARD_COUNT")
    client = CitebotDiscord(citebot, message_content=message_content, shard_count=shard_count,
                            shard_ids=shard_ids)
    try:
        async with client:
            await client.start(token)
    except discord.LoginFailure:
        raise ConfigError("Discord refused DISCORD_TOKEN (login failed); check the bot token") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError("the Message Content intent is not enabled for this bot in the developer portal; "
                          "enable it or set CITEBOT_DISCORD_MESSAGE_CONTENT=false") from None


async def sync_commands(citebot: Citebot, token: str, guild_id: int | None = None) -> list[str]:
    """Register the slash commands (globally, or in one guild where they show at once); no gateway needed."""
    client = CitebotDiscord(citebot)
    try:
        async with client:
            await client.login(token)
            guild = discord.Object(id=guild_id) if guild_id else None
            if guild is not None:
                client.tree.copy_global_to(guild=guild)
            synced = await client.tree.sync(guild=guild)
    except discord.LoginFailure:
        raise ConfigError("Discord refused DISCORD_TOKEN (login failed); check the bot token") from None
    return [command.name for command in synced]
