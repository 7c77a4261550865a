"""One number per source: an answer's quotes from one source are listed under its one number, and the text
marks each source by that number."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from bot.core.compose import CitationBook, one_marker_each
from tests.asking import ask, assert_cited

WHY_LEIKE_LEFT = "Why did Jan Leike resign?"


def entry_quoting_one_source_twice(kb):
    """An entry of the knowledge with two quotes from one source (and the source)."""
    for entry in kb.entries:
        sources = Counter(c.source for c in getattr(entry, "citations", ()))
        twice = [s for s, n in sources.items() if n >= 2]
        if twice:
            return entry, twice[0]
    raise AssertionError("no entry quotes one source twice")


def test_two_quotes_of_one_source_share_its_number(prepared):
    entry, source = entry_quoting_one_source_twice(prepared.kb)
    book = CitationBook(prepared.kb, "en")
    quotes = [c for c in entry.citations if c.source == source][:2]
    assert {book.number(entry, c) for c in quotes} == {1}
    assert [(c.number, c.source_id, c.quote) for c in book.citations] == [(1, source, q.quote) for q in quotes]


def test_a_source_keeps_its_number_whichever_entry_cites_it(prepared):
    kb = prepared.kb
    by_source: dict[str, list] = {}
    for entry in kb.entries:
        for c in getattr(entry, "citations", ()):
            by_source.setdefault(c.source, []).append((entry, c))
    a = next(s for s, cited in by_source.items() if len({c.quote for _, c in cited}) >= 2)
    b = next(s for s in by_source if s != a)
    book = CitationBook(kb, "en")
    first, second = by_source[a][0], by_source[b][0]
    other = next((e, c) for e, c in by_source[a] if c.quote != first[1].quote)  # from the same entry or another
    assert [book.number(*first), book.number(*second), book.number(*other)] == [1, 2, 1]
    assert [c.number for c in book.citations] == [1, 1, 2]  # a source's quotes together, under its number


async def test_an_answer_quoting_one_source_twice_marks_it_with_one_number(answerer):
    answer = await ask(answerer, WHY_LEIKE_LEFT)
    assert_cited(answer)
    quoted = Counter(c.number for c in answer.citations)
    number, quotes = quoted.most_common(1)[0]
    assert quotes >= 2, answer.citations  # Leike's thread, quoted more than once, is one source
    assert len(answer.sources) == len(quoted) and len(answer.sources[number - 1].quotes) == quotes
    assert len({c.source_id for c in answer.citations}) == len(answer.sources)


async def test_one_source_under_two_numbers_fails_the_check(answerer, prepared):
    answer = await ask(answerer, WHY_LEIKE_LEFT)
    assert prepared.check.check(answer, WHY_LEIKE_LEFT).ok
    per_quote = tuple(replace(c, number=n) for n, c in enumerate(answer.citations, 1))
    text = answer.text + "".join(f"[{c.number}]" for c in per_quote)  # the numbering of old: one per quote
    problems = prepared.check.check(replace(answer, citations=per_quote, text=text), WHY_LEIKE_LEFT).problems
    assert any("a source cited under two numbers" in p for p in problems), problems


async def test_a_marker_repeated_side_by_side_fails_the_check(answerer, prepared):
    answer = await ask(answerer, WHY_LEIKE_LEFT)
    problems = prepared.check.check(replace(answer, text=answer.text + " [1][1]"), WHY_LEIKE_LEFT).problems
    assert "marker [1] twice in a row" in problems


async def test_a_listed_source_the_text_never_marks_fails_the_check(answerer, prepared):
    answer = await ask(answerer, WHY_LEIKE_LEFT)
    assert len(answer.sources) >= 2
    unmarked = re.sub(r"\[2\]", "", answer.text)
    assert any("markers" in p for p in prepared.check.check(replace(answer, text=unmarked), WHY_LEIKE_LEFT).problems)


def test_markers_side_by_side_name_each_source_once():
    assert one_marker_each("Both held it [1][2][1]. Then [1].") == "Both held it [1][2]. Then [1]."
    assert one_marker_each("他们同为首席科学家[2][2]。") == "他们同为首席科学家[2]。"
