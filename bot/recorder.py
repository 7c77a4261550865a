"""Logs every question to the store, with the user id hashed and the conversation id hashed, and the
👍/👎 votes; both wait in a bounded queue while the store is unreachable."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Generic, TypeVar

from bot.core.types import Answer, Question
from bot.core.understand import Understanding
from bot.errors import StoreError, UnstorableError
from bot.store import QuestionLogEntry, Store, hash_user_id

log = logging.getLogger(__name__)

BATCH_MAX = 500
BUFFER_MAX = 50_000  # questions (or votes) held while the store is unreachable (about 25 MB)
RETRY_FIRST, RETRY_MAX = 0.2, 5.0  # seconds between attempts while the store is down
QUESTION_WAIT = 2.0  # seconds a vote waits for its question to be logged before it queues

Item = TypeVar("Item")


class WriteQueue(Generic[Item]):
    """Items waiting for the store, and the one task that writes them, oldest first.

    A write that fails because the store is down keeps its items queued and is retried with backoff
    until the store is back; up to ``buffer_max`` items wait meanwhile, and items beyond that are
    dropped and counted. A batch the store refuses as data (``unstorable``: retrying cannot help) is
    written item by item, and an item still refused is dropped alone, counted and logged.
    ``flush`` waits until everything queued is written (shutdown calls it through ``close``).
    Subclasses say how a batch is written (``_write_batch``) and which errors mean "try again".
    """

    what = "item"  # in log lines
    batch_max = BATCH_MAX
    retried: type[Exception] = Exception
    # ValueError: the store's own checks (a raw id, a naive time); UnicodeEncodeError is one too.
    unstorable: tuple[type[Exception], ...] = (UnstorableError, ValueError)

    def __init__(self, buffer_max: int = BUFFER_MAX) -> None:
        self.buffer_max = buffer_max
        self._pending: deque[Item] = deque()
        self._writer: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self.written = 0
        self.dropped = 0  # the buffer was full
        self.unstorable_dropped = 0  # the store refused the item itself
        self.last_error: str | None = None  # set while the store is failing (for the log: it may quote a question)

    @property
    def backlog(self) -> int:
        """Items waiting to be written."""
        return len(self._pending)

    def _enqueue(self, item: Item) -> bool:
        """Queue ``item`` behind the ones waiting and wake the writer; False (counted) when the queue is full."""
        if len(self._pending) >= self.buffer_max:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.error("%s buffer full (%s waiting, store: %s): %s %s(s) dropped",
                          self.what, len(self._pending), self.last_error, self.dropped, self.what)
            return False
        self._pending.append(item)
        self._idle.clear()
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write(), name=f"{self.what} writer")
        return True

    async def flush(self, timeout: float | None = None) -> bool:  # noqa: ASYNC109
        """Wait until every queued item is written; False when ``timeout`` ran out first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True

    async def close(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109
        """Write what is queued (for at most ``timeout`` seconds), then stop the writer."""
        if not await self.flush(timeout):
            log.error("%s: %s item(s) could not be written before shutdown (store: %s)",
                      self.what, len(self._pending), self.last_error)
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)

    async def _write_batch(self, batch: Sequence[Item]) -> None:
        raise NotImplementedError

    async def _write(self) -> None:
        delay = RETRY_FIRST
        while self._pending:
            try:
                await self._write_next()
            except self.retried as err:  # the store is down or failing: keep the items, try again later
                if self.last_error is None:
                    log.warning("%s: the store failed (%s: %s); buffering and retrying",
                                self.what, type(err).__name__, err)
                self.last_error = f"{type(err).__name__}: {err}"[:200]
                await asyncio.sleep(delay)
                delay = min(delay * 2, RETRY_MAX)
                continue
            if self.last_error is not None:
                log.info("%s: the store is back; %s waiting", self.what, len(self._pending))
                self.last_error = None
            delay = RETRY_FIRST
        self._idle.set()

    async def _write_next(self) -> None:
        """Write the oldest batch; one the store refuses as data is written item by item instead.
        A ``retried`` error (the store is down) propagates, leaving the unwritten items queued."""
        batch = list(islice(self._pending, self.batch_max))
        try:
            await self._write_batch(batch)
        except self.unstorable as err:
            if len(batch) == 1:
                self._drop_unstorable(err)
                return
            log.warning("%s: the store refused a batch of %s (%s); writing them one by one",
                        self.what, len(batch), type(err).__name__)
            for item in batch:
                await self._write_alone(item)
            return
        self._written(len(batch))

    async def _write_alone(self, item: Item) -> None:
        try:
            await self._write_batch([item])
        except self.unstorable as err:
            self._drop_unstorable(err)
            return
        self._written(1)

    def _written(self, count: int) -> None:
        for _ in range(count):  # only _enqueue appends, at the right end; these are still the first
            self._pending.popleft()
        self.written += count

    def _drop_unstorable(self, err: Exception) -> None:
        self._pending.popleft()
        self.unstorable_dropped += 1
        log.error("%s: the store refused one %s, dropped (%s dropped so far; the rest are written): %s: %s",
                  self.what, self.what, self.unstorable_dropped, type(err).__name__, err)


class StoreRecorder(WriteQueue[QuestionLogEntry]):
    """The store-backed ``QuestionRecorder``; raw user and conversation ids never leave this object.

    ``record`` queues the question and returns at once: nobody waits for the database to get an answer.
    The writer writes the queue in batches (one transaction for many questions).
    """

    what = "question log"

    def __init__(self, store: Store, salt: bytes, kb_version_id: int | None, *,
                 buffer_max: int = BUFFER_MAX) -> None:
        super().__init__(buffer_max)
        self._store = store
        self._salt = salt
        self.kb_version_id = kb_version_id
        self.version_of: Callable[[], int | None] = lambda: self.kb_version_id  # the live version, once wired

    async def record(self, question: Question, understanding: Understanding, answer: Answer,
                     latency_ms: float) -> None:
        self._enqueue(QuestionLogEntry(
            asked_at=dt.datetime.now(dt.UTC), question=question.text, language=answer.language,
            intent=answer.intent, answered=answer.answered, confidence=answer.confidence,
            cited_entry_ids=answer.entry_ids, latency_ms=latency_ms, adapter=question.adapter,
            user_hash=self._hash(question.user_id), conversation_hash=self._hash(question.conversation_id),
            kb_version_id=self.version_of(), answer_id=answer.answer_id,
        ))

    async def _write_batch(self, batch: Sequence[QuestionLogEntry]) -> None:
        await self._store.log_questions(list(batch))

    def _hash(self, raw: str | None) -> str | None:
        return hash_user_id(raw, self._salt) if raw else None


@dataclass(frozen=True)
class Vote:
    answer_id: str
    user_hash: str
    vote: int
    adapter: str


class VoteWriter(WriteQueue[Vote]):
    """👍/👎 votes that reach the store, or wait (bounded) while it is unreachable.

    ``record`` tries the store first, so a user who changes their mind is told so. When the store
    fails, the vote is queued, the user is thanked, and the writer retries with backoff once the
    question log (which the vote refers to) has been written.
    """

    what = "feedback"
    batch_max = 1  # one vote a transaction: each is an upsert
    retried = StoreError

    def __init__(self, store: Store, questions: StoreRecorder, *, buffer_max: int = BUFFER_MAX) -> None:
        super().__init__(buffer_max)
        self._store = store
        self._questions = questions

    async def record(self, vote: Vote) -> str:
        """"new", "changed" or "same"; "new" for a vote that had to wait for the store."""
        # The vote refers to its question: that must be in the log first (it is, within milliseconds, unless
        # the store is failing; then the vote queues behind it).
        if not self._pending and (not self._questions.backlog or (
                self._questions.last_error is None and await self._questions.flush(QUESTION_WAIT))):
            try:
                return await self._write_vote(vote)
            except StoreError as err:
                log.warning("feedback: the store failed (%s); buffering votes", err)
        self._enqueue(vote)  # behind the ones already waiting: votes keep their order
        return "new"

    async def _write_batch(self, batch: Sequence[Vote]) -> None:
        await self._questions.flush()  # the question the vote is about is written first
        for vote in batch:
            await self._write_vote(vote)

    async def _write_vote(self, vote: Vote) -> str:
        return await self._store.record_feedback(answer_id=vote.answer_id, user_hash=vote.user_hash,
                                                 vote=vote.vote, adapter=vote.adapter)
