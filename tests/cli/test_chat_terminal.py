"""`citebot chat` at a real terminal (a pseudo-terminal driven by pexpect), as a person types into it: line
editing, Up for the last question, Ctrl-C during an answer and at the prompt, log lines above the prompt."""

from __future__ import annotations

import io
import re
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pytest

from bot.store import Store
from tests.cli.running import isolated_env

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "you> "
LEFT, UP = "\x1b[D", "\x1b[A"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    env = isolated_env(tmp_path, TERM="xterm-256color",
                       PROMPT_TOOLKIT_NO_CPR="1")  # pexpect answers no cursor-position request
    env.pop("NO_COLOR", None)
    return env


@pytest.fixture
def terminal(env: dict[str, str]) -> Iterator[Terminal]:
    opened: list[Terminal] = []

    def start(*args: str, module: str = "bot") -> Terminal:
        opened.append(Terminal(module, args, env))
        return opened[-1]

    yield start  # type: ignore[misc]
    for term in opened:
        term.child.close(force=True)


class Terminal:
    """``python -m MODULE chat ARGS`` in a 40×100 pseudo-terminal; everything it printed kept in ``output``."""

    def __init__(self, module: str, args: tuple[str, ...], env: dict[str, str]) -> None:
        self.output = io.StringIO()
        self.child = pexpect.spawn(sys.executable, ["-m", module, "chat", *args], cwd=str(ROOT), env=env,
                                   encoding="utf-8", dimensions=(40, 100), timeout=60)
        self.child.logfile_read = self.output
        self.child.expect_exact(PROMPT, timeout=180)  # the first start on a machine embeds the knowledge

    def ask(self, keys: str, *, shown: str = "Sources") -> None:
        self.child.send(keys)
        self.child.expect_exact(shown)
        self.child.expect_exact(PROMPT)

    def exit_status_after(self, keys: str) -> tuple[int | None, float]:
        """Send ``keys``; the exit status and the seconds it took to leave."""
        started = time.monotonic()
        self.child.send(keys)
        self.child.expect(pexpect.EOF, timeout=10)
        took = time.monotonic() - started
        self.child.close()
        assert self.child.signalstatus is None, f"killed by signal {self.child.signalstatus}"
        return self.child.exitstatus, took


async def logged_questions(tmp_path: Path) -> list[str]:
    store = await Store.connect(f"sqlite:///{tmp_path / 'data' / 'citebot.db'}")
    try:
        return [entry.question for entry in reversed(await store.recent_questions())]
    finally:
        await store.close()


async def test_typing_recalling_and_ctrl_c_in_a_real_terminal(terminal, tmp_path):
    chat = terminal()
    chat.ask(f"who is jan leke{LEFT}{LEFT}i\r")  # edited in place: "leke" -> "leike"
    chat.child.send(UP)
    chat.child.expect_exact("who is jan leike")  # the last question, back at the prompt
    chat.ask("\r")
    chat.ask(f"{PASTE_START}Why did Jan \x1b[31mLeike\x1b[0m resign?\x07{PASTE_END}\r")  # pasted, escapes and all
    chat.ask("When did Jan Leike announce his departure?\r\x03", shown="(cancelled)")  # Ctrl-C right behind Enter
    chat.ask("When did Jan Leike leave?\r")  # the chat goes on after a cancelled answer
    status, took = chat.exit_status_after("\x03")  # Ctrl-C at an empty prompt
    assert status == 0 and took < 1.0, (status, took)
    output = chat.output.getvalue()
    assert "Traceback" not in output and "Bye." in output
    questions = await logged_questions(tmp_path)
    assert questions == ["who is jan leike", "who is jan leike", "Why did Jan Leike resign?",
                         "When did Jan Leike leave?"]
    assert not any(CONTROL.search(q) for q in questions)


def test_ctrl_c_during_an_answer_cancels_it_and_the_prompt_comes_back(terminal):
    chat = terminal(module="tests.cli.slow_answers")  # a question with "slowly" takes a minute to answer
    chat.child.send("Who is Jan Leike, slowly?\r")
    time.sleep(0.5)  # well into the answer
    started = time.monotonic()
    chat.child.sendcontrol("c")
    chat.child.expect_exact("(cancelled)", timeout=5)
    chat.child.expect_exact(PROMPT, timeout=5)
    assert time.monotonic() - started < 1.0
    chat.ask("Who is Jan Leike?\r")
    status, _ = chat.exit_status_after("\x04")  # Ctrl-D
    assert status == 0 and "Traceback" not in chat.output.getvalue()


def test_a_log_line_is_printed_above_the_prompt_and_the_chat_goes_on(terminal, tmp_path):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge)
    chat = terminal("--knowledge", str(knowledge))
    chat.child.send("Who is Jan")  # half typed when the log line comes
    for attempt in range(15):  # the watcher may not be watching yet when the prompt shows: write until it sees
        (knowledge / "broken.yaml").write_text(f"people: [unclosed {attempt}\n", encoding="utf-8")
        if chat.child.expect([r"broken\.yaml:\d+: invalid YAML", pexpect.TIMEOUT], timeout=2) == 0:
            break
    else:
        pytest.fail("the failed reload was never logged")
    chat.child.expect(r"you> (\x1b\[[0-9;]*m)*Who is Jan", timeout=5)  # drawn again below it, as it was
    chat.ask(" Leike?\r", shown="Co-lead of OpenAI")
    status, _ = chat.exit_status_after("\x04")
    assert status == 0
