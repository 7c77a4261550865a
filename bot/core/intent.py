"""What kind of answer a question wants: who, when, why, what, how much, a date's events, a timeline."""

from __future__ import annotations

import re
from enum import StrEnum


class Intent(StrEnum):
    WHO = "who"
    WHEN = "when"
    WHY = "why"
    WHAT = "what"
    HOW_MUCH = "how_much"
    ON_DATE = "on_date"
    TIMELINE = "timeline"


# Patterns in order of specificity: where two match at the same place, the earlier one wins.
_EN: list[tuple[Intent, re.Pattern[str]]] = [
    (Intent.TIMELINE, re.compile(r"\b(timeline|chronolog\w*|sequence of events|order of events|history of)\b")),
    (
        Intent.HOW_MUCH,
        re.compile(r"\bhow (much|many)\b|\bwhat (percent|percentage|share|fraction|proportion|portion)\b"),
    ),
    (Intent.WHEN, re.compile(r"\bwhen\b|\bwhat (date|day|month|year|time)\b|\bhow long ago\b")),
    (
        Intent.WHY,
        re.compile(
            r"\bwhy\b|\bwhat (is|was|were|are) the reasons?\b|\breasons?\b|\bhow come\b"
            r"|\bwhat (led|caused|drove|made|prompted|motivated)\b|\bmotive"
        ),
    ),
    (
        Intent.WHO,
        re.compile(
            r"\bwho(m|se)?\b|\bwhich (\w+ ){0,2}(researcher|person|people|employee|member|co-?founder|staffer|"
            r"executive|leader|one)s?\b"
        ),
    ),
    (Intent.WHAT, re.compile(r"\bwhat\b|\bwhich\b|\bdescribe\b|\btell me about\b|\bexplain\b")),
]
_EN_ON_DATE = re.compile(r"\b(happen\w*|took place|occur\w*|go(es|ing)? on|went on|events?)\b")

_ZH: list[tuple[Intent, re.Pattern[str]]] = [
    (Intent.TIMELINE, re.compile(r"时间线|时间轴|大事记|来龙去脉|时间表|始末|经过")),
    (Intent.HOW_MUCH, re.compile(r"多少|几个(?!月)|几名|几位|几人|百分之几|比例|多大|几成")),
    (Intent.WHEN, re.compile(r"什么时候|何时|哪天|哪一天|哪年|哪一年|几月|几号|什么时间|日期|哪个月")),
    (Intent.WHY, re.compile(r"为什么|为何|原因|为啥|怎么会|理由|动机|缘故")),
    (Intent.WHO, re.compile(r"谁|哪位|哪个人|哪些人|什么人|哪名|哪几位|哪两位|哪两个人|哪几个人|哪两人")),
]
_ZH_ON_DATE = re.compile(r"发生了?什么|发生了?哪些|有什么事|出了什么事|什么事|哪些事")


def detect_intent(text: str, language: str, has_date: bool) -> Intent:
    """The intent of the first question word (English "what caused" and "what date" count as why / when)."""
    lowered = text.lower()
    table = _ZH if language == "zh" else _EN
    on_date = _ZH_ON_DATE if language == "zh" else _EN_ON_DATE
    if table[0][1].search(lowered):
        return Intent.TIMELINE
    if has_date and on_date.search(lowered):
        return Intent.ON_DATE
    best: tuple[int, int, Intent] | None = None
    for rank, (intent, pattern) in enumerate(table[1:]):
        match = pattern.search(lowered)
        if match and (best is None or (match.start(), rank) < best[:2]):
            best = (match.start(), rank, intent)
    if best is None and language == "zh":  # English question words inside a Chinese sentence
        return detect_intent(text, "en", has_date)
    return best[2] if best else Intent.WHAT
