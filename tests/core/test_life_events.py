"""When-questions about one person's leaving or taking up a post are dated by their typed ``left`` and
``succeeded`` facts; anything more they ask about is searched for as before."""

from __future__ import annotations

import pytest

from tests.asking import ask, assert_cited


@pytest.mark.parametrize(("typed", "event_id"), [
    ("When did William Saunders hand in his resignation?", "saunders-resigns-2024-02-15"),
    ("When did Kokotajlo quit?", "kokotajlo-resigns-2024-04"),
    ("科科塔伊洛什么时候离开的 OpenAI？", "kokotajlo-resigns-2024-04"),
    ("When did Pachocki become chief scientist?", "pachocki-named-chief-scientist-2024-05-14"),
    ("帕霍奇什么时候上任的？", "pachocki-named-chief-scientist-2024-05-14"),
])
async def test_a_when_question_about_leaving_or_a_new_post_is_dated_by_the_typed_fact(answerer, quotes, typed,
                                                                                       event_id):
    answer = await ask(answerer, typed)
    assert answer.answered and answer.entry_ids[:1] == (event_id,), (answer.entry_ids, answer.text)
    assert_cited(answer, quotes)


async def test_a_when_question_about_more_than_the_leaving_is_searched(answerer):
    """Saunders's forum post mentions his resignation; the post, not the resignation, is asked about."""
    answer = await ask(answerer, "When did Saunders post on the forum about his resignation?")
    assert answer.answered and answer.entry_ids[:1] == ("saunders-forum-post-2024-05-03",), answer.text


async def test_leaving_something_else_than_openai_is_not_the_typed_departure(answerer):
    """Sutskever left the board on November 29, 2023, months before he left OpenAI."""
    answer = await ask(answerer, "When did Ilya leave the board?")
    assert "sutskever-announces-departure-2024-05-14" not in answer.entry_ids, answer.text
