"""The Discord client: intents, safe mentions, cogs, the translator and the persistent buttons."""

from __future__ import annotations

import logging
from collections import OrderedDict

import discord
from discord import app_commands
from discord.ext import commands

from bot.adapters.discord.items import FeedbackButton, SuggestionButton, language_of
from bot.adapters.discord.translations import ChineseTranslator
from bot.adapters.texts import labels
from bot.service import Citebot

log = logging.getLogger(__name__)

# Answers never ping anyone through their text; a reply may notify the person it answers.
SAFE_MENTIONS = discord.AllowedMentions(everyone=False, users=False, roles=False, replied_user=True)


class ReplyChains:
    """Which conversation a bot message belongs to, so a reply to it continues that conversation."""

    def __init__(self, size: int = 20_000) -> None:
        self._by_message: OrderedDict[int, str] = OrderedDict()
        self._size = size

    def remember(self, message_id: int, conversation_id: str) -> None:
        self._by_message[message_id] = conversation_id
        while len(self._by_message) > self._size:
            self._by_message.popitem(last=False)

    def conversation_of(self, message_id: int) -> str | None:
        return self._by_message.get(message_id)


class CitebotDiscord(commands.AutoShardedBot):
    def __init__(self, citebot: Citebot, *, message_content: bool = False, **options: object) -> None:
        intents = discord.Intents.default()
        intents.message_content = message_content  # privileged: mentions and DMs work without it
        super().__init__(command_prefix=commands.when_mentioned, intents=intents, allowed_mentions=SAFE_MENTIONS,
                         help_command=None, **options)  # type: ignore[arg-type]
        self.citebot = citebot
        self.chains = ReplyChains()
        self.tree.on_error = self.on_app_command_error  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        from bot.adapters.discord.admin_cog import AdminCog
        from bot.adapters.discord.ask_cog import AskCog
        from bot.adapters.discord.browse_cog import BrowseCog

        await self.tree.set_translator(ChineseTranslator())
        self.add_dynamic_items(FeedbackButton, SuggestionButton)
        await self.add_cog(AskCog(self))
        await self.add_cog(BrowseCog(self))
        await self.add_cog(AdminCog(self))

    async def on_message(self, message: discord.Message) -> None:
        """Questions are handled by AskCog's listener; there are no prefix commands to process."""

    async def answer_interaction(self, interaction: discord.Interaction, text: str, *, private: bool) -> None:
        cog = self.get_cog("AskCog")
        await cog.answer_interaction(interaction, text, private=private)  # type: ignore[union-attr]

    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        log.error("error in /%s", interaction.command.name if interaction.command else "?", exc_info=error)
        await apologize(interaction)


async def apologize(interaction: discord.Interaction) -> None:
    """Tell the user something went wrong, whether or not the interaction was answered or deferred yet."""
    message = labels(language_of(interaction))["apology"]
    try:
        if interaction.response.is_done():
            await interaction.followup.send(message, ephemeral=True)
        else:
            await interaction.response.send_message(message, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not send the apology", exc_info=True)
