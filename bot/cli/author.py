"""Who is at the command line: the name a CLI-made knowledge version (and audit entry) is recorded under."""

from __future__ import annotations

import getpass
import logging

from bot.errors import ConfigError
from bot.store.models import AUTHOR_LENGTH

log = logging.getLogger(__name__)


def cli_author(given: str | None = None) -> str:
    """``--author NAME`` as given, else the OS user as "cli:alice", else "cli" when the OS cannot say."""
    if given is not None:
        name = given.strip()
        if not 0 < len(name) <= AUTHOR_LENGTH:
            raise ConfigError(f"--author must be 1 to {AUTHOR_LENGTH} characters")
        return name
    try:
        user = getpass.getuser()
    except Exception as err:  # no LOGNAME/USER and no password entry (a container's arbitrary uid): OSError, KeyError
        log.debug("no OS user name (%s); recording the author as cli", err)
        return "cli"
    return f"cli:{user}"[:AUTHOR_LENGTH] if user else "cli"
