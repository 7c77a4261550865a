"""What admins can do, platform-free, each action audited: status, reload, history, rollback, upload, gaps.

Adapters decide who is an admin (Discord roles / Manage Server, Slack user ids / a user group) and
render the text these return; refused attempts are audited too (``refuse``).
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Collection
from typing import TYPE_CHECKING

from bot import failed_reloads
from bot.controls import shown_controls
from bot.errors import KnowledgeError
from bot.knowledge.files import KNOWLEDGE_SUFFIXES
from bot.knowledge.loader import check_knowledge
from bot.live import write_atomically
from bot.status import status_text

if TYPE_CHECKING:
    from bot.service import Citebot

UPLOAD_MAX_BYTES = 256 * 1024
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,100}$")


class Admin:
    def __init__(self, citebot: Citebot) -> None:
        self.citebot = citebot

    async def _audit(self, actor: str, action: str, detail: str, outcome: str) -> None:
        store = self.citebot.side.store if self.citebot.side else None
        if store is not None:
            await store.audit(actor, action, detail[:2000], outcome)

    async def refuse(self, actor: str, action: str) -> str:
        await self._audit(actor, action, "not an admin", "refused")
        return "Sorry, only citebot admins can do that."

    async def status(self, actor: str) -> str:
        """The running bots' live version (from the store) and their last failed reload."""
        text = await status_text(self.citebot)
        await self._audit(actor, "status", "", "ok")
        return text

    async def reload(self, actor: str) -> str:
        result = await self.citebot.live.reload(actor, failed_reloads.CHAT_RELOAD)
        problems = "\n".join(str(p) for p in result.problems if p.severity == "error")
        await self._audit(actor, "reload", result.summary(), "ok" if result.ok else "failed")
        return result.summary() + (f"\n{problems}" if problems else "")

    async def history(self, actor: str, limit: int = 10) -> str:
        store = self._store()
        lines = []
        for v in await store.history(limit):
            diff = ", ".join(f"{k}: {', '.join(ids[:5])}{'…' if len(ids) > 5 else ''}"
                             for k, ids in v.diff.items() if ids) or "no entry changes"
            note = f" ({v.note})" if v.note else ""
            lines.append(f"v{v.id} {v.created_at:%Y-%m-%d %H:%M} by {v.author}{note} — {diff}")
        await self._audit(actor, "history", "", "ok")
        return "\n".join(lines) or "No versions yet."

    async def rollback(self, actor: str, version_id: int, *, may_delete: Collection[str] | None = None,
                       errors_as_reply: bool = True) -> str:
        """Bring back a version, files and all, and say what was written and deleted. Chat has no
        prompt: whatever the version did not have is deleted. ``may_delete`` (the command line, after
        asking) limits that; ``errors_as_reply=False`` raises a refusal instead of returning it."""
        try:
            plan, result = await self.citebot.live.rollback(version_id, actor, may_delete=may_delete)
        except (LookupError, KnowledgeError) as err:
            await self._audit(actor, "rollback", str(err), "failed")
            if errors_as_reply:
                return str(err)
            raise KnowledgeError(str(err)) from None
        if plan.nothing_to_do:
            message = plan.nothing_to_do_message()
        elif result.changed:
            message = f"Rolled back to version {version_id}: {result.summary()}\n{plan.done()}"
        else:
            message = (f"Rolled back to version {version_id}: its knowledge was live already "
                       f"(version {result.version_id}, {result.version}); its files are back.\n{plan.done()}")
        await self._audit(actor, "rollback", f"to version {version_id}: {message}", "ok")
        return message

    async def gaps(self, actor: str, limit: int = 10) -> str:
        store = self._store()
        await self.citebot.side.recorder.flush(timeout=2.0)  # type: ignore[union-attr]  # include the latest
        gaps = await store.gaps(limit)
        lines = ["Most-asked questions the bot declined:"]  # as typed, but no control reaches the admin's screen
        lines += [f"  {d.times}× {shown_controls(d.question)}" for d in gaps.declined] or ["  (none)"]
        lines.append("Answers with the most 👎:")
        lines += [f"  {a.downvotes}👎 {a.upvotes}👍 {shown_controls(a.question or a.answer_id)} — cited "
                  f"{', '.join(a.cited_entry_ids)}" for a in gaps.disliked] or ["  (none)"]
        await self._audit(actor, "gaps", "", "ok")
        return "\n".join(lines)

    async def refuse_upload(self, actor: str, name: str, size: int) -> str | None:
        """Before downloading: the refusal message for a bad name or size (audited), or None to go ahead."""
        problem = _upload_problem(name, size)
        if problem is None:
            return None
        await self._audit(actor, "upload", f"{name!r}: {problem}", "refused")
        return f"Upload refused: {problem}"

    async def upload(self, actor: str, name: str, data: bytes) -> str:
        """A YAML file from an admin: checked with the rest of the knowledge, then written and made live.

        Check, write and reload happen under the folder's write lock, against the files the loader reads
        (the folder as it is, with this file in place): of two uploads that clash, the second is refused.
        """
        refused = await self.refuse_upload(actor, name, len(data))
        if refused is not None:
            return refused
        live, settings = self.citebot.live, self.citebot.settings
        try:
            async with live.writing():
                report = await asyncio.to_thread(check_knowledge, settings.knowledge_dir,
                                                 replacing={name: data})
                if report.errors:
                    await self._audit(actor, "upload", f"{name}: {report.errors[0]}", "refused")
                    return "Upload refused; nothing changed:\n" + "\n".join(str(p) for p in report.errors[:20])
                try:
                    await asyncio.to_thread(write_atomically, settings.knowledge_dir / name, data)
                except OSError as err:  # a folder of that name, a read-only mount: nothing was written
                    raise KnowledgeError(f"cannot write {name} ({err.strerror or err})") from None
                result = await live.reload(actor, failed_reloads.CHAT_UPLOAD)
        except KnowledgeError as err:  # the folder is gone, cannot be written, or another process holds its lock
            await self._audit(actor, "upload", f"{name}: {err}", "refused")
            return f"Upload refused; nothing changed: {err}"
        await self._audit(actor, "upload", f"{name}: {result.summary()}", "ok" if result.ok else "failed")
        return f"Uploaded {name}. {result.summary()}"

    def _store(self):  # type: ignore[no-untyped-def]
        if self.citebot.side is None:
            raise RuntimeError("this needs the store")
        return self.citebot.side.store


def _upload_problem(name: str, size: int) -> str | None:
    if "/" in name or "\\" in name or ".." in name or not _SAFE_NAME.match(name):
        return f"{name!r} is not a plain file name (letters, digits, '.', '_' and '-'; no folders)"
    if not name.endswith(KNOWLEDGE_SUFFIXES):
        return f"{name!r} is not a .yaml file"
    if size > UPLOAD_MAX_BYTES:
        return f"the file is {size} bytes; the limit is {UPLOAD_MAX_BYTES}"
    return None

