"""The story's events in order, for one person or one period: what /timeline and `citebot timeline` show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.core.answerer import Prepared
from bot.core.compose import CitationBook, date_phrase
from bot.core.date_text import read_date
from bot.core.types import Citation
from bot.errors import CitebotError


@dataclass(frozen=True)
class TimelineEntry:
    event_id: str
    date: str  # as a person reads it, at the event's precision
    iso_date: str
    precision: str
    title: str
    text: str
    people: tuple[str, ...]
    citation_numbers: tuple[int, ...]


@dataclass(frozen=True)
class Timeline:
    language: str
    person: str | None  # display name of the person filtered on
    entries: tuple[TimelineEntry, ...]
    citations: tuple[Citation, ...]
    person_id: str | None = None  # the knowledge id of that person
    start: dt.date | None = None  # the period filtered on, as understood (``since`` "2024-05": 2024-05-01)
    end: dt.date | None = None  # inclusive (``until`` "2024": 2024-12-31)


def resolve_person(prepared: Prepared, name: str) -> str:
    """A person id for what someone typed ("Leike", "莱克", "Sutskver"), or a user-safe error."""
    mentions = prepared.reader.names.find(name)
    if not mentions:
        raise CitebotError(f"no person called {name!r} in the knowledge base")
    return mentions[0].person_id


def build_timeline(
    prepared: Prepared,
    *,
    person: str | None = None,
    since: str | None = None,
    until: str | None = None,
    language: str = "en",
    book: CitationBook | None = None,
) -> Timeline:
    kb = prepared.kb
    try:  # "May 2024" as well as "2024-05": a slash command's option reads as the chat and the CLI read it
        start = read_date(since).first_day if since else None
        end = read_date(until).last_day if until else None
    except ValueError as err:
        raise CitebotError(str(err)) from None
    if start and end and start > end:
        raise CitebotError(f"since {since} is after until {until}: nothing can be in that range")
    person_id = resolve_person(prepared, person) if person else None
    book = book or CitationBook(kb, language)
    entries = []
    for event in kb.timeline:
        if person_id and person_id not in event.people:
            continue
        if (start and event.date.last_day < start) or (end and event.date.first_day > end):
            continue
        entries.append(
            TimelineEntry(
                event_id=event.id,
                date=date_phrase(event, language),
                iso_date=event.date.iso(),
                precision=event.date.precision.value,
                title=event.title.get(language),
                text=event.text.get(language),
                people=tuple(event.people),
                citation_numbers=book.numbers(event, most=1),
            )
        )
    found = kb.person(person_id) if person_id else None
    return Timeline(language, found.name.get(language) if found else None, tuple(entries), tuple(book.citations),
                    person_id, start, end)
