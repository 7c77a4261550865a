"""Rank knowledge entries for an understood question, and measure how much of the question each covers."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bot.core.index import SearchIndex
from bot.core.intent import Intent
from bot.core.text import tokens
from bot.core.understand import Understanding
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Claim, Entry, Event

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
PERSON_BONUS = 2.0  # score added to an entry linked to a person the question names
ENTITY_SHARE = 0.8  # a named person weighs this share of the rarest term's idf in the coverage
UNKNOWN_NAME_WEIGHT = 2.0  # an unknown capitalised name counts double: it is what the question is about


@dataclass(frozen=True)
class Candidate:
    entry: Entry
    score: float
    coverage: float  # share of the question (idf-weighted terms, people, dates) this entry covers


class Retriever:
    def __init__(self, kb: KnowledgeBase, index: SearchIndex) -> None:
        self.kb = kb
        self.index = index
        kinds = np.array(index.kinds)
        self._kind_masks = {kind: kinds == kind for kind in set(index.kinds)}
        self._weights = {
            intent: self._weight_vector(table, intent is Intent.WHY) for intent, table in KIND_WEIGHTS.items()
        }
        self._related = {person.id: self._positions(self._related_ids(person.id)) for person in kb.people}
        self._event_positions = {e.id: index.position[e.id] for e in kb.events}

    def _weight_vector(self, table: dict[str, float], why: bool) -> np.ndarray:
        vector = np.ones(self.index.size, dtype=np.float32)
        for kind, mask in self._kind_masks.items():
            vector[mask] = table.get(kind, 1.0)
        if why:
            for claim in self.kb.claims:
                if claim.kind == "reason":
                    vector[self.index.position[claim.id]] *= REASON_BONUS
        return vector

    def _related_ids(self, person_id: str) -> set[str]:
        """The person, entries that point at them, and entries about the events they were in."""
        direct = {person_id, *self.kb.links.get(person_id, ())}
        indirect = {i for e in direct if isinstance(self.kb.get(e), Event) for i in self.kb.links.get(e, ())}
        return direct | indirect

    def _positions(self, ids: set[str]) -> np.ndarray:
        return np.array(sorted(self.index.position[i] for i in ids if i in self.index.position), dtype=np.int64)

    def rank(self, und: Understanding, *, kinds: set[str] | None = None, limit: int = 8) -> list[Candidate]:
        hits = self.index.search(und.terms)
        score, matched, total = hits.score.copy(), hits.matched.copy(), hits.total
        entity_mass = ENTITY_SHARE * self.index.max_idf
        for person in und.people:
            related = self._related.get(person)
            if related is not None and related.size:
                score[related] += PERSON_BONUS
                matched[related] += entity_mass
            total += entity_mass
        if und.period is not None:
            dated = [self._event_positions[e.id] for e in self.kb.events
                     if und.period.contains(e.date) or (e.end and und.period.contains(e.end))]
            if dated:
                score[dated] += PERSON_BONUS
                matched[dated] += entity_mass
            total += entity_mass
        for name in und.unknown_names:
            total += (UNKNOWN_NAME_WEIGHT - 1) * self.index.max_idf * len(tokens(name))
        final = score * self._weights[und.intent]
        if kinds is not None:
            allowed = np.zeros(self.index.size, dtype=bool)
            for kind in kinds:
                allowed |= self._kind_masks.get(kind, False)
            final[~allowed] = -1.0
        top = np.argsort(-final, kind="stable")[:limit]
        out = []
        for n in top:
            if final[n] <= 0:
                break
            entry = self.kb.get(self.index.ids[n])
            assert entry is not None and not isinstance(entry, str)
            out.append(Candidate(entry, float(final[n]), float(matched[n] / total) if total else 0.0))  # type: ignore[arg-type]
        return out

    def dated(self, entry: Entry) -> bool:
        return isinstance(entry, Event) or (isinstance(entry, Claim) and entry.date is not None)
