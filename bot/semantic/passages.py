"""The text of each knowledge entry that the encoder embeds, one passage per language."""

from __future__ import annotations

from bot.core.compose import entry_text
from bot.knowledge.models import Claim, Entry, Event, Figure, Person, Topic

LANGUAGES = ("en", "zh")


def passage_text(entry: Entry, language: str) -> str:
    """What the entry says, led by what it is called (a title, a name), as a reader would search it."""
    if isinstance(entry, Person | Topic):
        lead = entry.name.get(language)
        return entry_text(entry, language) if isinstance(entry, Person) else f"{lead}: {entry.text.get(language)}"
    if isinstance(entry, Event):
        return f"{entry.title.get(language)}. {entry_text(entry, language)}"
    if isinstance(entry, Figure):
        return f"{entry.value} — {entry.label.get(language)}. {entry.text.get(language)}"
    assert isinstance(entry, Claim)
    by = entry.by_label.get(language) if entry.by_label is not None else ""
    return f"{by}: {entry.text.get(language)}" if by else entry.text.get(language)
