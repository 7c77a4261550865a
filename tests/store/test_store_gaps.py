"""Knowledge gaps: most often declined questions and most disliked answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import QuestionLogEntry, Store

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
USERS = [c * 64 for c in "abcdef"]


async def _ask(store: Store, question: str, minutes: int, *, answered: bool = False, answer_id: str | None = None):
    await store.log_question(
        QuestionLogEntry(
            asked_at=T0 + timedelta(minutes=minutes),
            question=question,
            language="en",
            intent="who",
            answered=answered,
            confidence=0.9 if answered else 0.0,
            cited_entry_ids=("jan-leike",) if answered else (),
            latency_ms=1.0,
            adapter="discord",
            answer_id=answer_id,
        )
    )


async def test_declined_questions_are_grouped_and_counted(store: Store) -> None:
    await _ask(store, "Who is X?", 1)
    await _ask(store, "who is x", 2)
    await _ask(store, "  WHO IS X ？ ", 3)
    await _ask(store, "What is Y?", 4)
    await _ask(store, "what is y", 6)
    await _ask(store, "Who is X?", 5, answered=True)  # answered: not a gap
    await _ask(store, "When was Z?", 7)

    declined = (await store.gaps()).declined
    assert [(d.question, d.times) for d in declined] == [("WHO IS X ？", 3), ("what is y", 2), ("When was Z?", 1)]
    assert declined[0].last_asked == T0 + timedelta(minutes=3)
    assert [d.times for d in (await store.gaps(limit=1)).declined] == [3]


async def test_disliked_answers_by_downvotes_then_latest(store: Store) -> None:
    await _ask(store, "Who is Jan Leike?", 1, answered=True, answer_id="1" * 32)
    await _ask(store, "Who is Ilya?", 2, answered=True, answer_id="2" * 32)
    votes = [("2" * 32, -1), ("1" * 32, -1), ("1" * 32, -1), ("1" * 32, 1), ("3" * 32, -1), ("4" * 32, 1)]
    for user, (answer_id, vote) in zip(USERS, votes, strict=True):
        await store.record_feedback(answer_id=answer_id, user_hash=user, vote=vote, adapter="discord")

    disliked = (await store.gaps()).disliked
    assert [(d.answer_id, d.downvotes, d.upvotes) for d in disliked] == [
        ("1" * 32, 2, 1),
        ("3" * 32, 1, 0),  # voted after answer 2's only 👎
        ("2" * 32, 1, 0),
    ]
    assert disliked[0].question == "Who is Jan Leike?"
    assert disliked[0].cited_entry_ids == ("jan-leike",)
    assert disliked[1].question is None and disliked[1].cited_entry_ids == ()


async def test_no_gaps_in_an_empty_store(store: Store) -> None:
    gaps = await store.gaps()
    assert gaps.declined == [] and gaps.disliked == []
