"""What a conversation remembers between questions, so follow-ups can refer back ("and when did he leave?")."""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Turn:
    """The parts of the last question a follow-up may lean on."""

    intent: str
    people: tuple[str, ...]
    terms: tuple[str, ...]
    entry_ids: tuple[str, ...]
    subject: tuple[str, ...] = ()  # who the answer was about ("he" next refers to them): for "Who took over
    # Leike's work?" that is Schulman, not Leike


class ConversationMemory(Protocol):
    async def last_turn(self, conversation_id: str) -> Turn | None: ...

    async def remember(self, conversation_id: str, turn: Turn) -> None: ...


class InMemoryConversations:
    """Bounded, expiring memory for one process (the CLI, tests, a single bot process)."""

    def __init__(self, max_conversations: int = 10_000, ttl_seconds: float = 3600.0) -> None:
        self._turns: OrderedDict[str, tuple[float, Turn]] = OrderedDict()
        self._max = max_conversations
        self._ttl = ttl_seconds

    async def last_turn(self, conversation_id: str) -> Turn | None:
        stored = self._turns.get(conversation_id)
        if stored is None:
            return None
        at, turn = stored
        if time.monotonic() - at > self._ttl:
            del self._turns[conversation_id]
            return None
        return turn

    async def remember(self, conversation_id: str, turn: Turn) -> None:
        self._turns[conversation_id] = (time.monotonic(), turn)
        self._turns.move_to_end(conversation_id)
        while len(self._turns) > self._max:
            self._turns.popitem(last=False)
