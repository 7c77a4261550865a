"""Feedback: one vote per user per answer, stored with the question and the entries the answer cited."""

from __future__ import annotations

import datetime as dt

from bot.store import QuestionLogEntry, Store, StoreError

USER_A = "a" * 64
USER_B = "b" * 64


async def log_answer(store: Store, answer_id: str) -> None:
    await store.log_question(
        QuestionLogEntry(
            asked_at=dt.datetime.now(dt.UTC),
            question="Why did Jan Leike resign?",
            language="en",
            intent="why",
            answered=True,
            confidence=0.9,
            cited_entry_ids=("leike-core-priorities",),
            latency_ms=1.0,
            adapter="discord",
            user_hash=USER_A,
            answer_id=answer_id,
        )
    )


async def test_a_vote_is_kept_with_the_question_and_cited_entries(store: Store):
    await log_answer(store, "f" * 32)
    assert await store.record_feedback(answer_id="f" * 32, user_hash=USER_B, vote=-1, adapter="discord") == "new"
    [vote] = await store.feedback_for("f" * 32)
    assert vote.vote == -1 and vote.question == "Why did Jan Leike resign?"
    assert vote.cited_entry_ids == ("leike-core-priorities",) and vote.user_hash == USER_B


async def test_one_vote_per_user_per_answer(store: Store):
    await log_answer(store, "e" * 32)
    assert await store.record_feedback(answer_id="e" * 32, user_hash=USER_A, vote=1, adapter="slack") == "new"
    assert await store.record_feedback(answer_id="e" * 32, user_hash=USER_A, vote=1, adapter="slack") == "same"
    assert await store.record_feedback(answer_id="e" * 32, user_hash=USER_A, vote=-1, adapter="slack") == "changed"
    assert await store.record_feedback(answer_id="e" * 32, user_hash=USER_B, vote=1, adapter="slack") == "new"
    votes = await store.feedback_for("e" * 32)
    assert sorted((v.user_hash, v.vote) for v in votes) == [(USER_A, -1), (USER_B, 1)]


async def test_a_vote_for_an_unlogged_answer_is_still_kept(store: Store):
    assert await store.record_feedback(answer_id="d" * 32, user_hash=USER_A, vote=1, adapter="discord") == "new"
    [vote] = await store.feedback_for("d" * 32)
    assert vote.question is None and vote.cited_entry_ids == ()


async def test_a_vote_must_be_up_or_down(store: Store):
    try:
        await store.record_feedback(answer_id="c" * 32, user_hash=USER_A, vote=5, adapter="discord")
    except (StoreError, ValueError) as err:
        assert "vote" in str(err)
    else:
        raise AssertionError("a vote of 5 was accepted")
