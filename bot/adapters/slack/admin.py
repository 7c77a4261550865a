"""`/kb status | reload | history | rollback N | gaps` and uploads (a YAML file sent to the bot in a DM with
"kb upload") — for admins only: configured user ids, or members of a configured user group."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp

from bot.adapters.slack import blocks
from bot.adapters.texts import split_text
from bot.admin import UPLOAD_MAX_BYTES, Admin
from bot.service import Citebot

log = logging.getLogger(__name__)
USAGE = ("Usage: /kb status | reload | history | rollback <version> | gaps  ·  "
         "upload: DM me a .yaml file with “kb upload”")


async def is_admin(client: Any, settings: Any, user_id: str) -> bool:
    if user_id in settings.slack_admin_user_ids:
        return True
    if settings.slack_admin_usergroup:
        try:
            members = await client.usergroups_users_list(usergroup=settings.slack_admin_usergroup)
            return user_id in (members.get("users") or [])
        except Exception:
            log.warning("could not read the admin user group", exc_info=True)
    return False


def register_admin(app: AsyncApp, citebot: Citebot) -> None:
    admin = Admin(citebot)

    def reply(text: str) -> list[dict[str, Any]]:
        return [blocks.section(f"```{blocks.escape(piece)}```") for piece in split_text(text, 2900)][:45]

    @app.command("/kb")
    async def kb_command(ack: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        await ack()
        words = (command.get("text") or "").split()
        action = words[0].lower() if words else ""
        actor = f"slack:{command.get('team_id', '')}:{command['user_id']}"
        if not await is_admin(client, citebot.settings, command["user_id"]):
            await respond(response_type="ephemeral", text=await admin.refuse(actor, action or "kb"))
            return
        if action == "rollback" and len(words) == 2 and words[1].isdigit():
            text = await admin.rollback(actor, int(words[1]))
        elif action in ("status", "reload", "history", "gaps"):
            text = await getattr(admin, action)(actor)
        else:
            text = USAGE
        await respond(response_type="ephemeral", blocks=reply(text), text=text[:2900])

    @app.event({"type": "message", "subtype": "file_share"})
    async def upload(event: dict[str, Any], body: dict[str, Any], say: Any, client: Any) -> None:
        if event.get("channel_type") != "im" or "kb upload" not in (event.get("text") or "").lower():
            return
        actor = f"slack:{body.get('team_id', '')}:{event.get('user', '')}"
        thread = event.get("thread_ts") or event["ts"]
        if not await is_admin(client, citebot.settings, event.get("user", "")):
            await say(text=await admin.refuse(actor, "upload"), thread_ts=thread)
            return
        for shared in event.get("files") or []:
            name = shared.get("name") or "upload.yaml"
            text = await admin.refuse_upload(actor, name, int(shared.get("size") or 0))
            if text is None:
                data = await _download(shared["url_private_download"], client.token)
                text = await admin.upload(actor, name, data)
            await say(blocks=reply(text), text=text[:2900], thread_ts=thread)


async def _download(url: str, token: str) -> bytes:
    """A private Slack file, read with the bot token, never more than the upload limit (+1 to detect it)."""
    async with aiohttp.ClientSession() as session, session.get(url, headers={"Authorization": f"Bearer {token}"}) as r:
        r.raise_for_status()
        return await r.content.read(UPLOAD_MAX_BYTES + 1)
