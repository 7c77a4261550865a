"""The plain types every adapter speaks: a Question in, an Answer with numbered Citations out (one number per
source, its quotes grouped by ``by_source``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from bot.controls import without_controls
from bot.core.trace import Stage
from bot.storable import storable_text


@dataclass(frozen=True)
class Question:
    text: str
    language_hint: str | None = None  # e.g. the platform's locale; the text's own language wins
    conversation_id: str | None = None  # follow-ups in one conversation share context
    user_id: str | None = None  # raw platform id; hashed before it is stored, never logged
    adapter: str = "cli"
    channel_id: str | None = None  # where it was asked ("slack:T1:C1"); rate limits count per channel too
    exempt: bool = False  # an admin: no rate limits

    def __post_init__(self) -> None:
        # The edge every question comes in by: what no database or UTF-8 stream can carry is dropped here,
        # and the question loses what could drive a terminal that prints it later (escape sequences, controls).
        for name in ("text", "conversation_id", "user_id", "channel_id"):
            value = getattr(self, name)
            if isinstance(value, str):
                object.__setattr__(self, name, storable_text(value))
        if isinstance(self.text, str):
            object.__setattr__(self, "text", without_controls(self.text))


@dataclass(frozen=True)
class Citation:
    number: int
    source_id: str
    title: str
    publisher: str
    url: str | None
    published: str | None  # YYYY-MM-DD
    quote: str
    entry_id: str  # the knowledge entry this citation supports
    language: str

    def to_json(self) -> dict:
        return {**_source_json(self), "quote": self.quote, "entry_id": self.entry_id}


@dataclass(frozen=True)
class CitedSource:
    """One source an answer cites: its one number, and the quotes cited from it, in the order cited."""

    number: int
    source_id: str
    title: str
    publisher: str
    url: str | None
    published: str | None  # YYYY-MM-DD
    language: str
    quotes: tuple[Citation, ...]

    def to_json(self) -> dict:
        return {**_source_json(self), "quotes": [{"quote": c.quote, "entry_id": c.entry_id} for c in self.quotes]}


def _source_json(cited: Citation | CitedSource) -> dict:
    """The fields a citation and its source share in JSON, in the order clients have always seen them."""
    return {"number": cited.number, "source_id": cited.source_id, "title": cited.title, "url": cited.url,
            "publisher": cited.publisher, "published": cited.published}


def by_source(citations: Iterable[Citation]) -> tuple[CitedSource, ...]:
    """Citations grouped under their numbers (one number per source), in the order of the numbers."""
    grouped: dict[int, list[Citation]] = {}
    for citation in citations:
        grouped.setdefault(citation.number, []).append(citation)
    return tuple(
        CitedSource(number, c.source_id, c.title, c.publisher, c.url, c.published, c.language, tuple(quotes))
        for number, quotes in sorted(grouped.items()) for c in quotes[:1]
    )


@dataclass(frozen=True)
class Answer:
    text: str  # what a person reads, with [n] markers, without the citation list
    language: str
    intent: str
    answered: bool
    confidence: float
    citations: tuple[Citation, ...] = ()  # every quote cited; a source's quotes share its number
    suggestions: tuple[str, ...] = ()
    entry_ids: tuple[str, ...] = ()  # the knowledge entries the answer is built from
    kb_version: str = ""  # short content hash of the knowledge it came from
    notes: tuple[str, ...] = field(default=())  # curators' notes (where the article and the record differ)
    answer_id: str = ""  # unique per answer; feedback buttons and the question log refer to it
    refusal: str | None = None  # "rate_limited" or "too_long": not answered, and why (the text says so)
    retry_after: float | None = None  # seconds, with "rate_limited"
    subject: tuple[str, ...] = ()  # the people the answer is about (a follow-up's "he" refers to them)
    trace: tuple[Stage, ...] = field(default=(), compare=False, repr=False)  # what each stage did (explain.py)

    @property
    def sources(self) -> tuple[CitedSource, ...]:
        return by_source(self.citations)

    def to_json(self, question: str) -> dict:
        return {
            "question": storable_text(question),  # echoed as typed, less what no UTF-8 stream can carry
            "language": self.language,
            "intent": self.intent,
            "answered": self.answered,
            "text": self.text,
            "confidence": round(self.confidence, 3),
            "citations": [c.to_json() for c in self.citations],  # flat, as before: one item per quote
            "sources": [s.to_json() for s in self.sources],  # the same, one item per source
            "suggestions": list(self.suggestions),
            "notes": list(self.notes),
            "kb_version": self.kb_version,
            "answer_id": self.answer_id,
            **({"refusal": self.refusal, "retry_after": self.retry_after} if self.refusal else {}),
        }
