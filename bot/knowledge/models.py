"""The typed schema of the knowledge files: one pydantic model per kind of entry.

knowledge/README.md documents the same schema for admins; keep the two in step.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    field_validator,
    model_validator,
)

from bot.knowledge.dates import PartialDate
from bot.knowledge.fingerprint import Print

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
QUOTE_MAX_CHARS = 200
MAX_PASSAGES = 50  # a source's verbatim passages
# Text is shown whole in one chat message (a Discord embed holds 4,096 characters, a Slack section 3,000):
# a name or a title is one line, a text one to three sentences (the longest curated one is 580).
SHORT_MAX_CHARS = 200
TEXT_MAX_CHARS = 2000
URL_MAX_CHARS = 2000
# http(s), a host name (no user name: ``https://bank.example@evil.example``), then only characters that
# cannot end or open a link in Markdown or Slack mrkdwn: no white space, no ( ) [ ] < > | " ` \ { }.
_URL = re.compile(r"https?://[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?"
                  r"(?:[/?#][A-Za-z0-9\-._~%!$&'*+,;=:@/?#]*)?")
# A sentence end followed by more text means the quote holds more than one sentence.
_INNER_SENTENCE_END = re.compile(r"[。！？!?](?=\s*[^\s”’\"'）)」』])|\.\s+(?=[A-Z])")

Date = Annotated[
    PartialDate,
    BeforeValidator(PartialDate.parse),
    PlainSerializer(lambda d: d.iso(), return_type=str),
]
EntryId = Annotated[str, Field(pattern=ID_PATTERN, min_length=2, max_length=80)]
NonEmpty = Annotated[str, Field(min_length=1, max_length=SHORT_MAX_CHARS)]  # names, titles, aliases, keywords
LongText = Annotated[str, Field(min_length=1, max_length=TEXT_MAX_CHARS)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", arbitrary_types_allowed=True)


class Bilingual(_Model):
    """The same text in English and in Chinese; both are required."""

    en: LongText
    zh: LongText

    def get(self, language: str) -> str:
        return self.zh if language == "zh" else self.en


class Label(Bilingual):
    """A name, a title, a role: one line in each language."""

    en: NonEmpty
    zh: NonEmpty


class Keywords(_Model):
    """Extra search terms admins add so people's wording finds the entry."""

    en: list[NonEmpty] = []
    zh: list[NonEmpty] = []


class Citation(_Model):
    """A short verbatim quote from a source that supports the entry."""

    source: EntryId
    quote: Annotated[str, Field(min_length=1)]  # its length is checked below, with a clearer message

    @field_validator("quote")
    @classmethod
    def _one_short_sentence(cls, quote: str) -> str:
        if len(quote) > QUOTE_MAX_CHARS:
            raise ValueError(f"quote is {len(quote)} characters; keep it to one sentence of at most {QUOTE_MAX_CHARS}")
        if _INNER_SENTENCE_END.search(quote.strip()):
            raise ValueError("quote holds more than one sentence; cite one sentence")
        return quote


class Source(_Model):
    id: EntryId
    title: NonEmpty
    publisher: NonEmpty
    language: Literal["en", "zh"]
    url: str | None = None
    published: Date | None = None
    published_note: Bilingual | None = None
    authors: list[NonEmpty] = []
    # The source's exact words that quotes may come from: the whole of a short post or statement, or the
    # passages recorded from a longer piece. A source cited without these needs a fingerprint.
    verbatim: list[LongText] = Field(default=[], max_length=MAX_PASSAGES)
    note: Bilingual | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str | None) -> str | None:
        if url is None:
            return None
        if len(url) > URL_MAX_CHARS:
            raise ValueError(f"url is {len(url)} characters; the limit is {URL_MAX_CHARS}")
        if not _URL.fullmatch(url):
            raise ValueError(f"url {url[:100]!r} is not a plain http(s) address (percent-encode spaces, "
                             "brackets and parentheses: %20 %5B %5D %28 %29)")
        return url



class Fingerprint(_Model):
    """What verifies a source's quotes without its text (bot/knowledge/fingerprint.py).

    ``citebot kb fingerprint SOURCE FILE`` writes it from a copy of the source the admin holds."""

    id: EntryId
    source: EntryId
    ngram: int = Field(ge=4, le=32)
    bits: int = Field(ge=1024, le=1 << 24)
    chars: int = Field(ge=0)
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    built: Date | None = None
    bitset: Annotated[str, Field(min_length=1, max_length=4 * 1024 * 1024)]

    @model_validator(mode="after")
    def _bitset_holds_bits(self) -> Fingerprint:
        if self.bits & (self.bits - 1):
            raise ValueError(f"bits {self.bits} is not a power of two")
        Print.decode(self.bitset, self.bits)
        return self

    def print(self) -> Print:
        return Print(self.source, self.ngram, self.bits, self.chars, self.sha256,
                     Print.decode(self.bitset, self.bits))


class _Entry(_Model):
    """Fields every citable entry has."""

    id: EntryId
    citations: list[Citation] = Field(min_length=1)
    keywords: Keywords = Keywords()
    note: Bilingual | None = None


class Departure(_Model):
    """How a person left OpenAI, and the event that dates it: "Why was Leike fired?" is corrected from it."""

    how: Literal["resigned", "fired", "left"]  # "left": the sources do not say how
    event: EntryId


class Succession(_Model):
    """Whom a person took over from, in which role, by which event: "Who replaced Leike?" is answered from it."""

    person: EntryId  # the predecessor
    role: Label
    event: EntryId


class Person(_Entry):
    kind: Literal["person", "group", "organization"] = "person"
    name: Label
    aliases: list[NonEmpty] = []
    role: Label
    summary: Bilingual
    titles: list[Label] = []  # the posts they held in the story ("chief scientist"): a wrong one is corrected
    left: Departure | None = None
    succeeded: list[Succession] = []
    ally_of: list[EntryId] = []  # whose ally the sources call them: "Who was Altman's closest ally?" is answered


class Event(_Entry):
    date: Date
    end: Date | None = None
    approximate: bool = False
    date_note: Bilingual | None = None
    title: Label
    text: Bilingual
    people: list[EntryId] = []
    about: list[EntryId] = []

    @model_validator(mode="after")
    def _end_after_start(self) -> Event:
        if self.end is not None and self.end.first_day < self.date.first_day:
            raise ValueError(f"end {self.end} is before date {self.date}")
        return self


class Claim(_Entry):
    kind: Literal["reason", "statement", "report", "assessment"]
    by: EntryId | None = None
    by_label: Label | None = None
    about: list[EntryId] = Field(min_length=1)
    date: Date | None = None
    text: Bilingual

    @model_validator(mode="after")
    def _has_a_speaker(self) -> Claim:
        if (self.by is None) == (self.by_label is None):
            raise ValueError("give exactly one of 'by' (a people id) or 'by_label' (who said it, in both languages)")
        return self


class Figure(_Entry):
    value: NonEmpty
    label: Label
    text: Bilingual
    about: list[EntryId] = []


class Topic(_Entry):
    name: Label
    aliases: list[NonEmpty] = []
    text: Bilingual
    about: list[EntryId] = []


Entry = Person | Event | Claim | Figure | Topic

# The top-level keys a knowledge file may hold, and the model of each list's items.
SECTIONS: dict[str, type[_Model]] = {
    "sources": Source,
    "people": Person,
    "events": Event,
    "claims": Claim,
    "figures": Figure,
    "topics": Topic,
    "fingerprints": Fingerprint,
}
