"""The composition root: settings -> knowledge -> answerer, and the store beside it.

Nothing is built at import time. The store is opened separately (``open_store``) so a one-shot
command can reach it before answering (a bad database URL is one line, not an answer and then an
error) without building a whole bot.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from bot.core.answerer import Answerer, prepare_all
from bot.core.recording import Recorders
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.loader import KnowledgeInvalid, load_knowledge
from bot.live import LiveKnowledge, read_files
from bot.service import Citebot
from bot.settings import Settings
from bot.stored_knowledge import StoredFallback, stored_fallback

if TYPE_CHECKING:
    from bot.recorder import StoreRecorder, VoteWriter
    from bot.store import KbVersion, Store, SyncResult

log = logging.getLogger(__name__)


async def read_knowledge(settings: Settings) -> KnowledgeBase:
    """Load and validate the knowledge files off the event loop (file I/O and YAML parsing block)."""
    return await asyncio.to_thread(load_knowledge, settings.knowledge_dir)


async def knowledge_or_stored(settings: Settings) -> tuple[KnowledgeBase, StoredFallback | None]:
    """The validated files; when they do not validate, the store's live (last good) version and why
    (``StoredFallback.note``, one line). With no stored version, the files' validation error."""
    try:
        return await read_knowledge(settings), None
    except KnowledgeInvalid as invalid:
        fallback = await stored_fallback(settings, invalid)
        return fallback.kb, fallback


@dataclass
class StoreSide:
    """The store with the knowledge version synced into it, and the writers of questions and votes
    (both buffer while the store is unreachable)."""

    store: Store
    synced: SyncResult
    recorder: StoreRecorder
    salt: bytes
    votes: VoteWriter = field(init=False)

    def __post_init__(self) -> None:
        from bot.recorder import VoteWriter

        self.votes = VoteWriter(self.store, self.recorder)

    async def feedback(self, *, answer_id: str, user_id: str, vote: int, adapter: str) -> str:
        from bot.recorder import Vote
        from bot.store import hash_user_id

        return await self.votes.record(Vote(answer_id, hash_user_id(user_id, self.salt), vote, adapter))

    @property
    def degraded(self) -> str | None:
        """Why the store side is degraded (writes buffered), or None when all is well. The kind of failure
        only: the error itself (in the log) may quote a question."""
        waiting = self.recorder.backlog + self.votes.backlog
        if self.recorder.last_error is None and not self.votes.backlog:
            return None
        return f"store: write failed; {waiting} write(s) buffered"

    @property
    def dropped(self) -> dict[str, int]:
        """Writes lost, by why: the buffer was full (the store down too long), or the store refused the row."""
        return {"buffer_full": self.recorder.dropped + self.votes.dropped,
                "unstorable": self.recorder.unstorable_dropped + self.votes.unstorable_dropped}

    async def close(self) -> None:
        await self.recorder.close()  # the questions still queued are written first
        await self.votes.close()
        await self.store.close()


async def open_store(settings: Settings, kb: KnowledgeBase, *, author: str,
                     stored: KbVersion | None = None) -> StoreSide:
    """Connect (creating the schema on first use), sync ``kb`` as a version if it changed, wire a recorder.

    With ``stored`` (``kb`` is that version, read back because the files do not validate) nothing is synced.
    """
    from bot.recorder import StoreRecorder
    from bot.store import Store, SyncResult, load_or_create_salt

    store = await Store.connect(settings.effective_database_url)
    try:
        if stored is None:
            files = await asyncio.to_thread(read_files, settings.knowledge_dir)
            synced = await store.sync(kb, author=author, files=files)
        else:
            synced = SyncResult(stored, created=False)
        if synced.created:
            log.info("knowledge version %s synced (%s)", synced.version.id, kb.version)
        secret = settings.user_hash_salt.get_secret_value() if settings.user_hash_salt else None
        salt = await asyncio.to_thread(load_or_create_salt, settings.data_dir, secret)
    except BaseException:
        await store.close()
        raise
    return StoreSide(store, synced, StoreRecorder(store, salt, synced.version.id), salt)


async def build_app(settings: Settings, *, author: str = "cli",
                    on_fallback: Callable[[str], object] | None = None, failure_trigger: str | None = None) -> Citebot:
    """Everything a long-running bot needs: the answerer logging every question to the store.

    When the files do not validate, the bot starts from the store's live version and ``on_fallback``
    is given the one line that says so (logged as a warning unless told otherwise); with
    ``failure_trigger`` (a bot's start-up) the refused load is kept for ``kb status`` as a failed reload.
    """
    kb, fallback = await knowledge_or_stored(settings)
    if fallback is not None:
        (on_fallback or _log_fallback)(fallback.note)
    side = await open_store(settings, kb, author=author, stored=fallback.version if fallback else None)
    if fallback is not None and failure_trigger is not None:
        from bot import failed_reloads

        await failed_reloads.keep(side.store, failed_reloads.failure_of(failure_trigger, None, fallback.problems))
    memory = shared = None
    if settings.redis_url:  # replicas share conversations (a follow-up may reach another process) and limits
        from bot.shared_state import RedisConversations, SharedRedis, connect

        shared = SharedRedis(connect(settings.redis_url))  # while Redis fails, each falls back to this process
        memory = RedisConversations(shared)
    from bot.semantic.loading import embeddings_from_settings

    embeddings = await embeddings_from_settings(settings)
    answerer = Answerer(await prepare_all(kb, embeddings), memory=memory, embeddings=embeddings)
    live = LiveKnowledge(settings, answerer, side.store)
    live.version_id = side.synced.version.id
    side.recorder.version_of = lambda: live.version_id  # questions are logged against the live version
    citebot = Citebot(settings, answerer, side, live)
    if shared is not None:
        from bot.ratelimit import RateLimits, RedisBuckets

        citebot.shared = shared
        citebot.limits = RateLimits.from_settings(settings, RedisBuckets(shared))
    answerer.recorder = Recorders(side.recorder, citebot.metrics)
    return citebot


def _log_fallback(note: str) -> None:
    log.warning("%s", note)


def settle_heap() -> None:
    """Tune the garbage collector for a long-running bot: what start-up built (libraries, the knowledge
    base and its index) is moved out of the collector's sight (``gc.freeze``), and young collections
    run every 20,000 allocations instead of 700, so a burst of requests is not interrupted by scans of
    objects that live for milliseconds. Measured with bench/slack_load.py: ack p99 under a burst
    halved and acks per second rose by a fifth."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
