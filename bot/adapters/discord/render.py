"""Core results as Discord embeds, within Discord's limits: long answers are split, never rejected."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import discord

from bot.adapters.texts import clip, labels, split_text
from bot.core.browse import Profile, SourceInfo
from bot.core.timeline import Timeline
from bot.core.types import Answer, Citation
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


def safe(text: str) -> str:
    """No mention syntax survives: @everyone / @here and <@id> / <@&role> / <#channel> are defused."""
    text = discord.utils.escape_mentions(text)
    return _MENTION.sub(lambda m: f"<{m.group(1)}\u200b{m.group(2)}>", text)


def citation_field(c: Citation) -> tuple[str, str]:
    """("[n] Publisher, date", "the title, linked to the source\n> “quote”")."""
    name = clip(f"[{c.number}] " + ", ".join(x for x in (c.publisher, c.published) if x), FIELD_NAME_MAX)
    title = discord.utils.escape_markdown(clip(c.title, 300)).replace("]", "\\]")
    linked = f"[{title}]({c.url})" if c.url else title
    quote = clip(c.quote, FIELD_VALUE_MAX - len(linked) - 8)
    return name, safe(f"{linked}\n> “{quote}”")


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
    """The answer as one or more messages of embeds: text, notes, numbered citations, version footer."""
    text = labels(answer.language)
    colour = ANSWERED if answer.answered else DECLINED
    embeds: list[discord.Embed] = []
    for n, piece in enumerate(split_text(safe(answer.text), DESCRIPTION_MAX)):
        embed = discord.Embed(description=piece, colour=colour)
        if n == 0 and not answer.answered and not answer.refusal:  # a refusal says why on its own
            embed.title = text["dont_know"]
        embeds.append(embed)
    fields = [(text["note"], clip(safe(note), FIELD_VALUE_MAX)) for note in answer.notes]
    fields += [citation_field(c) for c in answer.citations]
    current = embeds[-1]
    for name, value in fields:
        if len(current.fields) >= FIELDS_MAX or len(current) + len(name) + len(value) > EMBED_TOTAL_MAX - FOOTER_MAX:
            current = discord.Embed(colour=colour)
            embeds.append(current)
        current.add_field(name=name, value=value, inline=False)
    embeds[-1].set_footer(text=text["footer"].format(v=version))
    return pack(embeds)


def timeline_pages(timeline: Timeline, version: str) -> list[discord.Embed]:
    """One embed per page of events; each page lists the citations its events use."""
    text = labels(timeline.language)
    title = text["of"].format(name=timeline.person) if timeline.person else text["timeline"]
    if not timeline.entries:
        return [discord.Embed(title=title, description=text["none"], colour=DECLINED)]
    by_number = {c.number: c for c in timeline.citations}
    chunks = [timeline.entries[i:i + TIMELINE_PAGE_SIZE] for i in range(0, len(timeline.entries), TIMELINE_PAGE_SIZE)]
    pages = []
    for n, chunk in enumerate(chunks, 1):
        lines = [f"**{e.date}** — {safe(e.title)} " + "".join(f"[{k}]" for k in e.citation_numbers) for e in chunk]
        embed = discord.Embed(title=clip(title, TITLE_MAX), description="\n".join(lines), colour=ANSWERED)
        for number in dict.fromkeys(k for e in chunk for k in e.citation_numbers):
            name, value = citation_field(by_number[number])
            embed.add_field(name=name, value=value, inline=False)
        footer = text["footer"].format(v=version)
        if len(chunks) > 1:
            footer += " · " + text["page"].format(n=n, of=len(chunks))
        embed.set_footer(text=footer)
        pages.append(embed)
    return pages


def attach_picture(pages: Sequence[discord.Embed], picture: TimelinePicture) -> discord.File:
    """The timeline picture as the message's attachment, shown in every page (under the page's citations)."""
    for page in pages:
        page.set_image(url=f"attachment://{FILENAME}")
    return discord.File(io.BytesIO(picture.png), filename=FILENAME, description=clip(picture.alt_text(), 1024))


def profile_embeds(profile: Profile, version: str, language: str) -> list[list[discord.Embed]]:
    text = labels(language)
    marks = "".join(f"[{n}]" for n in profile.summary_citations)
    card = discord.Embed(title=clip(profile.name, TITLE_MAX), colour=ANSWERED,
                         description=safe(f"**{profile.role}**\n\n{profile.summary} {marks}"))
    if profile.key_dates:
        lines = [f"**{e.date}** — {e.title} " + "".join(f"[{k}]" for k in e.citation_numbers)
                 for e in profile.key_dates]
        for n, piece in enumerate(split_text(safe("\n".join(lines)), FIELD_VALUE_MAX)):
            card.add_field(name=text["key_dates"] if n == 0 else "\u200b", value=piece, inline=False)
    for note in profile.notes:
        card.add_field(name=text["note"], value=clip(safe(note), FIELD_VALUE_MAX), inline=False)
    sources = discord.Embed(colour=ANSWERED)
    embeds = [card, sources]
    for c in profile.citations:
        if len(sources.fields) >= FIELDS_MAX or len(sources) > EMBED_TOTAL_MAX - 2 * FIELD_VALUE_MAX:
            sources = discord.Embed(colour=ANSWERED)
            embeds.append(sources)
        name, value = citation_field(c)
        sources.add_field(name=name, value=value, inline=False)
    embeds[-1].set_footer(text=text["footer"].format(v=version))
    return pack(embeds)


def sources_embed(sources: Sequence[SourceInfo], version: str, language: str) -> discord.Embed:
    text = labels(language)
    embed = discord.Embed(title=text["sources"], colour=ANSWERED)
    for s in sources[:FIELDS_MAX]:
        title = f"[{s.title}]({s.url})" if s.url else s.title
        meta = " · ".join(x for x in (s.publisher, s.published, text["cited"].format(n=s.cited_by)) if x)
        embed.add_field(name=clip(s.publisher, FIELD_NAME_MAX), value=clip(f"{title}\n{meta}", FIELD_VALUE_MAX),
                        inline=False)
    embed.set_footer(text=text["footer"].format(v=version))
    return embed
