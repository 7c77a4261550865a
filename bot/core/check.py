"""The last stage: an answer says only what its cited entries say, and cites them as the knowledge does.

Checked before an answer leaves the core:
- every citation is one the knowledge holds for that entry (the same source and the same quote, which the
  loader verified against the source when it loaded); each source has one number, shared by its quotes;
  each source's number is marked in the text, every marker in the text has its source, and no marker is
  repeated side by side ("[1][1]");
- every person the text names, every date and every number in it appears in a cited entry (its text in
  either language, its title, date, people, note) or in the question itself; a number of days may be the
  distance between two cited dates.

An answer that fails is not sent: the answerer declines instead and logs what failed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.core.compose import entry_text, entry_title
from bot.core.names import NameResolver
from bot.core.question_dates import find_dates
from bot.core.types import Answer
from bot.core.typography import QUOTED
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.dates import PartialDate
from bot.knowledge.models import Entry, Person

_MARKER = re.compile(r"\[(\d+)\]")
_REPEATED = re.compile(r"\[(\d+)\](?=\[\1\])")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@dataclass(frozen=True)
class Checked:
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


class AnswerCheck:
    def __init__(self, kb: KnowledgeBase, names: NameResolver) -> None:
        self.kb = kb
        self.names = names
        self._persons = {p.id for p in kb.people if p.kind == "person"}
        self._names_of: dict[str, frozenset[str]] = {}

    def check(self, answer: Answer, question: str, asked_people: Iterable[str] = ()) -> Checked:
        if not answer.answered:
            return Checked(("a declined answer carries citations",) if answer.citations else ())
        problems = self._citations(answer)
        entries = [e for e in (self.kb.get(i) for i in dict.fromkeys(
            [*answer.entry_ids, *(c.entry_id for c in answer.citations)])) if e is not None]
        said = _outside_quotes(_MARKER.sub(" ", answer.text))
        material = " ".join(self._material(e) for e in entries)
        problems += self._people(said, entries, material, question, asked_people)
        problems += self._dates(said, entries, material + " " + question)
        problems += self._numbers(said, entries, material + " " + question)
        return Checked(tuple(problems))

    def _citations(self, answer: Answer) -> list[str]:
        problems = []
        numbers = [c.number for c in answer.citations]
        distinct = list(dict.fromkeys(numbers))
        if numbers != sorted(numbers) or distinct != list(range(1, len(distinct) + 1)):
            problems.append(f"citations numbered {numbers}")
        source_of = {c.number: c.source_id for c in answer.citations}
        if len(source_of) != len(set(source_of.values())) or any(
                source_of[c.number] != c.source_id for c in answer.citations):
            problems.append("a source cited under two numbers, or two sources under one")
        for citation in answer.citations:
            entry = self.kb.get(citation.entry_id)
            held = [(c.source, c.quote) for c in getattr(entry, "citations", ())]
            if (citation.source_id, citation.quote) not in held:
                problems.append(f"[{citation.number}] is not a citation the knowledge holds for {citation.entry_id}")
        marked = {int(n) for n in _MARKER.findall(answer.text)}
        if marked != set(numbers):
            problems.append(f"markers {sorted(marked)} but sources {distinct}")
        problems += [f"marker [{n}] twice in a row" for n in dict.fromkeys(_REPEATED.findall(answer.text))]
        return problems

    def _named_in(self, entry: Entry) -> frozenset[str]:
        """Who an entry's words name (computed once per entry: the knowledge does not change under it)."""
        found = self._names_of.get(entry.id)
        if found is None:
            found = frozenset(m.person_id for m in self.names.find(self._material(entry), exact_only=True))
            self._names_of[entry.id] = found
        return found

    def _material(self, entry: Entry) -> str:
        parts = [entry_text(entry, lang) for lang in ("en", "zh")] + [entry_title(entry, lang) for lang in ("en", "zh")]
        note = getattr(entry, "note", None)
        if note is not None:
            parts += [note.en, note.zh]
        date_note = getattr(entry, "date_note", None)
        if date_note is not None:
            parts += [date_note.en, date_note.zh]
        return " ".join(parts)

    def _people(self, said: str, entries: list[Entry], material: str, question: str,
                asked: Iterable[str]) -> list[str]:
        allowed = set(asked)
        for entry in entries:
            if isinstance(entry, Person):
                allowed.add(entry.id)
            allowed.update(i for i in (getattr(entry, "by", None), *getattr(entry, "people", ()),
                                       *getattr(entry, "about", ())) if i)
        for entry in entries:
            allowed |= self._named_in(entry)
        allowed.update(m.person_id for m in self.names.find(question, exact_only=True))
        named = {m.person_id for m in self.names.find(said, exact_only=True) if m.person_id in self._persons}
        return [f"names {p}, whom no cited entry names" for p in sorted(named - allowed)]

    def _dates(self, said: str, entries: list[Entry], material: str) -> list[str]:
        known: list[tuple[int | None, int | None, int | None]] = []
        for entry in entries:
            for date in (getattr(entry, "date", None), getattr(entry, "end", None)):
                if isinstance(date, PartialDate):
                    known.append((date.year, date.month, date.day))
        known += [(d.year, d.month, d.day) for d in find_dates(material)]
        problems = []
        for mention in find_dates(said):
            asked = (mention.year, mention.month, mention.day)
            if not any(all(a is None or a == k for a, k in zip(asked, key, strict=True)) for key in known):
                problems.append(f"the date {said[mention.span[0]:mention.span[1]]!r} is in no cited entry")
        return problems

    def _numbers(self, said: str, entries: list[Entry], material: str) -> list[str]:
        allowed = {_plain(n) for n in _NUMBER.findall(material)}
        days = []
        for entry in entries:
            for date in (getattr(entry, "date", None), getattr(entry, "end", None)):
                if isinstance(date, PartialDate):
                    allowed.update(str(part) for part in (date.year, date.month, date.day) if part is not None)
                    if date.day is not None:
                        days.append(date.first_day)
        for a, b in itertools.combinations(days, 2):  # the time between two cited days, in days or months
            allowed.update({str(abs((a - b).days)), str(round(abs((a - b).days) / 30.44))})
        months = [d.year * 12 + (d.month or 1) for e in entries for d in (getattr(e, "date", None),)
                  if isinstance(d, PartialDate) and d.month is not None]
        allowed.update(str(abs(a - b)) for a, b in itertools.combinations(months, 2))
        value = [getattr(e, "value", "") for e in entries]
        allowed.update(_plain(n) for v in value for n in _NUMBER.findall(v))
        return [f"the number {n} is in no cited entry" for n in dict.fromkeys(_NUMBER.findall(said))
                if _plain(n) not in allowed]


def _plain(number: str) -> str:
    return number.replace(",", "")


def _outside_quotes(text: str) -> str:
    return QUOTED.sub(" ", text)
