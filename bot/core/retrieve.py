"""Rank knowledge entries for an understood question, and measure how much of the question each covers."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from bot.core.index import SearchIndex
from bot.core.intent import Intent
from bot.core.synonyms import concept
from bot.core.text import has_han, tokens
from bot.core.understand import Understanding
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Claim, Entry, Event, Person, Source

# How much each kind of entry suits each intent (a multiplier on its score).
KIND_WEIGHTS: dict[Intent, dict[str, float]] = {
    Intent.WHO: {"people": 1.2, "claims": 1.0, "events": 1.0, "topics": 0.8, "figures": 0.6},
    Intent.WHEN: {"people": 0.5, "claims": 0.7, "events": 1.5, "topics": 0.5, "figures": 0.4},
    Intent.WHY: {"people": 0.5, "claims": 1.4, "events": 0.9, "topics": 0.8, "figures": 0.6},
    Intent.WHAT: {"people": 0.9, "claims": 1.0, "events": 1.0, "topics": 1.3, "figures": 1.0},
    Intent.HOW_MUCH: {"people": 0.5, "claims": 0.9, "events": 0.7, "topics": 0.7, "figures": 1.8},
    Intent.ON_DATE: {"people": 0.3, "claims": 0.6, "events": 1.5, "topics": 0.3, "figures": 0.3},
    Intent.TIMELINE: {"people": 0.3, "claims": 0.5, "events": 1.5, "topics": 0.3, "figures": 0.3},
}
REASON_BONUS = 1.25  # a "reason" claim suits a why-question better than a plain statement
ENTITY_SHARE = 0.8  # the most a named person can weigh, as a share of the rarest term's idf
ENTITY_IDF_SCALE = 1.5  # a person weighs like a term, a little more: names are what questions are about
PRIMARY_SHARE = 0.5  # extra score, as a share of a person's weight, where they are the actor (by / first of people)
CONTEXT_TERMS_WEIGHT = 0.5  # the last question's words, in a follow-up that says "it", weigh half
CONTEXT_SHARE = 0.8  # what "that" in a follow-up weighs (the last answer's entries), as a share of the rarest idf
UNKNOWN_NAME_WEIGHT = 2.0  # an unknown capitalised name ("Murati") counts double: it is the subject
UNKNOWN_WORD_WEIGHT = 1.0  # an English word no entry uses counts like the rarest word ("anthropic", lower-cased)
# Unknown Chinese bigrams count fully: the boundary noise among them is dropped before (drop_junctions).


RRF_K = 10  # reciprocal rank fusion: 1 / (RRF_K + rank); small, as a knowledge base ranks few entries high
SIMILARITY_RESOLUTION = 0.01  # cosine similarities nearer than this are a tie for the encoder (it is not finer)
SEMANTIC_ONLY_TOP = 3  # an entry no question word matches is a candidate only when the encoder ranks it this high


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    score: float  # lexical (BM25, people, dates, kind weights)
    coverage: float  # share of the question's known terms, people and dates this entry covers
    similarity: float = 0.0  # the encoder's cosine similarity of question and entry (0 without an encoder)
    fused: float = 0.0  # reciprocal-rank fusion of the lexical and the semantic ranking


@dataclass(frozen=True)
class Ranking:
    candidates: list[Candidate]
    alien: float  # share of the question's weight in words the knowledge base has never seen

    def confidence(self, candidate: Candidate) -> float:
        return candidate.coverage * (1.0 - self.alien)


@dataclass(frozen=True)
class Retrieval:
    """What the retrieve stage found for a question: the encoder's similarity of every entry to it (and to
    each part of a two-event question), and the entries ranked by both indexes fused."""

    similarities: np.ndarray | None = None
    parts: tuple[np.ndarray | None, ...] = ()
    ranking: Ranking | None = None
    semantic_needed: bool = True  # False: the decision uses no ranking, so the question was not embedded


def kinds_for(und: Understanding) -> set[str] | None:
    """The kinds of entries that can answer: a when-question is answered by something dated."""
    return {"events", "claims"} if und.intent is Intent.WHEN else None


class Retriever:
    def __init__(self, kb: KnowledgeBase, index: SearchIndex) -> None:
        self.kb = kb
        self.index = index
        kinds = np.array(index.kinds)
        self._kind_masks = {kind: kinds == kind for kind in set(index.kinds)}
        self._weights = {
            intent: self._weight_vector(table, intent is Intent.WHY) for intent, table in KIND_WEIGHTS.items()
        }
        self._entities = {person.id: self._entity(person) for person in kb.people}
        self._related_ids = {
            person: frozenset(index.ids[n] for n in positions.tolist())
            for person, (positions, _) in self._entities.items()
        }
        self._event_positions = {e.id: index.position[e.id] for e in kb.events}
        acting: dict[str, list[int]] = {person.id: [] for person in kb.people}
        for entry in kb.entries:  # one pass: who each entry is chiefly about
            actor = _actor(entry)
            if actor in acting:
                acting[actor].append(index.position[entry.id])
        self._primary = {person: np.array(sorted(found), dtype=np.int64) for person, found in acting.items()}

    def _weight_vector(self, table: dict[str, float], why: bool) -> np.ndarray:
        vector = np.ones(self.index.size, dtype=np.float32)
        for kind, mask in self._kind_masks.items():
            vector[mask] = table.get(kind, 1.0)
        if why:
            for claim in self.kb.claims:
                if claim.kind == "reason":
                    vector[self.index.position[claim.id]] *= REASON_BONUS
        return vector

    def _entity(self, person: Person) -> tuple[np.ndarray, float]:
        """Where a person counts as matched (linked entries, or entries naming them) and how much they weigh.

        A person named everywhere (OpenAI) weighs little, like a common word; a person in few entries
        weighs like a rare one.
        """
        direct = {person.id, *self.kb.links.get(person.id, ())}
        indirect = {i for e in direct if isinstance(self.kb.get(e), Event) for i in self.kb.links.get(e, ())}
        positions = {self.index.position[i] for i in direct | indirect if i in self.index.position}
        name_terms = tokens(person.name.en)
        if name_terms:
            postings = [set(self.index.postings_of(t).tolist()) for t in name_terms]
            positions |= set.intersection(*postings)
        n = len(positions)
        idf = math.log(1 + (self.index.size - n + 0.5) / (n + 0.5))
        mass = min(ENTITY_SHARE * self.index.max_idf, ENTITY_IDF_SCALE * idf)
        return np.array(sorted(positions), dtype=np.int64), mass

    def rank(self, und: Understanding, *, kinds: set[str] | None = None, limit: int = 8,
             similarities: np.ndarray | None = None) -> Ranking:
        """The entries best answering ``und``, best first: by the lexical score alone, or, given the encoder's
        ``similarities``, by reciprocal rank fusion of both rankings (names and dates are the lexical index's
        strength, paraphrases the encoder's; fusing ranks, not scores, needs no calibration between the two)."""
        concepts = [concept(t) for t in und.terms]
        hits = self.index.search([c for c in concepts if any(m in self.index for m in c)])
        score, matched, total = hits.score.copy(), hits.matched.copy(), hits.total
        for person in und.people:
            positions, mass = self._entities.get(person, (np.zeros(0, dtype=np.int64), 0.0))
            if positions.size:
                score[positions] += mass
                matched[positions] += mass
                score[self._primary[person]] += PRIMARY_SHARE * mass
            total += mass
        if und.period is not None:
            dated = [self._event_positions[e.id] for e in self.kb.events
                     if und.period.contains(e.date) or (e.end and und.period.contains(e.end))]
            mass = ENTITY_SHARE * self.index.max_idf
            if dated:
                score[dated] += mass
                matched[dated] += mass
            total += mass
        if und.context_terms:  # what "it" stood for in the last question: helps rank, not counted as asked
            extra = self.index.search([c for c in map(concept, und.context_terms) if any(m in self.index for m in c)])
            score += CONTEXT_TERMS_WEIGHT * extra.score
        if und.context:  # a follow-up's "that": what the last answer was built from, and what it links to
            linked = {i for e in und.context for i in (e, *self.kb.links.get(e, ()))}
            positions = [self.index.position[i] for i in linked if i in self.index.position]
            mass = CONTEXT_SHARE * self.index.max_idf
            if positions:
                score[positions] += mass
                matched[positions] += mass
            total += mass
        alien_mass = self._alien_mass(und)
        alien = alien_mass / (alien_mass + total) if alien_mass else 0.0
        final = score * self._weights[und.intent]
        if kinds is not None:
            allowed = np.zeros(self.index.size, dtype=bool)
            for kind in kinds:
                allowed |= self._kind_masks.get(kind, False)
            final[~allowed] = -1.0
        coverage = matched / total if total else np.zeros_like(matched)
        if similarities is None:
            top = [n for n in np.argsort(-final, kind="stable")[:limit] if final[n] > 0]
            return Ranking([self._candidate(n, final, coverage, None, 0.0) for n in top], alien)
        fused = self._fused(final, similarities)
        order = np.lexsort((-final, -np.round(fused, 9)))  # equal fusion: the better lexical match first
        out = [self._candidate(n, final, coverage, similarities, fused[n]) for n in order[:limit] if fused[n] > 0]
        return Ranking(out, alien)

    def _fused(self, lexical: np.ndarray, similarities: np.ndarray) -> np.ndarray:
        ranks = np.empty(lexical.size, dtype=np.float64)
        ranks[np.argsort(-lexical, kind="stable")] = np.arange(lexical.size)
        semantic = np.where(lexical < 0, -np.inf, similarities)  # entries of kinds not asked for stay out
        # An entry's semantic rank counts the entries clearly more similar (by more than the encoder's resolution):
        # near-equal similarities share a rank, and the lexical ranking decides between them.
        ordered = np.sort(semantic)
        clearly_above = lexical.size - np.searchsorted(ordered, semantic + SIMILARITY_RESOLUTION, side="right")
        semantic_ranks = clearly_above.astype(np.float64)
        fused = np.where(lexical > 0, 1.0 / (RRF_K + ranks), 0.0) + 1.0 / (RRF_K + semantic_ranks)
        fused[(lexical <= 0) & (semantic_ranks >= SEMANTIC_ONLY_TOP)] = 0.0  # noqa: RUF100
        fused[lexical < 0] = 0.0
        return fused

    def _candidate(self, n: int, final: np.ndarray, coverage: np.ndarray, similarities: np.ndarray | None,
                   fused: float) -> Candidate:
        entry = self.kb.get(self.index.ids[n])
        assert entry is not None and not isinstance(entry, Source)
        similarity = float(similarities[n]) if similarities is not None else 0.0
        return Candidate(entry, float(final[n]), float(coverage[n]), similarity, float(fused))

    def _alien_mass(self, und: Understanding) -> float:
        """Weight of what the question asks about that the knowledge base has never seen."""
        mass = sum(UNKNOWN_NAME_WEIGHT * self.index.max_idf * max(1, len(tokens(n))) for n in und.unknown_names)
        for term in und.terms:
            if any(m in self.index for m in concept(term)):
                continue
            mass += (1.0 if has_han(term) else UNKNOWN_WORD_WEIGHT) * self.index.max_idf
        return mass

    def relates(self, entry: Entry, person_id: str) -> bool:
        """Whether ``entry`` is about the person: linked to them, or naming them."""
        return entry.id in self._related_ids.get(person_id, frozenset())

    def matches_all(self, entry: Entry, terms: tuple[str, ...]) -> bool:
        """Whether the entry has every one of ``terms`` (or a word meaning the same)."""
        position = self.index.position[entry.id]
        return all(any(position in self.index.postings_of(m) for m in concept(t)) for t in terms
                   if any(m in self.index for m in concept(t)))

    def related_ids(self, person_id: str) -> frozenset[str]:
        return self._related_ids.get(person_id, frozenset())

    def dated(self, entry: Entry) -> bool:
        return isinstance(entry, Event) or (isinstance(entry, Claim) and entry.date is not None)


def _actor(entry: Entry) -> str | None:
    """Who an entry is chiefly about: a claim's speaker, an event's first person, a person themself."""
    if isinstance(entry, Claim):
        return entry.by
    if isinstance(entry, Event):
        return entry.people[0] if entry.people else None
    if isinstance(entry, Person):
        return entry.id
    return None
