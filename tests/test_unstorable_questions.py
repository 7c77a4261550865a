"""A question the database cannot store (a lone surrogate; NUL on PostgreSQL) costs nothing but itself:
the questions around it are logged, the votes after it are written, readiness comes back. On real SQLite
and real PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.bootstrap import StoreSide
from bot.core.answerer import Answerer
from bot.core.recording import Recorders
from bot.core.types import Answer, Question
from bot.recorder import StoreRecorder
from bot.service import Citebot
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SURROGATE = "Who is Jan Leike \ud800?"  # refused by SQLite and PostgreSQL alike: it has no UTF-8 form
NUL = "Who is Jan\x00 Leike?"  # refused by PostgreSQL
ASKED = 300
POISONED = {40: SURROGATE, 41: NUL, 200: SURROGATE}
QUESTIONS = ("Who is Jan Leike?", "When did Jan Leike leave OpenAI?", "Who is Greg Brockman?")
FLUSH_TIMEOUT = 20


@pytest.fixture
async def app(store_target, prepared, tmp_path: Path) -> AsyncIterator[Citebot]:
    settings = Settings(knowledge_dir=ROOT / "knowledge", data_dir=tmp_path / "data")
    store = await store_target.connect()
    synced = await store.sync(prepared.kb, author="test")
    side = StoreSide(store, synced, StoreRecorder(store, b"salt", synced.version.id), b"salt")
    citebot = Citebot(settings, Answerer(prepared), side)
    citebot.answerer.recorder = Recorders(side.recorder, citebot.metrics)
    try:
        yield citebot
    finally:
        await citebot.close()


def text_of(i: int) -> str:
    return POISONED.get(i, QUESTIONS[i % len(QUESTIONS)])


async def ask_all(app: Citebot) -> list[Answer]:
    """One after another without yielding to the writer: they reach the store as one batch, poison inside."""
    answers = [await app.ask(Question(text_of(i), user_id=f"test:{i}", adapter="test")) for i in range(ASKED)]
    assert all(a.answered for a in answers)
    return answers


async def logged_questions(store_target) -> dict[str, str]:
    rows = await store_target.fetch("SELECT answer_id, question FROM question_log")
    return {row.answer_id: row.question for row in rows}


async def test_a_question_no_database_can_store_is_logged_without_the_characters_it_cannot_keep(app, store_target):
    side = app.side
    answers = await ask_all(app)
    assert await app.feedback(answer_id=answers[-1].answer_id, user_id="test:voter", vote=1, adapter="test") == "new"
    assert await side.recorder.flush(FLUSH_TIMEOUT), f"the question log is stuck: {side.recorder.last_error}"
    assert await side.votes.flush(FLUSH_TIMEOUT)

    logged = await logged_questions(store_target)
    assert len(logged) == ASKED and side.recorder.written == ASKED and side.recorder.unstorable_dropped == 0
    assert logged[answers[40].answer_id] == "Who is Jan Leike ?"
    assert logged[answers[41].answer_id] == "Who is Jan Leike?"
    [(question,)] = await store_target.fetch("SELECT question FROM feedback")
    assert question == text_of(ASKED - 1)
    assert side.degraded is None


async def test_a_row_the_store_still_refuses_is_dropped_alone_and_the_rest_of_its_batch_is_written(
        app, store_target, monkeypatch):
    # Every guard off, as for a character they do not know: the database itself refuses the row.
    monkeypatch.setattr("bot.core.types.storable_text", lambda text: text)
    monkeypatch.setattr("bot.core.types.without_controls", lambda text: text)
    monkeypatch.setattr("bot.store.models.storable_text", lambda text: text)
    side = app.side
    refused = {i for i, text in POISONED.items() if store_target.backend == "postgres" or "\x00" not in text}

    answers = await ask_all(app)
    # A vote given while the poisoned batch is being written is not held behind it.
    assert await app.feedback(answer_id=answers[-1].answer_id, user_id="test:voter", vote=-1, adapter="test") == "new"
    assert side.votes.backlog == 0
    assert await side.recorder.flush(FLUSH_TIMEOUT), f"the question log is stuck: {side.recorder.last_error}"

    logged = await logged_questions(store_target)
    assert set(logged) == {a.answer_id for i, a in enumerate(answers) if i not in refused}, "0 other rows lost"
    assert side.recorder.unstorable_dropped == len(refused) and side.recorder.written == ASKED - len(refused)
    assert side.recorder.dropped == 0 and side.recorder.backlog == 0
    [(vote, question)] = await store_target.fetch("SELECT vote, question FROM feedback")
    assert vote == -1 and question == text_of(ASKED - 1)
    assert side.degraded is None, "readiness comes back once the poisoned row is dropped"

    # The store goes on taking questions.
    later = await app.ask(Question("When did Jan Leike leave OpenAI?", user_id="test:later", adapter="test"))
    assert await side.recorder.flush(FLUSH_TIMEOUT)
    assert later.answer_id in await logged_questions(store_target)
