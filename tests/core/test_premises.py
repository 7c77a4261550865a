"""A question that takes a wrong fact for granted is corrected in its first sentence, with a citation: how someone
left ("Why was Leike fired?"), a post they held ("Since Ilya was the CEO …"), whom they replaced. A true premise
is not "corrected". And who took over from whom is answered from the people's typed successions."""

from __future__ import annotations

import pytest

from bot.core.premises import find_premises, successor_asked
from tests.asking import ask, assert_cited, first_sentence


@pytest.mark.parametrize(("typed", "lead", "then"), [
    ("Why was Jan Leike fired?", "Jan Leike was not fired but resigned, on May 14, 2024 [1].", "breaking point"),
    ("When was Kokotajlo fired?", "Daniel Kokotajlo was not fired but resigned, in April 2024 [1].", "April 2024 —"),
    ("What made Leopold Aschenbrenner decide to quit?", "Leopold Aschenbrenner did not resign but was fired, in "
                                                        "April 2024 [1].", ""),
])
async def test_a_wrong_way_of_leaving_is_corrected_first(answerer, quotes, typed, lead, then):
    answer = await ask(answerer, typed)
    assert answer.answered
    assert first_sentence(answer.text) == lead, answer.text
    assert then in answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "name", "date"), [
    ("扬·莱克为什么被解雇？", "扬·莱克（Jan Leike）", "2024年5月14日"),
    ("科科塔伊洛为什么被 OpenAI 开除了？", "丹尼尔·科科塔伊洛（Daniel Kokotajlo）", "2024年4月"),
])
async def test_a_wrong_way_of_leaving_is_corrected_in_chinese(answerer, quotes, typed, name, date):
    answer = await ask(answerer, typed)
    assert answer.answered and answer.language == "zh"
    lead = first_sentence(answer.text)
    assert lead.startswith(f"{name}并不是被开除的，而是主动辞职（{date}）[1]"), lead
    assert len(answer.text) > len(lead), "then why they left"
    assert_cited(answer, quotes)


async def test_the_correction_cites_the_event_of_the_real_departure(answerer):
    answer = await ask(answerer, "Why was Jan Leike fired?")
    assert answer.citations[0].quote == "I resigned" and answer.citations[0].published == "2024-05-14"
    assert answer.entry_ids[0] == "leike-resigns-post-2024-05-14"


async def test_a_wrong_post_is_corrected_and_the_real_holder_named(answerer, quotes):
    answer = await ask(answerer, "Since Ilya Sutskever was OpenAI's CEO, why did he leave?")
    assert answer.answered
    lead = first_sentence(answer.text)
    assert lead.startswith("Ilya Sutskever was not the CEO but") and "chief scientist" in lead, lead
    assert "The CEO was Sam Altman" in answer.text
    assert_cited(answer, quotes)


async def test_a_wrong_post_is_corrected_in_chinese(answerer):
    answer = await ask(answerer, "伊利亚作为 OpenAI 的 CEO，为什么要离开？")
    assert answer.answered
    assert first_sentence(answer.text).startswith("伊利亚·苏茨克维（Ilya Sutskever）并不是 CEO"), answer.text
    assert "萨姆·奥特曼" in answer.text


@pytest.mark.parametrize(("typed", "lead", "then"), [
    ("When did John Schulman replace Sam Altman as CEO?", "John Schulman did not replace Sam Altman.",
     "Schulman took over from Jan Leike as lead of the alignment work, on May 17, 2024 [1]."),
    ("舒尔曼什么时候接替了奥特曼？", "约翰·舒尔曼（John Schulman）并没有接替萨姆·奥特曼（Sam Altman）。",
     "接替扬·莱克（Jan Leike）担任对齐工作负责人（2024年5月17日）[1]"),
])
async def test_a_wrong_succession_is_corrected_with_the_real_one(answerer, quotes, typed, lead, then):
    answer = await ask(answerer, typed)
    assert answer.answered
    assert first_sentence(answer.text) == lead, answer.text
    assert then in answer.text
    assert_cited(answer, quotes)


@pytest.mark.parametrize("typed", [
    "who got fired along with Aschenbrenner?",
    "Why was Leopold Aschenbrenner fired?",
    "Why did Jan Leike resign?",
    "阿申布伦纳为什么被开除？",
])
async def test_a_true_premise_is_not_corrected(answerer, typed):
    answer = await ask(answerer, typed)
    assert answer.answered
    for correction in ("was not fired", "did not resign", "并不是", "did not replace", "was not the"):
        assert correction not in answer.text, answer.text


async def test_who_was_fired_along_with_aschenbrenner_is_izmailov(answerer, quotes):
    answer = await ask(answerer, "who got fired along with Aschenbrenner?")
    assert "Pavel Izmailov" in first_sentence(answer.text)
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "lead"), [
    ("who replaced ilya as chief scientist", "Jakub Pachocki took over from Ilya Sutskever as chief scientist, on "
                                            "May 14, 2024 [1]."),
    ("Who replaced Jan Leike?", "John Schulman took over from Jan Leike as lead of the alignment work, on May 17, "
                                "2024 [1]."),
    ("谁接替了莱克？", "约翰·舒尔曼（John Schulman）接替扬·莱克（Jan Leike）担任对齐工作负责人（2024年5月17日）[1]。"),
])
async def test_a_successor_is_named_with_the_role_and_the_day(answerer, typed, lead):
    answer = await ask(answerer, typed)
    assert answer.answered and answer.intent == "who"
    assert first_sentence(answer.text) == lead, answer.text
    assert_cited(answer)


async def test_pachockis_succession_cites_altmans_post(answerer):
    answer = await ask(answerer, "who replaced ilya as chief scientist")
    assert answer.citations[0].publisher == "X (Twitter)" and "Chief Scientist" in answer.citations[0].quote


# --- the premises as read -------------------------------------------------------------------------------


def _read(prepared, text):
    return prepared.reader.read(text)


@pytest.mark.parametrize(("typed", "departures"), [
    ("Why was Jan Leike fired?", (("jan-leike", "fired"),)),
    ("What made Leopold Aschenbrenner decide to quit?", (("leopold-aschenbrenner", "resigned"),)),
    ("科科塔伊洛为什么被 OpenAI 开除了？", (("daniel-kokotajlo", "fired"),)),
    ("When did Jan Leike announce his departure?", ()),
])
def test_how_a_question_assumes_someone_left(prepared, typed, departures):
    assert _read(prepared, typed).premises.departures == departures


def test_who_was_fired_is_the_one_the_verb_is_said_of(prepared):
    departures = _read(prepared, "Was Ilya on the board that fired Altman?").premises.departures
    assert ("ilya-sutskever", "fired") not in departures


def test_a_post_and_a_succession_are_read_as_premises(prepared):
    assert _read(prepared, "Since Ilya Sutskever was OpenAI's CEO, why did he leave?").premises.titles == (
        ("ilya-sutskever", "CEO"),)
    assert _read(prepared, "When did John Schulman replace Sam Altman as CEO?").premises.succession == (
        "john-schulman", "sam-altman")


def test_a_question_with_no_person_assumes_nothing(prepared):
    reader = prepared.reader
    mentions = reader.names.find("Why was the team fired?")
    assert find_premises("Why was the team fired?", mentions, set(), []).departures == ()


@pytest.mark.parametrize(("typed", "whose"), [
    ("who replaced ilya as chief scientist", "ilya-sutskever"),
    ("谁接替了莱克？", "jan-leike"),
    ("Who is Jan Leike?", None),
    ("Who replaced whom, Leike or Sutskever?", None),  # two people: not one person's successor
])
def test_whose_successor_is_asked(prepared, typed, whose):
    reader = prepared.reader
    persons = {p.id for p in prepared.kb.people if p.kind == "person"}
    assert successor_asked(typed, reader.names.find(typed), persons) == whose
