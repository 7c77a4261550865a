"""Questions about two events: which came first, and how long between them, said at the precision the sources date
them to (a month against a day of that month cannot be ordered; days are counted only between two days)."""

from __future__ import annotations

import re

import pytest

from bot.core.compare import Dated, between_text, order, order_text
from bot.core.shapes import Pair, two_events
from bot.knowledge.dates import PartialDate
from tests.asking import ask, assert_cited, first_sentence

# --- which came first --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [
    pytest.param("Who left OpenAI first, William Saunders or Daniel Kokotajlo?"),
    pytest.param("Who resigned first, William Saunders or Daniel Kokotajlo?"),
    "Which came first, Saunders resigning or Kokotajlo resigning?",
])
async def test_who_left_first_names_saunders_and_his_day(answerer, quotes, typed):
    answer = await ask(answerer, typed)
    assert answer.answered and answer.intent == "order"
    lead = first_sentence(answer.text)
    assert lead.startswith("William Saunders") and "February 15, 2024" in lead, lead
    assert lead.index("Saunders") < lead.index("Kokotajlo") and "came first" in lead
    assert "April 2024" in lead and "2022" not in lead
    assert_cited(answer, quotes)


async def test_who_left_first_in_chinese(answerer, quotes):
    answer = await ask(answerer, "桑德斯辞职和科科塔伊洛辞职哪个先？")
    assert answer.answered and answer.language == "zh" and answer.intent == "order"
    assert answer.text.index("桑德斯") < answer.text.index("科科塔伊洛")
    assert "2024年2月15日" in answer.text and "在先" in answer.text and "2024年4月" in answer.text
    assert_cited(answer, quotes)


async def test_who_left_first_with_the_shared_verb_in_chinese(answerer):
    answer = await ask(answerer, "Kokotajlo 和 Saunders 谁先离开 OpenAI？")
    assert answer.answered and "2022" not in answer.text
    assert answer.text.index("桑德斯") < answer.text.index("科科塔伊洛"), answer.text


@pytest.mark.parametrize(("typed", "day", "names"), [
    ("Did Leike announce his resignation before or after Sutskever did?", "May 14, 2024", ["Jan Leike", "Sutskever"]),
    ("莱克宣布辞职是在苏茨克维宣布离职之前还是之后？", "2024年5月14日", ["莱克", "苏茨克维"]),
])
async def test_two_events_of_one_day_are_said_to_be_the_same_day(answerer, quotes, typed, day, names):
    answer = await ask(answerer, typed)
    assert answer.answered and answer.intent == "order"
    lead = first_sentence(answer.text)
    assert ("same day" in lead or "同一天" in lead) and day in lead, lead
    for name in names:
        assert name in answer.text
    assert "came first" not in answer.text and "在先" not in answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "cannot"), [
    ("Which came first, OpenAI's statement that it never cancelled vested equity or Altman's equity tweet?",
     "can't tell which came first"),
    ("OpenAI 的股权声明和奥特曼承认股权条款哪个在前？", "无法判断孰先孰后"),
    ("Did Kokotajlo leave before or after Aschenbrenner was fired?", "can't tell which came first"),
    ("科科塔伊洛辞职和阿申布伦纳被开除哪个先？", "无法判断孰先孰后"),
])
async def test_a_month_against_a_day_or_month_of_that_month_is_not_ordered(answerer, quotes, typed, cannot):
    """May 2024 against May 18, 2024, or April against April: the sources cannot tell, and the answer says so."""
    answer = await ask(answerer, typed)
    assert answer.answered and answer.intent == "order"
    assert first_sentence(answer.text).startswith(("My sources", "资料")) and cannot in answer.text, answer.text
    assert "came first [" not in answer.text and "在先[" not in answer.text
    assert_cited(answer, quotes)


# --- how long between --------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "lead", "dates"), [
    ("how many days between saunders quitting and ilya announcing he was leaving", "89 days",
     ["February 15, 2024", "May 14, 2024"]),
    ("How long did the superalignment team exist before it was disbanded?", "317 days",
     ["July 5, 2023", "May 17, 2024"]),
    ("How long after GPT-4o was announced did Leike resign?", "1 day:", ["May 13, 2024", "May 14, 2024"]),
    ("GPT-4o 发布和 Ilya 宣布离职隔了几天？", "相隔1天", ["2024年5月13日", "2024年5月14日"]),
    ("桑德斯辞职和伊利亚宣布离职隔了几天？", "相隔89天", ["2024年2月15日", "2024年5月14日"]),
    ("超级对齐团队成立和解散之间隔了几天？", "相隔317天", ["2023年7月5日", "2024年5月17日"]),
])
async def test_days_between_two_days_are_counted(answerer, quotes, typed, lead, dates):
    answer = await ask(answerer, typed)
    assert answer.answered and answer.intent == "between"
    assert answer.text.startswith(lead), answer.text
    for date in dates:
        assert date in answer.text
    assert answer.text.index(dates[0]) < answer.text.index(dates[1]), "the earlier event is named first"
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "lead"), [
    ("how many days between kokotajlo quitting and leike resigning", "About 1 month (the dates are known only to the "
                                                                     "month)"),
    ("科科塔伊洛辞职和莱克辞职隔了几天？", "大约 1 个月"),
])
async def test_days_are_not_counted_from_a_month(answerer, typed, lead):
    """Kokotajlo resigned in April 2024 (no day): the gap to May 14 is given in months, never as days."""
    answer = await ask(answerer, typed)
    assert answer.answered and answer.intent == "between"
    assert answer.text.startswith(lead), answer.text
    assert not re.search(r"\d+\s*(?:days?|天)", answer.text), answer.text


# --- the pieces ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("a", "b", "result"), [
    (PartialDate(2024, 2, 15), PartialDate(2024, 4), -1),  # a day before a later month
    (PartialDate(2024, 5, 17), PartialDate(2024, 5, 14), 1),
    (PartialDate(2024, 5, 14), PartialDate(2024, 5, 14), 0),  # the same day
    (PartialDate(2024, 5), PartialDate(2024, 5, 18), None),  # a month against a day in it
    (PartialDate(2024, 5, 18), PartialDate(2024, 5), None),
    (PartialDate(2024, 4), PartialDate(2024, 4), None),  # the same month: not the same day
    (PartialDate(2022), PartialDate(2024, 4), -1),  # a year before a later month
    (PartialDate(2024), PartialDate(2024, 5, 1), None),  # a year against a day in it
    (PartialDate(2023, 12), PartialDate(2024), -1),
])
def test_order_compares_dates_only_as_far_as_their_precision_allows(a, b, result):
    assert order(a, b) == result


def _dated(kb, event_id: str, number: int) -> Dated:
    return Dated(kb.get(event_id), f"[{number}]")


def test_between_counts_days_only_between_two_days(curated_kb):
    saunders = _dated(curated_kb, "saunders-resigns-2024-02-15", 1)
    ilya = _dated(curated_kb, "sutskever-announces-departure-2024-05-14", 2)
    kokotajlo = _dated(curated_kb, "kokotajlo-resigns-2024-04", 1)
    assert between_text(saunders, ilya, "en").startswith("89 days (about three months):")
    assert between_text(ilya, saunders, "zh").startswith("相隔89天"), "the earlier comes first whatever the order"
    months = between_text(kokotajlo, ilya, "en")
    assert months.startswith("About 1 month") and "days" not in months


def test_between_two_events_of_one_month_says_the_dates_are_not_precise_enough(curated_kb):
    kokotajlo = _dated(curated_kb, "kokotajlo-resigns-2024-04", 1)
    fired = _dated(curated_kb, "aschenbrenner-izmailov-fired-2024-04", 2)
    assert between_text(kokotajlo, fired, "en").startswith("My sources' dates are not precise enough")
    assert between_text(kokotajlo, fired, "zh").startswith("资料的日期不够精确")


def test_order_text_says_which_came_first_and_by_how_many_days(curated_kb):
    gpt = _dated(curated_kb, "gpt-4o-announced-2024-05-13", 1)
    leike = _dated(curated_kb, "leike-resigns-post-2024-05-14", 2)
    text = order_text(leike, gpt, "en")
    assert text.startswith("OpenAI announces GPT-4o (May 13, 2024) came first [1], the day before"), text
    assert "在先[1],比后者早1天" in order_text(gpt, leike, "zh")


@pytest.mark.parametrize(("typed", "language", "pair", "first", "second"), [
    ("Who left OpenAI first, William Saunders or Daniel Kokotajlo?", "en", Pair.ORDER, "William Saunders",
     "Daniel Kokotajlo"),
    ("Did Leike announce his resignation before or after Sutskever did?", "en", Pair.ORDER,
     "Leike announce his resignation", "Sutskever"),
    ("how many days between saunders quitting and ilya announcing he was leaving", "en", Pair.BETWEEN,
     "saunders quitting", "ilya announcing he was leaving"),
    ("How long did the superalignment team exist before it was disbanded?", "en", Pair.BETWEEN,
     "superalignment team", "it was disbanded"),
    ("GPT-4o 发布和 Ilya 宣布离职隔了几天？", "zh", Pair.BETWEEN, "GPT-4o 发布", "Ilya 宣布离职"),
    ("桑德斯辞职和科科塔伊洛辞职哪个先？", "zh", Pair.ORDER, "桑德斯辞职", "科科塔伊洛辞职"),
    ("Which happened earlier, Ilya's announcement or Leike's long thread?", "en", Pair.ORDER, "Ilya's announcement",
     "Leike's long thread"),
    ("苏茨克维宣布离职和莱克发长帖解释原因，哪件事在前？", "zh", Pair.ORDER, "苏茨克维宣布离职", "莱克发长帖解释原因"),
    ("谁先离开 OpenAI，桑德斯还是科科塔伊洛？", "zh", Pair.ORDER, "桑德斯", "科科塔伊洛"),
    ("苏茨克维宣布离职后几天莱克发了长帖？", "zh", Pair.BETWEEN, "苏茨克维宣布离职", "莱克发了长帖"),
])
def test_a_two_event_question_is_split_into_its_two_parts(typed, language, pair, first, second):
    found = two_events(typed, language)
    assert found is not None and found.pair is pair and not found.asks
    assert (found.first, found.second) == (first, second)


@pytest.mark.parametrize(("typed", "language", "first", "second", "asks"), [
    ("Did Saunders resign before Leike did?", "en", "Saunders resign", "Leike", "before"),
    ("Was Kokotajlo gone after Saunders?", "en", "Kokotajlo gone", "Saunders", "after"),
    ("桑德斯是在莱克之前辞职的吗？", "zh", "桑德斯", "莱克", "before"),
    ("莱克比桑德斯晚离开吗？", "zh", "莱克", "桑德斯", "after"),
])
def test_a_yes_no_about_the_order_is_split_and_says_which_way_it_asks(typed, language, first, second, asks):
    found = two_events(typed, language)
    assert found is not None and found.pair is Pair.ORDER
    assert (found.first, found.second, found.asks) == (first, second, asks)


@pytest.mark.parametrize(("typed", "opens"), [
    ("Did Saunders resign before Leike did?", "Yes — William Saunders"),
    ("Did Leike resign before Saunders did?", "No — William Saunders"),
    ("Did Kokotajlo quit after Saunders?", "Yes — William Saunders"),
    ("莱克是在桑德斯之前辞职的吗？", "不是：威廉·桑德斯"),
])
async def test_a_yes_no_about_the_order_opens_with_the_answer(answerer, quotes, typed, opens):
    """From the typed ``left`` facts: Saunders 2024-02-15, Kokotajlo April 2024, Leike 2024-05-14."""
    answer = await ask(answerer, typed)
    assert answer.answered and answer.intent == "order"
    assert answer.text.startswith(opens), answer.text
    assert_cited(answer, quotes)


async def test_a_yes_no_about_what_someone_knew_before_an_event_is_no_order_question(answerer):
    """Only two people's doings are ordered: "did Altman know … before Vox reported it?" asks what he knew."""
    answer = await ask(answerer, "Did Altman know about the clawback provision before Vox reported it?")
    assert answer.intent != "order", answer.text


@pytest.mark.parametrize(("typed", "language"), [
    ("When did Jan Leike announce his departure?", "en"),
    ("Who is Daniel Kokotajlo?", "en"),
    ("超级对齐团队是什么时候解散的？", "zh"),
])
def test_a_question_about_one_event_is_not_split(typed, language):
    assert two_events(typed, language) is None
