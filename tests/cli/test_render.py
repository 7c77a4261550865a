"""What the terminal shows of an answer: the text, then each source once under its number, its quotes under it."""

from __future__ import annotations

from bot.cli.render import render_answer
from tests.asking import answer_quoting_one_source_twice


def test_two_quotes_of_one_source_are_listed_under_its_one_number():
    shown = render_answer(answer_quoting_one_source_twice())
    sources = shown.split("\nSources:\n")[1].splitlines()
    assert sources == [
        "  [1] Jan Leike's thread on X explaining why he resigned — X (Twitter), 2024-05-17",
        "      https://x.com/janleike/status/1791498174659715494",
        "      “a breaking point”",
        "      “sailing against the wind”",
        "  [2] “我不相信他”:负责捍卫人类利益的 OpenAI 团队为何分崩离析 — InfoQ, 2024-05-20",
        "      “这种分歧最终走到了临界点。”",
    ]
