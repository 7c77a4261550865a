"""Core results as Slack Block Kit, within Slack's limits; every piece of text escaped (and the whole payload
defused again on its way out: ``outgoing.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from bot.adapters.defuse import inert
from bot.adapters.texts import clip, labels, split_text
from bot.core.browse import Profile, SourceInfo
from bot.core.timeline import Timeline
from bot.core.types import Answer, Citation, CitedSource, by_source

# Slack's limits (https://api.slack.com/reference/block-kit/blocks).
SECTION_TEXT_MAX = 3000
CONTEXT_TEXT_MAX = 3000
BLOCKS_PER_MESSAGE = 50
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2000
FALLBACK_TEXT_MAX = 3000
PICTURE_COMMENT_BYTES = 2000  # UTF-8; files.completeUploadExternal takes it in the query string
SOURCE_TITLE_MAX = 60
MAX_SUGGESTIONS = 5

Block = dict[str, Any]
Message = tuple[list[Block], str]  # (blocks, fallback text for notifications)

def escape(text: str) -> str:
    """Text as Slack shows it and nothing more: Slack's three control characters escaped (no <!channel>, <@U…>
    or <url|label> can come from it), its URLs unlinkable and @channel / @here / @everyone inert."""
    return inert(_escape_html(text))


def link(url: str, label: str) -> str:
    """A link the bot means: a knowledge-base source (the only URLs ``outgoing.defuse`` lets through)."""
    return f"<{_escape_html(url)}|{escape(label)}>"


def _escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> dict[str, Any]:
    """A mrkdwn text object; ``verbatim``: Slack adds no link and parses no mention of its own in it."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> Block:
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(clip(text, CONTEXT_TEXT_MAX))]}


def notice(text: str) -> list[Message]:
    """A plain message (an error, a refusal): the text escaped, in a section and as the fallback."""
    return _pack([section(escape(text))], text)


def preformatted(text: str) -> Message:
    """An admin's report as code blocks (at most 45), and its start as the fallback."""
    pieces = [section(f"```{piece}```") for piece in split_text(escape(text), SECTION_TEXT_MAX - 6)][:45]
    return pieces, clip(escape(text), FALLBACK_TEXT_MAX)


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": {"type": "plain_text", "text": clip(text, BUTTON_TEXT_MAX),
                                                         "emoji": True},
                               "action_id": action_id, "value": value[:BUTTON_VALUE_MAX]}
    if style:
        element["style"] = style
    return element


def source_blocks(s: CitedSource) -> list[Block]:
    """One source: "*[n]* title · publisher · date", then each quote cited from it on a line of its own; quotes
    beyond a block's 3,000 characters go on in further blocks (the number is shown once)."""
    title = link(s.url, s.title) if s.url else escape(s.title)
    meta = " · ".join(escape(x) for x in (s.publisher, s.published) if x)
    texts = [f"*[{s.number}]* {title} · {meta}"]
    for n, c in enumerate(s.quotes):
        quote = escape(c.quote)
        if n == 0 or len(texts[-1]) + len(quote) + 3 <= CONTEXT_TEXT_MAX:  # the first beside the title
            texts[-1] += f"\n“{quote}”"
        else:
            texts.append(f"“{quote}”")
    return [context(text) for text in texts]


def sources_blocks(citations: Iterable[Citation]) -> list[Block]:
    return [block for s in by_source(citations) for block in source_blocks(s)]


def share_value(command: str, text: str) -> str | None:
    """What the "Share in channel" button carries: the command and its text, to run again on a click, as JSON
    with ``< > & @ / .`` written as \\u escapes (the value holds no mention or link even as raw text); None when
    that is over Slack's 2,000 characters (a cut value would be broken JSON: no button then)."""
    value = json.dumps({"command": command, "text": text}, ensure_ascii=False)
    for char in "&<>@/.":
        value = value.replace(char, f"\\u{ord(char):04x}")
    return value if len(value) <= BUTTON_VALUE_MAX else None


def share_block(language: str, value: str) -> Block:
    """The "Share in channel" button under an ephemeral reply: it re-runs the command for the channel."""
    return {"type": "actions", "block_id": "share",
            "elements": [button(labels(language)["share"], "share", value, style="primary")]}


def with_share(messages: list[Message], language: str, command: str, text: str) -> list[Message]:
    """Add the share button to the last message (a new message when that one is full); a timeline's button
    says that the shared timeline comes with its picture. Unchanged when the command is too long to carry."""
    value = share_value(command, text)
    if value is None:
        return messages
    added = [share_block(language, value)]
    if command == "/timeline":
        added.insert(0, context(labels(language)["with_picture"]))
    last_blocks, fallback = messages[-1]
    if len(last_blocks) + len(added) <= BLOCKS_PER_MESSAGE:
        return [*messages[:-1], ([*last_blocks, *added], fallback)]
    return [*messages, (added, fallback)]


def picture_comment(timeline: Timeline) -> str:
    """The text the timeline picture is posted with: its title and the sources by the numbers its labels carry
    (the quotes are in the timeline's message). Kept short: slack_sdk sends it in the URL."""
    text = labels(timeline.language)
    title = text["of"].format(name=timeline.person) if timeline.person else text["timeline"]
    lines = [f"*{escape(title)}*"]
    for s in by_source(timeline.citations):
        meta = escape(", ".join(x for x in (s.publisher, s.published) if x))
        title = escape(clip(s.title, SOURCE_TITLE_MAX))
        lines.append(f"[{s.number}] {meta} · " + (link(s.url, clip(s.title, SOURCE_TITLE_MAX)) if s.url else title))
    comment = "\n".join(lines)
    while len(comment.encode()) > PICTURE_COMMENT_BYTES and len(lines) > 1:
        lines.pop()  # the last sources go; the timeline's message lists them all
        comment = "\n".join([*lines, "…"])
    return comment


def _pack(blocks: Sequence[Block], fallback: str) -> list[Message]:
    """At most 50 blocks a message; every message carries the fallback text (plain text, escaped here)."""
    chunks = [list(blocks[i:i + BLOCKS_PER_MESSAGE]) for i in range(0, len(blocks), BLOCKS_PER_MESSAGE)]
    return [(chunk, clip(escape(fallback), FALLBACK_TEXT_MAX)) for chunk in chunks or [[]]]


def answer_messages(answer: Answer, version: str) -> list[Message]:
    """The answer, its notes, one numbered block per source, the version, and the buttons (feedback, suggestions)."""
    text = labels(answer.language)
    if answer.refusal:  # too long, or too fast: the reason alone, no buttons
        return _pack([section(escape(answer.text))], answer.text)
    blocks: list[Block] = []
    if not answer.answered:
        blocks.append(section(f"*{text['dont_know']}*"))
    blocks += [section(piece) for piece in split_text(escape(answer.text), SECTION_TEXT_MAX)]
    blocks += [context(f"_{text['note']}:_ {escape(note)}") for note in answer.notes]
    blocks += sources_blocks(answer.citations)
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
    blocks += sources_blocks(timeline.citations)
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
    blocks += sources_blocks(profile.citations)
    blocks.append(context(text["footer"].format(v=version)))
    return _pack(blocks, profile.name)


def sources_messages(sources: Sequence[SourceInfo], version: str, language: str) -> list[Message]:
    text = labels(language)
    blocks = [section(f"*{text['sources']}*")]
    for s in sources:
        title = link(s.url, s.title) if s.url else escape(s.title)
        meta = " · ".join(escape(x) for x in (s.publisher, s.published, text["cited"].format(n=s.cited_by)) if x)
        blocks.append(section(clip(f"{title}\n{meta}", SECTION_TEXT_MAX)))
    blocks.append(context(text["footer"].format(v=version)))
    return _pack(blocks, text["sources"])
