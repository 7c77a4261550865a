"""Questions about two events at once: which came first, and how long between them.

"Who left first, William Saunders or Daniel Kokotajlo?", "Did Leike announce before or after Sutskever?",
"how many days between saunders quitting and ilya announcing he was leaving", "How long after the board
tried to oust Altman did Ilya quit?", "GPT-4o 发布和 Ilya 宣布离职隔了几天？". Each is split into its two
parts, which are then found as dated events and compared at the precision their dates are known to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Pair(StrEnum):
    ORDER = "order"  # which came first
    BETWEEN = "between"  # how long from one to the other


@dataclass(frozen=True)
class TwoEvents:
    pair: Pair
    first: str  # the part asked about first (as typed)
    second: str
    shared: str = ""  # words both parts share ("who left first, A or B": "left")
    from_start: bool = False  # the first part is a thing whose beginning is meant ("how long did X exist")
    asks: str = ""  # a yes / no about the order ("did A … before B?"): "before" or "after" the second


_FIRST = r"(?:first|earlier|sooner)"
_END = r"\s*[?？.!。！]*\s*$"
_EN: list[tuple[Pair, re.Pattern[str], tuple[str, str]]] = [
    # "how many days between A and B", "how long between A and B"
    (Pair.BETWEEN, re.compile(r"\bhow (?:many (?:days|weeks|months|years)|long|much time)\b.*?\bbetween\s+(?P<a>.+?)"
                              r"\s+and\s+(?P<b>.+?)" + _END, re.I), ("a", "b")),
    # "how long after A did B", "how many days after A did B" ("did" first: "after the team was announced did …")
    (Pair.BETWEEN, re.compile(r"\bhow (?:many (?:days|weeks|months|years)|long|much time)\s+(?:after|since)\s+"
                              r"(?P<a>.+)\s+(?:did|does)\s+(?P<b>.+?)" + _END, re.I), ("a", "b")),
    (Pair.BETWEEN, re.compile(r"\bhow (?:many (?:days|weeks|months|years)|long|much time)\s+(?:after|since)\s+"
                              r"(?P<a>.+?)\s+(?:was|were|had)\s+(?P<b>.+?)" + _END, re.I), ("a", "b")),
    (Pair.BETWEEN, re.compile(r"\bhow (?:many (?:days|weeks|months|years)|long|much time)\s+before\s+"
                              r"(?P<b>.+?)\s+(?:did|was|were|does|had)\s+(?P<a>.+?)" + _END, re.I), ("a", "b")),
    # "which came first, A or B", "who left first, A or B", "what happened first: A or B"
    (Pair.ORDER, re.compile(r"^(?P<shared>.*?\b" + _FIRST + r"\b)\s*[,:;]?\s*(?:the\s+)?(?P<a>.+?)\s+or\s+"
                            r"(?P<b>.+?)" + _END, re.I), ("a", "b")),
    # "did A happen before or after B", "was A before or after B"
    (Pair.ORDER, re.compile(r"^\s*(?:did|was|were|is|does|had)\s+(?P<a>.+?)\s+(?:happen\s+)?(?:before or after|after "
                            r"or before|earlier or later|later or earlier)\s+(?P<b>.+?)" + _END, re.I), ("a", "b")),
    # "did A resign before B did", "was A fired after B": a yes or a no about the order (two people: see Reader)
    (Pair.ORDER, re.compile(r"^\s*(?:did|was|were|had)\s+(?P<a>.+?)\s+(?P<asks>before|after|earlier than|later than|"
                            r"prior to)\s+(?P<b>.+?)" + _END, re.I), ("a", "b")),
    # "how long did the team exist before it was disbanded": from its start to that event
    (Pair.BETWEEN, re.compile(r"\bhow long did\s+(?P<a>.+?)\s+(?:exist|last|run|survive|go on)\s+(?:before|until)\s+"
                              r"(?P<b>.+?)" + _END, re.I), ("a", "b")),
    # "A or B: which came first?", "A or B, who left first?"
    (Pair.ORDER, re.compile(r"^(?P<a>.+?)\s+or\s+(?P<b>.+?)\s*[,:;]\s*(?P<shared>(?:which|who|what)\b.*\b" + _FIRST
                            + r"\b.*)" + _END, re.I), ("a", "b")),
]
_SPAN = r"(?:多久|多长时间|几天|多少天|几个月|多少个月)"
_WHICH = r"(?:谁|哪个|哪一个|哪件事?|哪一件事?|哪项|哪一项)"
_ZH: list[tuple[Pair, re.Pattern[str], tuple[str, str]]] = [
    (Pair.BETWEEN, re.compile(r"^(?:从|自)(?P<a>.+?)[,，]?\s*(?:到|至)(?P<b>.+?)[,，]?\s*"
                              r"(?:差不多|大约|大概|一共|总共)?(?:隔了|相隔|间隔|过了|经过了|有)?\s*" + _SPAN),
     ("a", "b")),
    (Pair.BETWEEN, re.compile(r"^(?P<a>.+?)(?:以后|之后|后)(?:过了|隔了)" + _SPAN + r"[,，]?(?P<b>.+?)" + _END),
     ("a", "b")),
    (Pair.BETWEEN, re.compile(r"^(?P<a>.+?)(?:和|与|跟|到)(?P<b>.+?)(?:之间)?"
                              r"(?:隔了|相隔|相差|差了|间隔)"), ("a", "b")),
    (Pair.BETWEEN, re.compile(r"^(?P<a>.+?)(?:之后|以后|后)" + _SPAN + r"(?P<b>.+?)" + _END), ("a", "b")),
    # "谁先离开 OpenAI,桑德斯还是科科塔伊洛?": what both did, then who
    (Pair.ORDER, re.compile(r"^(?P<shared>" + _WHICH + r"(?:先|更早|最先|最早).+?)[,，:：]\s*(?P<a>.+?)"
                            r"(?:还是|或是|或者)(?P<b>.+?)" + _END), ("a", "b")),
    (Pair.ORDER, re.compile(r"^(?P<a>.+?)(?:还是|或是|或者)(?P<b>.+?)(?P<shared>先.*|更早.*|在前.*)" + _END),
     ("a", "b")),
    (Pair.ORDER, re.compile(r"^(?P<a>.+?)(?:和|与|跟)(?P<b>.+?)[,，]?\s*"
                            r"(?P<shared>" + _WHICH + r"(?:先|在前|在先|更早).*)" + _END), ("a", "b")),
    (Pair.ORDER, re.compile(r"^(?P<a>.+?)是在(?P<b>.+?)(?:之前还是之后|之后还是之前|以前还是以后)"), ("a", "b")),
    # "桑德斯是在莱克之前辞职的吗?", "桑德斯比莱克先辞职吗?": a yes or a no about the order
    (Pair.ORDER, re.compile(r"^(?P<a>.+?)(?:是)?在(?P<b>.+?)(?P<asks>之前|以前|之后|以后)(?P<shared>.+?)(?:的)?"
                            r"(?:吗|么|嘛)" + _END), ("a", "b")),
    (Pair.ORDER, re.compile(r"^(?P<a>.+?)(?:是)?比(?P<b>.+?)(?P<asks>更早|早|先|更晚|晚)(?P<shared>.+?)(?:的)?"
                            r"(?:吗|么|嘛)" + _END), ("a", "b")),
]
_ASKS = {"before": "before", "earlier than": "before", "prior to": "before", "after": "after", "later than": "after",
         "之前": "before", "以前": "before", "更早": "before", "早": "before", "先": "before", "之后": "after",
         "以后": "after", "更晚": "after", "晚": "after"}


def two_events(text: str, language: str) -> TwoEvents | None:
    """The two parts of a which-first or how-long-between question, or None for any other question."""
    for table in (_ZH, _EN) if language == "zh" else (_EN,):
        for pair, pattern, (a, b) in table:
            match = pattern.search(text)
            if match:
                shared = match.groupdict().get("shared") or ""
                first, second = _trim(match.group(a)), _trim(match.group(b))
                asks = _ASKS.get((match.groupdict().get("asks") or "").lower(), "")
                if first and second:
                    return TwoEvents(pair, first, second, shared, from_start="exist|last" in pattern.pattern,
                                     asks=asks)
    return None


def _trim(part: str) -> str:
    part = re.sub(r"^(?:the|a|an|when|that)\s+|[,，:：]$", "", part.strip(" ,，:：?？"), flags=re.I)
    return re.sub(r"\s+(?:did|does|do|was|were|had|has)$", "", part.strip(), flags=re.I).strip()
