"""Find the question inside what a person typed: greetings, addressing and preambles set aside.

People write "hey bot, who is …", "Hi! Quick one: how much …", "你好！请问 …", or three sentences of
background before the question. The words that matter are the question's own; the rest must neither
count as something the knowledge lacks nor pull the search elsewhere.
"""

from __future__ import annotations

import re

# A greeting, an @-mention or a lead-in at the start of the text (repeated: "Hi! Quick one: ...").
_LEAD_IN = re.compile(
    r"^\s*(?:(?:hey|hi|hello|hiya|yo|howdy|greetings|good (?:morning|afternoon|evening)|dear)\b(?:\s+(?:there|all|"
    r"bot|citebot|folks|guys|team)\b)?|@\S+|<@\w+>|ok(?:ay)?\b|so\b|um+\b|uh+\b|well\b|hmm+\b|"
    r"(?:a\s+)?quick (?:one|question|q)\b|one (?:more )?(?:thing|question)\b|(?:please|pls|plz)\b|thanks?\b|"
    r"thank you\b)\s*(?:[,!.:;~\-—]+\s*|$)?"
    r"|^\s*(?:你好(?:啊|呀)?|您好|嗨|哈喽|哈啰|喂|嘿|请问(?:一下)?|想问(?:一下)?|问一下|我想问(?:一下)?|打扰一下|"
    r"麻烦问一下)\s*[,，!！。:：;；~～]*\s*",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?。！？])\s*|(?<=[:：])\s+|(?<=[:：])(?=[\u4e00-\u9fff])")
_ASKS = re.compile(
    r"\?|？|\b(who|whom|whose|what|when|where|why|which|how|did|does|do|is|was|were|are|has|have|can|could|"
    r"should|would|will|tell me|explain|describe)\b|谁|什么|何时|哪|为什么|为何|怎么|如何|多少|几|吗|呢|是否|有没有",
    re.I,
)
_WORDS = re.compile(r"[A-Za-z0-9']+|[\u4e00-\u9fff]")


def without_lead_in(text: str) -> str:
    """``text`` without the greetings and addressing it starts with ("hey bot, who is …" -> "who is …")."""
    while True:
        match = _LEAD_IN.match(text)
        if not match or match.end() == 0 or match.end() >= len(text):
            return text
        text = text[match.end():]


def question_focus(text: str) -> str:
    """The part of ``text`` that asks: the last sentence that asks something (after a colon when the
    asking starts there), or the whole text when it is one sentence or asks nowhere."""
    text = without_lead_in(text)
    parts = [p for p in _SENTENCE.split(text) if p.strip()]
    if len(parts) <= 1 or len(_WORDS.findall(text)) <= 12:
        return text
    asking = [p for p in parts if _ASKS.search(p)]
    return without_lead_in(asking[-1]).strip() if asking else text
