"""Who is a citebot admin on Slack: a configured user id, or a member of the configured user group.

The group's members are read with ``usergroups.users.list`` and kept for a minute, so that a burst of ``/kb``
(or anyone typing ``/kb`` over and over) costs Slack one call a minute, not one each. When Slack cannot say
(a 429 after the client's retries, an error, no network), that is not a "no": ``AdminCheckFailed`` is raised,
the user is told to try again, and nothing is kept.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)
MEMBERS_TTL_SECONDS = 60.0


class AdminCheckFailed(Exception):
    """Slack could not tell whether someone is in the admin group."""


class AdminCheck:
    def __init__(self, settings: Any, *, ttl_seconds: float = MEMBERS_TTL_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self._ttl = ttl_seconds
        self._clock = clock
        self._members: dict[str, tuple[float, frozenset[str]]] = {}  # user group -> (read at, member ids)
        self._locks: dict[str, asyncio.Lock] = {}

    async def is_admin(self, client: Any, user_id: str) -> bool:
        if user_id in self._settings.slack_admin_user_ids:
            return True
        group = self._settings.slack_admin_usergroup
        if not group:
            return False
        return user_id in await self._group_members(client, group)

    async def _group_members(self, client: Any, group: str) -> frozenset[str]:
        async with self._locks.setdefault(group, asyncio.Lock()):  # a burst of /kb waits for one call
            kept = self._members.get(group)
            if kept is not None and self._clock() - kept[0] < self._ttl:
                return kept[1]
            try:
                response = await client.usergroups_users_list(usergroup=group)
                members = frozenset(response.get("users") or [])
            except Exception as err:
                log.warning("could not read the admin user group %s: %s", group, err)
                raise AdminCheckFailed(group) from err
            self._members[group] = (self._clock(), members)
            return members
