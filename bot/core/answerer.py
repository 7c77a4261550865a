"""The core's one entry point: ``await answerer.ask(Question(...)) -> Answer``.

Every answer is built wholly from one knowledge version: ``ask`` takes the live ``Prepared``
bundle once, and a reload swaps in a new bundle without touching answers in flight.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, replace

from bot.core.conversation import ConversationMemory, InMemoryConversations
from bot.core.documents import documents
from bot.core.index import SearchIndex
from bot.core.recording import QuestionRecorder
from bot.core.respond import Responder
from bot.core.retrieve import Retriever
from bot.core.types import Answer, Question
from bot.core.understand import Reader
from bot.knowledge.base import KnowledgeBase
from bot.logs import request_id

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """A knowledge base with everything built from it that answering needs."""

    kb: KnowledgeBase
    index: SearchIndex
    reader: Reader
    responder: Responder

    @property
    def version(self) -> str:
        return self.kb.version


def prepare(kb: KnowledgeBase) -> Prepared:
    index = SearchIndex(documents(kb))
    return Prepared(kb, index, Reader(kb, index), Responder(kb, Retriever(kb, index), kb.version))


class Answerer:
    def __init__(
        self, prepared: Prepared, *, memory: ConversationMemory | None = None, recorder: QuestionRecorder | None = None
    ) -> None:
        self._prepared = prepared
        self.memory: ConversationMemory = memory or InMemoryConversations()
        self.recorder = recorder

    @property
    def prepared(self) -> Prepared:
        return self._prepared

    def swap(self, prepared: Prepared) -> None:
        """Make ``prepared`` live; questions already being answered finish on the old one."""
        self._prepared = prepared

    async def ask(self, question: Question) -> Answer:
        started = time.perf_counter()
        request_id.set(uuid.uuid4().hex[:12])  # every log line about this question carries it
        prepared = self._prepared
        last = await self.memory.last_turn(question.conversation_id) if question.conversation_id else None
        understanding = prepared.reader.read(question.text, question.language_hint, last)
        await asyncio.sleep(0)  # a stage boundary: questions back to back must not starve the loop's other tasks
        answer = replace(prepared.responder.respond(understanding), answer_id=uuid.uuid4().hex)
        if question.conversation_id and answer.answered:
            await self.memory.remember(question.conversation_id, understanding.turn(answer.entry_ids))
        latency_ms = (time.perf_counter() - started) * 1000
        log.debug("answered intent=%s answered=%s in %.1f ms", answer.intent, answer.answered, latency_ms)
        if self.recorder is not None:
            try:
                await self.recorder.record(question, understanding, answer, latency_ms)
            except Exception:  # the question log must never cost the user their answer
                log.exception("could not record the question")
        return answer
