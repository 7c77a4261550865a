"""Browsing the knowledge without a question: a person's profile card, the sources, name completion."""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.answerer import Prepared
from bot.core.compose import CitationBook, display_name
from bot.core.timeline import TimelineEntry, build_timeline, resolve_person
from bot.core.types import Citation


@dataclass(frozen=True)
class Profile:
    person_id: str
    name: str
    role: str
    summary: str
    key_dates: tuple[TimelineEntry, ...]
    citations: tuple[Citation, ...]  # the profile's own first, then the key dates'
    summary_citations: tuple[int, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class SourceInfo:
    source_id: str
    title: str
    publisher: str
    url: str | None
    published: str | None
    language: str
    cited_by: int  # how many entries cite it


def build_profile(prepared: Prepared, name: str, language: str = "en") -> Profile:
    """The card for /who: role, what happened to them, key dates, with citations numbered together."""
    person_id = resolve_person(prepared, name)
    person = prepared.kb.person(person_id)
    assert person is not None
    book = CitationBook(prepared.kb, language)
    own = book.numbers(person)
    timeline = build_timeline(prepared, person=person.name.en, language=language, book=book)
    return Profile(
        person_id=person.id, name=display_name(person, language), role=person.role.get(language),
        summary=person.summary.get(language), key_dates=timeline.entries, citations=tuple(book.citations),
        summary_citations=own,
        notes=(person.note.get(language),) if person.note else (),
    )


def list_sources(prepared: Prepared) -> tuple[SourceInfo, ...]:
    counts: dict[str, int] = {}
    for entry in prepared.kb.entries:
        for source in {c.source for c in entry.citations}:
            counts[source] = counts.get(source, 0) + 1
    return tuple(
        SourceInfo(s.id, s.title, s.publisher, s.url, s.published.iso() if s.published else None, s.language,
                   counts.get(s.id, 0))
        for s in sorted(prepared.kb.sources, key=lambda s: (-counts.get(s.id, 0), s.id))
        if counts.get(s.id)
    )


def match_people(prepared: Prepared, typed: str, language: str = "en", limit: int = 25) -> list[tuple[str, str]]:
    """(label, value) pairs for autocompletion: every person when nothing is typed, else the best matches."""
    people = [p for p in prepared.kb.people if p.kind == "person"]
    if not typed.strip():
        chosen = people
    else:
        names = {p.id: " ".join((p.name.en, p.name.zh, *p.aliases)) for p in people}
        hits = process.extract(typed, names, scorer=fuzz.partial_ratio, limit=limit, score_cutoff=60)
        chosen = [prepared.kb.person(key) for _, _, key in hits]  # type: ignore[misc]
    return [(display_name(p, language), p.name.en) for p in chosen if p is not None][:limit]
