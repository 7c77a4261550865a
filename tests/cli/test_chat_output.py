"""What the terminal chat prints: wrapped to the width in columns (Chinese characters are two), a screen at a
time, in colour only on a terminal without NO_COLOR; and piped, plain lines as before."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.screen import Screen, colour_wanted
from bot.cli.styled import answer_lines
from bot.cli.wrap import columns, wrap_line
from bot.core.types import Answer, Citation
from bot.store import Store
from tests.cli.running import isolated_env

ROOT = Path(__file__).resolve().parents[2]
ESCAPE = "\x1b"


def plain(lines) -> list[str]:
    return ["".join(text for _, text in line) for line in lines]


def test_english_breaks_between_words_and_fits_the_width():
    text = "Jan Leike, co-lead of OpenAI's superalignment team, announced his departure with a bare \"I resigned\""
    lines = plain(wrap_line([("", text)], 30))
    assert lines == ["Jan Leike, co-lead of OpenAI's", "superalignment team, announced", 'his departure with a bare "I',
                     'resigned"']
    assert " ".join(lines) == text


def test_a_chinese_character_takes_two_columns_and_a_line_may_break_between_two():
    text = "超级对齐团队在两位负责人离职后解散了，团队成员被分散到其他部门。"
    lines = plain(wrap_line([("", text)], 20))
    assert "".join(lines) == text
    assert [columns(line) for line in lines] == [20, 20, 20, 4]  # ten characters a line, not twenty
    assert lines[:2] == ["超级对齐团队在两位负", "责人离职后解散了，团"]  # between any two characters


def test_closing_punctuation_stays_with_the_character_before_it():
    lines = plain(wrap_line([("", "一二三四五六七八九，十")], 18))
    assert lines == ["一二三四五六七八", "九，十"]


def test_a_source_wraps_under_its_title_and_keeps_its_styles():
    title = "“我不相信他”:负责捍卫人类利益的 OpenAI 团队为何分崩离析"
    citation = Citation(2, "infoq", title, "InfoQ", None, "2024-05-20",
                        "他在脱离 OpenAI 的几小时后就在 X 上发帖称“我辞职了。”", "jan-leike", "zh")
    answer = Answer("扬·莱克辞职了 [2]", "zh", "who", True, 0.9, citations=(citation,))
    wrapped = [line for styled in answer_lines(answer) for line in wrap_line(styled, 40)]
    shown = plain(wrapped)
    assert max(columns(line) for line in shown) <= 40
    title_at = next(i for i, line in enumerate(shown) if line.startswith("  [2] "))
    assert shown[title_at + 1].startswith("      ") and not shown[title_at + 1].startswith("       ")
    assert ("cite", "[2]") in wrapped[0] and ("cite", "[2]") in wrapped[title_at]


def test_a_word_longer_than_the_line_is_cut_at_the_edge():
    url = "https://www.vox.com/future-perfect/2024/5/17/24158478/openai-departures"
    assert plain(wrap_line([("", url)], 30)) == [url[:30], url[30:60], url[60:]]


def test_colour_only_on_a_terminal_without_no_color(monkeypatch):
    leader, follower = os.openpty()
    with os.fdopen(follower, "w") as tty, os.fdopen(leader, "rb"):
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("TERM", "xterm-256color")
        assert colour_wanted(tty)
        monkeypatch.setenv("NO_COLOR", "1")
        assert not colour_wanted(tty)
        monkeypatch.setenv("NO_COLOR", "")  # set but empty: no-color.org says that is not a request
        assert colour_wanted(tty)
        monkeypatch.setenv("TERM", "dumb")
        assert not colour_wanted(tty)
    read, write = os.pipe()
    with os.fdopen(write, "w") as pipe, os.fdopen(read):
        monkeypatch.setenv("TERM", "xterm-256color")
        assert not colour_wanted(pipe)


def test_output_longer_than_the_screen_stops_with_a_hint_and_more_shows_the_rest(monkeypatch, capsys):
    monkeypatch.setattr("shutil.get_terminal_size", lambda *_: os.terminal_size((60, 12)))
    screen = Screen(colour=False)
    screen.show([[("", f"line {n}")] for n in range(1, 21)])
    first = capsys.readouterr().out.splitlines()
    assert first[:9] == [f"line {n}" for n in range(1, 10)] and "11 more lines" in first[9] and len(first) == 10
    screen.more()
    second = capsys.readouterr().out.splitlines()
    assert second[0] == "line 10" and "2 more lines" in second[-1]
    screen.more()
    assert capsys.readouterr().out.splitlines() == ["line 19", "line 20"]
    screen.more()
    assert capsys.readouterr().out == ""
    assert ESCAPE not in "".join(first + second)


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path, TERM="xterm-256color")


def piped_chat(typed: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "chat"], input=typed, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=120, check=False)


async def test_piped_the_chat_answers_line_by_line_in_plain_text(env, tmp_path):
    typed = "help\n\x1b[A\x1b[Awho is jan \x1b[31mleike?\x1b[0m\nquit\n"  # arrows and colour that a pipe carried
    run = piped_chat(typed, {k: v for k, v in env.items() if k != "NO_COLOR"})
    assert run.returncode == 0, run.stderr
    answers = run.stdout.split("you> ")
    assert "timeline of Ilya Sutskever" in answers[1]  # help
    assert "Co-lead of OpenAI" in answers[2] and "Sources:\n  [1] " in answers[2]
    assert ESCAPE not in run.stdout
    store = await Store.connect(f"sqlite:///{tmp_path / 'data' / 'citebot.db'}")
    try:
        assert [q.question for q in await store.recent_questions()] == ["who is jan leike?"]
    finally:
        await store.close()


COLOURS = {str(n) for n in [*range(30, 50), *range(90, 98), *range(100, 108)]}  # SGR colour parameters


@pytest.mark.parametrize("no_color", [None, "1"])
def test_at_a_terminal_colour_unless_no_color(env, no_color):
    import pexpect

    env = {**{k: v for k, v in env.items() if k != "NO_COLOR"}, "PROMPT_TOOLKIT_NO_CPR": "1"}
    if no_color:
        env["NO_COLOR"] = no_color
    shown = io.StringIO()
    child = pexpect.spawn(sys.executable, ["-m", "bot", "chat"], cwd=str(ROOT), env=env, encoding="utf-8",
                          dimensions=(40, 100), timeout=120)
    child.logfile_read = shown
    try:
        child.expect_exact("you>")
        child.send("Who is Jan Leike?\r")
        child.expect_exact("Sources")
        child.expect_exact("you>")
        child.sendcontrol("d")
        child.expect(pexpect.EOF, timeout=10)
    finally:
        child.close(force=True)
    parameters = {p for sgr in re.findall(r"\x1b\[([0-9;]*)m", shown.getvalue()) for p in sgr.split(";")}
    if no_color:
        assert not parameters & COLOURS and "Sources:" in shown.getvalue()
    else:
        assert "36" in parameters  # the citation numbers, in cyan
    assert child.exitstatus == 0
