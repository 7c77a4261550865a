"""Logging for the entry points: text or JSON lines, a request id per question, secrets redacted.

Only entry points configure logging (``configure_command_logging`` for every command, ``configure_logging``
for the long-running ones); library code just uses ``logging.getLogger(__name__)``. Start-up, reloads and
shutdown are INFO, problems WARNING or ERROR; library lines a user can do nothing about show only at DEBUG.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import os
from urllib.parse import unquote, urlsplit

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

SECRET_VARIABLES = ("DISCORD_TOKEN", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN",
                    "CITEBOT_API_TOKEN", "CITEBOT_USER_HASH_SALT")
URL_VARIABLES = ("CITEBOT_DATABASE_URL", "CITEBOT_REDIS_URL")  # their passwords are secrets too


def environment_secrets() -> list[str]:
    """The secrets in the environment: the tokens, and the passwords inside the database and Redis URLs
    (as written, and percent-decoded)."""
    found = [os.environ.get(v, "") for v in SECRET_VARIABLES]
    for variable in URL_VARIABLES:
        with contextlib.suppress(ValueError):  # not a URL: nothing to find
            password = urlsplit(os.environ.get(variable, "").strip()).password
            if password:
                found += [password, unquote(password)]
    return found


class ContextFilter(logging.Filter):
    """Adds the current question's request id, and blanks out any secret from the environment.

    A secret is matched without the white space around it: one read from a file ends in a newline,
    which the programs using it strip, so the newline is never beside it in a log line."""

    def __init__(self, secrets: list[str] | None = None) -> None:
        super().__init__()
        found = secrets if secrets is not None else environment_secrets()
        stripped = {s.strip() for s in found}
        self.secrets = sorted((s for s in stripped if len(s) >= 6), key=len, reverse=True)  # longest first

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        if self.secrets:
            message = record.getMessage()
            if any(s in message for s in self.secrets):
                record.msg, record.args = self._redacted(message), None
            if record.exc_info and not record.exc_text:  # a traceback can quote a token too (an error's text)
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = self._redacted(record.exc_text)
        return True

    def _redacted(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info or record.exc_text:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(entry, ensure_ascii=False)


# Lines libraries log about choices this bot made, which its user can do nothing about: shown only at DEBUG.
NOISE = {
    "discord.client": ("PyNaCl is not installed", "davey is not installed"),  # voice: the bot has none
    "slack_bolt.AsyncApp": ("As you gave `client` as well",),  # SLACK_BOT_TOKEN read again beside our client
}
# Libraries whose INFO lines repeat ours ("migrating the database", "knowledge files changed"): WARNING up.
CHATTY = ("alembic", "watchfiles")


class DropLines(logging.Filter):
    """Drops the records whose message starts with one of ``starts``."""

    def __init__(self, starts: tuple[str, ...]) -> None:
        super().__init__()
        self.starts = starts

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith(self.starts)


_noise_filters = {name: DropLines(starts) for name, starts in NOISE.items()}


def quiet_libraries(level: int | str) -> None:
    """Below DEBUG, hide the library noise (on the loggers themselves, so any handler is spared it)."""
    debug = (level if isinstance(level, int) else logging.getLevelNamesMapping()[level.upper()]) <= logging.DEBUG
    for name, noise in _noise_filters.items():
        (logging.getLogger(name).removeFilter if debug else logging.getLogger(name).addFilter)(noise)
    for name in CHATTY:
        logging.getLogger(name).setLevel(logging.NOTSET if debug else logging.WARNING)


def configure_command_logging(debug: bool) -> None:
    """Every command: warnings and errors, one short line each on stderr (``--debug``: everything)."""
    level = logging.DEBUG if debug else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    quiet_libraries(level)


def configure_logging(level: str, fmt: str = "text") -> None:
    """The long-running commands (discord, slack, serve): ``level`` (the log_level setting, INFO unless
    set) in text or JSON lines, with request ids, secrets redacted."""
    handler = logging.StreamHandler()
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    quiet_libraries(level)
