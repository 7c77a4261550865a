"""What is not a question about the story is declined in the asker's language: task requests, small talk, one bare
word, and questions the sources do not cover (a salary, a PhD, a net worth in dollars, a number of GPUs)."""

from __future__ import annotations

import pytest

from bot.core.lexicon import is_english_word
from bot.core.scope import Kind, message_kind
from tests.asking import ask, assert_declined

TASK = {"en": "I can't write, translate or make things", "zh": "不能写作、翻译"}
SMALL_TALK = {"en": "I'm a bot that answers questions", "zh": "机器人"}
EMPTY = {"en": "Ask me who, when or why", "zh": "可以问我"}


@pytest.mark.parametrize(("typed", "language"), [
    ("Write a poem about Ilya leaving OpenAI.", "en"),
    ("tell me a joke", "en"),
    ("Give me a haiku about Jan Leike", "en"),
    ('Translate "I resigned" into Chinese.', "en"),
    ("Can you write me a summary of the superalignment story?", "en"),
    ("帮我把这篇文章翻译成英文。", "zh"),
    ("给我讲个笑话", "zh"),
    pytest.param("请用英文写一段关于莱克辞职的介绍", "zh"),
])
async def test_a_task_request_is_declined_with_the_scope_message(answerer, typed, language):
    """Even one that names the story's people ("a poem about Ilya")."""
    answer = await ask(answerer, typed)
    assert_declined(answer)
    assert answer.language == language
    assert TASK[language] in answer.text, answer.text


@pytest.mark.parametrize(("typed", "language"), [
    ("hey how's your day going?", "en"),
    ("what's the weather like?", "en"),
    ("who are you?", "en"),
    ("are you a bot?", "en"),
    ("thanks!", "en"),
    ("你好呀，今天天气怎么样？", "zh"),
])
async def test_small_talk_is_declined_with_the_scope_message(answerer, typed, language):
    answer = await ask(answerer, typed)
    assert_declined(answer)
    assert answer.language == language
    assert SMALL_TALK[language] in answer.text, answer.text


@pytest.mark.parametrize("typed", ["sources", "x", "hi", "hey bot", "你好"])
async def test_one_bare_word_is_declined_with_what_to_ask(answerer, typed):
    answer = await ask(answerer, typed)
    assert_declined(answer)
    assert EMPTY[answer.language] in answer.text, answer.text


async def test_weather_alone_is_small_talk_not_a_misspelt_whether(answerer):
    answer = await ask(answerer, "weather")
    assert_declined(answer)
    assert "whether" not in answer.text.lower()


def test_weather_is_never_corrected_into_whether(prepared):
    """The knowledge says "whether" and never "weather"; a dictionary word is still not "corrected" into it."""
    assert "whether" in prepared.index.surface_words and "weather" not in prepared.index.surface_words
    assert is_english_word("weather")
    und = prepared.reader.read("Did the weather affect Leike's decision?")
    assert "weather" in und.terms and "whether" not in und.terms


def test_a_misspelt_word_of_the_knowledge_is_still_corrected(prepared):
    assert "superalign" in prepared.reader.read("What was the superalignmnet team?").terms


async def test_a_question_about_the_weather_is_not_answered_from_whether(answerer):
    answer = await ask(answerer, "Did the weather affect Leike's decision?")
    assert_declined(answer)
    assert "don't know" in answer.text


@pytest.mark.parametrize("typed", [
    "How much is Jan Leike's salary?",
    pytest.param("What is Sam Altman's salary?"),
    "Does Jan Leike have a PhD?",
    "Where did Jan Leike get his PhD?",
    "How much is Daniel Kokotajlo's net worth in dollars?",
    pytest.param("What is Daniel Kokotajlo's net worth in dollars?"),
    "How many GPUs did the superalignment team get?",
    "How many GPUs did OpenAI promise the superalignment team?",
])
async def test_questions_the_sources_do_not_cover_are_declined(answerer, typed):
    answer = await ask(answerer, typed)
    assert_declined(answer)
    assert "don't know" in answer.text
    assert answer.suggestions


@pytest.mark.parametrize(("focus", "language", "names_the_story", "kind"), [
    ("Write a poem about Ilya leaving OpenAI.", "en", True, Kind.TASK),
    ("tell me a joke", "en", False, Kind.TASK),
    ("帮我把这篇文章翻译成英文。", "zh", False, Kind.TASK),
    ("hey how's your day going?", "en", False, Kind.SMALL_TALK),
    ("你好呀，今天天气怎么样？", "zh", False, Kind.SMALL_TALK),
    ("Who is Jan Leike?", "en", True, Kind.QUESTION),
    ("What did Leike say about the weather at OpenAI?", "en", True, Kind.QUESTION),
    ("超级对齐团队是什么时候解散的？", "zh", False, Kind.QUESTION),
    # a verb of making opens the message only as the first character of another word: still a question
    ("作为首席科学家的莱克为什么辞职？", "zh", True, Kind.QUESTION),
    ("写了那条帖子的人是谁？", "zh", False, Kind.QUESTION),
    ("作者是谁？", "zh", False, Kind.QUESTION),
    ("作一首关于伊利亚的诗", "zh", True, Kind.TASK),
    ("写信给奥特曼", "zh", True, Kind.TASK),
    ("画一张奥特曼的画", "zh", True, Kind.TASK),
])
def test_what_a_message_asks_for(focus, language, names_the_story, kind):
    """Small talk never names the story's people; a task may."""
    assert message_kind(focus, language, names_the_story) is kind
