"""Yes / no questions are answered "No —" or "Yes —" first where the chosen entry plainly says so about what was
asked (its verb, negated or not), and with no "yes" or "no" where it does not."""

from __future__ import annotations

import pytest

from bot.core.yes_no import is_yes_no, polarity
from tests.asking import ask, assert_cited, first_sentence


@pytest.mark.parametrize(("typed", "lead", "then"), [
    ("did altman know about the equity clawback clause", "No — Sam Altman did not know.", "had not known"),
    ("did daniel kokotajlo sign the exit deal", "No — Daniel Kokotajlo did not sign.", "to sign"),
    ("Did Ilya Sutskever leave OpenAI?", "Yes — Ilya Sutskever did.", "May 14, 2024"),
    ("Did Jan Leike resign?", "Yes — Jan Leike did.", "I resigned"),
])
async def test_a_yes_no_question_is_answered_yes_or_no_first(answerer, quotes, typed, lead, then):
    answer = await ask(answerer, typed)
    assert answer.answered
    assert answer.text.startswith(lead), answer.text
    assert then in answer.text
    assert_cited(answer, quotes)


async def test_the_board_that_fired_altman_is_said_to_include_ilya(answerer):
    answer = await ask(answerer, "Was Ilya on the board that fired Altman?")
    lead = first_sentence(answer.text)
    assert lead.startswith("Yes —") and "November 17, 2023" in lead and "Ilya Sutskever" in lead, lead


async def test_a_question_asked_in_the_negative_is_answered_yes_by_a_denial(answerer):
    answer = await ask(answerer, "Is it true that Kokotajlo never signed the exit agreement?")
    assert answer.answered and answer.text.startswith("Yes —"), answer.text
    assert "Kokotajlo" in first_sentence(answer.text) and "refus" in first_sentence(answer.text)


async def test_was_he_fired_is_not_answered_yes_after_saying_he_was_not(answerer):
    answer = await ask(answerer, "Was Jan Leike fired?")
    assert answer.answered and first_sentence(answer.text).startswith("Jan Leike was not fired but resigned")
    assert "Yes —" not in answer.text, answer.text


async def test_a_none_given_answers_whether_any_was_given_with_no(answerer):
    """"Did OpenAI show any evidence?": the entry says it provided none (the issue's own example)."""
    answer = await ask(answerer, "Did OpenAI show any evidence of the leak?")
    assert answer.answered and answer.text.startswith("No —"), answer.text
    assert "no evidence" in first_sentence(answer.text)


@pytest.mark.parametrize("typed", [
    "Did Aschenbrenner leak anything?",  # "no evidence of the leak" says neither; "allegedly leaking" neither
    "Did Aschenbrenner leak information?",
    "Did Aschenbrenner produce evidence?",  # OpenAI gave none: said of OpenAI, not of him
])
async def test_without_a_plain_statement_there_is_no_yes_or_no(answerer, typed):
    answer = await ask(answerer, typed)
    assert not answer.text.startswith(("Yes —", "No —")), answer.text


@pytest.mark.parametrize(("typed", "words"), [
    ("奥特曼知道股权撤销条款吗？", ["萨姆·奥特曼", "不知道"]),
    ("科科塔伊洛签了离职协议吗？", ["科科塔伊洛", "拒绝签署离职协议"]),
])
async def test_a_chinese_yes_no_question_is_answered_from_the_entry_that_says_so(answerer, quotes, typed, words):
    answer = await ask(answerer, typed)
    assert answer.answered and answer.language == "zh"
    for word in words:
        assert word in first_sentence(answer.text), answer.text
    assert_cited(answer, quotes)


# --- the pieces ----------------------------------------------------------------------------------------

KNOW = {"know", "known", "knew"}


@pytest.mark.parametrize(("text", "words", "says"), [
    ("this is on me and he had not known about it", KNOW, False),
    ("refusing to sign the exit agreement so he could criticize the company", {"sign"}, False),
    ("OpenAI provided no evidence of the leak", {"evidence"}, False),
    ("He never knew of the clause", KNOW, False),
    pytest.param("He didn't know", KNOW, False),
    ("Ilya Sutskever announced he was leaving OpenAI", {"leav"}, True),  # a bare mention affirms
    ("Kokotajlo signed the agreement", {"sign"}, True),
    ("Nothing here says anything of the kind", {"sign"}, None),  # absent: neither yes nor no
    ("He did not sign the first letter but signed the second", {"sign"}, None),  # says both
    ("No one at the company, then or in the weeks that followed, doubted he knew", KNOW, True),  # too far to govern
    ("OpenAI provided no evidence of the leak", {"leak"}, None),  # "no" denies the evidence, not the leak
    ("fired them for allegedly leaking information", {"leak"}, None),  # an allegation is not a yes
    ("the article speculates this let Altman label any sharing a \"leak\"", {"leak"}, None),
    ("On May 18, 2024 Altman said he had not known", KNOW, False),  # May the month hedges nothing
])
def test_polarity_is_what_the_entry_says_of_the_asked_verb(text, words, says):
    assert polarity(text, words) is says


@pytest.mark.parametrize(("text", "language", "asks"), [
    ("did altman know about the equity clawback clause", "en", True),
    ("Was Ilya on the board that fired Altman?", "en", True),
    ("Is it true that Kokotajlo never signed?", "en", True),
    ("So did Leike resign?", "en", True),
    ("Do you know who replaced Leike?", "en", False),  # a who-question asked politely
    ("Who replaced Leike?", "en", False),
    ("奥特曼知道股权撤销条款吗？", "zh", True),
    ("科科塔伊洛是否签署了离职协议？", "zh", True),
    ("科科塔伊洛为什么辞职？", "zh", False),
])
def test_a_yes_no_question_is_recognised(text, language, asks):
    assert is_yes_no(text, language) is asks
