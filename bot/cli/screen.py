"""What the terminal chat prints: in colour where it may, wrapped to the width, a screen at a time; and log
lines drawn above the prompt while it waits."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import sys
from collections.abc import Iterator
from typing import TextIO

from prompt_toolkit import print_formatted_text
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.patch_stdout import patch_stdout
from prompt_toolkit.styles import Style

from bot.cli.styled import STYLES
from bot.cli.wrap import Fragments, wrap_lines


def colour_wanted(stream: TextIO) -> bool:
    """Colour on a terminal, unless ``NO_COLOR`` is set to anything (https://no-color.org) or it is a dumb one."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except ValueError:  # closed
        return False


class Screen:
    """Prints styled lines to the terminal; a text longer than the screen stops after one screen, with a hint,
    and ``more`` shows the next."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour
        self.rest: list[Fragments] = []

    def show(self, lines: list[Fragments]) -> None:
        columns, rows = shutil.get_terminal_size()
        self.rest = wrap_lines(lines, max(columns, 20))
        self.more(rows)

    def more(self, rows: int | None = None) -> None:
        """The next screen of what was shown last (nothing when it all was)."""
        page = max((rows or shutil.get_terminal_size().lines) - 3, 5)  # room for the hint and the prompt
        shown, self.rest = self.rest[:page], self.rest[page:]
        if self.rest:
            shown = [*shown, [("hint", f"── {len(self.rest)} more lines: press Enter to see them, or ask on ──")]]
        self.print(shown)

    def print(self, lines: list[Fragments]) -> None:
        fragments = [piece for line in lines for piece in [*line, ("", "\n")]]
        if not self.colour:
            sys.stdout.write("".join(text for _, text in fragments))
            sys.stdout.flush()
            return
        print_formatted_text(FormattedText([(f"class:{s}" if s else "", t) for s, t in fragments]),
                             style=prompt_style(), end="")


def prompt_style() -> Style:
    return Style.from_dict(STYLES)


@contextlib.contextmanager
def logs_above_prompt() -> Iterator[None]:
    """While the prompt waits: whatever is printed, log lines included, goes above it and the prompt is drawn
    again below (prompt_toolkit's ``patch_stdout``; the logging handlers writing to the terminal follow it)."""
    terminal = {sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__}
    with patch_stdout(raw=True):
        handlers = [h for h in logging.getLogger().handlers
                    if isinstance(h, logging.StreamHandler) and h.stream in terminal]
        streams = [h.setStream(sys.stderr) for h in handlers]  # sys.stderr is the proxy now
        try:
            yield
        finally:
            for handler, stream in zip(handlers, streams, strict=True):
                handler.setStream(stream)
