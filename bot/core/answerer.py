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

from bot.core.check import AnswerCheck
from bot.core.compose import one_marker_each
from bot.core.conversation import ConversationMemory, InMemoryConversations
from bot.core.documents import documents
from bot.core.index import SearchIndex
from bot.core.reading import read
from bot.core.recording import QuestionRecorder
from bot.core.respond import Responder
from bot.core.retrieve import Retrieval, Retriever, kinds_for
from bot.core.script import to_traditional
from bot.core.trace import Stage, Trace
from bot.core.types import Answer, Question
from bot.core.typography import Typography, chinese_punctuation
from bot.core.understand import Reader, Understanding
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
    check: AnswerCheck
    typography: Typography
    semantic: SemanticIndex | None = None  # entry vectors; None: lexical retrieval only

    @property
    def version(self) -> str:
        return self.kb.version


def prepare(kb: KnowledgeBase) -> Prepared:
    """The lexical side of answering (CPU only; run it in a thread for a big knowledge base)."""
    index = SearchIndex(documents(kb))
    reader = Reader(kb, index)
    return Prepared(kb, index, reader, Responder(kb, Retriever(kb, index), kb.version), AnswerCheck(kb, reader.names),
                    Typography(kb.people))


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
        """The pipeline: read, understand, retrieve, decide, compose, check; each stage traced on the answer."""
        started = time.perf_counter()
        request_id.set(uuid.uuid4().hex[:12])  # every log line about this question carries it
        prepared = self._prepared
        trace = Trace()
        last = await self.memory.last_turn(question.conversation_id) if question.conversation_id else None
        with trace.stage("read") as stage:
            reading = read(question.text, question.language_hint)
            stage.note(language=reading.language, traditional=reading.traditional or None, text=reading.text)
        with trace.stage("understand") as stage:
            understanding = prepared.reader.understand(reading, last)
            note_understanding(stage, understanding)
        with trace.stage("retrieve") as stage:
            retrieval = await self._retrieve(prepared, understanding)
            note_retrieval(stage, retrieval)
        await asyncio.sleep(0)  # a stage boundary: questions back to back must not starve the loop's other tasks
        with trace.stage("decide") as stage:
            answer = prepared.responder.respond(understanding, retrieval, stage)
        with trace.stage("compose") as stage:
            answer = compose(answer, prepared.typography)
        with trace.stage("check") as stage:  # on the text as composed, before any change of script
            checked = prepared.check.check(answer, understanding.text, understanding.people)
            stage.note(ok=checked.ok, problems=checked.problems)
            if not checked.ok:  # never sent: a name, date, number or quote the citations do not carry
                log.error("an answer failed its check and was withheld: %s", "; ".join(checked.problems))
                answer = compose(prepared.responder.decline(understanding), prepared.typography)
        if understanding.traditional:  # asked in Traditional Chinese: answered in it, quotes as written
            answer = in_traditional(answer)
        answer = replace(answer, answer_id=uuid.uuid4().hex, trace=tuple(trace.stages))
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

    async def _retrieve(self, prepared: Prepared, und: Understanding) -> Retrieval:
        """Entries ranked for the question: the lexical index, fused with the encoder's similarities if any."""
        if not und.searches:
            return Retrieval()
        similarities, parts = None, ()
        if self.embeddings is not None and prepared.semantic is None and self.embeddings.due_for_retry():
            self._rebuild = asyncio.create_task(self._with_semantic(prepared))  # the encoder may be back
        if not prepared.responder.needs_similarities(und):  # a profile, a timeline: decided without a ranking
            return Retrieval(ranking=prepared.responder.retriever.rank(und, kinds=kinds_for(und)),
                             semantic_needed=False)
        if self.embeddings is not None and und.parts:  # "which came first?": each part is searched for
            parts = tuple(await self.embeddings.similarities_of(prepared.semantic, [p.text for p in und.parts]))
        elif self.embeddings is not None:
            similarities = await self.embeddings.similarities(prepared.semantic, und.text)
        ranking = prepared.responder.retriever.rank(und, kinds=kinds_for(und), similarities=similarities)
        return Retrieval(similarities, parts, ranking)


def compose(answer: Answer, typography: Typography) -> Answer:
    """The decided answer written out: each person named in full once, Chinese punctuated as Chinese, each
    source marked once where markers meet."""
    lang = answer.language
    punctuate = chinese_punctuation if lang == "zh" else str
    return replace(answer, text=one_marker_each(typography.polish(answer.text, lang)),
                   notes=tuple(typography.polish(n, lang) for n in answer.notes),
                   suggestions=tuple(punctuate(s) for s in answer.suggestions))


def note_understanding(stage: Stage, und: Understanding) -> None:
    stage.note(kind=und.kind.value, intent=und.intent.value, focus=und.text if und.text else None,
               people=und.people, terms=und.terms, period=und.period and str(und.period), unknown=und.unknown_names,
               follow_up=und.follow_up or None, context=und.context, speaker=und.speaker,
               successor_of=und.successor_of, pair=und.pair and und.pair.pair.value, yes_no=und.yes_no or None,
               quantity=und.quantity and und.quantity.value, guesses=und.guesses,
               unresolved=und.unresolved or None, assumes_left=und.premises.departures,
               assumes_title=und.premises.titles, assumes_succession=und.premises.succession)


def note_retrieval(stage: Stage, retrieval: Retrieval) -> None:
    if retrieval.ranking is None:
        stage.note(searched="no")
        return
    ranking = retrieval.ranking
    semantic = ("not needed (decided without a ranking)" if not retrieval.semantic_needed else
                "yes" if retrieval.similarities is not None else
                "for each part; the whole lexically" if any(p is not None for p in retrieval.parts) else
                "no (lexical only)")
    stage.note(semantic=semantic,
               alien=f"{ranking.alien:.2f}",
               top=[f"{c.entry.id} conf={ranking.confidence(c):.2f} lex={c.score:.1f} sim={c.similarity:.2f}"
                    for c in ranking.candidates[:3]])


def in_traditional(answer: Answer) -> Answer:
    """The answer's own words in Traditional Chinese; citations' quotes stay as their sources wrote them."""
    return replace(answer, text=to_traditional(answer.text, keep_quotes=answer.answered),
                   suggestions=tuple(to_traditional(s, keep_quotes=False) for s in answer.suggestions),
                   notes=tuple(to_traditional(n) for n in answer.notes))
