"""Styled lines wrapped to a terminal's width in columns: at spaces, and between Chinese characters.

A Chinese (or any East Asian wide) character takes two columns (``wcwidth``) and a line may break before or
after one, as Chinese typesetting does, but not before closing punctuation (，。) nor after opening punctuation
(（《). A word wider than the line is cut where the line ends. A continuation line is indented under the
text of its first line: past the leading spaces and a "[1] ", "• " or opening-quote marker.
"""

from __future__ import annotations

import re

from wcwidth import wcwidth

Fragments = list[tuple[str, str]]  # (style, text), as prompt_toolkit's formatted text

_NO_BREAK_BEFORE = set("，。、；：？！）》」』】〉”’…—·,.;:?!)]}%")
_NO_BREAK_AFTER = set("（《「『【〈“‘([{")
_HANG = re.compile(r" *(?:\[\d+\] |• |“)?")


def columns(text: str) -> int:
    """How many terminal columns ``text`` takes (a control character: none)."""
    return sum(max(wcwidth(c), 0) for c in text)


def wrap_line(line: Fragments, width: int) -> list[Fragments]:
    """``line`` (one line, no "\\n") as the lines it takes at ``width`` columns, its styles kept."""
    plain = "".join(text for _, text in line)
    hang = min(columns(_HANG.match(plain).group()), width // 2)  # type: ignore[union-attr]  # always matches
    chars = [(style, c) for style, text in line for c in text]
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0
    for token in _tokens(chars):
        size = sum(max(wcwidth(c), 0) for _, c in token)
        if token[0][1] == " ":
            if used + size <= width:
                lines[-1] += token
                used += size
            continue  # spaces where a line breaks are dropped
        if used + size > width and used > hang:
            _end_line(lines, hang)
            used = hang
        for style, c in token:  # a token wider than the line: cut where the line ends
            w = max(wcwidth(c), 0)
            if used + w > width and used > hang:
                _end_line(lines, hang)
                used = hang
            lines[-1].append((style, c))
            used += w
    return [_merged(chars_of_line) for chars_of_line in lines]


def wrap_lines(lines: list[Fragments], width: int) -> list[Fragments]:
    return [wrapped for line in lines for wrapped in wrap_line(line, width)]


def _tokens(chars: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Runs that stay on one line: a run of spaces, a word, or one wide character with the punctuation
    that may not be parted from it."""
    tokens: list[list[tuple[str, str]]] = []
    for style, c in chars:
        if not tokens:
            tokens.append([(style, c)])
            continue
        previous = tokens[-1]
        last = previous[-1][1]
        space, last_space = c == " ", last == " "
        wide, last_wide = wcwidth(c) == 2, wcwidth(last) == 2
        joined = (space == last_space) and (
            space or c in _NO_BREAK_BEFORE or last in _NO_BREAK_AFTER or not (wide or last_wide)
        )
        if joined:
            previous.append((style, c))
        else:
            tokens.append([(style, c)])
    return tokens


def _end_line(lines: list[list[tuple[str, str]]], hang: int) -> None:
    while lines[-1] and lines[-1][-1][1] == " ":  # no trailing spaces
        lines[-1].pop()
    lines.append([("", " " * hang)] if hang else [])


def _merged(chars: list[tuple[str, str]]) -> Fragments:
    merged: Fragments = []
    for style, c in chars:
        if merged and merged[-1][0] == style:
            merged[-1] = (style, merged[-1][1] + c)
        else:
            merged.append((style, c))
    return merged
