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
from typing import TYPE_CHECKING

from bot.core.conversation import ConversationMemory, InMemoryConversations
from bot.core.documents import documents
from bot.core.index import SearchIndex
from bot.core.recording import QuestionRecorder
from bot.core.respond import Responder
from bot.core.retrieve import Retriever
from bot.core.script import to_traditional
from bot.core.types import Answer, Question
from bot.core.understand import Reader
from bot.knowledge.base import KnowledgeBase
from bot.logs import request_id

if TYPE_CHECKING:
    from bot.semantic.embeddings import Embeddings
    from bot.semantic.index import SemanticIndex

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Prepared:
    """A knowledge base with everything built from it that answering needs."""

    kb: KnowledgeBase
    index: SearchIndex
    reader: Reader
    responder: Responder
    semantic: SemanticIndex | None = None  # entry vectors; None: lexical retrieval only

    @property
    def version(self) -> str:
        return self.kb.version


def prepare(kb: KnowledgeBase) -> Prepared:
    """The lexical side of answering (CPU only; run it in a thread for a big knowledge base)."""
    index = SearchIndex(documents(kb))
    return Prepared(kb, index, Reader(kb, index), Responder(kb, Retriever(kb, index), kb.version))


async def prepare_all(kb: KnowledgeBase, embeddings: Embeddings | None) -> Prepared:
    """``prepare`` off the event loop, then the entry vectors (cached ones reused) when there is an encoder."""
    prepared = await asyncio.to_thread(prepare, kb)
    if embeddings is None:
        return prepared
    return replace(prepared, semantic=await embeddings.index_for(kb, prepared.index))


class Answerer:
    def __init__(
        self, prepared: Prepared, *, memory: ConversationMemory | None = None, recorder: QuestionRecorder | None = None,
        embeddings: Embeddings | None = None,
    ) -> None:
        self._prepared = prepared
        self.embeddings = embeddings
        self._rebuild: asyncio.Task[None] | None = None
        self.memory: ConversationMemory = memory or InMemoryConversations()
        self.recorder = recorder

    @property
    def prepared(self) -> Prepared:
        return self._prepared

    async def _with_semantic(self, prepared: Prepared) -> None:
        assert self.embeddings is not None
        semantic = await self.embeddings.index_for(prepared.kb, prepared.index)
        if semantic is not None and self._prepared is prepared:
            self._prepared = replace(prepared, semantic=semantic)

    def swap(self, prepared: Prepared) -> None:
        """Make ``prepared`` live; questions already being answered finish on the old one."""
        self._prepared = prepared

    async def ask(self, question: Question) -> Answer:
        started = time.perf_counter()
        request_id.set(uuid.uuid4().hex[:12])  # every log line about this question carries it
        prepared = self._prepared
        last = await self.memory.last_turn(question.conversation_id) if question.conversation_id else None
        understanding = prepared.reader.read(question.text, question.language_hint, last)
        similarities, parts = None, []
        if self.embeddings is not None and prepared.semantic is None and self.embeddings.due_for_retry():
            self._rebuild = asyncio.create_task(self._with_semantic(prepared))  # the encoder may be back
        if self.embeddings is not None and understanding.searches:
            similarities = await self.embeddings.similarities(prepared.semantic, understanding.text)
            parts = [await self.embeddings.similarities(prepared.semantic, p.text) for p in understanding.parts]
        await asyncio.sleep(0)  # a stage boundary: questions back to back must not starve the loop's other tasks
        answer = replace(prepared.responder.respond(understanding, similarities, parts), answer_id=uuid.uuid4().hex)
        if understanding.traditional:
            answer = in_traditional(answer)
        if question.conversation_id and answer.answered:
            await self.memory.remember(question.conversation_id, understanding.turn(answer.entry_ids, answer.subject))
        latency_ms = (time.perf_counter() - started) * 1000
        log.debug("answered intent=%s answered=%s in %.1f ms", answer.intent, answer.answered, latency_ms)
        if self.recorder is not None:
            try:
                await self.recorder.record(question, understanding, answer, latency_ms)
            except Exception:  # the question log must never cost the user their answer
                log.exception("could not record the question")
        return answer


def in_traditional(answer: Answer) -> Answer:
    """The answer's own words in Traditional Chinese; citations' quotes stay as their sources wrote them."""
    return replace(answer, text=to_traditional(answer.text, keep_quotes=answer.answered),
                   suggestions=tuple(to_traditional(s, keep_quotes=False) for s in answer.suggestions),
                   notes=tuple(to_traditional(n) for n in answer.notes))
