"""What the tests of answers share: asking a question, the answer's first sentence, and its citations checked."""

from __future__ import annotations

import re
import unicodedata

from bot.core.types import Answer, Question
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
    """Citations numbered 1..n, each with a quote; the [n] markers in the text are exactly those numbers; a quote
    verifies against its source, as the knowledge check verifies it."""
    assert answer.citations, answer.text
    assert [c.number for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.number for c in answer.citations}, answer.text
    assert all(c.quote.strip() for c in answer.citations)
    if quotes is not None:
        for citation in answer.citations:
            assert quotes.verifies(citation.source_id, citation.quote), citation.quote


def assert_declined(answer: Answer) -> None:
    """Not answered: no citations, no [n] markers."""
    assert not answer.answered, answer.text
    assert not answer.citations and not re.search(r"\[\d+\]", answer.text), answer.text
