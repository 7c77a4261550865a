"""`/kb status | reload | history | rollback N | gaps` and uploads (a YAML file sent to the bot in a DM with
"kb upload") — for admins only: configured user ids, or members of a configured user group."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.adapters.slack import blocks
from bot.adapters.slack.admin_check import AdminCheck, AdminCheckFailed
from bot.adapters.slack.files import FileRefused, FileTooLarge, download_private
from bot.admin import UPLOAD_MAX_BYTES, Admin
from bot.service import Citebot

log = logging.getLogger(__name__)
USAGE = ("Usage: /kb status | reload | history | rollback <version> | gaps  ·  "
         "upload: DM me a .yaml file with “kb upload”")
CHECK_FAILED = "Sorry — I couldn't check your admin rights with Slack just now. Please try again in a minute."


def register_admin(app: AsyncApp, citebot: Citebot) -> None:
    admin = Admin(citebot)
    check = AdminCheck(citebot.settings)

    async def refusal(client: Any, user_id: str, actor: str, action: str) -> str | None:
        """Why ``user_id`` may not do this (audited when they are no admin), or None when they may."""
        try:
            if await check.is_admin(client, user_id):
                return None
        except AdminCheckFailed:
            return CHECK_FAILED
        return await admin.refuse(actor, action)

    @app.command("/kb")
    async def kb_command(ack: Any, command: dict[str, Any], respond: Any, client: Any) -> None:
        await ack()
        words = (command.get("text") or "").split()
        action = words[0].lower() if words else ""
        actor = slack_actor(command["user_id"], command.get("user_name"))
        refused = await refusal(client, command["user_id"], actor, action or "kb")
        if refused is not None:
            await respond(response_type="ephemeral", text=blocks.escape(refused))
            return
        if action == "rollback" and len(words) == 2 and words[1].isdigit():
            text = await admin.rollback(actor, int(words[1]))
        elif action in ("status", "reload", "history", "gaps"):
            text = await getattr(admin, action)(actor)
        else:
            text = USAGE
        report, fallback = blocks.preformatted(text)
        await respond(response_type="ephemeral", blocks=report, text=fallback)

    @app.event({"type": "message", "subtype": "file_share"})
    async def upload(event: dict[str, Any], say: Any, client: Any) -> None:
        if event.get("channel_type") != "im" or "kb upload" not in (event.get("text") or "").lower():
            return
        actor = slack_actor(event.get("user", ""))  # a message event carries no user name
        thread = event.get("thread_ts") or event["ts"]
        refused = await refusal(client, event.get("user", ""), actor, "upload")
        if refused is not None:
            await say(text=blocks.escape(refused), thread_ts=thread)
            return
        for shared in event.get("files") or []:
            name = shared.get("name") or "upload.yaml"
            text = await admin.refuse_upload(actor, name, int(shared.get("size") or 0))
            if text is None:
                text = await _upload(admin, actor, name, shared, client)
            report, fallback = blocks.preformatted(text)
            await say(blocks=report, text=fallback, thread_ts=thread)


def slack_actor(user_id: str, user_name: str | None = None) -> str:
    """Who did it, as audited and recorded as a version's author: "slack:alice (U123)", or "slack:U123"."""
    return f"slack:{user_name} ({user_id})" if user_name else f"slack:{user_id}"


async def _upload(admin: Admin, actor: str, name: str, shared: dict[str, Any], client: Any) -> str:
    """Download the shared file whole (never past the limit, whatever size it declared) and hand it over."""
    try:
        data = await download_private(str(shared.get("url_private_download") or ""), client.token,
                                      limit=UPLOAD_MAX_BYTES, api_base_url=client.base_url)
    except FileTooLarge as err:
        return await admin.refuse_upload(actor, name, err.size) or f"Upload refused: {err}"
    except FileRefused as err:
        log.warning("upload of %r by %s not downloaded: %s", name, actor, err)
        return f"Upload refused; nothing changed: {err}"
    return await admin.upload(actor, name, data)
