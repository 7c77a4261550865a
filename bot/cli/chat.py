"""`citebot chat`: a conversation in the terminal, or one answer a line when standard input is not one.

At a terminal it is a prompt_toolkit prompt: line editing, Up/Down through this session's questions, Ctrl-C
(an answer: cancel it; an empty prompt: leave) and Ctrl-D (leave), log lines drawn above the prompt, colour
unless ``NO_COLOR``, text wrapped to the width and paged. The history is kept in memory only: the store's
question log is already the record of what was asked, and a second, plain-text copy per user beside it
would be one more place for people's questions to linger.
"""

from __future__ import annotations

import asyncio
import signal
import sys
import uuid
from collections.abc import Awaitable
from typing import TYPE_CHECKING, TypeVar

from prompt_toolkit import PromptSession
from prompt_toolkit.history import InMemoryHistory
from prompt_toolkit.input.typeahead import get_typeahead, store_typeahead
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys

from bot.bootstrap import build_app
from bot.cli.ask import _local_user
from bot.cli.author import cli_author
from bot.cli.interrupts import ctrl_c_cancels
from bot.cli.render import print_note, render_answer
from bot.cli.screen import Screen, colour_wanted, logs_above_prompt, prompt_style
from bot.cli.styled import answer_lines, help_lines, help_text
from bot.controls import without_controls
from bot.core.types import Question
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.service import Citebot

T = TypeVar("T")
EXIT_WORDS = {"exit", "quit", "/exit", "/quit", "q", "退出"}
HELP_WORDS = {"help", "/help", "?", "？", "帮助", "/帮助"}
BANNER = "citebot — ask who, when or why about the 2024 breakup of OpenAI's superalignment team."
BANNER_HINT = "用中文提问也可以。Type 'help' for what it can do; Ctrl-D or 'quit' leaves."


async def chat(settings: Settings, language: str | None) -> int:
    if sys.stdin.isatty() and sys.stdout.isatty():
        return await TerminalChat(settings, language).run()
    return await line_by_line(settings, language)


async def line_by_line(settings: Settings, language: str | None) -> int:
    """Standard input not a terminal (piped, a file): one answer per line, plain text, no prompt UI."""
    app = await build_app(settings, author=cli_author(), on_fallback=print_note)
    app.live.start()  # edits to knowledge/ are live in the chat without a restart
    conversation = f"cli:{uuid.uuid4()}"
    print(BANNER)
    print(BANNER_HINT + "\n")
    try:
        while True:
            try:
                text = await asyncio.to_thread(input, "you> ")
            except EOFError:
                print()
                break
            text = without_controls(text).strip()
            if not text:
                continue
            if text.lower() in EXIT_WORDS:
                break
            if text.lower() in HELP_WORDS:
                print("\n" + help_text(_help_language(text, language)) + "\n")
                continue
            answer = await app.ask(
                Question(text=text, language_hint=language, conversation_id=conversation, user_id=_local_user())
            )
            print("\n" + render_answer(answer) + "\n")
    finally:
        await app.close()
    return 0


class TerminalChat:
    def __init__(self, settings: Settings, language: str | None) -> None:
        self.settings = settings
        self.language = language
        self.screen = Screen(colour=colour_wanted(sys.stdout))
        self.conversation = f"cli:{uuid.uuid4()}"
        self.busy: asyncio.Future[object] | None = None  # starting or answering: what Ctrl-C cancels
        self.typed_ahead = bytearray()  # keys typed while busy, for the next prompt
        self.session: PromptSession[str] | None = None

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, self._interrupted)  # a SIGINT sent by `kill`: as Ctrl-C
        try:
            app = await self._while_busy(build_app(self.settings, author=cli_author(), on_fallback=print_note))
            if app is None:  # Ctrl-C while starting
                self._goodbye()
                return 0
            try:
                app.live.start()  # edits to knowledge/ are live in the chat without a restart
                self.screen.print([[("", BANNER)], [("hint", BANNER_HINT)], []])
                await self._converse(app)
            finally:
                await app.close()
        finally:
            loop.remove_signal_handler(signal.SIGINT)
        return 0

    async def _converse(self, app: Citebot) -> None:
        while True:
            try:
                typed, cancelled_at_once = await self._prompt()
            except (EOFError, KeyboardInterrupt):  # Ctrl-D, or Ctrl-C at an empty prompt
                self._goodbye()
                return
            text = without_controls(typed).strip()
            if not text:
                self.screen.more()  # the rest of a long answer, if any
                continue
            self.screen.rest = []
            if text.lower() in EXIT_WORDS:
                self._goodbye()
                return
            if text.lower() in HELP_WORDS:
                self.screen.show([[], *help_lines(_help_language(text, self.language)), []])
                continue
            question = Question(text=text, language_hint=self.language, conversation_id=self.conversation,
                                user_id=_local_user())
            answer = None if cancelled_at_once else await self._while_busy(app.ask(question))
            if answer is None:
                self.screen.print([[("hint", "(cancelled)")], []])
            else:
                self.screen.show([[], *answer_lines(answer), []])

    async def _prompt(self) -> tuple[str, bool]:
        """The line typed, and whether Ctrl-C came right behind its Enter (read with it: cancel its answer)."""
        if self.session is None:
            self.session = PromptSession(history=InMemoryHistory(), key_bindings=_ctrl_c_clears_or_leaves(),
                                         style=prompt_style() if self.screen.colour else None)
        message = [("class:prompt", "you> ")] if self.screen.colour else "you> "
        typed_ahead = without_controls(self.typed_ahead.decode("utf-8", "ignore")).lstrip()
        self.typed_ahead.clear()
        with logs_above_prompt():
            typed = await self.session.prompt_async(message, default=typed_ahead)
        behind = get_typeahead(self.session.input)  # keys read with the Enter, kept for the next prompt
        if any(key.key == Keys.ControlC for key in behind):
            return typed, True
        store_typeahead(self.session.input, behind)
        return typed, False

    async def _while_busy(self, work: Awaitable[T]) -> T | None:
        """``work``'s result, or None when Ctrl-C cancelled it."""
        task = asyncio.ensure_future(work)
        self.busy = task
        try:
            with ctrl_c_cancels(task, self.typed_ahead):
                await asyncio.wait([task])
        finally:
            self.busy = None
            task.cancel()  # a no-op once it is done
        return None if task.cancelled() else task.result()

    def _interrupted(self) -> None:
        if self.busy is not None:
            self.busy.cancel()
        elif self.session is not None and self.session.app.is_running:
            self.session.app.exit(exception=KeyboardInterrupt())

    def _goodbye(self) -> None:
        self.screen.print([[("hint", "Bye.")]])


def _ctrl_c_clears_or_leaves() -> KeyBindings:
    """Ctrl-C with something typed clears the line, as in a shell; at an empty prompt it leaves."""
    keys = KeyBindings()

    @keys.add("c-c")
    def _(event: KeyPressEvent) -> None:
        if event.current_buffer.text:
            event.current_buffer.reset()
        else:
            event.app.exit(exception=KeyboardInterrupt())

    return keys


def _help_language(text: str, language: str | None) -> str:
    return "zh" if "帮助" in text or text == "？" or language == "zh" else "en"
