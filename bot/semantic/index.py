"""Entry vectors aligned with the lexical index, and a question's similarity to every entry."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from bot.core.index import SearchIndex
from bot.knowledge.base import KnowledgeBase
from bot.semantic.cache import EmbeddingCache, text_key
from bot.semantic.encoder import Encoder
from bot.semantic.passages import LANGUAGES, passage_text

log = logging.getLogger(__name__)

ANNOUNCE_FROM = 50  # passages to embed at once that are worth a line in the log


@dataclass(frozen=True)
class SemanticIndex:
    """One row per lexical index position and language; an entry's similarity is its best language's."""

    encoder: Encoder
    vectors: np.ndarray  # (languages, positions, dim), unit rows

    async def similarities(self, question: str) -> np.ndarray:
        """Cosine similarity of ``question`` to every entry, by index position."""
        return (await self.similarities_of([question]))[0]

    async def similarities_of(self, questions: list[str]) -> list[np.ndarray]:
        """``similarities`` of several texts (a question and its parts), embedded in one engine call."""
        queries = await self.encoder.embed(questions, "query")
        # einsum, not `vectors @ query`: numpy's batched matmul over (languages, positions, dim) took 5x as
        # long at 10,000 entries (bench/README.md)
        return [np.einsum("lnd,d->ln", self.vectors, query.astype(np.float32)).max(axis=0) for query in queries]


async def build_semantic_index(kb: KnowledgeBase, index: SearchIndex, encoder: Encoder,
                               cache: EmbeddingCache) -> SemanticIndex:
    """Embed every entry's passages, reusing the cached vectors of passages whose text is unchanged."""
    started = time.perf_counter()
    texts = [[passage_text(kb.get(entry_id), lang) for entry_id in index.ids] for lang in LANGUAGES]  # type: ignore[arg-type]
    keys = [[text_key(encoder.name, "passage", t) for t in row] for row in texts]
    missing = {k: t for row_keys, row in zip(keys, texts, strict=True) for k, t in zip(row_keys, row, strict=True)
               if cache.get(k) is None}
    if len(missing) >= ANNOUNCE_FROM:  # the first start on a machine: say why it takes a moment, at the level
        # `ask` and the chat show (warnings), or they would sit silent for half a minute
        log.warning("embedding %s knowledge passages for semantic search (once: they are cached in %s)",
                    len(missing), cache.path.parent if cache.path else "memory")
    if missing:
        new = await encoder.embed(list(missing.values()), "passage")
        cache.put_many(list(missing), new)
        cache.save()
    vectors = np.stack([np.vstack([cache.get(k) for k in row_keys]) if row_keys else np.zeros((0, 1))
                        for row_keys in keys]).astype(np.float32)
    log.info("semantic index: %s passages (%s embedded now) in %.2f s", vectors.shape[0] * vectors.shape[1],
             len(missing), time.perf_counter() - started)
    return SemanticIndex(encoder, vectors)
