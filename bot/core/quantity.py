"""What kind of quantity a "how much / how many / how long" question asks for, and whether a text states
one: "in dollars" is not answered by a percentage, nor "how many GPUs" by a share of compute."""

from __future__ import annotations

import re
from enum import StrEnum


class Quantity(StrEnum):
    SHARE = "share"  # a percentage or fraction
    MONEY = "money"
    COUNT = "count"  # of people, things
    DURATION = "duration"  # how long: days, months, years, for life
    ANY = "any"  # a number of some kind ("多少", "how much")


_EN = [
    (Quantity.MONEY, re.compile(r"\b(dollars?|usd|\$|euros?|money|salary|salaries|paid|pay|income|earn\w*|"
                                r"price|how much (?:is|was) .* worth|worth in)\b|\$", re.I)),
    (Quantity.SHARE, re.compile(r"%|\b(percent\w*|share|fraction|proportion|portion|how much of)\b", re.I)),
    (Quantity.DURATION, re.compile(r"\bhow long\b|\bhow many (days|weeks|months|years|hours)\b", re.I)),
    (Quantity.COUNT, re.compile(r"\bhow many\b|\bnumber of\b", re.I)),
    (Quantity.ANY, re.compile(r"\bhow much\b", re.I)),
]
_ZH = [
    (Quantity.MONEY, re.compile(r"美元|美金|多少钱|薪水|薪资|工资|年薪|收入|估值|金额")),
    (Quantity.SHARE, re.compile(r"百分之几|百分比|比例|几成|%")),
    (Quantity.DURATION, re.compile(r"多久|多长时间|几天|多少天|(?<!过去)(?<!最近)(?<!前)几个月|"
                                   r"多少个月|几年|多少年|隔了")),
    (Quantity.COUNT, re.compile(r"几个|几名|几位|几人|多少名|多少位|多少人|多少个")),
    (Quantity.ANY, re.compile(r"多少|多大")),
]

_NUMBER_WORD = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|thousands?|"
                r"millions?|billions?|several|half|all")
_STATES = {
    Quantity.SHARE: re.compile(r"\d\s*%|percent|百分之|分之|一半|half|fifth|quarter|两成|八成", re.I),
    Quantity.MONEY: re.compile(r"\$\s?\d|\d\s*(?:dollars|usd|million|billion)|(?:millions|billions) of dollars|"
                               r"美元|万美元|亿美元|数百万|数十亿", re.I),
    Quantity.DURATION: re.compile(r"\b\d+\s*(?:days?|weeks?|months?|years?|hours?)\b|\b(?:" + _NUMBER_WORD
                                  + r")[- ](?:days?|weeks?|months?|years?|hours?)\b|for life|rest of (?:their|his|"
                                  r"her) li(?:fe|ves)|lifetime|forever|permanent|终身|余生|一辈子|\d+\s*[天年]|"
                                  r"[一二三四五六七八九十两]+(?:天|年|个月)", re.I),
    Quantity.COUNT: re.compile(r"\b\d+\b(?!\s*%)|\b(?:" + _NUMBER_WORD + r")\b|[一二三四五六七八九十两]+\s*[名位个人]|"
                               r"\d+\s*[名位个人]", re.I),
}
_STATES[Quantity.ANY] = re.compile("|".join(p.pattern for p in _STATES.values()), re.I)


def asked_quantity(text: str, language: str) -> Quantity | None:
    """The kind of quantity ``text`` asks for, the most specific first; None when it asks for none."""
    for kind, pattern in _ZH if language == "zh" else _EN:
        if pattern.search(text):
            return kind
    if language == "zh":  # English words in a Chinese question ("多少 GPU", "how much 算力")
        for kind, pattern in _EN:
            if pattern.search(text):
                return kind
    return None


_DATES = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s*"
                    r"(?:\d{4})?|\b\d{4}-\d{2}(?:-\d{2})?\b|\d{4}\s*年(?:\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?)?|"
                    r"\b(?:19|20)\d{2}\b|\d{1,2}\s*月\s*\d{1,2}\s*日", re.I)


def states_quantity(text: str, kind: Quantity) -> bool:
    """Whether ``text`` states a quantity of that kind; dates ("May 17, 2024") are not counts."""
    return _STATES[kind].search(_DATES.sub(" ", text)) is not None


_HOW_MANY = re.compile(r"\bhow many\s+(?:of\s+the\s+|of\s+)?(?:[a-z-]+\s+){0,2}?([a-z]+s)\b", re.I)
PEOPLE_NOUNS = frozenset("people persons employees staff staffers researchers members workers leaders executives "
                         "founders engineers scientists men women others departures colleagues".split())


def counted_noun(text: str) -> str | None:
    """What a "how many" question counts ("how many GPUs" -> "gpus"), when it names a plural noun."""
    match = _HOW_MANY.search(text)
    return match.group(1).lower() if match else None


def counts_noun(text: str, nouns: set[str]) -> bool:
    """Whether ``text`` puts a number before one of ``nouns`` ("7,000 GPUs", "two of its researchers")."""
    number = r"(?:\d[\d,.]*|" + _NUMBER_WORD + r")"
    words = "|".join(re.escape(n) for n in nouns)
    return re.search(rf"\b{number}\s+(?:[a-z-]+\s+){{0,2}}(?:{words})\w*", _DATES.sub(" ", text), re.I) is not None
