"""What someone said, in their own words ("What did Leike write about …?", "奥特曼在 X 上写了什么？"): the words
an entry's citations quote of its speaker, shown in quotation marks and marked with the citation that holds
them. The words are verbatim by construction: they are cut from a citation's quote, which the loader checked
against its source.

A citation holds the speaker's words when its source is theirs (their post: every word of the quote), when
the quote reports them in quotation marks after a verb of saying with the speaker the nearest one named
("Altman 也在 X 上发帖,称“这让我非常难过。"), or when it is their words in the first person, unmarked
("有时候我们会在算力方面遇到困难,…"). Anyone else's words in an entry (a user's question quoted beside
the speaker's) are never passed off as the speaker's."""

from __future__ import annotations

import re

from bot.core.compose import CitationBook, display_name, entry_text
from bot.core.names import NameResolver
from bot.core.text import has_han
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Citation, Entry, Person, Source

_QUOTED = re.compile(r"“([^”]+)(?:”|$)|「([^」]+)(?:」|$)|\"([^\"]+)(?:\"|$)")
_MARKS = "“”「」\""
_SAYING = re.compile(r"(?:称|说|说道|写道|表示|指出|坦言|回应|透露|发帖|\b(?:said|says|wrote|writes|posted|tweeted|"
                     r"added|stated))\s*[:：,，]?\s*$", re.I)
_FIRST_PERSON = re.compile(r"我|\b(?:I|I'm|I've|I'd|we|we're|we've|my|our|us|me)\b")
_SINGLE_QUOTED = re.compile(r"(?:^|\s)['‘]\w")  # 'I lost trust': Why …
_POSSESSIVE = re.compile(r"^(.+?)['’]s\b")
_TRAILING = "。.,，;；:：、 "
MOST_WORDS = 2  # a composed lead quotes at most this many passages


def _authors(source: Source, kb: KnowledgeBase) -> set[str]:
    """The story's people who wrote ``source``: its authors, or for a post the one whose it is by its title
    ("Jan Leike's thread on X …")."""
    written = list(source.authors)
    own = _POSSESSIVE.match(source.title) if source.publisher.startswith("X") else None
    if own is not None:
        written.append(own.group(1))
    return {p.id for p in kb.people for name in written
            if name.casefold() in {p.name.en.casefold(), p.name.zh.casefold(), *(a.casefold() for a in p.aliases)}}


def spoken(citation: Citation, speaker: Person, kb: KnowledgeBase, names: NameResolver) -> list[str]:
    """The passages of ``citation``'s quote that are ``speaker``'s own words (none when it is not sure)."""
    quote = citation.quote.strip()
    source = kb.source(citation.source)
    authors = _authors(source, kb)
    if speaker.id in authors:
        return [quote.strip(_TRAILING)]
    if source.publisher.startswith("X"):  # someone else's post: their words, not the speaker's
        return []
    found = []
    for match in _QUOTED.finditer(quote):
        before = quote[: match.start()]
        named = [m.person_id for m in names.find(before) if m.exact]
        if _SAYING.search(before) and named and named[-1] == speaker.id:
            words = next(g for g in match.groups() if g).strip(_TRAILING)
            if words:
                found.append(words)
    if found or any(mark in quote for mark in _MARKS) or _SINGLE_QUOTED.search(quote):
        return found
    return [quote.strip(_TRAILING)] if _FIRST_PERSON.search(quote) else []


def own_words(entry: Entry, speaker: Person, kb: KnowledgeBase, names: NameResolver, book: CitationBook,
              language: str) -> str | None:
    """``entry``'s statement with ``speaker``'s words in quotation marks where it uses them, each marked with
    its citation; where it only paraphrases them, a lead quoting them first ("扬·莱克(Jan Leike)说:“…”[1]。"),
    then the statement. None when no citation holds words of theirs in the answer's language."""
    ordered = sorted(getattr(entry, "citations", ()), key=lambda c: kb.source(c.source).language != language)
    passages = [(c, w) for c in ordered for w in spoken(c, speaker, kb, names)]
    text = entry_text(entry, language).rstrip()
    placed = _place(text, passages, book, entry, language)
    zh = language == "zh"
    every = getattr(entry, "note", None) is not None  # a shown note may credit any of the entry's sources
    if placed is not None:
        shown, quoted = placed  # the citations not quoted in the text are marked after it (their sources may be too)
        rest = "".join(dict.fromkeys(f"[{book.number(entry, c)}]" for c in book.chosen(entry, every_source=every)
                                     if c not in quoted))
        return f"{shown}{rest}" if zh or not rest else f"{shown} {rest}"
    native = [(c, w) for c, w in passages if has_han(w) == zh][:MOST_WORDS]
    if not native:
        return None
    wrote = all(kb.source(c.source).publisher.startswith("X") for c, _ in native)
    if zh:
        quoted = ";".join(f"“{w}”[{book.number(entry, c)}]" for c, w in native)
        lead = f"{display_name(speaker, language)}{'在 X 上写道' if wrote else '说'}:{quoted}。"
    else:
        quoted = "; ".join(f"“{w}” [{book.number(entry, c)}]" for c, w in native)
        lead = f"{speaker.name.en} {'wrote' if wrote else 'said'}: {quoted}."
    markers = book.cite(entry, every_source=every)
    return f"{lead}{text}{markers}" if zh else f"{lead} {text} {markers}"


def _place(text: str, passages: list[tuple[Citation, str]], book: CitationBook, entry: Entry, language: str
           ) -> tuple[str, list[Citation]] | None:
    """``text`` with each passage it uses verbatim put in quotation marks and marked; None if it uses none."""
    folded = text.casefold()
    spans: list[tuple[int, int, Citation]] = []
    for citation, words in passages:
        start = folded.find(words.casefold())
        end = start + len(words)
        if start < 0 or any(start < b and a < end for a, b, _ in spans) or (
                words.isascii() and (re.match(r"\w", text[end:end + 1]) or re.match(r"\w", text[start - 1:start]
                                                                                      if start else ""))):
            continue  # not there, or only inside a longer word
        spans.append((start, end, citation))
    if not spans:
        return None
    out, at = [], 0
    gap = "" if language == "zh" else " "
    for start, end, citation in sorted(spans, key=lambda s: s[0]):
        number = book.number(entry, citation)
        marked = start > 0 and text[start - 1] in _MARKS  # already quoted in the statement: only marked
        close = end + 1 if marked and end < len(text) and text[end] in _MARKS else end
        body = text[start:close] if marked else f"“{text[start:end]}”"
        out += [text[at:start], body, f"{gap}[{number}]"]
        at = close
    out.append(text[at:])
    return "".join(out), [c for _, _, c in spans]
