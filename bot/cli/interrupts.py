"""Ctrl-C while the chat is busy (starting, answering) cancels that work alone.

The terminal is told to pass Ctrl-C on as a byte instead of raising SIGINT: the signal would reach every
process in the terminal's foreground group, ``make`` under ``make run`` included, which then dies with
"Error 130" however cleanly the chat goes on. The keys typed meanwhile are not echoed over the answer; they
are kept for the next prompt.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import termios
from collections.abc import Iterator

CTRL_C = b"\x03"


@contextlib.contextmanager
def ctrl_c_cancels(task: asyncio.Future[object], typed_ahead: bytearray, fd: int = 0) -> Iterator[None]:
    """While inside, Ctrl-C typed at the terminal ``fd`` cancels ``task``; other keys go to ``typed_ahead``."""
    loop = asyncio.get_running_loop()
    try:
        saved = termios.tcgetattr(fd)
    except termios.error:  # not a terminal after all: SIGINT stays the way to interrupt
        yield
        return
    quiet = termios.tcgetattr(fd)
    quiet[3] &= ~(termios.ISIG | termios.ICANON | termios.ECHO)
    quiet[6][termios.VMIN], quiet[6][termios.VTIME] = 1, 0
    termios.tcsetattr(fd, termios.TCSANOW, quiet)

    def readable() -> None:
        try:
            keys = os.read(fd, 1024)
        except (BlockingIOError, InterruptedError):
            return
        if not keys:  # the terminal hung up
            loop.remove_reader(fd)
            task.cancel()
        elif CTRL_C in keys:
            typed_ahead.clear()
            task.cancel()
        else:
            typed_ahead.extend(keys)

    loop.add_reader(fd, readable)
    try:
        yield
    finally:
        loop.remove_reader(fd)
        with contextlib.suppress(termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, saved)
