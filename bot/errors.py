"""One shallow error hierarchy; every error carries a message that is safe to show a user."""

from __future__ import annotations


class CitebotError(Exception):
    """Base of citebot's own errors. ``str(err)`` is one line, safe to show (no secrets, no traceback)."""


class ConfigError(CitebotError):
    """Settings are missing or invalid."""


class KnowledgeError(CitebotError):
    """The knowledge files cannot be loaded (the problems list says where)."""


class StoreError(CitebotError):
    """The database cannot be reached or used."""


class UnstorableError(StoreError):
    """The database is reachable but refuses these values (a data error): trying again cannot help."""
