"""KnowledgeBase: the validated, immutable knowledge the rest of the program reads."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from bot.knowledge.models import Claim, Entry, Event, Figure, Fingerprint, Person, Source, Topic

SECTION_OF: dict[type, str] = {
    Source: "sources",
    Person: "people",
    Event: "events",
    Claim: "claims",
    Figure: "figures",
    Topic: "topics",
    Fingerprint: "fingerprints",
}


@dataclass(frozen=True)
class KnowledgeBase:
    """All entries of one version of the knowledge files. Never mutated: a reload builds a new one."""

    sources: tuple[Source, ...]
    people: tuple[Person, ...]
    events: tuple[Event, ...]
    claims: tuple[Claim, ...]
    figures: tuple[Figure, ...]
    topics: tuple[Topic, ...]
    fingerprints: tuple[Fingerprint, ...] = ()  # they verify quotes; nothing answers from them
    _by_id: Mapping[str, Entry | Source | Fingerprint] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id: dict[str, Entry | Source | Fingerprint] = {}
        for section in (self.sources, self.people, self.events, self.claims, self.figures, self.topics,
                        self.fingerprints):
            for item in section:
                by_id[item.id] = item
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))

    # --- lookups -------------------------------------------------------------------------------
    def get(self, entry_id: str) -> Entry | Source | None:
        item = self._by_id.get(entry_id)
        return None if isinstance(item, Fingerprint) else item

    def source(self, source_id: str) -> Source:
        item = self._by_id[source_id]
        assert isinstance(item, Source)
        return item

    def person(self, person_id: str) -> Person | None:
        item = self._by_id.get(person_id)
        return item if isinstance(item, Person) else None

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every citable entry (all sections but sources)."""
        return (*self.people, *self.events, *self.claims, *self.figures, *self.topics)

    @cached_property
    def timeline(self) -> tuple[Event, ...]:
        """Events in date order; a month sorts at its first day, after that day's events; ties keep file order."""
        return tuple(sorted(self.events, key=lambda e: (e.date.first_day, e.date.precision != "day")))

    @cached_property
    def links(self) -> Mapping[str, tuple[str, ...]]:
        """For each id, the ids of the entries that point at it (people / by / about)."""
        pointing: dict[str, list[str]] = {}
        for entry in self.entries:
            for target in _targets(entry):
                pointing.setdefault(target, []).append(entry.id)
        return MappingProxyType({k: tuple(v) for k, v in pointing.items()})

    @cached_property
    def _events_by_person(self) -> Mapping[str, tuple[Event, ...]]:
        by_person: dict[str, list[Event]] = {}
        for event in self.timeline:
            for person in event.people:
                by_person.setdefault(person, []).append(event)
        return MappingProxyType({k: tuple(v) for k, v in by_person.items()})

    def events_of(self, person_id: str) -> tuple[Event, ...]:
        return self._events_by_person.get(person_id, ())

    # --- identity ------------------------------------------------------------------------------
    @cached_property
    def counts(self) -> Mapping[str, int]:
        return MappingProxyType(
            {
                "sources": len(self.sources),
                "people": len(self.people),
                "events": len(self.events),
                "claims": len(self.claims),
                "figures": len(self.figures),
                "topics": len(self.topics),
                **({"fingerprints": len(self.fingerprints)} if self.fingerprints else {}),
            }
        )

    def records(self) -> Iterator[tuple[str, str, dict]]:
        """(section, id, JSON data) for every entry, sources included, in a stable order."""
        for item in sorted(self._by_id.values(), key=lambda i: (SECTION_OF[type(i)], i.id)):
            yield SECTION_OF[type(item)], item.id, item.model_dump(mode="json", by_alias=True, exclude_defaults=True)

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of every entry: same knowledge, same hash, whatever the file layout."""
        canonical = json.dumps(list(self.records()), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def version(self) -> str:
        """The short content hash that names this version in answers, footers and logs."""
        return self.content_hash[:12]

    @classmethod
    def from_records(cls, records: Iterable[tuple[str, str, dict]]) -> KnowledgeBase:
        """Rebuild a version from the store's (section, id, data) rows, validating each again."""
        from bot.knowledge.models import SECTIONS

        return cls.from_entries([SECTIONS[section].model_validate(_current(section, data))  # type: ignore[misc]
                                 for section, _, data in records])

    @classmethod
    def from_entries(cls, items: list[Entry | Source | Fingerprint]) -> KnowledgeBase:
        by_section: dict[str, list] = {name: [] for name in SECTION_OF.values()}
        for item in items:
            by_section[SECTION_OF[type(item)]].append(item)
        return cls(**{name: tuple(values) for name, values in by_section.items()})


def _current(section: str, data: dict) -> dict:
    """A stored entry as today's schema reads it: versions stored before fingerprints name a source's
    local copy (``copy``), which no longer exists."""
    if section == "sources" and "copy" in data:
        return {k: v for k, v in data.items() if k != "copy"}
    return data


def _targets(entry: Entry) -> Iterator[str]:
    if isinstance(entry, Event):
        yield from entry.people
    if isinstance(entry, Claim) and entry.by:
        yield entry.by
    yield from getattr(entry, "about", ())
