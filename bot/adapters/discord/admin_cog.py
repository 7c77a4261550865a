"""/kb status | reload | history | rollback | upload | gaps — for admins only (configured roles or Manage Server)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.app_commands import locale_str as _
from discord.ext import commands

from bot.adapters.discord import render
from bot.adapters.texts import split_text
from bot.admin import Admin

if TYPE_CHECKING:
    from bot.adapters.discord.client import CitebotDiscord


def is_admin(interaction: discord.Interaction, admin_roles: set[int]) -> bool:
    """Manage Server in this server, or one of the configured admin roles."""
    return interaction.permissions.manage_guild or has_admin_role(interaction.user, admin_roles)


def has_admin_role(user: discord.User | discord.Member, admin_roles: set[int]) -> bool:
    return isinstance(user, discord.Member) and any(role.id in admin_roles for role in user.roles)


class AdminCog(commands.Cog, name="AdminCog"):
    kb = app_commands.Group(name=_("kb"), description=_("Knowledge base administration (admins only)"))

    def __init__(self, bot: CitebotDiscord) -> None:
        self.bot = bot
        self.admin = Admin(bot.citebot)

    def _actor(self, interaction: discord.Interaction) -> str:
        """Who did it, as audited and recorded as a version's author: "discord:alice (123)"."""
        return f"discord:{interaction.user.name} ({interaction.user.id})"

    async def _run(self, interaction: discord.Interaction, action: str, work) -> None:  # type: ignore[no-untyped-def]
        actor = self._actor(interaction)
        if not is_admin(interaction, set(self.bot.citebot.settings.discord_admin_role_ids)):
            await interaction.response.send_message(await self.admin.refuse(actor, action), ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await work(actor)
        for piece in split_text(render.safe(text), 1900):
            await interaction.followup.send(f"```\n{piece}\n```" if "\n" in piece else piece, ephemeral=True)

    @kb.command(name=_("status"), description=_("The live version, who loaded it, the last failed reload"))
    async def status(self, interaction: discord.Interaction) -> None:
        await self._run(interaction, "status", self.admin.status)

    @kb.command(name=_("reload"), description=_("Validate the knowledge files and make them live"))
    async def reload(self, interaction: discord.Interaction) -> None:
        await self._run(interaction, "reload", self.admin.reload)

    @kb.command(name=_("history"), description=_("Recent versions and what changed"))
    async def history(self, interaction: discord.Interaction) -> None:
        await self._run(interaction, "history", self.admin.history)

    @kb.command(name=_("rollback"), description=_("Bring back an earlier version"))
    @app_commands.describe(version=_("The version number (see /kb history)"))
    async def rollback(self, interaction: discord.Interaction, version: app_commands.Range[int, 1]) -> None:
        await self._run(interaction, "rollback", lambda actor: self.admin.rollback(actor, version))

    @kb.command(name=_("gaps"), description=_("What to curate next: declined questions and 👎 answers"))
    async def gaps(self, interaction: discord.Interaction) -> None:
        await self._run(interaction, "gaps", self.admin.gaps)

    @kb.command(name=_("upload"), description=_("Add or replace a knowledge YAML file"))
    @app_commands.describe(file=_("A .yaml knowledge file"))
    async def upload(self, interaction: discord.Interaction, file: discord.Attachment) -> None:
        async def work(actor: str) -> str:
            refused = await self.admin.refuse_upload(actor, file.filename, file.size)  # before downloading
            return refused or await self.admin.upload(actor, file.filename, await file.read())

        await self._run(interaction, "upload", work)
