"""Whether a quote is in its source: by the source's verbatim passages or by its fingerprint.

The knowledge check refuses every citation that fails this; tests of answers use it too, so they
check quotes exactly as the product does, in any clone."""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.fingerprint import Print, normalize_quote


@dataclass(frozen=True)
class QuoteVerifier:
    passages: dict[str, tuple[str, ...]]  # source id → its verbatim passages, normalized
    prints: dict[str, Print]

    @classmethod
    def of(cls, kb: KnowledgeBase) -> QuoteVerifier:
        return cls({s.id: tuple(normalize_quote(p) for p in s.verbatim) for s in kb.sources},
                   {f.source: f.print() for f in kb.fingerprints})

    def verifies(self, source_id: str, quote: str) -> bool:
        normalized = normalize_quote(quote)
        if any(normalized in passage for passage in self.passages.get(source_id, ())):
            return True
        found = self.prints.get(source_id)
        return found is not None and found.verifies(quote)
