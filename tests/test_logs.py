"""Logs as an operator reads them: JSON lines with a request id per question, never a secret."""

from __future__ import annotations

import io
import json
import logging

from bot.core.answerer import Answerer
from bot.core.types import Question
from bot.logs import ContextFilter, JsonFormatter


async def test_json_lines_carry_the_request_id_and_no_secret(prepared):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter(["xoxb-very-secret-token"]))
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("bot.core.answerer")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    try:
        answerer = Answerer(prepared)
        await answerer.ask(Question("Who is Jan Leike?"))
        await answerer.ask(Question("Who is Greg Brockman?"))
        logger.warning("connecting with %s", "xoxb-very-secret-token")
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.NOTSET)
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    ids = [line["request_id"] for line in lines[:2]]
    assert len(set(ids)) == 2 and all(len(i) == 12 for i in ids)
    assert lines[-1]["message"] == "connecting with ***"
    assert "very-secret" not in stream.getvalue()
