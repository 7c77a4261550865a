"""Questions the bot can answer, phrased from its entries: offered after an answer or instead of one."""

from __future__ import annotations

from collections.abc import Iterable

from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Claim, Entry, Event, Figure, Person, Topic


def question_for(entry: Entry, kb: KnowledgeBase, language: str) -> str | None:
    zh = language == "zh"
    if isinstance(entry, Person):
        return f"{entry.name.zh}是谁？" if zh else f"Who is {entry.name.en}?"
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
        for target in entry.about:
            item = kb.get(target)
            if isinstance(item, Event):
                title = item.title.get(language)
                return f"为什么{title}？" if zh else f"Why: {title}?"
        for target in entry.about:
            item = kb.get(target)
            if isinstance(item, Person | Topic):
                return question_for(item, kb, language)
    return None


def suggestions(entries: Iterable[Entry], kb: KnowledgeBase, language: str, *, most: int = 3,
                exclude: Iterable[str] = ()) -> tuple[str, ...]:
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
    """Good first questions: the most-linked person, the most-linked topic, the busiest month."""
    def links(entry: Entry) -> int:
        return len(kb.links.get(entry.id, ()))

    picks: list[Entry] = []
    if kb.people:
        picks.append(max(kb.people, key=links))
    if kb.topics:
        picks.append(max(kb.topics, key=links))
    if kb.events:
        picks.append(kb.timeline[-1])
    return suggestions(picks, kb, language)
