"""A BM25 inverted index over the knowledge entries, scored with numpy.

Why not a library: bm25s needs scipy (~0.4 s to import, a third of the command line's start-up
budget) and rank-bm25 scores every document in Python. This index keeps, per term, the document
numbers and precomputed BM25 weights as numpy arrays, so a query touches only its terms' postings
and scoring 100,000 entries stays a few vector additions.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from bot.core.text import tokens, words

_FORM = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
K1 = 1.2


@lru_cache(maxsize=200_000)
def _analyse(text: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """Tokens, surface words and written forms of a field. Cached: names and titles recur across entries."""
    return tuple(tokens(text)), tuple(words(text)), frozenset(_FORM.findall(text.lower()))
B = 0.75


@dataclass(frozen=True)
class Field:
    text: str
    weight: float = 1.0


@dataclass(frozen=True)
class Document:
    entry_id: str
    kind: str
    fields: Sequence[Field]


@dataclass(frozen=True)
class Hits:
    """Per-document arrays for one query: BM25 score and the idf mass of the query terms it contains."""

    score: np.ndarray
    matched: np.ndarray
    total: float  # idf mass of all query terms (unknown terms count at the maximum idf)


class SearchIndex:
    def __init__(self, documents: Iterable[Document]) -> None:
        docs = list(documents)
        self.ids: tuple[str, ...] = tuple(d.entry_id for d in docs)
        self.kinds: tuple[str, ...] = tuple(d.kind for d in docs)
        self.position = {entry_id: n for n, entry_id in enumerate(self.ids)}
        self.size = len(docs)
        term_freqs: list[Counter[str]] = []
        surface: dict[str, str] = {}
        forms: set[str] = set()
        for doc in docs:
            tf: Counter[str] = Counter()
            for field in doc.fields:
                field_tokens, field_words, field_forms = _analyse(field.text)
                for token in field_tokens:
                    tf[token] += field.weight
                surface.update(dict.fromkeys(field_words, ""))
                forms.update(field_forms)
            term_freqs.append(tf)
        lengths = np.array([sum(tf.values()) for tf in term_freqs] or [0.0], dtype=np.float32)
        average = float(lengths.mean()) or 1.0
        postings: dict[str, tuple[list[int], list[float]]] = {}
        for n, tf in enumerate(term_freqs):
            norm = K1 * (1 - B + B * float(lengths[n]) / average)
            for term, freq in tf.items():
                docs_of, weights = postings.setdefault(term, ([], []))
                docs_of.append(n)
                weights.append(freq * (K1 + 1) / (freq + norm))
        self.idf: dict[str, float] = {
            term: math.log(1 + (self.size - len(d) + 0.5) / (len(d) + 0.5)) for term, (d, _) in postings.items()
        }
        self.max_idf = math.log(1 + (self.size + 0.5) / 0.5)
        self._postings = {
            term: (np.array(d, dtype=np.int32), np.array(w, dtype=np.float32)) for term, (d, w) in postings.items()
        }
        self.surface_words: tuple[str, ...] = tuple(sorted(w for w in surface if len(w) >= 4 and w.isalpha()))
        self.forms: frozenset[str] = frozenset(forms)  # words as written, hyphens kept ("gpt-4o")

    def __contains__(self, term: str) -> bool:
        return term in self._postings

    def postings_of(self, term: str) -> np.ndarray:
        posting = self._postings.get(term)
        return posting[0] if posting is not None else np.zeros(0, dtype=np.int32)

    def idf_of(self, term: str) -> float:
        return self.idf.get(term, self.max_idf)

    def search(self, concepts: Sequence[Sequence[str]]) -> Hits:
        """Score every document for the query's concepts: each concept is a term and its synonyms,
        counted once, at its best-matching member, with the idf of the term the person typed."""
        score = np.zeros(self.size, dtype=np.float32)
        matched = np.zeros(self.size, dtype=np.float32)
        total = 0.0
        for members in concepts:
            known = [m for m in dict.fromkeys(members) if m in self._postings]
            idf = self.idf_of(members[0]) if members[0] in self._postings else max(
                (self.idf[m] for m in known), default=self.max_idf)
            total += idf
            if not known:
                continue
            if len(known) == 1:
                docs, weights = self._postings[known[0]]
                score[docs] += idf * weights
                matched[docs] += idf
                continue
            best = np.zeros(self.size, dtype=np.float32)
            for member in known:
                docs, weights = self._postings[member]
                np.maximum.at(best, docs, weights)
            hit = best > 0
            score += idf * best
            matched[hit] += idf
        return Hits(score, matched, total)
