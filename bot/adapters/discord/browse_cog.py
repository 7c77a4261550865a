"""Browsing: /timeline (paged, with its picture), /who (a profile card), /sources; person names autocomplete."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.adapters.discord import render
from bot.adapters.discord.client import SAFE_MENTIONS
from bot.adapters.discord.items import Pager, language_of
from bot.errors import CitebotError
from bot.picture import PictureRefused

if TYPE_CHECKING:
    from bot.adapters.discord.client import CitebotDiscord
    from bot.picture import TimelinePicture

log = logging.getLogger(__name__)
PICTURE_WAIT = 2.0  # seconds /timeline waits for its picture; later, it is added to the answer (Discord's 3 s)


class BrowseCog(commands.Cog, name="BrowseCog"):
    def __init__(self, bot: CitebotDiscord) -> None:
        self.bot = bot

    async def person_autocomplete(self, interaction: discord.Interaction,
                                  current: str) -> list[app_commands.Choice[str]]:
        pairs = self.bot.citebot.people(current, language_of(interaction))
        return [app_commands.Choice(name=label[:100], value=value[:100]) for label, value in pairs[:25]]

    @app_commands.command(name=_("timeline"), description=_("The events in order"))
    @app_commands.rename(person=_("person"), since=_("since"), until=_("until"))
    @app_commands.describe(person=_("Only this person's events"),
                           since=_("From this date (2024, 2024-05, May 2024, 2024年5月)"),
                           until=_("Up to this date (2024, 2024-05, May 2024, 2024年5月)"))
    @app_commands.autocomplete(person=person_autocomplete)
    async def timeline(self, interaction: discord.Interaction, person: str | None = None, since: str | None = None,
                       until: str | None = None) -> None:
        language = language_of(interaction)
        try:
            timeline = self.bot.citebot.timeline(person=person, since=since, until=until, language=language)
        except CitebotError as err:
            await interaction.response.send_message(render.safe(str(err)), ephemeral=True)
            return
        pages = render.timeline_pages(timeline, self.bot.citebot.version)
        drawing = asyncio.ensure_future(self.bot.citebot.timeline_picture(
            person=person, since=since, until=until, language=language,
            user_id=f"discord:{interaction.user.id}")) if timeline.entries else None
        picture = await _picture(drawing, PICTURE_WAIT) if drawing else None
        pager = Pager(pages, interaction.user.id) if len(pages) > 1 else None
        file = render.attach_picture(pages, picture) if picture else discord.utils.MISSING
        view = pager if pager is not None else discord.utils.MISSING
        await interaction.response.send_message(embed=pages[0], file=file, view=view, allowed_mentions=SAFE_MENTIONS)
        if drawing is not None and picture is None:  # slow to draw: added to the answer once it is ready
            picture = await _picture(drawing, None)
            if picture is not None:
                file = render.attach_picture(pages, picture)
                shown = pager.pages[pager.page] if pager else pages[0]
                await interaction.edit_original_response(embed=shown, attachments=[file])

    @app_commands.command(name=_("who"), description=_("A person's profile: role, what happened, key dates"))
    @app_commands.rename(name=_("name"))
    @app_commands.describe(name=_("The person's name"))
    @app_commands.autocomplete(name=person_autocomplete)
    async def who(self, interaction: discord.Interaction, name: str) -> None:
        language = language_of(interaction)
        try:
            profile = self.bot.citebot.profile(name, language)
        except CitebotError as err:
            await interaction.response.send_message(render.safe(str(err)), ephemeral=True)
            return
        messages = render.profile_embeds(profile, self.bot.citebot.version, language)
        await interaction.response.send_message(embeds=messages[0], allowed_mentions=SAFE_MENTIONS)
        for embeds in messages[1:]:
            await interaction.followup.send(embeds=embeds, allowed_mentions=SAFE_MENTIONS)

    @app_commands.command(name=_("sources"), description=_("The sources the knowledge base cites"))
    async def sources(self, interaction: discord.Interaction) -> None:
        language = language_of(interaction)
        embed = render.sources_embed(self.bot.citebot.sources(), self.bot.citebot.version, language)
        await interaction.response.send_message(embed=embed, allowed_mentions=SAFE_MENTIONS)


async def _picture(drawing: asyncio.Future[TimelinePicture], wait: float | None) -> TimelinePicture | None:
    """The picture once drawn (within ``wait`` seconds), or None; a failed drawing costs only the picture."""
    done, _ = await asyncio.wait({drawing}, timeout=wait)
    if not done:
        return None
    if isinstance(drawing.exception(), PictureRefused):  # drawing too many: the timeline goes without it
        log.info("no timeline picture: %s", drawing.exception())
        return None
    if drawing.exception() is not None:
        log.error("could not draw the timeline picture", exc_info=drawing.exception())
        return None
    return drawing.result()
