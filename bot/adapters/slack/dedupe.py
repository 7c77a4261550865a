"""Slack redelivers an event it thinks was not acknowledged; each event id is answered once."""

from __future__ import annotations

import time
from collections import OrderedDict


class SeenEvents:
    """Event ids seen in the last ``ttl_seconds`` (Slack retries within minutes), in this process."""

    def __init__(self, ttl_seconds: float = 3600.0, size: int = 100_000) -> None:
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._ttl = ttl_seconds
        self._size = size

    async def first_time(self, event_id: str) -> bool:
        """True the first time an id is offered, False for every repeat within the time to live."""
        now = time.monotonic()
        while self._seen and (next(iter(self._seen.values())) < now - self._ttl or len(self._seen) > self._size):
            self._seen.popitem(last=False)
        if event_id in self._seen:
            return False
        self._seen[event_id] = now
        return True
