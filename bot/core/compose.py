"""Turn chosen knowledge entries into answer text with numbered citations, in the asker's language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.core.types import Citation
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Citation as KnownCitation
from bot.knowledge.models import Claim, Entry, Event, Figure, Person, Source, Topic


def date_phrase(event: Event | Claim, language: str) -> str:
    """The entry's date at its own precision: "May 14, 2024", "April 2024", "around May 3, 2024",
    "November 21–22, 2023"."""
    assert event.date is not None
    end = getattr(event, "end", None)
    text = event.date.human(language) if end is None else event.date.human_range(end, language)
    if getattr(event, "approximate", False):
        text = f"约{text}" if language == "zh" else f"around {text}"
    return text


def display_name(person: Person, language: str) -> str:
    if language == "zh" and person.name.zh != person.name.en:
        return f"{person.name.zh}({person.name.en})"
    return person.name.en


def entry_text(entry: Entry, language: str) -> str:
    """The one-to-three-sentence statement an entry makes, able to stand alone."""
    if isinstance(entry, Person):
        sep = ":" if language == "zh" else " — "
        role = entry.role.get(language).rstrip("。.")
        end = "。" if language == "zh" else "."
        gap = "" if language == "zh" else " "
        return f"{display_name(entry, language)}{sep}{role}{end}{gap}{entry.summary.get(language)}"
    if isinstance(entry, Event):
        sep = "——" if language == "zh" else " — "
        return f"{date_phrase(entry, language)}{sep}{entry.text.get(language)}"
    assert isinstance(entry, Claim | Figure | Topic)
    return entry.text.get(language)


def entry_title(entry: Entry, language: str) -> str:
    if isinstance(entry, Person | Topic):
        return entry.name.get(language)
    if isinstance(entry, Event):
        return entry.title.get(language)
    if isinstance(entry, Figure):
        return f"{entry.value}: {entry.label.get(language)}"
    return entry.text.get(language)


@dataclass
class CitationBook:
    """Numbers an answer's sources as it cites them: one number per source, whichever of its quotes is cited;
    the same quote cited twice is listed once."""

    kb: KnowledgeBase
    language: str
    _cited: list[Citation] = field(default_factory=list, init=False, repr=False)
    _numbers: dict[str, int] = field(default_factory=dict, init=False, repr=False)  # source id -> its number

    @property
    def citations(self) -> list[Citation]:
        """Every quote cited, its source's quotes together, sources in the order of their numbers."""
        return sorted(self._cited, key=lambda c: c.number)

    def cite(self, entry: Entry, most: int = 2, *, every_source: bool = False) -> str:
        """Cite ``entry`` and return its markers for the text, e.g. "[1][2]"."""
        return "".join(f"[{n}]" for n in self.numbers(entry, most, every_source=every_source))

    def numbers(self, entry: Entry, most: int = 2, *, every_source: bool = False) -> tuple[int, ...]:
        """Cite ``entry`` and return its sources' numbers, each once."""
        return tuple(dict.fromkeys(self.number(entry, c) for c in self.chosen(entry, most, every_source=every_source)))

    def chosen(self, entry: Entry, most: int = 2, *, every_source: bool = False) -> list[KnownCitation]:
        """The citations of ``entry`` an answer cites: sources in the asker's language first, at most ``most``.

        With ``every_source`` (an answer that shows the entry's note, which may credit any of them) each of
        the entry's sources is cited at least once, beyond ``most`` if need be."""
        ordered = sorted(entry.citations, key=lambda c: self.kb.source(c.source).language != self.language)
        if every_source:
            firsts = list({c.source: c for c in reversed(ordered)}.values())[::-1]  # each source's first
            rest = [c for c in ordered if c not in firsts]
            ordered = firsts + rest
            most = max(most, len(firsts))
        return ordered[:most]

    def number(self, entry: Entry, citation: KnownCitation) -> int:
        """Cite one of ``entry``'s citations (the one holding a quote the answer shows) and return its source's
        number."""
        existing = next(
            (c for c in self._cited if c.source_id == citation.source and c.quote == citation.quote), None
        )
        if existing is None:
            source: Source = self.kb.source(citation.source)
            existing = Citation(
                number=self._numbers.setdefault(source.id, len(self._numbers) + 1),
                source_id=source.id,
                title=source.title,
                publisher=source.publisher,
                url=source.url,
                published=source.published.iso() if source.published else None,
                quote=citation.quote,
                entry_id=entry.id,
                language=source.language,
            )
            self._cited.append(existing)
        return existing.number


_MARKER_RUN = re.compile(r"(?:\[\d+\])+")


def one_marker_each(text: str) -> str:
    """Markers side by side name each source once: "[1][2][1]" is "[1][2]" (two entries cited together may
    share a source)."""
    return _MARKER_RUN.sub(lambda run: "".join(dict.fromkeys(re.findall(r"\[\d+\]", run.group()))), text)
