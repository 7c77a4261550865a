"""When the knowledge files do not validate: the store's live (last good) version, and the line that says so.

Every command that reads knowledge falls back to it (``bootstrap.knowledge_or_stored``) but ``kb check``
and ``kb sync``, which are about the files themselves. With no stored version either, the files' own
validation error stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.errors import CitebotError
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.loader import KnowledgeInvalid, Problem

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store import KbVersion


@dataclass(frozen=True)
class StoredFallback:
    """The stored version used instead of the files, and why."""

    kb: KnowledgeBase
    version: KbVersion
    problems: tuple[Problem, ...]

    @property
    def note(self) -> str:
        """One line: the first problem, how many more, and the version used instead."""
        errors = [p for p in self.problems if p.severity == "error"] or list(self.problems)
        first = " ".join(str(errors[0]).split()) if errors else "unknown problem"
        more = f"; {len(errors) - 1} more, run 'citebot kb check'" if len(errors) > 1 else ""
        return (f"knowledge files do not validate ({first}{more}); using stored version {self.version.id} "
                f"of {self.version.created_at:%Y-%m-%d %H:%M} UTC")


async def stored_fallback(settings: Settings, invalid: KnowledgeInvalid) -> StoredFallback:
    """The store's live version in place of the files ``invalid`` refused; ``invalid`` itself when the
    store has no version or cannot be read."""
    from bot.store import Store

    try:
        store = await Store.connect(settings.effective_database_url)
        try:
            version = await store.live_version()
            if version is None:
                raise invalid
            kb = KnowledgeBase.from_records(await store.version_records(version.id))
        finally:
            await store.close()
    except (CitebotError, ValueError) as err:  # the store unreachable, or a version today's schema refuses
        if err is invalid:
            raise
        raise invalid from err
    return StoredFallback(kb, version, invalid.problems)
