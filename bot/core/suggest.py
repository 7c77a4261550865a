"""Questions the bot can answer, phrased from its entries: offered after an answer or instead of one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Claim, Entry, Event, Figure, Person, Topic


def question_for(entry: Entry, kb: KnowledgeBase, language: str) -> str | None:
    zh = language == "zh"
    if isinstance(entry, Person) and entry.kind == "person":
        return f"{entry.name.zh}是谁？" if zh else f"Who is {entry.name.en}?"
    if isinstance(entry, Person):  # a group or an organization
        return f"什么是{entry.name.zh}？" if zh else f"What is {entry.name.en}?"
    if isinstance(entry, Topic):
        return f"什么是{entry.name.zh}？" if zh else f"What is {entry.name.en}?"
    if isinstance(entry, Event):
        when = entry.date.human(language)
        if zh:
            return f"{when}发生了什么？"
        return f"What happened {'on' if entry.date.day else 'in'} {when}?"
    if isinstance(entry, Figure):
        label = entry.label.get(language)
        return f"{label}是多少？" if zh else f"What was the {label[0].lower()}{label[1:]}?"
    if isinstance(entry, Claim):
        targets = [kb.get(t) for t in entry.about]
        for kind in (Event, Person, Topic):
            for item in targets:
                if isinstance(item, kind):
                    return question_for(item, kb, language)
    return None


def suggestions(
    entries: Iterable[Entry], kb: KnowledgeBase, language: str, *, most: int = 3, exclude: Iterable[str] = ()
) -> tuple[str, ...]:
    """Distinct suggested questions for ``entries``, in order, skipping ``exclude``."""
    skip = set(exclude)
    out: list[str] = []
    for entry in entries:
        question = question_for(entry, kb, language)
        if question and question not in out and question not in skip:
            out.append(question)
        if len(out) >= most:
            break
    return tuple(out)


def starters(kb: KnowledgeBase, language: str) -> tuple[str, ...]:
    """Good first questions: the most-linked person, the most-linked topic, the busiest day."""

    def links(entry: Entry) -> int:
        return len(kb.links.get(entry.id, ()))

    picks: list[Entry] = []
    if kb.people:
        picks.append(max(kb.people, key=links))
    if kb.topics:
        picks.append(max(kb.topics, key=links))
    if kb.events:
        days = Counter(e.date for e in kb.events if e.date.day is not None)
        busiest = days.most_common(1)[0][0] if days else kb.timeline[-1].date
        picks.append(next(e for e in kb.timeline if e.date == busiest))
    return suggestions(picks, kb, language)
