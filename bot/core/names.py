"""Resolve the people a question names: aliases in either script, tolerant of typos (rapidfuzz)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.core.sounds import SoundsLike
from bot.core.text import EN_STOPWORDS, clean
from bot.knowledge.base import KnowledgeBase

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
_NAME_DOTS = re.compile(r"[·•・.\s]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
FUZZY_CUTOFF = 80.0
NEAR_NAME_EDITS = 2  # edits (a swap counts one) a word beside a found name may be from the rest of that name


@dataclass(frozen=True)
class Mention:
    person_id: str
    text: str
    span: tuple[int, int]
    exact: bool


def _latin_key(alias: str) -> str:
    return " ".join(w.lower() for w in _LATIN_WORD.findall(clean(alias)))


class NameResolver:
    """Finds people by name, alias, Chinese rendering, or a near miss of one ("Sutskver", "Jan Leik")."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.latin: dict[str, str] = {}
        self.han: dict[str, str] = {}
        for person in kb.people:
            for alias in (person.name.en, person.name.zh, *person.aliases):
                alias = clean(alias)
                if re.search(r"[A-Za-z]", alias) and not re.search(r"[\u4e00-\u9fff]", alias):
                    self.latin.setdefault(_latin_key(alias), person.id)
                elif alias:
                    self.han.setdefault(_NAME_DOTS.sub("", alias), person.id)
        self._longest = max((k.count(" ") + 1 for k in self.latin), default=1)
        # One compiled alternation, longest alias first: per-alias patterns would overflow re's cache.
        ordered = sorted(self.han, key=len, reverse=True)
        self._han_pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None
        self._fuzzy_keys = [k for k in self.latin if " " not in k and len(k) >= 4]
        self.sounds = SoundsLike(kb)
        self._words_of: dict[str, list[str]] = {}  # each person's single name words ("jan", "leike")
        for key, person_id in self.latin.items():
            self._words_of.setdefault(person_id, []).extend(w for w in key.split() if len(w) >= 3)

    def find(self, text: str, vocabulary: frozenset[str] | set[str] = frozenset(), *,
             guesses: list[str] | None = None, exact_only: bool = False) -> list[Mention]:
        """Mentions in ``text``; ``vocabulary`` holds ordinary words that are never taken for typos of names.
        Given a ``guesses`` list, Chinese renderings the aliases lack are matched by sound too, and the
        persons they only may be are added to it (for a "did you mean"). ``exact_only``: names and aliases
        as written, no typo matching (for text the bot wrote itself)."""
        cleaned, origin = _cleaned(text)
        found = self._find(cleaned, vocabulary, guesses, exact_only)
        if origin is None or cleaned == text:
            return found
        # spans into the text as given: a masked date ("在       罢免奥特曼") is not one space to the caller
        out = []
        for m in found:
            span = (origin[m.span[0]], origin[m.span[1] - 1] + 1)
            out.append(Mention(m.person_id, text[span[0]:span[1]], span, m.exact))
        return out

    def _find(self, text: str, vocabulary: frozenset[str] | set[str], guesses: list[str] | None,
              exact_only: bool = False) -> list[Mention]:
        found: list[Mention] = []
        squeezed, positions = _squeeze(text)
        for match in self._han_pattern.finditer(squeezed) if self._han_pattern else ():
            span = (positions[match.start()], positions[match.end() - 1] + 1)
            found.append(Mention(self.han[match.group(0)], text[span[0] : span[1]], span, True))
        if guesses is not None and _HAN.search(text):
            for heard in self.sounds.hear(text, [m.span for m in found]):
                if heard.sure:
                    found.append(Mention(heard.person_id, heard.text, heard.span, False))
                else:
                    guesses.append(heard.person_id)
        latin = [(m.group(0), m.span()) for m in _LATIN_WORD.finditer(text)]
        used = [False] * len(latin)
        for size in range(min(self._longest, len(latin)), 0, -1):
            for i in range(len(latin) - size + 1):
                if any(used[i : i + size]):
                    continue
                key = " ".join(w.lower() for w, _ in latin[i : i + size])
                person = self.latin.get(key)
                if person and not (size == 1 and _is_month_word(text, latin[i])):
                    span = (latin[i][1][0], latin[i + size - 1][1][1])
                    found.append(Mention(person, text[span[0] : span[1]], span, True))
                    used[i : i + size] = [True] * size
        if exact_only:
            return found
        by_word = {i: m.person_id for m in found for i, (_, span) in enumerate(latin) if _overlap(span, m.span)}
        for i, (word, span) in enumerate(latin):
            # the rest of a name already found, misspelt worse than a lone word may be: "jan liek"
            neighbour = by_word.get(i - 1) or by_word.get(i + 1)
            if used[i] or neighbour is None or len(word) < 4 or word.lower() in EN_STOPWORDS:
                continue
            if any(OSA.distance(word.lower(), key) <= NEAR_NAME_EDITS for key in self._words_of.get(neighbour, ())):
                found.append(Mention(neighbour, word, span, False))
                used[i] = True
        for i, (word, span) in enumerate(latin):
            lowered = word.lower()
            if used[i] or len(word) < 4 or lowered in EN_STOPWORDS or lowered in vocabulary:
                continue
            best = process.extractOne(lowered, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if best:
                found.append(Mention(self.latin[best[0]], word, span, False))
                used[i] = True
        return sorted(found, key=lambda m: m.span)


def _cleaned(text: str) -> tuple[str, list[int] | None]:
    """``clean(text)`` and, for each of its characters, where in ``text`` it came from (each character
    cleaned alone; None where that differs from cleaning the whole)."""
    whole = clean(text)
    pieces = [(clean(f"a{char}a")[1:-1] if char.isspace() else clean(char), n) for n, char in enumerate(text)]
    kept, origin = [], []
    for piece, n in pieces:
        for char in piece:
            if char == " " and (not kept or kept[-1] == " "):
                continue
            kept.append(char)
            origin.append(n)
    while kept and kept[-1] == " ":
        kept.pop()
        origin.pop()
    if "".join(kept) != whole:
        return whole, None
    return whole, origin


def _is_month_word(text: str, word: tuple[str, tuple[int, int]]) -> bool:
    """'Jan 2024' is January, not Jan Leike."""
    return word[0].lower() == "jan" and re.match(r"\.?\s*\d", text[word[1][1] :]) is not None


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _squeeze(text: str) -> tuple[str, list[int]]:
    """``text`` without name separators (·, dots, spaces) and where each kept character came from."""
    kept, positions = [], []
    for n, char in enumerate(text):
        if not _NAME_DOTS.match(char):
            kept.append(char)
            positions.append(n)
    return "".join(kept), positions
