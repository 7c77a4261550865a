"""Text made inert before it reaches a chat platform: no link and no broadcast the bot did not mean to send.

What the bot posts mixes text it does not control (a name someone typed, echoed in "no person called …"; the
words of a declined question; a file name) with links it does mean (a citation's source). Only URLs passed in
``allowed`` stay links. Any other URL gets a zero-width space after its scheme (``https:\u200b//``) or in its
``www.``, which no chat client links; ``@everyone``, ``@here`` and ``@channel`` get one after the ``@``.
The platform syntax (Slack's ``<!channel>``, Discord's ``<@id>``) is each adapter's business on top of this.
"""

from __future__ import annotations

import re
from collections.abc import Collection

ZWSP = "\u200b"
_LINKISH = re.compile(r"(?i):(?=//)|www(?=\.)")  # broken between ':' and '//', and after 'www'
_BROADCAST = re.compile(r"(?i)@(everyone|here|channel)")
_URL_START = r"(?<![A-Za-z0-9+.\-])"  # nothing glued before a kept URL: it starts there
_URL_END = r"(?=[.,:;!?'\")\]]*(?:[\s|<>]|$))"  # and what may follow it: it ends there


def break_links(text: str, allowed: Collection[str] = ()) -> str:
    """Every URL not in ``allowed`` made unlinkable, the allowed ones (standing alone) left whole."""
    matches = list(_LINKISH.finditer(text))
    if not matches:
        return text
    kept = _kept_spans(text, allowed)
    out: list[str] = []
    pos = 0
    for match in matches:
        if any(start <= match.start() < end for start, end in kept):
            continue
        out.append(text[pos:match.end()] + ZWSP)
        pos = match.end()
    out.append(text[pos:])
    return "".join(out)


def _kept_spans(text: str, allowed: Collection[str]) -> list[tuple[int, int]]:
    urls = [url for url in allowed if url in text]
    if not urls:
        return []
    pattern = re.compile(_URL_START + "(?:" + "|".join(map(re.escape, sorted(urls, key=len, reverse=True)))
                         + ")" + _URL_END)
    return [m.span() for m in pattern.finditer(text)]


def defuse_broadcasts(text: str) -> str:
    """@everyone, @here, @channel (any case) that notify no one."""
    return _BROADCAST.sub(f"@{ZWSP}\\1", text) if "@" in text else text


def inert(text: str, allowed: Collection[str] = ()) -> str:
    """Both: no URL but the allowed ones, no broadcast."""
    return defuse_broadcasts(break_links(text, allowed))
