"""Typed text cannot drive a terminal: escape sequences and control characters are removed coming in, and
shown as escapes going out to an admin."""

from __future__ import annotations

import pytest

from bot.controls import shown_controls, without_controls


@pytest.mark.parametrize(("typed", "kept"), [
    ("who is jan leike\x1b[A\x1b[A?", "who is jan leike?"),  # arrow keys a plain line-reader did not edit
    ("\x1b[31mWhy\x1b[0m did he resign?", "Why did he resign?"),  # colour
    ("\x1b]0;owned\x07When did he leave?", "When did he leave?"),  # a window-title command
    ("\x1b]8;;http://x.example\x1b\\link\x1b]8;;\x1b\\ text", "link text"),  # a hyperlink, ESC \ terminated
    ("\x9b2JWho?", "Who?"),  # the 8-bit CSI
    ("a\x1bOPb", "ab"),  # SS3 (F1)
    ("who\x08\x08\x7fis\x00 he", "whois he"),  # backspace, DEL, NUL
    ("line one\r\nline\ttwo", "line one line two"),  # white-space controls: one space
    ("超级对齐团队\x1b[1;5C是什么？", "超级对齐团队是什么？"),
    ("Who is Jan Leike?", "Who is Jan Leike?"),
])
def test_a_typed_question_keeps_only_what_was_meant(typed, kept):
    assert without_controls(typed) == kept


def test_stored_text_is_shown_with_its_controls_escaped():
    shown = shown_controls("who\x1b[2J\x1b]0;x\x07 \u202egnirts\x9b")
    assert shown == "who\\x1b[2J\\x1b]0;x\\x07 \\u202egnirts\\x9b"
    assert all(c.isprintable() for c in shown)
    assert shown_controls("超级对齐团队是什么？ Who?") == "超级对齐团队是什么？ Who?"


def test_every_adapters_question_loses_its_controls_at_the_core_edge():
    """`citebot ask`, `ask --json -`, Discord, Slack and HTTP all build a Question: none stores an escape."""
    from bot.core.types import Question

    question = Question("who is \x1b[2Jjan\x07 leike?\x1b[A", conversation_id="c\x1b1")
    assert question.text == "who is jan leike?"
    assert Question("Who is Jan\x1cLeike?").text == "Who is Jan Leike?"  # a separator Python counts as a space
    assert question.conversation_id == "c\x1b1"  # ids are matched as given, never shown raw
    assert Question("第一行\n第二行").text == "第一行 第二行"


def test_an_unterminated_string_command_takes_only_its_introducer():
    from bot.core.types import Question

    assert Question("超级对齐\x9d团队是什么时候解散的？").text == "超级对齐团队是什么时候解散的？"
    assert Question("who is \x1b]jan leike").text == "who is jan leike"


def test_an_8_bit_introducer_goes_alone():
    from bot.core.types import Question

    assert Question("\x9bWho is Jan Leike?").text == "Who is Jan Leike?"
