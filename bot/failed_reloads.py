"""Refused reloads written to the store for every process's ``kb status``, never breaking the reload itself.

A reload is started by the file watcher, an admin's ``/kb reload`` or ``/kb upload``, ``citebot kb sync``, or a
bot's start-up; the trigger names which. When the store cannot keep the failure, a warning is logged and the
reload's own outcome (the last good version keeps serving) is unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.knowledge.loader import Problem
from bot.store.reload_failures import ReloadFailure

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store import Store

log = logging.getLogger(__name__)

WATCHER = "file watcher"
CHAT_RELOAD = "/kb reload"
CHAT_UPLOAD = "/kb upload"
CLI_SYNC = "citebot kb sync"
START_UP = "start-up"


def failure_of(trigger: str, author: str | None, problems: Iterable[Problem | str]) -> ReloadFailure:
    """The failure to keep: the error lines only (warnings did not refuse the reload)."""
    errors = [str(p) for p in problems if not isinstance(p, Problem) or p.severity == "error"]
    return ReloadFailure.of(trigger, author, errors or ["unknown problem"])


async def keep(store: Store | None, failure: ReloadFailure) -> None:
    """Write ``failure`` to the store; when that fails, say so in the log and carry on."""
    if store is None:
        return
    try:
        await store.record_reload_failure(failure)
    except Exception as err:
        log.warning("could not record the failed reload (%s) in the store: %s", failure.trigger, err)


async def keep_in(settings: Settings, failure: ReloadFailure) -> None:
    """Connect to the configured store just to keep ``failure`` (a start-up or ``kb sync`` that never got one)."""
    from bot.store import Store

    try:
        store = await Store.connect(settings.effective_database_url)
    except Exception as err:
        log.warning("could not record the failed reload (%s): %s", failure.trigger, err)
        return
    try:
        await keep(store, failure)
    finally:
        await store.close()
