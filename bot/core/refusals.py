"""Questions the bot will not take: too long, or asked too fast. Said plainly, in the asker's language."""

from __future__ import annotations

import math
from dataclasses import replace

from bot.core.text import detect_language
from bot.core.types import Answer

_TEXTS = {
    "too_long": {
        "en": "That question is too long ({n} characters; the limit is {limit}). Please ask it in fewer words.",
        "zh": "这个问题太长了（{n} 个字符，上限 {limit}）。请简短一些再问。",
    },
    "rate_limited": {
        "en": "You're asking faster than I can keep up. Please try again in {s} s.",
        "zh": "提问太快了，请 {s} 秒后再试。",
    },
}


def too_long(text: str, limit: int, hint: str | None = None) -> Answer:
    language = detect_language(text[:limit], hint)
    return _refusal("too_long", language, n=len(text), limit=limit)


def rate_limited(text: str, wait_seconds: float, hint: str | None = None) -> Answer:
    seconds = max(1, math.ceil(wait_seconds))
    answer = _refusal("rate_limited", detect_language(text, hint), s=seconds)
    return replace(answer, retry_after=float(seconds))


def _refusal(reason: str, language: str, **values: object) -> Answer:
    return Answer(text=_TEXTS[reason][language].format(**values), language=language, intent="refused",
                  answered=False, confidence=0.0, refusal=reason)
