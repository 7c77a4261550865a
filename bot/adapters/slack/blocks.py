"""Core results as Slack Block Kit, within Slack's limits; every piece of text escaped."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from bot.adapters.texts import clip, labels, split_text
from bot.core.browse import Profile, SourceInfo
from bot.core.timeline import Timeline
from bot.core.types import Answer, Citation

# Slack's limits (https://api.slack.com/reference/block-kit/blocks).
SECTION_TEXT_MAX = 3000
CONTEXT_TEXT_MAX = 3000
BLOCKS_PER_MESSAGE = 50
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
FALLBACK_TEXT_MAX = 3000
MAX_SUGGESTIONS = 5

Block = dict[str, Any]
Message = tuple[list[Block], str]  # (blocks, fallback text for notifications)

def escape(text: str) -> str:
    """Slack's three control characters: no <!channel>, <!here>, <@U…> or links can come from the text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(mrkdwn: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": mrkdwn}}


def context(mrkdwn: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip(mrkdwn, CONTEXT_TEXT_MAX)}]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": clip(text, BUTTON_TEXT_MAX),
                                                         "emoji": True},
                               "action_id": action_id, "value": value[:BUTTON_VALUE_MAX]}
    if style:
        element["style"] = style
    return element


def citation_block(c: Citation) -> Block:
    title = f"<{escape(c.url)}|{escape(c.title)}>" if c.url else escape(c.title)
    meta = " · ".join(escape(x) for x in (c.publisher, c.published) if x)
    return context(f"*[{c.number}]* {title} · {meta}\n“{escape(c.quote)}”")


def share_block(language: str, command: str, text: str) -> Block:
    """The "Share in channel" button under an ephemeral reply: it re-runs ``command text`` for the channel."""
    value = json.dumps({"command": command, "text": text}, ensure_ascii=False)
    return {"type": "actions", "block_id": "share",
            "elements": [button(labels(language)["share"], "share", value, style="primary")]}


def with_share(messages: list[Message], language: str, command: str, text: str) -> list[Message]:
    """Add the share button to the last message (a new message when that one is full)."""
    block = share_block(language, command, text)
    last_blocks, fallback = messages[-1]
    if len(last_blocks) < BLOCKS_PER_MESSAGE:
        return [*messages[:-1], ([*last_blocks, block], fallback)]
    return [*messages, ([block], fallback)]


def _pack(blocks: Sequence[Block], fallback: str) -> list[Message]:
    """At most 50 blocks a message; every message carries the fallback text."""
    chunks = [list(blocks[i:i + BLOCKS_PER_MESSAGE]) for i in range(0, len(blocks), BLOCKS_PER_MESSAGE)]
    return [(chunk, clip(fallback, FALLBACK_TEXT_MAX)) for chunk in chunks or [[]]]


def answer_messages(answer: Answer, version: str) -> list[Message]:
    """The answer, its notes and numbered citations, the version, and the buttons (feedback, suggestions)."""
    text = labels(answer.language)
    blocks: list[Block] = []
    if not answer.answered:
        blocks.append(section(f"*{text['dont_know']}*"))
    blocks += [section(piece) for piece in split_text(escape(answer.text), SECTION_TEXT_MAX)]
    blocks += [context(f"_{text['note']}:_ {escape(note)}") for note in answer.notes]
    blocks += [citation_block(c) for c in answer.citations]
    blocks.append(context(text["footer"].format(v=version)))
    buttons = []
    if answer.answered:
        buttons += [button("👍", "feedback_up", answer.answer_id), button("👎", "feedback_down", answer.answer_id)]
    limit = MAX_SUGGESTIONS if not answer.answered else 3
    buttons += [button(s, f"suggest_{n}", s) for n, s in enumerate(answer.suggestions[:limit])]
    if buttons:
        blocks.append({"type": "actions", "block_id": f"answer:{answer.answer_id}", "elements": buttons})
    return _pack(blocks, answer.text)


def timeline_messages(timeline: Timeline, version: str) -> list[Message]:
    text = labels(timeline.language)
    title = text["of"].format(name=timeline.person) if timeline.person else text["timeline"]
    if not timeline.entries:
        return _pack([section(f"*{escape(title)}*\n{text['none']}")], text["none"])
    lines = [f"*{escape(e.date)}* — {escape(e.title)} " + "".join(f"[{n}]" for n in e.citation_numbers)
             for e in timeline.entries]
    blocks = [section(f"*{escape(title)}*")]
    blocks += [section(piece) for piece in split_text("\n".join(lines), SECTION_TEXT_MAX)]
    blocks += [citation_block(c) for c in timeline.citations]
    blocks.append(context(text["footer"].format(v=version)))
    return _pack(blocks, title)


def profile_messages(profile: Profile, version: str, language: str) -> list[Message]:
    text = labels(language)
    marks = "".join(f"[{n}]" for n in profile.summary_citations)
    blocks = [section(f"*{escape(profile.name)}*\n_{escape(profile.role)}_\n\n{escape(profile.summary)} {marks}")]
    if profile.key_dates:
        lines = [f"*{escape(e.date)}* — {escape(e.title)} " + "".join(f"[{n}]" for n in e.citation_numbers)
                 for e in profile.key_dates]
        key_dates = f"*{text['key_dates']}*\n" + "\n".join(lines)
        blocks += [section(piece) for piece in split_text(key_dates, SECTION_TEXT_MAX)]
    blocks += [context(f"_{text['note']}:_ {escape(note)}") for note in profile.notes]
    blocks += [citation_block(c) for c in profile.citations]
    blocks.append(context(text["footer"].format(v=version)))
    return _pack(blocks, profile.name)


def sources_messages(sources: Sequence[SourceInfo], version: str, language: str) -> list[Message]:
    text = labels(language)
    blocks = [section(f"*{text['sources']}*")]
    for s in sources:
        title = f"<{escape(s.url)}|{escape(s.title)}>" if s.url else escape(s.title)
        meta = " · ".join(escape(x) for x in (s.publisher, s.published, text["cited"].format(n=s.cited_by)) if x)
        blocks.append(section(clip(f"{title}\n{meta}", SECTION_TEXT_MAX)))
    blocks.append(context(text["footer"].format(v=version)))
    return _pack(blocks, text["sources"])
