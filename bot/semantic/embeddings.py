"""The encoder as the answerer uses it: entry vectors per knowledge version, a question's similarities,
and what happens when the encoder fails (lexical-only answers, said once in the log and in /readyz)."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

from bot.core.index import SearchIndex
from bot.knowledge.base import KnowledgeBase
from bot.semantic.cache import EmbeddingCache
from bot.semantic.encoder import Encoder, EncoderUnavailable
from bot.semantic.index import SemanticIndex, build_semantic_index

log = logging.getLogger(__name__)


RETRY_SECONDS = 30.0  # how often entry vectors are tried again while the encoder is unavailable


class Embeddings:
    def __init__(self, encoder: Encoder | None, cache_dir: Path | None, *, unavailable: str | None = None,
                 turned_off: bool = False) -> None:
        self.encoder = encoder
        self.cache = EmbeddingCache(cache_dir, encoder.name) if encoder is not None else None
        self.problem: str | None = unavailable if encoder is None else None  # why answers are lexical-only
        self.turned_off = turned_off
        self._last_try = 0.0

    @property
    def state(self) -> str:
        """"on", "off" (the settings say so) or "unavailable" (the encoder failed): for /readyz, no details."""
        if self.turned_off:
            return "off"
        return "unavailable" if self.problem is not None else "on"

    @property
    def status(self) -> str:
        if self.problem is not None:
            return f"off: {self.problem}"
        assert self.encoder is not None
        return f"on ({self.encoder.name})"

    def due_for_retry(self) -> bool:
        """Whether to try building entry vectors again (an encoder that failed may be back)."""
        if self.encoder is None or time.monotonic() - self._last_try < RETRY_SECONDS:
            return False
        self._last_try = time.monotonic()
        return True

    async def index_for(self, kb: KnowledgeBase, index: SearchIndex) -> SemanticIndex | None:
        if self.encoder is None or self.cache is None:
            return None
        try:
            semantic = await build_semantic_index(kb, index, self.encoder, self.cache)
        except EncoderUnavailable as err:
            self._failed(str(err))
            return None
        self._recovered()
        return semantic

    async def similarities(self, semantic: SemanticIndex | None, text: str) -> np.ndarray | None:
        """The question's similarity to every entry, or None (lexical-only) when the encoder fails."""
        return (await self.similarities_of(semantic, [text]))[0]

    async def similarities_of(self, semantic: SemanticIndex | None, texts: list[str]) -> list[np.ndarray | None]:
        """``similarities`` of each text, embedded together (one engine call); all None when the encoder fails."""
        if semantic is None:
            return [None] * len(texts)
        try:
            sims: list[np.ndarray | None] = list(await semantic.similarities_of(texts))
        except EncoderUnavailable as err:
            self._failed(str(err))
            return [None] * len(texts)
        self._recovered()
        return sims

    def _failed(self, why: str) -> None:
        if self.problem is None:
            log.error("semantic retrieval is off: %s; answering from the lexical index alone", why)
        self.problem = why

    def _recovered(self) -> None:
        if self.problem is not None:
            log.info("semantic retrieval is back on")
            self.problem = None


def embeddings_off(why: str, *, turned_off: bool = False) -> Embeddings:
    """No encoder: said once in the log, and in /readyz."""
    (log.info if turned_off else log.warning)("semantic retrieval is off: %s; answering from the lexical index "
                                              "alone", why)
    return Embeddings(None, None, unavailable=why, turned_off=turned_off)
