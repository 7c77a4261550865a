"""What each knowledge entry contributes to the search index, field by field, with weights."""

from __future__ import annotations

from collections.abc import Iterator

from bot.core.index import Document, Field
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Bilingual, Claim, Entry, Event, Figure, Person, Topic


def _both(text: Bilingual | None, weight: float = 1.0) -> list[Field]:
    return [] if text is None else [Field(text.en, weight), Field(text.zh, weight)]


def _names(kb: KnowledgeBase, ids: Iterator[str] | list[str], weight: float) -> list[Field]:
    fields: list[Field] = []
    for entry_id in ids:
        item = kb.get(entry_id)
        if isinstance(item, Person | Topic):
            fields += _both(item.name, weight)
        elif isinstance(item, Event):
            fields += _both(item.title, weight)
            fields.append(Field(str(item.date.year), weight))
    return fields


def document_for(entry: Entry, kb: KnowledgeBase) -> Document:
    fields: list[Field] = [Field(" ".join(entry.keywords.en), 2.0), Field(" ".join(entry.keywords.zh), 2.0)]
    if isinstance(entry, Person):
        fields += _both(entry.name, 3.0) + [Field(" ".join(entry.aliases), 3.0)]
        fields += _both(entry.role, 2.0) + _both(entry.summary)
        return Document(entry.id, "people", fields)
    if isinstance(entry, Event):
        fields += _both(entry.title, 2.0) + _both(entry.text) + _both(entry.date_note, 0.5)
        fields += [Field(str(entry.date.year))] + _names(kb, entry.people, 1.0) + _names(kb, entry.about, 0.5)
        return Document(entry.id, "events", fields)
    if isinstance(entry, Claim):
        fields += _both(entry.text) + _both(entry.by_label, 0.5) + _names(kb, [entry.by] if entry.by else [], 1.0)
        fields += _names(kb, entry.about, 1.0)
        if entry.date is not None:
            fields.append(Field(str(entry.date.year)))
        return Document(entry.id, "claims", fields)
    if isinstance(entry, Figure):
        fields += [Field(entry.value, 2.0)] + _both(entry.label, 2.0) + _both(entry.text) + _names(kb, entry.about, 0.5)
        return Document(entry.id, "figures", fields)
    assert isinstance(entry, Topic)
    fields += _both(entry.name, 3.0) + [Field(" ".join(entry.aliases), 3.0)] + _both(entry.text)
    fields += _names(kb, entry.about, 0.5)
    return Document(entry.id, "topics", fields)


def documents(kb: KnowledgeBase) -> Iterator[Document]:
    for entry in kb.entries:
        yield document_for(entry, kb)
