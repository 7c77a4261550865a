"""Traditional Chinese: a question is understood like its Simplified twin and answered in Traditional characters,
while the quotes of its citations stay as their sources wrote them."""

from __future__ import annotations

import pytest

from bot.core.script import is_traditional, to_simplified, to_traditional
from tests.asking import ask, assert_cited, assert_declined, first_sentence

TWINS = [
    # (Traditional, its Simplified twin, what the Traditional first sentence says)
    ("超級對齊團隊是什麼時候解散的？", "超级对齐团队是什么时候解散的？", ["2024年5月17日", "超級對齊團隊", "解散"]),
    ("布羅克曼是誰？", "布罗克曼是谁？", ["布羅克曼", "Greg Brockman", "總裁"]),
    ("揚·萊克是什麼時候宣佈離職的？", "扬·莱克是什么时候宣布离职的？", ["2024年5月14日", "揚·萊克", "離職"]),
]


@pytest.mark.parametrize(("traditional", "simplified", "said"), TWINS)
async def test_a_traditional_question_is_answered_like_its_simplified_twin(answerer, quotes, traditional,
                                                                         simplified, said):
    answer = await ask(answerer, traditional)
    twin = await ask(answerer, simplified)
    assert answer.answered and twin.answered
    assert answer.language == "zh" and answer.intent == twin.intent
    assert answer.entry_ids == twin.entry_ids
    lead = first_sentence(answer.text)
    for words in said:
        assert words in lead, lead
    assert_cited(answer, quotes)


async def test_the_answer_is_written_in_traditional_characters(answerer):
    answer = await ask(answerer, "超級對齊團隊是什麼時候解散的？")
    assert "團隊" in answer.text and "對齊" in answer.text
    assert "团队" not in answer.text and "对齐" not in answer.text
    assert to_traditional(answer.text) == answer.text, "nothing is left in Simplified"


async def test_citation_quotes_stay_as_their_sources_wrote_them(answerer, quotes):
    answer = await ask(answerer, "超級對齊團隊是什麼時候解散的？")
    twin = await ask(answerer, "超级对齐团队是什么时候解散的？")
    assert [c.quote for c in answer.citations] == [c.quote for c in twin.citations]
    infoq = [c.quote for c in answer.citations if c.publisher == "InfoQ"]
    assert infoq and any("团队" in quote for quote in infoq), "the Chinese article's quote stays in Simplified"
    assert all(quotes.verifies(c.source_id, c.quote) for c in answer.citations)


async def test_a_traditional_follow_up_keeps_the_person_and_the_script(answerer):
    first = await ask(answerer, "揚·萊克是誰？", conversation="trad-1")
    assert first.answered and "萊克" in first.text
    follow = await ask(answerer, "他為什麼辭職？", conversation="trad-1")
    assert follow.answered and follow.language == "zh" and follow.intent == "why"
    assert "萊克" in first_sentence(follow.text) and "辭職" in follow.text
    assert "辞职" not in follow.text.replace("“我辞职了”", "")


async def test_a_traditional_task_is_declined_in_traditional(answerer):
    answer = await ask(answerer, "幫我寫一首關於伊利亞的詩。")
    assert_declined(answer)
    assert answer.language == "zh" and "資料" in answer.text and "翻譯" in answer.text
    assert "资料" not in answer.text


async def test_traditional_small_talk_is_declined_wholly_in_traditional(answerer):
    answer = await ask(answerer, "你好呀，今天天氣怎麼樣？")
    assert_declined(answer)
    assert "機器人" in answer.text
    assert "谁" not in answer.text and "为什么" not in answer.text, answer.text


# --- the conversions themselves ----------------------------------------------------------------------


@pytest.mark.parametrize(("text", "traditional"), [
    ("超級對齊團隊是什麼時候解散的？", True),
    ("布羅克曼是誰？", True),
    ("超级对齐团队是什么时候解散的？", False),
    ("谁接替了莱克？", False),
    ("Who is Jan Leike?", False),
    ("GPT-4o 2024", False),
])
def test_traditional_text_is_recognised_by_its_characters(text, traditional):
    assert is_traditional(text) is traditional


def test_a_traditional_question_is_read_in_simplified_with_latin_text_untouched():
    assert to_simplified("布羅克曼是誰？") == "布罗克曼是谁？"
    assert to_simplified("GPT-4o 發佈了嗎") == "GPT-4o 发布了吗"


def test_taiwan_wording_is_read_as_mainland_wording_and_written_back():
    assert to_simplified("軟體") == "软件"
    assert to_traditional("软件") == "軟體"


def test_quoted_words_in_an_answer_are_left_as_written():
    assert to_traditional("他写道“我辞职了”。") == "他寫道“我辞职了”。"
    assert to_traditional("「我辞职了」") == "「我辞职了」"
