"""Read a question: its language, intent, the people and dates it names, and the terms left to search for."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bot.core.conversation import Turn
from bot.core.index import SearchIndex
from bot.core.intent import Intent, detect_intent
from bot.core.names import NameResolver
from bot.core.question_dates import Period, find_dates, period_of
from bot.core.text import EN_STOPWORDS, clean, detect_language, has_han, stem, strip_zh_question, tokens
from bot.knowledge.base import KnowledgeBase

# Words that say what kind of answer is wanted, not what it is about.
_INTENT_TERMS = frozenset(
    [
        stem(w)
        for w in """happen happened took place occur occurred events event reason reasons cause caused timeline
        chronology history date day month year time percent percentage share much many exactly precisely""".split()
    ]
    + "发生 原因 理由 时间 间线 时间线 大事 事记 日期 比例 事情".split()
)
_EN_PRONOUN = re.compile(r"\b(he|him|his|she|her|hers|they|them|their)\b", re.I)
_ZH_PRONOUN = re.compile(r"(?<!其)[他她它](们)?|这件事|此事|那件事")
_FOLLOW_UP = re.compile(r"^\s*(and\s+|so\s+|then\s+)?(what|how)\s+about\b|呢\s*[?？]?\s*$|^\s*那", re.I)
_SENTENCE_START = re.compile(r"(^|[.!?。！？]\s*)$")


@dataclass(frozen=True)
class Understanding:
    text: str
    language: str
    intent: Intent
    people: tuple[str, ...]
    period: Period | None
    terms: tuple[str, ...]
    unknown_names: tuple[str, ...]
    follow_up: bool = False  # people or terms were carried over from the conversation's last turn

    def turn(self, entry_ids: tuple[str, ...]) -> Turn:
        return Turn(self.intent.value, self.people, self.terms, entry_ids)


class Reader:
    def __init__(self, kb: KnowledgeBase, index: SearchIndex) -> None:
        self.kb = kb
        self.index = index
        self.names = NameResolver(kb)
        self._vocabulary = frozenset(index.surface_words)
        self._years = sorted({e.date.year for e in kb.events})

    def read(self, raw: str, hint: str | None = None, last: Turn | None = None) -> Understanding:
        text = clean(raw)
        language = detect_language(text, hint)
        dates = find_dates(text)
        period = period_of(text, dates, self._years)
        rest = _mask(text, [d.span for d in dates])
        mentions = self.names.find(rest, self._vocabulary)
        people = tuple(dict.fromkeys(m.person_id for m in mentions))
        rest = _mask(rest, [m.span for m in mentions])
        unknown = self._unknown_names(rest)
        unknown_terms = {t for name in unknown for t in tokens(name)}
        terms = tuple(t for t in self._terms(rest, language) if t not in unknown_terms)
        intent = detect_intent(text, language, period is not None)

        follow_up = False
        if last is not None:
            pronoun = (_ZH_PRONOUN if language == "zh" else _EN_PRONOUN).search(rest)
            bare = not terms and period is None
            if not people and (pronoun or bare):
                people, follow_up = last.people, True
            if bare and (not mentions or _FOLLOW_UP.search(text)):
                terms, follow_up = last.terms, True
                if _FOLLOW_UP.search(text) and intent is Intent.WHAT:
                    intent = Intent(last.intent)
        return Understanding(text, language, intent, people, period, terms, unknown, follow_up)

    def _terms(self, rest: str, language: str) -> tuple[str, ...]:
        if language == "zh" or re.search(r"[\u4e00-\u9fff]", rest):
            rest = strip_zh_question(rest)
        out = []
        for token in drop_junctions(tokens(rest), self.index):
            if token in _INTENT_TERMS:
                continue
            out.append(token if token in self.index else self._corrected(token))
        return tuple(dict.fromkeys(out))

    def _corrected(self, token: str) -> str:
        """A near miss of a known word ("superalignmnet") becomes that word; anything else stays unknown."""
        if len(token) < 5 or not token.isalpha() or not token.isascii():
            return token
        best = process.extractOne(token, self.index.surface_words, scorer=fuzz.ratio, score_cutoff=85)
        return stem(best[0]) if best else token

    def _unknown_names(self, rest: str) -> tuple[str, ...]:
        """Capitalised words the knowledge base has never seen: names of things it knows nothing about."""
        names: list[str] = []
        current: list[str] = []
        for match in re.finditer(r"[A-Za-z0-9][A-Za-z0-9'\-]*|[^\sA-Za-z0-9]+", rest):
            word = match.group(0).rstrip("'-")
            lowered = word.lower()
            model_name = bool(re.search(r"[a-z]", lowered) and re.search(r"\d", lowered))  # GPT-5, Claude3
            capitalised = word[:1].isupper() and not _SENTENCE_START.search(rest[: match.start()])
            if model_name:
                known = lowered in self.index.forms
            else:
                known = lowered in EN_STOPWORDS or all(t in self.index for t in tokens(word))
            if (capitalised or model_name) and not known and len(word) > 1:
                current.append(word)
                continue
            if current:
                names.append(" ".join(current))
                current = []
        if current:
            names.append(" ".join(current))
        return tuple(names)


def drop_junctions(grams: list[str], index: SearchIndex) -> list[str]:
    """Drop unknown Chinese bigrams that straddle a known word's edge ("论坛上发帖": 坛上, 上发).

    Bigrams of unsegmented text include pairs across word boundaries; where a character already
    belongs to a known bigram, an unknown bigram using it is boundary noise, not an unknown word.
    """
    explained = {char for gram in grams if len(gram) == 2 and has_han(gram) and gram in index for char in gram}
    return [g for g in grams if not (len(g) == 2 and has_han(g) and g not in index and set(g) & explained)]


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)
