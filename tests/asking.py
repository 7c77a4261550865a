"""What the tests of answers share: asking a question, the answer's first sentence, and its citations checked."""

from __future__ import annotations

import re
import unicodedata

from bot.core.types import Answer, Citation, Question
from bot.knowledge.quotes import QuoteVerifier

# A sentence ends at . ! ? or 。！？ (and the citation markers right after it) before a space, the end, a capital,
# a bracket or a Chinese character: "2024 [1]. Jan …", "… leadership. [1][2] (The …", "…(2024年4月)[1]。丹尼尔…".
_SENTENCE_END = re.compile(r"[.!?。！？](?:\s*\[\d+\])*(?=\s|$|[A-Z\[(（\u4e00-\u9fff])")


async def ask(answerer, text: str, conversation: str | None = None) -> Answer:
    return await answerer.ask(Question(text=text, conversation_id=conversation))


def first_sentence(text: str) -> str:
    """The words a person reads first: up to the first sentence end, with its citation markers."""
    match = _SENTENCE_END.search(text)
    return text[: match.end()] if match else text


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def assert_cited(answer: Answer, quotes: QuoteVerifier | None = None) -> None:
    """Sources numbered 1..n, one number each, every quote under its source's number; the [n] markers in the text
    are exactly those numbers, none twice in a row; a quote verifies against its source, as the knowledge check
    verifies it."""
    assert answer.citations, answer.text
    assert_one_number_per_source(answer)
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.number for c in answer.citations}, answer.text
    assert not re.search(r"\[(\d+)\]\[\1\]", answer.text), answer.text
    assert all(c.quote.strip() for c in answer.citations)
    if quotes is not None:
        for citation in answer.citations:
            assert quotes.verifies(citation.source_id, citation.quote), citation.quote


def assert_one_number_per_source(answer: Answer) -> None:
    """Numbers 1..n in order, each source under one number and each number one source's."""
    numbers = [c.number for c in answer.citations]
    assert numbers == sorted(numbers) and sorted(set(numbers)) == list(range(1, len(set(numbers)) + 1)), numbers
    assert len({(c.number, c.source_id) for c in answer.citations}) == len(set(numbers)) \
        == len({c.source_id for c in answer.citations}), answer.citations


def assert_declined(answer: Answer) -> None:
    """Not answered: no citations, no [n] markers."""
    assert not answer.answered, answer.text
    assert not answer.citations and not re.search(r"\[\d+\]", answer.text), answer.text


LEIKE_THREAD = ("leike-thread", "Jan Leike's thread on X explaining why he resigned", "X (Twitter)",
                "https://x.com/janleike/status/1791498174659715494", "2024-05-17")
INFOQ = ("infoq-2024-05", "“我不相信他”:负责捍卫人类利益的 OpenAI 团队为何分崩离析", "InfoQ", None, "2024-05-20")


def answer_quoting_one_source_twice(*quotes: str) -> Answer:
    """An answer citing Leike's thread for two quotes (or ``quotes``), both under [1], and InfoQ as [2]."""
    thread = quotes or ("a breaking point", "sailing against the wind")
    citations = [Citation(1, *LEIKE_THREAD, quote, "leike-resigns", "en") for quote in thread]
    citations.append(Citation(2, *INFOQ, "这种分歧最终走到了临界点。", "leike-resigns", "zh"))
    return Answer(text="Leike resigned when his disagreements reached a breaking point [1]; his team was sailing "
                       "against the wind [1][2].", language="en", intent="why", answered=True, confidence=1.0,
                  citations=tuple(citations), answer_id="c" * 32)


def assert_json_cites_by_source(answer: dict) -> None:
    """An answer's JSON as integrations read it: the flat ``citations``, one item per quote with every field it
    always had, a source's items sharing its number; and ``sources``, the same quotes under each source once."""
    fields = {"number", "source_id", "title", "publisher", "url", "published", "quote", "entry_id"}
    assert answer["citations"] and all(fields <= c.keys() and c["quote"] for c in answer["citations"])
    number_of = {c["source_id"]: c["number"] for c in answer["citations"]}
    assert all(number_of[c["source_id"]] == c["number"] for c in answer["citations"])
    assert sorted(number_of.values()) == list(range(1, len(number_of) + 1))
    assert len(answer["citations"]) > len(number_of)  # some source is quoted twice, under its one number
    expected = []
    for n in sorted(number_of.values()):
        quoted = [c for c in answer["citations"] if c["number"] == n]
        first = quoted[0]
        expected.append({"number": n, **{k: first[k] for k in ("source_id", "title", "url", "publisher", "published")},
                         "quotes": [{"quote": c["quote"], "entry_id": c["entry_id"]} for c in quoted]})
    assert answer["sources"] == expected
