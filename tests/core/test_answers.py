"""What a person asking the bot sees: the words, the dates at their precision, the citations, the declines."""

from __future__ import annotations

import re
import unicodedata

import pytest

from bot.core.types import Answer, Question
from bot.knowledge.quotes import QuoteVerifier
from tests.asking import assert_one_number_per_source


def norm(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


async def ask(answerer, text: str, conversation: str | None = None) -> Answer:
    return await answerer.ask(Question(text=text, conversation_id=conversation))


def assert_well_cited(answer: Answer, quotes: QuoteVerifier) -> None:
    """One number per source, 1..n; every marker in the text points at a source; every quote verifies."""
    assert answer.citations, answer.text
    assert_one_number_per_source(answer)
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert markers == {c.number for c in answer.citations}
    for citation in answer.citations:
        assert quotes.verifies(citation.source_id, citation.quote), citation.quote


@pytest.mark.parametrize(("question", "language", "expected"), [
    ("Who is Greg Brockman?", "en", "president"),
    ("Who is Leopold Aschenbrenner?", "en", "fired"),
    ("Ilya Sutskever 是谁？", "zh", "首席科学家"),
    ("Why was Sam Altman removed as CEO in 2023?", "en", "candid"),
    ("董事会为什么解雇奥特曼？", "zh", "坦诚"),
    ("How much compute was the superalignment team promised?", "en", "20%"),
    ("Kokotajlo 放弃了多少家庭净资产？", "zh", "85%"),
    ("What does the exit agreement forbid?", "en", "critici"),
])
async def test_who_why_what_and_how_much_are_answered_with_citations(answerer, quotes, question, language,
                                                                    expected):
    answer = await ask(answerer, question)
    assert answer.answered and answer.language == language
    assert expected in answer.text
    assert_well_cited(answer, quotes)


async def test_chinese_questions_get_chinese_answers_that_keep_the_latin_names(answerer):
    answer = await ask(answerer, "Leopold Aschenbrenner 为什么被开除？")
    assert answer.language == "zh" and re.search(r"[\u4e00-\u9fff]{10}", answer.text)
    assert "Aschenbrenner" in answer.text and ("泄漏" in answer.text or "泄露" in answer.text)


@pytest.mark.parametrize(("question", "stated"), [
    ("When was GPT-4o announced?", "May 13, 2024 —"),
    ("When did Jan Leike post his thread on X?", "May 17, 2024 —"),
    ("When did Cullen O'Keefe leave OpenAI?", "April 2024 —"),
    ("When was Leopold Aschenbrenner fired?", "April 2024 —"),
    ("Cullen O'Keefe 什么时候离开的 OpenAI？", "2024年4月——"),
    ("When did Kokotajlo join OpenAI?", "2022 —"),
    ("When did Saunders post on the forum?", "around May 3, 2024 —"),
])
async def test_dates_are_stated_at_the_precision_the_sources_give(answerer, question, stated):
    """A month is said as a month, a year as a year, an approximate day as "around": no invented days."""
    answer = await ask(answerer, question)
    assert answer.answered and answer.text.startswith(stated), answer.text


async def test_a_month_of_events_lists_each_with_its_month(answerer, quotes):
    answer = await ask(answerer, "What happened in April 2024?")
    assert answer.answered and answer.intent == "on_date"
    for name in ("Aschenbrenner", "Kokotajlo", "O'Keefe"):
        assert name in answer.text
    assert all("April 2024" in line for line in answer.text.splitlines())
    assert_well_cited(answer, quotes)


async def test_a_day_does_not_pass_off_month_only_events_as_that_day(answerer):
    answer = await ask(answerer, "What happened on May 14, 2024?")
    exact, _, vaguer = answer.text.partition("day not known")
    assert "Sutskever" in exact and "Leike" in exact
    assert "statement" not in exact and "May 2024 —" in vaguer


async def test_a_day_with_no_events_is_declined_with_nearby_events(answerer):
    answer = await ask(answerer, "What happened on January 3, 2021?")
    assert not answer.answered and "January 3, 2021" in answer.text
    assert answer.suggestions


@pytest.mark.parametrize(("question", "person"), [
    ("Who is Sutskver?", "Sutskever"),
    ("Who is Jan Leik?", "Leike"),
    ("Who is Leika?", "Leike"),
    ("Who is Schulamn?", "Schulman"),
    ("舒尔曼是谁？", "Schulman"),
    ("Who is sama?", "Altman"),
    ("伊利亚是谁？", "Sutskever"),
])
async def test_names_resolve_through_aliases_renderings_and_typos(answerer, question, person):
    answer = await ask(answerer, question)
    assert answer.answered and person in answer.text


@pytest.mark.parametrize(("question", "names"), [
    ("What is the price of Bitcoin today?", ["Bitcoin"]),
    ("When did Anthropic release Claude 3?", ["Anthropic", "Claude"]),
    ("Why did Mira Murati leave OpenAI?", ["Mira Murati"]),
    ("谁是美国总统？", []),
    ("How tall is Sam Altman?", []),
    ("when did jan leike join anthropic", []),
])
async def test_questions_beyond_the_sources_are_declined_honestly_with_suggestions(answerer, question, names):
    answer = await ask(answerer, question)
    assert not answer.answered
    assert not answer.citations
    assert answer.suggestions
    assert "don't know" in answer.text or "不知道" in answer.text
    for name in names:
        assert name in answer.text


async def test_a_follow_up_refers_back_to_the_person_of_the_conversation(answerer):
    first = await ask(answerer, "Who is Jan Leike?", conversation="c1")
    assert first.answered
    follow = await ask(answerer, "And when did he leave?", conversation="c1")
    assert follow.answered and follow.intent == "when"
    assert "May 14, 2024" in follow.text and "Leike" in follow.text
    why = await ask(answerer, "why?", conversation="c1")
    assert why.answered and why.intent == "why" and "Leike" in why.text


async def test_a_chinese_follow_up(answerer):
    await ask(answerer, "扬·莱克是谁？", conversation="z1")
    follow = await ask(answerer, "他为什么辞职？", conversation="z1")
    assert follow.answered and follow.language == "zh"
    assert "莱克" in follow.text or "Leike" in follow.text


async def test_conversations_do_not_share_context(answerer):
    await ask(answerer, "Who is Jan Leike?", conversation="a")
    other = await ask(answerer, "And when did he leave?", conversation="b")
    assert "Leike" not in other.text


async def test_a_timeline_is_in_date_order(answerer):
    answer = await ask(answerer, "Show me the timeline of Ilya Sutskever")
    assert answer.answered and answer.intent == "timeline"
    ids = answer.entry_ids
    kb = answerer.prepared.kb
    dates = [kb.get(i).date.first_day for i in ids]
    assert dates == sorted(dates) and len(ids) >= 4


async def test_answers_are_short_before_their_citations(answerer):
    for question in ["Why did Jan Leike resign?", "Who is Daniel Kokotajlo?", "When was GPT-4o announced?"]:
        answer = await ask(answerer, question)
        sentences = [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(])", re.sub(r"\[\d+\]", "", answer.text)) if s]
        assert len(sentences) <= 4, answer.text


async def test_quotes_in_every_knowledge_entry_are_verbatim(curated_kb, quotes):
    """The citations the bot can ever show: each quote verifies against its source."""
    for entry in curated_kb.entries:
        for citation in entry.citations:
            assert quotes.verifies(citation.source, citation.quote), (entry.id, citation.quote)
