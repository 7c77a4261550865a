"""What the chat adapters say around an answer, in English and Chinese (the answers themselves come from the core)."""

from __future__ import annotations

import re

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "footer": "Knowledge base version {v}", "dont_know": "I don't know", "note": "Note", "sources": "Sources",
        "timeline": "Timeline", "of": "Timeline of {name}", "page": "page {n}/{of}", "key_dates": "Key dates",
        "none": "No events match.", "cited": "cited by {n} entries", "share": "Share in channel",
        "apology": "Sorry — something went wrong while answering. Please try again in a moment.",
        "new": "Thanks for the feedback.", "changed": "Your vote is changed.", "same": "You already voted.",
        "with_picture": "Shared in the channel, the timeline comes with its picture.",
    },
    "zh": {
        "footer": "知识库版本 {v}", "dont_know": "我不知道", "note": "说明", "sources": "来源",
        "timeline": "时间线", "of": "{name}的时间线", "page": "第 {n}/{of} 页", "key_dates": "关键日期",
        "none": "没有符合条件的事件。", "cited": "被 {n} 条知识引用", "share": "分享到频道",
        "apology": "抱歉,回答时出了点问题,请稍后再试。",
        "new": "谢谢你的反馈。", "changed": "已更改你的投票。", "same": "你已经投过票了。",
        "with_picture": "分享到频道时,时间线会附上图片。",
    },
}


def labels(language: str) -> dict[str, str]:
    return LABELS.get(language, LABELS["en"])


def language_of_text(text: str) -> str:
    """For replies with no answer to take the language from (an apology, a thank-you)."""
    return "zh" if re.search(r"[\u4e00-\u9fff]", text) else "en"


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at line, then sentence, then word boundaries."""
    pieces: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n"), window.rfind(". "), window.rfind("。"), window.rfind("; "))
        if cut < limit // 2:
            cut = window.rfind(" ")
        if cut < limit // 2:
            cut = limit - 1
        pieces.append(rest[: cut + 1].rstrip())
        rest = rest[cut + 1:].lstrip()
    if rest:
        pieces.append(rest)
    return pieces
