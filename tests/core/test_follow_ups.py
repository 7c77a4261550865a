"""Follow-ups lean on the conversation: "he" is whom the last answer was about (for "Who took over Leike's work?"
that is Schulman, not Leike), "that" is what it said; with nothing earlier, a pronoun is no one in particular."""

from __future__ import annotations

import pytest

from tests.asking import ask, assert_cited, assert_declined, first_sentence


async def test_he_after_who_took_over_is_the_one_who_took_over(answerer, quotes):
    first = await ask(answerer, "Who took over Jan Leike's work after he left?", conversation="fu-1")
    assert first.answered and first_sentence(first.text).startswith("John Schulman took over from Jan Leike")
    follow = await ask(answerer, "What was he already busy with?", conversation="fu-1")
    assert follow.answered
    lead = first_sentence(follow.text)
    assert "Schulman" in lead and "products" in lead, follow.text
    assert_cited(follow, quotes)


async def test_the_turn_remembers_whom_the_answer_was_about(answerer):
    await ask(answerer, "Who took over Jan Leike's work after he left?", conversation="fu-2")
    turn = await answerer.memory.last_turn("fu-2")
    assert turn is not None
    assert turn.subject == ("john-schulman",) and "jan-leike" in turn.people


async def test_a_chinese_he_after_who_took_over_is_the_one_who_took_over(answerer, quotes):
    first = await ask(answerer, "谁接替了莱克？", conversation="fu-3")
    assert first.answered and "舒尔曼" in first_sentence(first.text)
    follow = await ask(answerer, "他之前在忙什么？", conversation="fu-3")
    assert follow.answered and follow.language == "zh"
    assert "舒尔曼" in follow.text and "产品" in follow.text, follow.text
    assert_cited(follow, quotes)


async def test_he_and_that_carry_a_person_through_three_questions(answerer, quotes):
    who = await ask(answerer, "Who is Daniel Kokotajlo?", conversation="fu-4")
    assert who.answered and first_sentence(who.text).startswith("Daniel Kokotajlo —")
    why = await ask(answerer, "Why did he quit?", conversation="fu-4")
    assert why.answered and why.intent == "why"
    assert first_sentence(why.text).startswith("Daniel Kokotajlo") and "trust" in first_sentence(why.text)
    cost = await ask(answerer, "and what did that cost him?", conversation="fu-4")
    assert cost.answered
    assert "85%" in first_sentence(cost.text) and "Kokotajlo" in first_sentence(cost.text), cost.text
    assert_cited(cost, quotes)


async def test_it_after_a_question_about_the_team_is_the_team(answerer, quotes):
    first = await ask(answerer, "超级对齐团队是做什么的？", conversation="fu-5")
    assert first.answered and "超级对齐团队" in first_sentence(first.text)
    follow = await ask(answerer, "那它现在由谁负责？", conversation="fu-5")
    assert follow.answered and follow.language == "zh"
    assert "舒尔曼" in first_sentence(follow.text), follow.text
    assert_cited(follow, quotes)


async def test_a_declined_question_does_not_become_the_context(answerer):
    await ask(answerer, "Who is Jan Leike?", conversation="fu-6")
    declined = await ask(answerer, "What is the price of Bitcoin today?", conversation="fu-6")
    assert not declined.answered
    follow = await ask(answerer, "And when did he leave?", conversation="fu-6")
    assert follow.answered and "May 14, 2024" in follow.text and "Leike" in follow.text


# --- a pronoun with nothing before it ---------------------------------------------------------------------


async def test_she_with_no_earlier_turn_is_declined(answerer):
    answer = await ask(answerer, "What did she say?", conversation="fu-fresh-1")
    assert_declined(answer)


@pytest.mark.parametrize(("typed", "conversation"), [
    ("Why did he quit?", "fu-fresh-2"),
    ("Why did he quit?", None),
    ("他为什么辞职？", "fu-fresh-3"),
])
async def test_he_with_no_earlier_turn_is_no_one_in_particular(answerer, typed, conversation):
    answer = await ask(answerer, typed, conversation=conversation)
    assert not answer.answered, answer.text
    for name in ("Leike", "Kokotajlo", "莱克", "科科塔伊洛"):
        assert name not in answer.text


@pytest.mark.parametrize(("asked", "who", "starts"), [
    ("When did Jan Leike announce his departure?", "who is he?", "Jan Leike —"),
    ("莱克什么时候宣布离职的？", "他是谁？", "扬·莱克（Jan Leike）："),
])
async def test_who_is_he_after_a_when_question_is_the_persons_profile(answerer, quotes, asked, who, starts):
    """The last question's words (his announcement) are not carried into "who is he?": it asks who he is."""
    await ask(answerer, asked, conversation=f"fu-profile-{who}")
    answer = await ask(answerer, who, conversation=f"fu-profile-{who}")
    assert answer.answered and answer.text.startswith(starts), answer.text
    assert_cited(answer, quotes)

