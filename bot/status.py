"""What ``kb status`` says: the running bots' live version and their last failed reload, read from the store.

The store is shared by every process (the bots, the command line), so the command line shows what the
bots serve and how their last reload failed, not its own start-up. Without a store (or while it cannot
be read) the text falls back to what this process knows.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from bot.errors import StoreError

if TYPE_CHECKING:
    from bot.service import Citebot
    from bot.store import KbVersion, ReloadFailure


async def status_text(citebot: Citebot) -> str:
    live = citebot.live
    store = citebot.side.store if citebot.side else None
    version: KbVersion | None = None
    failure = live.last_failure
    unread = None
    if store is not None:
        try:
            version = await store.live_version()
            failure = _newest(await store.last_reload_failure(), failure)
        except StoreError as err:
            unread = str(err)
    if version is None:
        counts = ", ".join(f"{n} {k}" for k, n in live.kb.counts.items())
        lines = [f"Live knowledge version {live.version_id} ({citebot.version}): {counts}.",
                 f"Loaded {_when(live.loaded_at)} by {live.loaded_by} (this process)."]
    else:
        counts = ", ".join(f"{n} {k}" for k, n in version.counts.items())
        lines = [f"Live knowledge version {version.id} ({version.content_hash[:12]}): {counts}.",
                 f"Made live {_when(version.created_at)} by {version.author}."]
        if version.content_hash[:12] != citebot.version:
            lines.append(f"This process still serves version {live.version_id} ({citebot.version}).")
    if unread is not None:
        lines.append(f"The store cannot be read, so this is what this process knows: {unread}")
    if failure is None:
        lines.append("No failed reload.")
    else:
        lines += failure_lines(failure, version)
    return "\n".join(lines)


def failure_lines(failure: ReloadFailure, live: KbVersion | None) -> list[str]:
    """The last failure in a line (its first problem, how many more), and whether a good version came after."""
    more = failure.problem_count - 1
    first = failure.problems[0] if failure.problems else "unknown problem"
    lines = [f"Last failed reload: {_when(failure.at)}, {_started(failure)}: {first}"
             + (f" (and {more} more problem{'s' if more > 1 else ''})" if more > 0 else "")]
    if live is not None and live.created_at > failure.at:
        lines.append(f"Superseded: version {live.id} went live after it ({_when(live.created_at)}).")
    elif live is not None:
        lines.append(f"Version {live.id} kept serving; none went live since ('citebot kb check' lists every problem).")
    return lines


def _started(failure: ReloadFailure) -> str:
    return f"{failure.trigger} by {failure.author}" if failure.author else failure.trigger


def _newest(stored: ReloadFailure | None, own: ReloadFailure | None) -> ReloadFailure | None:
    """The store's failure, or this process's when the store missed it (it could not be written)."""
    if stored is None or (own is not None and own.at > stored.at):
        return own
    return stored


def _when(at: dt.datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC"
