from __future__ import annotations

import pytest

from bot.core.intent import Intent, detect_intent
from bot.core.text import clean, detect_language, tokens


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Who is Jan Leike?", "en"),
        ("Ilya Sutskever 是谁？", "zh"),
        ("Altman 在推文中承认了什么？", "zh"),
        ("Who is 奥特曼?", "en"),
        ("GPT-4o 是什么时候发布的？", "zh"),
        ("???", "en"),
    ],
)
def test_the_answer_language_is_the_language_of_the_question(text, language):
    assert detect_language(text) == language


def test_a_hint_decides_only_when_the_text_cannot():
    assert detect_language("2024?", hint="zh") == "zh"
    assert detect_language("Who is Jan Leike?", hint="zh") == "en"


def test_chinese_is_indexed_as_bigrams_and_english_is_stemmed():
    assert tokens("超级对齐团队") == ["超级", "级对", "对齐", "齐团", "团队"]
    assert tokens("He resigned and was resigning") == ["resign", "resign"]
    assert "的" not in "".join(tokens("团队的工作"))


def test_control_and_zero_width_characters_do_not_split_words():
    assert clean("Lei\u200bke\x00 resigned") == "Leike resigned"


@pytest.mark.parametrize(
    ("text", "language", "intent"),
    [
        ("Who is Greg Brockman?", "en", Intent.WHO),
        ("Which researcher posted it on a forum?", "en", Intent.WHO),
        ("When was GPT-4o announced?", "en", Intent.WHEN),
        ("On what date did Leike resign?", "en", Intent.WHEN),
        ("Why did Kokotajlo refuse to sign?", "en", Intent.WHY),
        ("What was the reason Aschenbrenner was fired?", "en", Intent.WHY),
        ("What did Altman say when Ilya left?", "en", Intent.WHAT),
        ("How much compute was the team promised?", "en", Intent.HOW_MUCH),
        ("What happened in April 2024?", "en", Intent.ON_DATE),
        ("Show me the timeline of Jan Leike", "en", Intent.TIMELINE),
        ("Ilya Sutskever 是谁？", "zh", Intent.WHO),
        ("GPT-4o 是什么时候发布的？", "zh", Intent.WHEN),
        ("Jan Leike 什么时候在 X 上发帖解释离职原因？", "zh", Intent.WHEN),
        ("Leopold Aschenbrenner 为什么被开除？", "zh", Intent.WHY),
        ("超级对齐团队的工作是什么？", "zh", Intent.WHAT),
        ("Kokotajlo 放弃了多少家庭净资产？", "zh", Intent.HOW_MUCH),
        ("2024年5月14日发生了什么？", "zh", Intent.ON_DATE),
        ("莱克的时间线", "zh", Intent.TIMELINE),
    ],
)
def test_intent(text, language, intent):
    from bot.core.question_dates import find_dates

    assert detect_intent(text, language, bool(find_dates(text))) is intent
