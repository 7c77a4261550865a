"""What a question takes for granted about someone: how they left ("Why was Leike fired?"), a post they
held ("Since Ilya was OpenAI's CEO …"), whom they replaced ("When did Schulman replace Altman?"). The
reader finds these claims in the words; the responder checks them against the typed facts and corrects
a premise the knowledge contradicts before answering."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.names import Mention

_FIRED = re.compile(r"\b(?:fired|fire|firing|dismissed|dismiss|sacked|sack|let go|terminated|kicked out|pushed out|"
                    r"forced out)\b|开除|解雇|辞退|炒鱿鱼|赶走|被迫离开", re.I)
_RESIGNED = re.compile(r"\b(?:resigned|resign|resigning|quit|quitting|quits|stepped down|step down|walked out|"
                       r"walk out|decided? to (?:leave|quit|go))\b|辞职|主动离开|辞去|请辞|主动辞", re.I)
_REPLACED = re.compile(r"\b(?:replaced?|replacing|succeeded|succeed|took over from|take over from|taking over from)\b|"
                       r"接替|取代|接任|接班", re.I)


_SUCCEEDED = re.compile(r"\b(?:replaced?|replacing|replacement|succeeded|succeed|successors?|took over|take over|taken "
                        r"over|taking over|stepped in for|filled in for)\b|接替|取代|接任|接班|继任|接手|顶替", re.I)


def successor_asked(text: str, mentions: Sequence[Mention], persons: set[str]) -> str | None:
    """Whose successor a question asks for ("who replaced Ilya as chief scientist?", "谁接替了莱克?"): the one
    person it names beside a word of taking over, or None."""
    if _SUCCEEDED.search(text) is None:
        return None
    named = list(dict.fromkeys(m.person_id for m in mentions if m.person_id in persons))
    return named[0] if len(named) == 1 else None


@dataclass(frozen=True)
class Premises:
    departures: tuple[tuple[str, str], ...] = ()  # (person id, "fired" | "resigned") the question assumes
    titles: tuple[tuple[str, str], ...] = ()  # (person id, the post the question gives them, as typed)
    succession: tuple[str, str] | None = None  # (who took over, from whom) the question assumes


def find_premises(text: str, mentions: Sequence[Mention], persons: set[str], titles: Sequence[str]) -> Premises:
    """The claims ``text`` makes about the ``persons`` it mentions (``titles``: every post the knowledge knows,
    in either language, so "CEO" or "首席执行官" is recognised as one)."""
    people = [m for m in mentions if m.person_id in persons]
    if not people:
        return Premises()
    departures: list[tuple[str, str]] = []
    for pattern, how in ((_FIRED, "fired"), (_RESIGNED, "resigned")):
        for match in pattern.finditer(text):
            # who was fired: the subject of "was / got fired" (被开除), the object of "the board fired X" (开除了X)
            active = how == "fired" and not _PASSIVE.search(text[max(0, match.start() - 40):match.start()])
            who = _nearest(people, match.start(), match.end(), text, after_first=active)
            if who is not None:
                departures.append((who.person_id, how))
    held = []
    for title in titles:
        for match in re.finditer(rf"(?<![A-Za-z]){re.escape(title)}(?![A-Za-z])", text, re.I):
            who = _holder(people, text, match.start(), match.end())
            if who is not None:
                held.append((who.person_id, title))
    succession = None
    replaced = _REPLACED.search(text)
    if replaced is not None:
        before = [m for m in people if m.span[1] <= replaced.start()]
        after = [m for m in people if m.span[0] >= replaced.end()]
        if before and after and before[-1].person_id != after[0].person_id:
            succession = (before[-1].person_id, after[0].person_id)
    return Premises(tuple(dict.fromkeys(departures)), tuple(dict.fromkeys(held)), succession)


_CLAUSE_BREAK = re.compile(r"[,，;；:：。.!！?？]|\b(?:and|but|then|after|before|while|when|until)\b|到|然后|之后|以后")


_PASSIVE = re.compile(r"\b(?:was|were|got|get|gets|getting|been|be|being|is|are)\s+(?:\S+\s+){0,4}$"
                      r"|被[^，,。;；]{0,12}$", re.I)


def _nearest(people: Sequence[Mention], start: int, end: int, text: str = "", *, after_first: bool = False
             ) -> Mention | None:
    """The person a verb is said of, in its own clause (nothing like "，到" or ", and" between them): the one
    before it ("why was Leike fired", "奥特曼被董事会开除", "Leike resigned"), or, for an active "fired"
    ("the board that fired Altman", "开除了他"), the one after it."""
    same = [m for m in people if not _CLAUSE_BREAK.search(text[min(m.span[1], start):max(m.span[0], end)])]
    before = [m for m in same if m.span[1] <= start]
    after = [m for m in same if m.span[0] >= end]
    if after_first:
        return min(after, key=lambda m: m.span[0]) if after else None
    return max(before, key=lambda m: m.span[1]) if before else None


# Leaving or keeping a post names it as the person's: "Ilya resigned as CEO", "伊利亚辞去 CEO 一职".
_AS_POST = (r"(?:(?:resign\w*|quit\w*|step\w*\s+down|serv\w*|remain\w*|stay\w*|retir\w*|fired|removed|ousted|"
            r"dismissed|sacked)\s+(?:as|from)(?:\s+(?:the\s+)?(?:post|role|job|position)\s+of)?\s+)")
_APPOSITION = re.compile(r"^\s*(?:,\s*|\s)(?:was|is|as|being|had been|were)?\s*" + _AS_POST + r"?(?:the\s+|a\s+|an\s+)?"
                         r"(?:openai'?s?\s+|former\s+|then\s+|then-)*$|^\s*(?:是|作为|身为|担任|当|做|曾是|曾任|"
                         r"辞去|辞任|卸任|离任|卸下|被免去)?\s*(?:OpenAI\s*的?\s*)?(?:前任|前)?\s*$", re.I)


def _holder(people: Sequence[Mention], text: str, start: int, end: int) -> Mention | None:
    """Whom a post is given to: "Ilya, OpenAI's CEO", "Ilya was the CEO", "CEO Ilya", "伊利亚作为 CEO"."""
    for mention in people:
        between = text[mention.span[1]:start]
        if mention.span[1] <= start and len(between) <= 24 and _APPOSITION.match(between):
            return mention
        gap = text[end:mention.span[0]]
        if mention.span[0] >= end and len(gap) <= 2 and not gap.strip(" 的"):
            return mention  # "CEO Ilya", "首席执行官伊利亚"
    return None


# Losing one's job is being fired, said of the one who lost it ("Izmailov lost his job", "丢了工作").
_LOST_JOB = re.compile(r"\b(?:lost|lose|loses|losing)\s+(?:\w+\s+){0,2}jobs?\b|丢了?(?:工作|饭碗)|丢掉了?工作|"
                       r"失去了?工作", re.I)


def ways_of_leaving(text: str) -> frozenset[str]:
    """The ways of leaving ``text`` speaks of: "fired", "resigned", both, or none (it says "left", or nothing)."""
    fired = _FIRED.search(text) is not None or _LOST_JOB.search(text) is not None
    resigned = _RESIGNED.search(text) is not None
    return frozenset(how for how, said in (("fired", fired), ("resigned", resigned)) if said)


def leaving_words(text: str) -> str:
    """The words of ``text`` that say someone was fired or resigned ("let go", "lost their jobs", "辞职")."""
    return " ".join(m.group(0) for pattern in (_FIRED, _RESIGNED, _LOST_JOB) for m in pattern.finditer(text))
