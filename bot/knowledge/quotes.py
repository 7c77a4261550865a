"""Whether a quote is in its source: by the source's verbatim passages or by its fingerprint.

The knowledge check refuses every citation that fails this (``loader.py``); tests of answers use it too,
so they check quotes exactly as the product does, in any clone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.fingerprint import Print, normalize_quote
from bot.knowledge.models import Source


@dataclass(frozen=True)
class QuoteVerifier:
    passages: Mapping[str, tuple[str, ...]]  # source id → its verbatim passages, normalized
    prints: Mapping[str, Print]  # source id → its fingerprint

    @classmethod
    def of_sources(cls, sources: Iterable[Source], prints: Mapping[str, Print]) -> QuoteVerifier:
        return cls({s.id: tuple(normalize_quote(p) for p in s.verbatim) for s in sources}, prints)

    @classmethod
    def of(cls, kb: KnowledgeBase) -> QuoteVerifier:
        return cls.of_sources(kb.sources, {f.source: f.print() for f in kb.fingerprints})

    def can_verify(self, source_id: str) -> bool:
        return bool(self.passages.get(source_id)) or source_id in self.prints

    def is_whole_passage(self, source_id: str, quote: str) -> bool:
        """The whole of a short post ("I resigned"), which stands alone however short."""
        return normalize_quote(quote) in self.passages.get(source_id, ())

    def verifies(self, source_id: str, quote: str) -> bool:
        normalized = normalize_quote(quote)
        if any(normalized in passage for passage in self.passages.get(source_id, ())):
            return True
        found = self.prints.get(source_id)
        return found is not None and found.verifies(quote)
