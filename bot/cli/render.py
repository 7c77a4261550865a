"""Plain-text rendering of core results for the terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from bot.core.timeline import Timeline
from bot.core.types import Answer, Citation, CitedSource, by_source

if TYPE_CHECKING:
    from bot.picture import TimelinePicture

_LABELS = {
    "en": {"sources": "Sources", "note": "Note", "ask": "You could ask", "decline_ask": "You could ask instead"},
    "zh": {"sources": "来源", "note": "说明", "ask": "你还可以问", "decline_ask": "你可以改问"},
}


def render_source(s: CitedSource) -> str:
    """"[n] title — publisher, date", its URL, then each quote cited from it."""
    meta = ", ".join(x for x in (s.publisher, s.published) if x)
    lines = [f"  [{s.number}] {s.title} — {meta}"]
    if s.url:
        lines.append(f"      {s.url}")
    lines += [f"      “{c.quote}”" for c in s.quotes]
    return "\n".join(lines)


def render_sources(citations: Iterable[Citation]) -> list[str]:
    return [render_source(s) for s in by_source(citations)]


def render_answer(answer: Answer) -> str:
    labels = _LABELS.get(answer.language, _LABELS["en"])
    out = [answer.text]
    for note in answer.notes:
        out.append(f"\n{labels['note']}: {note}")
    if answer.citations:
        out.append(f"\n{labels['sources']}:")
        out.extend(render_sources(answer.citations))
    if answer.suggestions:
        out.append(f"\n{labels['ask' if answer.answered else 'decline_ask']}:")
        out.extend(f"  • {s}" for s in answer.suggestions)
    return "\n".join(out)


def render_timeline(timeline: Timeline) -> str:
    zh = timeline.language == "zh"
    if timeline.person:
        header = f"{timeline.person}的时间线:" if zh else f"Timeline of {timeline.person}:"
    else:
        header = "时间线:" if zh else "Timeline:"
    if not timeline.entries:
        return header + ("\n  (没有符合条件的事件)" if zh else "\n  (no events match)")
    out = [header]
    for entry in timeline.entries:
        marks = "".join(f"[{n}]" for n in entry.citation_numbers)
        out.append(f"  {entry.date:<24} {entry.title} {marks}")
    out.append("\n来源:" if zh else "\nSources:")
    out.extend(render_sources(timeline.citations))
    return "\n".join(out)


def render_picture_note(picture: TimelinePicture, path: str) -> str:
    """Where the picture went, and the numbered citations its labels carry."""
    timeline, (width, height) = picture.timeline, picture.size
    zh = timeline.language == "zh"
    n = len(timeline.entries)
    out = [f"时间线图片:{path}({width}×{height} 像素,{n} 个事件)" if zh
           else f"Timeline picture: {path} ({width}×{height} px, {n} events)"]
    if picture.chart.language != timeline.language:
        out.append("  (没有中文字体,图中标签为英文)" if zh else "  (labels in English: no font for Chinese)")
    if timeline.citations:
        out.append("\n来源:" if zh else "\nSources:")
        out.extend(render_sources(timeline.citations))
    return "\n".join(out)


def print_note(line: str) -> None:
    """A one-line note beside the output (the knowledge came from the store, say): on stderr, like errors."""
    print(f"citebot: {line}", file=sys.stderr, flush=True)
