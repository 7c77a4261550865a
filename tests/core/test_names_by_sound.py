"""Chinese renderings of names the aliases lack ("苏茨凯弗" for 苏茨克维) are matched by how they sound, with a clear
margin over everyone else; a weak match asks "你是指…吗？" instead of answering; an ordinary word is never a name."""

from __future__ import annotations

import pytest

from bot.core.names import NameResolver
from bot.core.sounds import SoundsLike
from tests.asking import ask, assert_cited, assert_declined, first_sentence


@pytest.fixture(scope="module")
def sounds(curated_kb) -> SoundsLike:
    return SoundsLike(curated_kb)


@pytest.mark.parametrize(("typed", "name"), [
    ("苏茨凯弗为什么离开 OpenAI？", "伊利亚·苏茨克维（Ilya Sutskever）"),
    ("苏茨凯弗是什么时候宣布离职的？", "伊利亚·苏茨克维（Ilya Sutskever）"),
    ("奥特门是谁？", "萨姆·奥特曼（Sam Altman）"),
    ("舒尔门是谁？", "约翰·舒尔曼（John Schulman）"),
    ("布洛克为什么辞职？", "格雷格·布罗克曼（Greg Brockman）"),
])
async def test_a_rendering_the_aliases_lack_is_heard_as_the_person(answerer, quotes, typed, name):
    answer = await ask(answerer, typed)
    assert answer.answered and answer.language == "zh"
    assert name in first_sentence(answer.text), answer.text
    assert_cited(answer, quotes)


async def test_why_sutskever_left_is_answered_about_ilya(answerer):
    answer = await ask(answerer, "苏茨凯弗为什么离开 OpenAI？")
    assert answer.intent == "why" and "2024年5月14日" in answer.text and "意义重大" in answer.text


async def test_a_traditional_rendering_is_heard_too_and_answered_in_traditional(answerer):
    answer = await ask(answerer, "蘇茨凱弗為什麼離開 OpenAI？")
    assert answer.answered and "伊利亞·蘇茨克維（Ilya Sutskever）" in first_sentence(answer.text)


@pytest.mark.parametrize(("typed", "meant"), [
    ("桑德勒是谁？", "威廉·桑德斯（William Saunders）"),
    ("桑德勒为什么离职？", "威廉·桑德斯（William Saunders）"),
])
async def test_a_weak_match_asks_did_you_mean_instead_of_answering(answerer, typed, meant):
    answer = await ask(answerer, typed)
    assert_declined(answer)
    assert f"你是指{meant}吗？" in answer.text, answer.text
    assert answer.suggestions


async def test_a_traditional_did_you_mean_is_in_traditional(answerer):
    answer = await ask(answerer, "桑德勒是誰？")
    assert_declined(answer)
    assert "你是指威廉·桑德斯（William Saunders）嗎？" in answer.text, answer.text


@pytest.mark.parametrize("typed", ["马拉松是什么？", "OpenAI 的员工会去跑马拉松吗？", "迪斯科是谁？", "马斯克是谁？"])
async def test_an_ordinary_word_is_never_taken_for_a_name(answerer, typed):
    answer = await ask(answerer, typed)
    assert_declined(answer)
    assert "你是指" not in answer.text, answer.text


@pytest.mark.parametrize("typed", ["利比亚发生了什么？", "布拉格是哪里？"])
async def test_a_place_name_is_not_offered_as_a_person(answerer, typed):
    answer = await ask(answerer, typed)
    assert_declined(answer)
    assert "你是指" not in answer.text, answer.text


# --- the matcher itself --------------------------------------------------------------------------------


@pytest.mark.parametrize(("run", "person"), [
    ("苏茨凯弗", "ilya-sutskever"),
    ("奥特门", "sam-altman"),
    ("舒尔门", "john-schulman"),
    ("布洛克", "greg-brockman"),
])
def test_a_close_sound_is_a_sure_match(sounds, run, person):
    [heard] = sounds.hear(run, [])
    assert heard.person_id == person and heard.sure and heard.text == run


def test_a_weak_sound_is_only_a_guess(sounds):
    [heard] = sounds.hear("桑德勒", [])
    assert heard.person_id == "william-saunders" and not heard.sure


ORDINARY = ["马拉松", "迪斯科", "马赛克", "特斯拉", "阿里巴巴", "维多利亚", "安全团队", "超级对齐"]


@pytest.mark.parametrize("word", ORDINARY)
def test_ordinary_words_are_not_heard_as_names(sounds, word):
    assert sounds.hear(word, []) == []


def test_a_known_rendering_and_a_taken_span_are_left_to_the_aliases(sounds):
    assert sounds.hear("苏茨克维", []) == []  # an alias already: the aliases find it
    assert sounds.hear("苏茨凯弗", [(0, 4)]) == []  # already found as someone there


def test_a_mention_is_placed_in_the_text_as_given(curated_kb):
    """Runs of spaces (a date masked out of "在2024年3月罢免奥特曼") do not shift where a name is found."""
    text = "董事会为什么在       罢免奥特曼?"
    found = {m.person_id: m.span for m in NameResolver(curated_kb).find(text)}
    assert text[slice(*found["sam-altman"])] == "奥特曼"
    assert text[slice(*found["openai-board"])] == "董事会"
