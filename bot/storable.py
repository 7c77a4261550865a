"""Text that every database and every UTF-8 stream can carry: no lone surrogates, no NUL.

A lone surrogate (``"\\ud800"``, from a JSON escape or a terminal's undecodable byte) has no UTF-8 form:
SQLite, PostgreSQL, an HTTP response and stdout all refuse it. PostgreSQL also refuses NUL in text and in
JSON. Both are dropped; a surrogate *pair* typed as two escapes becomes the character it stands for.
"""

from __future__ import annotations

import re
from typing import Any

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """``text`` without NUL and lone surrogates (unchanged, and not copied, when it has neither)."""
    if _UNSTORABLE.search(text) is None:
        return text
    # UTF-16 pairs surrogates up again; the ones left alone fail to decode and are ignored.
    text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    return text.replace("\x00", "")


def storable(value: Any) -> Any:
    """A JSON-like ``value`` (dicts, lists, tuples, strings, numbers) with every string, keys too, storable."""
    if isinstance(value, str):
        return storable_text(value)
    if isinstance(value, dict):
        return {storable(k): storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable(v) for v in value]
    return value
