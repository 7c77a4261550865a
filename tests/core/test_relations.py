"""Relations and counts answered from the typed facts of people (bot/core/relations.py): who shared a post, whose
ally someone was, who left together or besides someone, how many were fired or resigned. The decide stage names
the shape; a question the typed facts do not answer whole (a reason they do not hold, someone other than the
people of OpenAI) is left to the ranked entries."""

from __future__ import annotations

import pytest

from tests.asking import ask, assert_cited, first_sentence


def decided(answer) -> dict[str, str]:
    return next(s for s in answer.trace if s.name == "decide").facts


@pytest.mark.parametrize(("typed", "shape"), [
    ("Who co-led the superalignment team with Ilya?", "co-holders"),
    ("Who was Altman's closest ally?", "ally"),
    ("和伊兹迈洛夫一起被解雇的是谁？", "left together"),
    ("Besides Kokotajlo, who else left OpenAI in April 2024?", "others who left"),
    ("有几个人因为泄密被 OpenAI 解雇？", "count of who left"),
])
async def test_the_decide_stage_names_the_relation(answerer, quotes, typed, shape):
    answer = await ask(answerer, typed)
    assert answer.answered and decided(answer)["shape"] == shape, answer.text
    assert answer.confidence == 1.0
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "words"), [
    pytest.param("Who left together with Ilya?", ["Jan Leike resigned", "May 14, 2024", "same day"], id="en-day"),
    pytest.param("Who left OpenAI together with Kokotajlo?", ["Cullen O'Keefe left", "were fired", "same month"],
                 id="en-month"),
    pytest.param("谁和莱克同一天离开了 OpenAI？", ["伊利亚·苏茨克维", "辞职", "2024年5月14日"], id="zh-day"),
])
async def test_who_left_the_same_day_or_month_is_named_with_how(answerer, quotes, typed, words):
    answer = await ask(answerer, typed)
    assert decided(answer)["shape"] == "left together", answer.text
    assert all(w in first_sentence(answer.text) for w in words), answer.text
    assert_cited(answer, quotes)


async def test_a_count_says_whom_the_sources_do_not_say_how_they_left(answerer, quotes):
    """Resigned: Saunders, Kokotajlo, Sutskever, Leike; O'Keefe "left": his way is not known, and is said so."""
    answer = await ask(answerer, "How many people resigned from OpenAI?")
    assert first_sentence(answer.text).startswith("Four people resigned from OpenAI"), answer.text
    assert "O'Keefe also left OpenAI in April 2024; my sources don't say how" in answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize("typed", [
    "Who left OpenAI over safety concerns?",  # a reason the typed facts do not hold: the article's seven answer it
    "哪些人因安全问题离开了 OpenAI？",
    "How many safety people quit or were pushed out of OpenAI?",  # two ways at once: the article's own count
    "Who fired Altman?",  # a person named, no "else" / "with": not a list of the fired
    "Who was fired by the board?",  # the board named: not OpenAI's departures
    "Who left OpenAI after Leike?",  # an order the typed facts do not settle
    "Who quit in protest?",  # a word the knowledge does not know: nobody is known to have quit for it
])
async def test_questions_the_typed_facts_do_not_answer_whole_are_ranked(answerer, typed):
    answer = await ask(answerer, typed)
    assert decided(answer).get("shape") not in ("others who left", "count of who left", "left together"), answer.text


@pytest.mark.parametrize(("typed", "opens", "named"), [
    pytest.param("Who was fired along with Leike?", "Jan Leike was not fired but resigned, on May 14, 2024",
                 ["Ilya Sutskever resigned", "same day"], id="en"),
    pytest.param("科科塔伊洛和谁一起被开除了？", "丹尼尔·科科塔伊洛（Daniel Kokotajlo）并不是被开除的，而是主动辞职",
                 ["利奥波德·阿申布伦纳", "被开除", "卡伦·奥基夫", "2024年4月"], id="zh"),
])
async def test_left_with_someone_who_left_another_way_is_corrected_first(answerer, quotes, typed, opens, named):
    """Asked "fired along with X" of someone who resigned: said once that X resigned, then who left with them."""
    answer = await ask(answerer, typed)
    assert answer.text.startswith(opens) and answer.text.count(opens[:12]) == 1, answer.text
    assert all(n in answer.text for n in named), answer.text
    assert_cited(answer, quotes)
