"""Greetings, @mentions, lead-ins and long preambles do not stop an answer: the question is the asking sentence."""

from __future__ import annotations

import pytest

from bot.core.focus import question_focus, without_lead_in
from tests.asking import ask, assert_cited, first_sentence


@pytest.mark.parametrize(("typed", "focus"), [
    ("hey bot, who is Jan Leike?", "who is Jan Leike?"),
    ("Hi! Quick one: how much compute was the superalignment team promised?",
     "how much compute was the superalignment team promised?"),
    ("@citebot when was GPT-4o announced?", "when was GPT-4o announced?"),
    ("<@U12345> who is Greg Brockman?", "who is Greg Brockman?"),
    ("hello there! one more question: who replaced ilya as chief scientist?", "who replaced ilya as chief scientist?"),
    ("你好！请问超级对齐团队是什么时候解散的？", "超级对齐团队是什么时候解散的？"),
    ("您好，想问一下扬·莱克为什么辞职？", "扬·莱克为什么辞职？"),
])
def test_greetings_mentions_and_lead_ins_are_set_aside(typed, focus):
    assert question_focus(typed) == focus


def test_the_asking_sentence_of_a_long_preamble_is_the_focus():
    typed = ("I've been reading a lot about AI safety lately and the whole OpenAI story is confusing to me. "
             "There were so many people leaving. When did Jan Leike announce his departure?")
    assert question_focus(typed) == "When did Jan Leike announce his departure?"
    zh = "我最近在看关于 AI 安全的新闻，有很多人离开了 OpenAI，我有点搞不清楚。请问扬·莱克是什么时候宣布离职的？"
    assert question_focus(zh) == "扬·莱克是什么时候宣布离职的？"


def test_a_short_question_is_its_own_focus_and_a_greeting_alone_stays():
    assert question_focus("Who is Jan Leike?") == "Who is Jan Leike?"
    assert without_lead_in("hey") == "hey"  # nothing after it: the greeting is all there is


@pytest.mark.parametrize(("typed", "lead", "words"), [
    ("hey bot, who is Jan Leike?", "Jan Leike —", ["superalignment"]),
    ("Hi! Quick one: how much compute was the superalignment team promised?", "", ["20%"]),
    ("@citebot when was GPT-4o announced?", "May 13, 2024 —", ["GPT-4o"]),
    ("<@U12345> who is Greg Brockman?", "Greg Brockman —", ["president"]),
    ("hello there! one more question: who replaced ilya as chief scientist?", "", ["Jakub Pachocki", "May 14, 2024"]),
    ("Hey! Why was Leopold Aschenbrenner fired?", "", ["leak"]),
    ("你好！请问超级对齐团队是什么时候解散的？", "2024年5月17日——", ["超级对齐团队", "解散"]),
    ("您好，想问一下扬·莱克为什么辞职？", "", ["莱克", "分歧"]),
])
async def test_a_greeting_or_lead_in_does_not_stop_the_answer(answerer, quotes, typed, lead, words):
    answer = await ask(answerer, typed)
    assert answer.answered, answer.text
    sentence = first_sentence(answer.text)
    assert sentence.startswith(lead), sentence
    for word in words:
        assert word in sentence, sentence
    assert_cited(answer, quotes)


@pytest.mark.parametrize(("typed", "lead", "language"), [
    ("I've been reading a lot about AI safety lately and the whole OpenAI story is confusing to me. "
     "There were so many people leaving. When did Jan Leike announce his departure?", "May 14, 2024 — Jan Leike", "en"),
    ("My friend Bob from Microsoft Research told me something odd yesterday. "
     "When did Jan Leike announce his departure?", "May 14, 2024 — Jan Leike", "en"),
    ("我最近在看关于 AI 安全的新闻，有很多人离开了 OpenAI，我有点搞不清楚。请问扬·莱克是什么时候宣布离职的？",
     "2024年5月14日——", "zh"),
])
async def test_a_long_preamble_neither_stops_the_answer_nor_counts_as_unknown(answerer, quotes, typed, lead,
                                                                             language):
    """"Bob" of the preamble is not something the sources lack: the question is about Leike."""
    answer = await ask(answerer, typed)
    assert answer.answered and answer.language == language and answer.intent == "when"
    assert answer.text.startswith(lead), answer.text
    assert "Bob" not in answer.text
    assert_cited(answer, quotes)


async def test_a_preamble_may_name_whom_the_question_is_about(answerer):
    answer = await ask(answerer, "I was reading about Daniel Kokotajlo the other day and it got me thinking about "
                                 "the exit agreements. Why did he quit?")
    assert answer.answered and answer.intent == "why"
    assert "Daniel Kokotajlo" in first_sentence(answer.text) and "trust" in first_sentence(answer.text)
