"""Text that cannot drive a terminal: ANSI escape sequences and C0/C1 control characters removed or shown.

A terminal reads ``ESC [ 2 J`` as "clear the screen" and an arrow key arrives as ``ESC [ A``; typed into a
line-reader that does not edit lines, they become part of a question, are stored, and later reach whoever
prints the stored text. ``without_controls`` is for text coming in (a typed question); ``shown_controls``
for stored text going out to an admin, rows stored before that cleaning included.
"""

from __future__ import annotations

import re

# ESC then: CSI (ESC [ params intermediates final); a string command (OSC ], DCS P, SOS X, PM ^, APC _) up to
# its terminator (BEL or ESC \\), or only its two bytes when unterminated, so the words after it stay; SS2/SS3
# with the character they shift; any other ESC alone (ESC then a letter, as Alt+W types, keeps the letter:
# "\x1bWho is Jan Leike?" is still about Jan Leike). An 8-bit CSI (\x9b) takes its parameters
# and final byte only when it has parameters ("\x9b2J"); otherwise it and the other 8-bit introducers (\x9d OSC,
# ...) go as single control characters ("\x9bWho is Jan Leike?" keeps its "W").
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"
    r"|\x9b[0-?]+[ -/]*[@-~]"
    r"|\x1b[\]PX^_](?:[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c))?"
    r"|\x1b[NO].?"
    r"|\x1b"
)
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_WHITE_CONTROL = re.compile("[\t\n\r\v\f\x1c-\x1f\x85]+")
# Bidirectional overrides and isolates reorder what follows them on screen (the "Trojan source" trick).
_REORDERING = re.compile("[\u202a-\u202e\u2066-\u2069]")


def without_controls(text: str) -> str:
    """``text`` with every escape sequence and control character removed; the ones Python counts as white space
    (tabs, line breaks, the separators ``\x1c``-``\x1f``) become a space. Unchanged when it has none."""
    if _CONTROL.search(text) is None:
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL.sub("", _WHITE_CONTROL.sub(" ", text))


def shown_controls(text: str) -> str:
    """``text`` safe to print: each control and reordering character shown as its escape (``\\x1b``, ``\\u202e``)."""

    def shown(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _REORDERING.sub(shown, _CONTROL.sub(shown, text))
