"""Buttons under answers: 👍 / 👎 feedback, suggested questions, and timeline paging.

Feedback and suggestion buttons are ``DynamicItem``s: their state lives in the custom id, so they
keep working after a restart or on another shard process.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import discord

from bot.adapters.discord.render import safe
from bot.adapters.texts import clip, labels

if TYPE_CHECKING:
    from bot.adapters.discord.client import CitebotDiscord

log = logging.getLogger(__name__)

CUSTOM_ID_MAX = 100
LABEL_MAX = 80
MAX_SUGGESTIONS = 5


def language_of(interaction: discord.Interaction) -> str:
    return "zh" if str(interaction.locale).startswith("zh") else "en"


FEEDBACK_ID = r"fb:(?P<vote>up|down):(?P<answer>[0-9a-f]{32})"


class FeedbackButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=FEEDBACK_ID):
    def __init__(self, vote: str, answer_id: str) -> None:
        super().__init__(discord.ui.Button(
            emoji="👍" if vote == "up" else "👎", style=discord.ButtonStyle.secondary,
            custom_id=f"fb:{vote}:{answer_id}",
        ))
        self.vote = vote
        self.answer_id = answer_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str], /) -> FeedbackButton:
        return cls(match["vote"], match["answer"])

    async def callback(self, interaction: discord.Interaction) -> None:
        client: CitebotDiscord = interaction.client  # type: ignore[assignment]
        outcome = await client.citebot.feedback(
            answer_id=self.answer_id, user_id=f"discord:{interaction.user.id}",
            vote=1 if self.vote == "up" else -1, adapter="discord",
        )
        await interaction.response.send_message(labels(language_of(interaction))[outcome], ephemeral=True)


class SuggestionButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"sg:(?P<question>.+)"):
    """A suggested question; a click asks it (the answer is shown to the clicker only)."""

    def __init__(self, question: str) -> None:
        question = question[: CUSTOM_ID_MAX - 3]
        super().__init__(discord.ui.Button(label=clip(safe(question), LABEL_MAX), style=discord.ButtonStyle.primary,
                                           custom_id=f"sg:{question}"))
        self.question = question

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button[Any],
                             match: re.Match[str], /) -> SuggestionButton:
        return cls(match["question"])

    async def callback(self, interaction: discord.Interaction) -> None:
        client: CitebotDiscord = interaction.client  # type: ignore[assignment]
        await interaction.response.defer(ephemeral=True, thinking=True)
        await client.answer_interaction(interaction, self.question, private=True)


def answer_view(answer_id: str, suggestions: Sequence[str], answered: bool) -> discord.ui.View:
    """Feedback buttons on answers; suggestion buttons (up to five) on a decline, and after answers."""
    view = discord.ui.View(timeout=None)
    if answered:
        view.add_item(FeedbackButton("up", answer_id))
        view.add_item(FeedbackButton("down", answer_id))
    for suggestion in list(suggestions)[:MAX_SUGGESTIONS if not answered else 3]:
        view.add_item(SuggestionButton(suggestion))
    return view


class Pager(discord.ui.View):
    """◀ / ▶ over pre-rendered timeline pages; only the person who asked can turn them."""

    def __init__(self, pages: Sequence[discord.Embed], owner_id: int, timeout: float = 600) -> None:
        super().__init__(timeout=timeout)
        self.pages = list(pages)
        self.owner_id = owner_id
        self.page = 0
        self._sync()

    def _sync(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        return interaction.user.id == self.owner_id

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self._sync()
        await interaction.response.edit_message(embed=self.pages[self.page], view=self)

    @discord.ui.button(emoji="◀️", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(emoji="▶️", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, button: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, 1)
