"""The first stage: a question's text cleaned and normalised, before anything is read into it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.script import is_traditional, to_simplified
from bot.core.text import clean, detect_language, has_han


@dataclass(frozen=True)
class Reading:
    text: str  # cleaned (invisible and control characters dropped, spaces collapsed); Chinese in Simplified
    language: str  # "en" or "zh": what the answer is written in
    traditional: bool  # asked in Traditional Chinese: matched in Simplified, answered in Traditional


def read(raw: str, hint: str | None = None) -> Reading:
    whole = clean(raw)
    traditional = has_han(whole) and is_traditional(whole)
    if has_han(whole):
        whole = to_simplified(whole)
    return Reading(whole, detect_language(whole, hint), traditional)
