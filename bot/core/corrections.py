"""Answers built from the typed facts of people: a premise corrected ("He wasn't fired: he resigned …"),
and who took over from whom. Each sentence cites the entry its fact comes from."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.compose import CitationBook, date_phrase, display_name
from bot.core.premises import Premises
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Entry, Event, Person, Succession

_HOW = {
    "en": {"fired": "fired", "resigned": "resigned"},
    "zh": {"fired": "被开除", "resigned": "主动辞职"},
}


@dataclass(frozen=True)
class Corrected:
    text: str  # one sentence per premise the knowledge contradicts
    entries: tuple[Entry, ...]  # what the sentences cite
    replaces_answer: bool  # the correction answers the question (a wrong post, a wrong succession)
    departures: tuple[tuple[str, str], ...] = ()  # (person, how they really left): the question, corrected
    undated: bool = False  # the question's period was wrong: answer it without the period


def _on(event: Event, language: str) -> str:
    phrase = date_phrase(event, language)
    if language == "zh":
        return phrase
    return f"{'on' if event.date.day is not None and not event.approximate else 'in'} {phrase}"


def _has_title(person: Person, title: str) -> bool:
    return any(title.lower() in (t.en.lower(), t.zh) for t in person.titles)


def correct(premises: Premises, kb: KnowledgeBase, book: CitationBook, language: str) -> Corrected | None:
    zh = language == "zh"
    sentences: list[str] = []
    entries: list[Entry] = []
    replaces = False
    departures: list[tuple[str, str]] = []
    for person_id, how in premises.departures:
        person = kb.person(person_id)
        if person is None or person.left is None or person.left.how in (how, "left"):
            continue
        event = kb.get(person.left.event)
        assert isinstance(event, Event)
        name, marks = display_name(person, language), book.cite(event, most=1)
        was, really = _HOW[language][how], _HOW[language][person.left.how]
        if zh:
            sentences.append(f"{name}并不是{was}的,而是{really}({_on(event, language)}){marks}。")
        else:
            verb = "was not fired" if how == "fired" else "did not resign"
            really_en = "but resigned" if person.left.how == "resigned" else "but was fired"
            sentences.append(f"{name} {verb} {really_en}, {_on(event, language)} {marks}.")
        entries.append(event)
        departures.append((person_id, person.left.how))
    for person_id, title in premises.titles:
        person = kb.person(person_id)
        if person is None or not person.titles or _has_title(person, title):
            continue
        holders = [p for p in kb.people if p.id != person_id and _has_title(p, title)]
        name = display_name(person, language)
        if zh:
            held = "、".join(t.zh for t in person.titles)
            post = f" {title} " if title.isascii() else title  # "并不是 CEO,", "并不是首席科学家,"
            text = f"{name}并不是{post.rstrip()},而是{held}{book.cite(person, most=1)}。"
            if holders:
                text += f"{post.lstrip()}是{display_name(holders[0], language)}{book.cite(holders[0], most=1)}。"
        else:
            held = _and([t.en for t in person.titles])
            text = f"{name} was not the {title} but {held} {book.cite(person, most=1)}."
            if holders:
                text += f" The {title} was {display_name(holders[0], language)} {book.cite(holders[0], most=1)}."
        sentences.append(text)
        entries += [person, *holders[:1]]
        replaces = True
    if premises.succession is not None:
        new_id, old_id = premises.succession
        new, old = kb.person(new_id), kb.person(old_id)
        if new is not None and old is not None and not any(s.person == old_id for s in new.succeeded):
            name, other = display_name(new, language), display_name(old, language)
            actual = [took_over(new, s, kb, book, language) for s in new.succeeded]
            if zh:
                text = f"{name}并没有接替{other}。" + "".join(a for a, _ in actual)
            else:
                text = f"{name} did not replace {other}." + "".join(f" {a}" for a, _ in actual)
            sentences.append(text)
            entries += [e for _, e in actual]
            replaces = True
    if not sentences:
        return None
    return Corrected(("" if zh else " ").join(sentences), tuple(entries), replaces, tuple(departures))


def took_over(person: Person, succession: Succession, kb: KnowledgeBase, book: CitationBook, language: str
              ) -> tuple[str, Event]:
    """"Jakub Pachocki took over from Ilya Sutskever as chief scientist on May 14, 2024 [1].\""""
    event = kb.get(succession.event)
    before = kb.person(succession.person)
    assert isinstance(event, Event) and before is not None
    name, other, marks = display_name(person, language), display_name(before, language), book.cite(event, most=1)
    if language == "zh":
        return f"{name}接替{other}担任{succession.role.zh}({_on(event, language)}){marks}。", event
    return f"{name} took over from {other} as {succession.role.en}, {_on(event, language)} {marks}.", event


def successors(person_id: str, kb: KnowledgeBase) -> list[tuple[Person, Succession]]:
    """Who took over from ``person_id``, and in which role."""
    return [(p, s) for p in kb.people for s in p.succeeded if s.person == person_id]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
