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


def test_a_secret_read_from_a_file_is_redacted_without_its_newline(monkeypatch):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-a-file-token\n")
    monkeypatch.setenv("CITEBOT_API_TOKEN", "  api-token-with-spaces \t")
    monkeypatch.setenv("CITEBOT_DATABASE_URL", "postgresql://bot:pa ss w0rd@db:5432/citebot\n")
    monkeypatch.setenv("CITEBOT_REDIS_URL", "redis://:redis%20s3cret@cache:6379/0")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("bot.test.redaction")
    logger.addHandler(handler)
    try:
        logger.warning("slack refused the token xoxb-from-a-file-token (invalid_auth)")
        logger.warning("bad bearer api-token-with-spaces")
        logger.warning("the server said: password 'pa ss w0rd' is wrong; redis said: 'redis s3cret' is wrong")
    finally:
        logger.removeHandler(handler)
    logged = stream.getvalue()
    assert logged.count("***") == 4
    for secret in ("from-a-file", "api-token-with", "pa ss w0rd", "redis s3cret"):
        assert secret not in logged
