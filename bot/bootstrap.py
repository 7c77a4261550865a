"""The composition root: settings -> knowledge -> store -> answerer. Nothing is built at import time."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from bot.core.answerer import Answerer, prepare
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.loader import load_knowledge
from bot.recorder import StoreRecorder
from bot.settings import Settings
from bot.store import Store, SyncResult, load_or_create_salt

log = logging.getLogger(__name__)


async def read_knowledge(settings: Settings) -> KnowledgeBase:
    """Load and validate the knowledge files off the event loop (file I/O and YAML parsing block)."""
    return await asyncio.to_thread(load_knowledge, settings.knowledge_dir, settings.source_copies)


@dataclass
class App:
    settings: Settings
    store: Store
    answerer: Answerer
    synced: SyncResult

    async def close(self) -> None:
        await self.store.close()


async def build_app(settings: Settings, *, author: str = "cli") -> App:
    """Load the knowledge, sync it into the store as a version if it changed, and wire the answerer."""
    kb = await read_knowledge(settings)
    store = await Store.connect(settings.effective_database_url)
    try:
        synced = await store.sync(kb, author=author)
        if synced.created:
            log.info("knowledge version %s synced (%s)", synced.version.id, kb.content_hash[:12])
        salt = await asyncio.to_thread(
            load_or_create_salt,
            settings.data_dir,
            settings.user_hash_salt.get_secret_value() if settings.user_hash_salt else None,
        )
        recorder = StoreRecorder(store, salt, synced.version.id)
        answerer = Answerer(prepare(kb), recorder=recorder)
    except BaseException:
        await store.close()
        raise
    return App(settings, store, answerer, synced)
