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

from bot.core.text import clean, tokens_of_clean, words_of_clean

_FORM = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")
K1 = 1.2


@lru_cache(maxsize=200_000)
def _analyse(text: str) -> tuple[tuple[str, ...], tuple[str, ...], frozenset[str]]:
    """Tokens, surface words and written forms of a field. Cached: names and titles recur across entries."""
    lowered = clean(text).lower()
    return tuple(tokens_of_clean(lowered)), tuple(words_of_clean(lowered)), frozenset(_FORM.findall(lowered))
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
        # Flatten (term, document, frequency) and compute every BM25 weight at once with numpy.
        vocabulary: dict[str, int] = {}
        term_ids: list[int] = []
        doc_ids: list[int] = []
        freqs: list[float] = []
        for n, tf in enumerate(term_freqs):
            for term, freq in tf.items():
                term_ids.append(vocabulary.setdefault(term, len(vocabulary)))
                doc_ids.append(n)
                freqs.append(freq)
        terms_a = np.array(term_ids, dtype=np.int64)
        docs_a = np.array(doc_ids, dtype=np.int32)
        freqs_a = np.array(freqs, dtype=np.float32)
        lengths = np.bincount(docs_a, weights=freqs_a, minlength=self.size).astype(np.float32)
        average = float(lengths.mean()) if self.size else 1.0
        norms = K1 * (1 - B + B * lengths[docs_a] / (average or 1.0))
        weights_a = (freqs_a * (K1 + 1) / (freqs_a + norms)).astype(np.float32)
        order = np.argsort(terms_a, kind="stable")
        counts = np.bincount(terms_a, minlength=len(vocabulary))
        bounds = np.concatenate(([0], np.cumsum(counts)))
        sorted_docs, sorted_weights = docs_a[order], weights_a[order]
        idfs = np.log(1 + (self.size - counts + 0.5) / (counts + 0.5))
        self.idf: dict[str, float] = {}
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, k in vocabulary.items():
            self.idf[term] = float(idfs[k])
            self._postings[term] = (sorted_docs[bounds[k]:bounds[k + 1]], sorted_weights[bounds[k]:bounds[k + 1]])
        self.max_idf = math.log(1 + (self.size + 0.5) / 0.5)
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
