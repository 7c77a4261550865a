"""Core results as Discord embeds, within Discord's limits: long answers are split, never rejected.

Every text is defused (``safe``): no mention, broadcast or link but the sources' links. The embeds are
``SafeEmbed``s, which defuse all their text again as discord.py serialises them, whichever field it is in.
"""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

import discord

from bot.adapters.defuse import inert
from bot.adapters.texts import clip, labels, split_text
from bot.core.browse import Profile, SourceInfo
from bot.core.timeline import Timeline, TimelineEntry
from bot.core.types import Answer, Citation, CitedSource, by_source
from bot.picture import FILENAME, TimelinePicture

# Discord's embed limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
DESCRIPTION_MAX = 4096
FIELD_NAME_MAX = 256
FIELD_VALUE_MAX = 1024
FIELDS_MAX = 25
TITLE_MAX = 256
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
EMBEDS_PER_MESSAGE = 10
TIMELINE_PAGE_SIZE = 8

ANSWERED = discord.Colour.from_rgb(46, 134, 193)
DECLINED = discord.Colour.from_rgb(149, 165, 166)

_MENTION = re.compile(r"<(@[!&]?|#)(\d+)>")


def safe(text: str, links: Collection[str] = ()) -> str:
    """No mention or link survives but ``links``: @everyone / @here, <@id> / <@&role> / <#channel>, and any
    other URL (bare, in <…> or in a masked [label](url) link) are defused with a zero-width space."""
    text = discord.utils.escape_mentions(text)
    return inert(_MENTION.sub(lambda m: f"<{m.group(1)}\u200b{m.group(2)}>", text), links)


class SafeEmbed(discord.Embed):
    """An embed whose every text field goes through ``safe`` when discord.py serialises it (to send or edit),
    whichever field it is; ``links`` are the URLs it means to link (its citations' sources)."""

    links: frozenset[str] = frozenset()  # also for copies, which discord.py makes without __init__

    def __init__(self, *, links: Iterable[str] = (), **options: Any) -> None:
        super().__init__(**options)
        self.links = frozenset(links)

    def to_dict(self) -> Any:
        return _defused(super().to_dict(), self.links)

    def copy(self) -> SafeEmbed:
        copied = super().copy()
        copied.links = self.links
        return copied


def _defused(value: Any, links: frozenset[str], key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _defused(v, links, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_defused(v, links, key) for v in value]
    if isinstance(value, str) and key in ("title", "description", "name", "value", "text"):
        return safe(value, links)
    return value  # urls, colours, timestamps


def _links(citations: Iterable[Citation]) -> frozenset[str]:
    return frozenset(c.url for c in citations if c.url)


def source_fields(s: CitedSource) -> list[tuple[str, str]]:
    """One source as ("[n] Publisher, date", "the title, linked to the source\n> “quote”\n> “quote”"); quotes
    beyond a field's 1,024 characters go on in further fields with a blank name (the number is shown once)."""
    links = _links(s.quotes)
    name = clip(safe(f"[{s.number}] " + ", ".join(x for x in (s.publisher, s.published) if x)), FIELD_NAME_MAX)
    title = safe(discord.utils.escape_markdown(clip(s.title, 300)).replace("]", "\\]"))
    fields = [(name, f"[{title}]({s.url})" if s.url else title)]
    for n, c in enumerate(s.quotes):
        quote, (label, value) = safe(c.quote, links), fields[-1]
        if n == 0 or len(value) + len(quote) + 5 <= FIELD_VALUE_MAX:  # the first beside the title, cut if need be
            fields[-1] = (label, f"{value}\n> “{clip(quote, FIELD_VALUE_MAX - len(value) - 5)}”")
        else:
            fields.append(("\u200b", f"> “{clip(quote, FIELD_VALUE_MAX - 4)}”"))
    return fields


def _sources_fields(citations: Iterable[Citation]) -> list[tuple[str, str]]:
    return [field for s in by_source(citations) for field in source_fields(s)]


def pack(embeds: Sequence[discord.Embed]) -> list[list[discord.Embed]]:
    """Group embeds into messages: at most 10 per message and 6,000 characters in all."""
    messages: list[list[discord.Embed]] = [[]]
    total = 0
    for embed in embeds:
        size = len(embed)
        if messages[-1] and (len(messages[-1]) >= EMBEDS_PER_MESSAGE or total + size > EMBED_TOTAL_MAX):
            messages.append([])
            total = 0
        messages[-1].append(embed)
        total += size
    return messages


def answer_messages(answer: Answer, version: str) -> list[list[discord.Embed]]:
    """The answer as one or more messages of embeds: text, notes, one numbered block per source, version footer."""
    text = labels(answer.language)
    colour = ANSWERED if answer.answered else DECLINED
    links = _links(answer.citations)
    embeds: list[discord.Embed] = []
    for n, piece in enumerate(split_text(safe(answer.text), DESCRIPTION_MAX)):
        embed = SafeEmbed(description=piece, colour=colour, links=links)
        if n == 0 and not answer.answered and not answer.refusal:  # a refusal says why on its own
            embed.title = text["dont_know"]
        embeds.append(embed)
    fields = [(text["note"], clip(safe(note), FIELD_VALUE_MAX)) for note in answer.notes]
    fields += _sources_fields(answer.citations)
    current = embeds[-1]
    for name, value in fields:
        if len(current.fields) >= FIELDS_MAX or len(current) + len(name) + len(value) > EMBED_TOTAL_MAX - FOOTER_MAX:
            current = SafeEmbed(colour=colour, links=links)
            embeds.append(current)
        current.add_field(name=name, value=value, inline=False)
    embeds[-1].set_footer(text=text["footer"].format(v=version))
    return pack(embeds)


def timeline_pages(timeline: Timeline, version: str) -> list[discord.Embed]:
    """One embed per page of events; each page lists the citations its events use."""
    text = labels(timeline.language)
    title = clip(safe(text["of"].format(name=timeline.person) if timeline.person else text["timeline"]), TITLE_MAX)
    if not timeline.entries:
        return [SafeEmbed(title=title, description=text["none"], colour=DECLINED)]
    chunks = [timeline.entries[i:i + TIMELINE_PAGE_SIZE] for i in range(0, len(timeline.entries), TIMELINE_PAGE_SIZE)]
    pages = []
    for n, chunk in enumerate(chunks, 1):
        lines = [f"**{e.date}** — {safe(e.title)} " + "".join(f"[{k}]" for k in e.citation_numbers) for e in chunk]
        embed = SafeEmbed(title=title, description="\n".join(lines), colour=ANSWERED, links=_links(timeline.citations))
        for name, value in _sources_fields(_page_citations(timeline, chunk)):
            embed.add_field(name=name, value=value, inline=False)
        footer = text["footer"].format(v=version)
        if len(chunks) > 1:
            footer += " · " + text["page"].format(n=n, of=len(chunks))
        embed.set_footer(text=footer)
        pages.append(embed)
    return pages


def _page_citations(timeline: Timeline, chunk: Sequence[TimelineEntry]) -> list[Citation]:
    """The quotes a page's events cite, under their sources' numbers (a quote two events share is listed with
    the first; a page whose source has only such a quote shows that source's quotes all)."""
    numbers = {k for e in chunk for k in e.citation_numbers}
    events = {e.event_id for e in chunk}
    cited = [c for c in timeline.citations if c.number in numbers]
    own = [c for c in cited if c.entry_id in events]
    return own + [c for c in cited if c.number not in {o.number for o in own}]


def attach_picture(pages: Sequence[discord.Embed], picture: TimelinePicture) -> discord.File:
    """The timeline picture as the message's attachment, shown in every page (under the page's citations)."""
    for page in pages:
        page.set_image(url=f"attachment://{FILENAME}")
    return discord.File(io.BytesIO(picture.png), filename=FILENAME, description=clip(safe(picture.alt_text()), 1024))


def profile_embeds(profile: Profile, version: str, language: str) -> list[list[discord.Embed]]:
    text = labels(language)
    marks = "".join(f"[{n}]" for n in profile.summary_citations)
    links = _links(profile.citations)
    card = SafeEmbed(title=clip(safe(profile.name), TITLE_MAX), colour=ANSWERED,
                         description=safe(f"**{profile.role}**\n\n{profile.summary} {marks}"))
    if profile.key_dates:
        lines = [f"**{e.date}** — {e.title} " + "".join(f"[{k}]" for k in e.citation_numbers)
                 for e in profile.key_dates]
        for n, piece in enumerate(split_text(safe("\n".join(lines)), FIELD_VALUE_MAX)):
            card.add_field(name=text["key_dates"] if n == 0 else "\u200b", value=piece, inline=False)
    for note in profile.notes:
        card.add_field(name=text["note"], value=clip(safe(note), FIELD_VALUE_MAX), inline=False)
    sources = SafeEmbed(colour=ANSWERED, links=links)
    embeds: list[discord.Embed] = [card, sources]
    for name, value in _sources_fields(profile.citations):
        if len(sources.fields) >= FIELDS_MAX or len(sources) > EMBED_TOTAL_MAX - 2 * FIELD_VALUE_MAX:
            sources = SafeEmbed(colour=ANSWERED, links=links)
            embeds.append(sources)
        sources.add_field(name=name, value=value, inline=False)
    embeds[-1].set_footer(text=text["footer"].format(v=version))
    return pack(embeds)


def sources_embed(sources: Sequence[SourceInfo], version: str, language: str) -> discord.Embed:
    text = labels(language)
    links = frozenset(s.url for s in sources if s.url)
    embed = SafeEmbed(title=text["sources"], colour=ANSWERED, links=links)
    for s in sources[:FIELDS_MAX]:
        title = safe(discord.utils.escape_markdown(s.title).replace("]", "\\]"))
        linked = f"[{title}]({s.url})" if s.url else title
        meta = safe(" · ".join(x for x in (s.publisher, s.published, text["cited"].format(n=s.cited_by)) if x))
        embed.add_field(name=clip(safe(s.publisher), FIELD_NAME_MAX), value=clip(f"{linked}\n{meta}", FIELD_VALUE_MAX),
                        inline=False)
    embed.set_footer(text=text["footer"].format(v=version))
    return embed
