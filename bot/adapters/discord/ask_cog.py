"""Questions: /ask, mentions, DMs, and replies to the bot's answers (which keep the conversation)."""

from __future__ import annotations

import logging
import re
import time
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.adapters.discord import render
from bot.adapters.discord.admin_cog import has_admin_role, is_admin
from bot.adapters.discord.client import SAFE_MENTIONS
from bot.adapters.discord.items import answer_view, language_of
from bot.adapters.texts import labels, language_of_text
from bot.core.types import Answer, Question

if TYPE_CHECKING:
    from bot.adapters.discord.client import CitebotDiscord

log = logging.getLogger(__name__)
QUESTION_MAX = 6000  # Discord's own limit for an option; the configured question_max_chars refuses with a message


class AskCog(commands.Cog, name="AskCog"):
    def __init__(self, bot: CitebotDiscord) -> None:
        self.bot = bot
        self._told: dict[int, float] = {}  # user id -> until when they have been told to slow down

    @app_commands.command(name=_("ask"), description=_("Ask about the 2024 breakup of OpenAI's superalignment team"))
    @app_commands.rename(question=_("question"), private=_("private"))
    @app_commands.describe(question=_("Your question, in English or Chinese"),
                           private=_("Show the answer to you only"))
    async def ask(self, interaction: discord.Interaction, question: app_commands.Range[str, 1, QUESTION_MAX],
                  private: bool = False) -> None:
        await interaction.response.defer(ephemeral=private, thinking=True)  # Discord's 3-second window
        await self.answer_interaction(interaction, question, private=private)

    async def answer_interaction(self, interaction: discord.Interaction, text: str, *, private: bool) -> None:
        """Answer after ``defer``: follow-up messages carry the answer, its citations and its buttons."""
        channel = interaction.channel_id or 0
        admin = is_admin(interaction, set(self.bot.citebot.settings.discord_admin_role_ids))
        answer = await self.bot.citebot.ask(Question(
            text=text, language_hint=language_of(interaction), adapter="discord",
            conversation_id=f"discord:{channel}:{interaction.user.id}", user_id=f"discord:{interaction.user.id}",
            channel_id=f"discord:{channel}", exempt=admin,
        ))
        messages = render.answer_messages(answer, self.bot.citebot.version)
        for n, embeds in enumerate(messages):
            last = n == len(messages) - 1
            view = answer_view(answer.answer_id, answer.suggestions, answer.answered) if last else discord.utils.MISSING
            await interaction.followup.send(embeds=embeds, view=view, ephemeral=private,
                                            allowed_mentions=SAFE_MENTIONS)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot or self.bot.user is None:
            return
        conversation = self._conversation_for(message)
        if conversation is None:
            return
        text = _strip_mentions(message.content, self.bot.user.id)
        if not text:
            return
        try:
            answer = await self.bot.citebot.ask(Question(
                text=text, adapter="discord", conversation_id=conversation, user_id=f"discord:{message.author.id}",
                channel_id=f"discord:{message.channel.id}", exempt=self._is_admin(message.author),
            ))
            if answer.refusal and not self._first_refusal(message.author.id, answer):
                await message.add_reaction("⏳")  # said once already: a flood gets no flood of replies
                return
            await self._reply(message, answer, conversation)
        except Exception:
            log.exception("error answering a message")
            await message.reply(labels(language_of_text(text))["apology"], allowed_mentions=SAFE_MENTIONS)

    def _is_admin(self, author: discord.User | discord.Member) -> bool:
        """Like ``is_admin`` for a message's author: Manage Server, or an admin role."""
        roles = set(self.bot.citebot.settings.discord_admin_role_ids)
        return (isinstance(author, discord.Member) and author.guild_permissions.manage_guild) or has_admin_role(
            author, roles)

    def _first_refusal(self, user_id: int, answer: Answer) -> bool:
        """Whether to say why a question was refused: once per wait, per user."""
        now = time.monotonic()
        if self._told.get(user_id, 0.0) > now:
            return False
        if len(self._told) > 10_000:
            self._told = {u: t for u, t in self._told.items() if t > now}
        self._told[user_id] = now + (answer.retry_after or 0.0)
        return True

    def _conversation_for(self, message: discord.Message) -> str | None:
        """The conversation a message continues or starts, or None when it is not for the bot.

        DMs are for the bot; in servers, a mention or a reply to one of the bot's answers is.
        Threads and DMs are one conversation each; elsewhere a reply chain is.
        """
        assert self.bot.user is not None
        replied = message.reference.message_id if message.reference else None
        chained = self.bot.chains.conversation_of(replied) if replied else None
        if message.guild is None:
            return f"discord:dm:{message.channel.id}"
        if not (self.bot.user in message.mentions or chained):
            return None
        if isinstance(message.channel, discord.Thread):
            return f"discord:thread:{message.channel.id}"
        return chained or f"discord:msg:{message.id}"

    async def _reply(self, message: discord.Message, answer: Answer, conversation: str) -> None:
        messages = render.answer_messages(answer, self.bot.citebot.version)
        target = message
        for n, embeds in enumerate(messages):
            last = n == len(messages) - 1
            view = answer_view(answer.answer_id, answer.suggestions, answer.answered) if last else None
            sent = await target.reply(embeds=embeds, view=view, allowed_mentions=SAFE_MENTIONS)  # type: ignore[arg-type]
            self.bot.chains.remember(sent.id, conversation)
            target = sent


def _strip_mentions(content: str, bot_id: int) -> str:
    return re.sub(rf"<@!?{bot_id}>", " ", content).strip()
