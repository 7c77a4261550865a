"""The chat's output as styled lines: an answer laid out as ``render_answer`` lays it out, with its parts marked
(citation numbers, source titles, quotes, hints) for the terminal's colours; and the chat's help."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.cli.render import _LABELS
from bot.cli.wrap import Fragments, columns
from bot.core.types import Answer

STYLES = {
    "prompt": "ansigreen bold",
    "answer": "bold",
    "declined": "ansiyellow",
    "cite": "ansicyan bold",
    "label": "underline",
    "title": "ansimagenta bold",
    "meta": "ansibrightblack",
    "quote": "italic",
    "url": "ansibrightblack underline",
    "hint": "ansibrightblack",
}
_MARK = re.compile(r"(\[\d+\])")

@dataclass(frozen=True)
class Help:
    intro: str
    examples: tuple[tuple[str, str], ...]  # (kind of question, examples)
    keys: tuple[tuple[str, str], ...]  # (key or word, what it does)


HELP = {
    "en": Help(
        "Ask who, when or why about the 2024 breakup of OpenAI's superalignment team. Every answer cites its "
        "sources by number, and says \"I don't know\" when they do not tell.",
        (("who", "Who is Jan Leike?   Who replaced Ilya Sutskever as chief scientist?"),
         ("when", "When was the superalignment team disbanded?"),
         ("why", "Why did Jan Leike resign?"),
         ("follow-up", "and when did he leave?   (he, she: the person of the last answer)"),
         ("timeline", "timeline of Ilya Sutskever   what happened in May 2024?"),
         ("中文", "超级对齐团队是什么时候解散的？")),
        (("Up / Down", "earlier questions"),
         ("Enter", "on an empty line: the rest of a long answer"),
         ("Ctrl-C", "cancel an answer; at an empty prompt, leave"),
         ("Ctrl-D, exit, quit", "leave"),
         ("help, /help, ?", "this list")),
    ),
    "zh": Help(
        "可以问 2024 年 OpenAI 超级对齐团队解散一事中的谁、何时、为何。"
        "每个回答都按编号注明来源,来源没有说的就说“不知道”。",
        (("谁", "Jan Leike 是谁？"),
         ("何时", "超级对齐团队是什么时候解散的？"),
         ("为何", "Jan Leike 为什么辞职？"),
         ("追问", "他什么时候离开的？(“他”指上一个回答里的人)"),
         ("时间线", "苏茨克维的时间线   2024 年 5 月发生了什么？")),
        (("上 / 下键", "之前的问题"),
         ("回车", "在空行上:长回答的其余部分"),
         ("Ctrl-C", "取消回答;在空提示符处:退出"),
         ("Ctrl-D、exit、退出", "退出"),
         ("help、?、帮助", "本说明")),
    ),
}


def answer_lines(answer: Answer) -> list[Fragments]:
    labels = _LABELS.get(answer.language, _LABELS["en"])
    body = "answer" if answer.answered else "declined"
    lines = [_marked(line, body) for line in answer.text.split("\n")]
    for note in answer.notes:
        lines += [[], [("label", labels["note"]), ("", f": {note}")]]
    if answer.citations:
        lines += [[], [("label", labels["sources"]), ("", ":")]]
        for source in answer.sources:
            meta = ", ".join(x for x in (source.publisher, source.published) if x)
            lines.append([("", "  "), ("cite", f"[{source.number}]"), ("", " "), ("title", source.title),
                          ("meta", f" — {meta}")])
            if source.url:
                lines.append([("", "      "), ("url", source.url)])
            lines += [[("", "      "), ("quote", f"“{c.quote}”")] for c in source.quotes]
    if answer.suggestions:
        lines += [[], [("label", labels["ask" if answer.answered else "decline_ask"]), ("", ":")]]
        lines += [[("hint", "  • "), ("", s)] for s in answer.suggestions]
    return lines


def help_lines(language: str) -> list[Fragments]:
    """The help: what to ask (each kind of question marked), then the keys (a hint), in aligned columns."""
    shown = HELP[language]
    lines: list[Fragments] = [[("", shown.intro)], []]
    lines += [[("", "  "), ("cite", kind), ("", _padding(kind, shown.examples) + text)]
              for kind, text in shown.examples]
    lines.append([])
    lines += [[("hint", f"  {key}{_padding(key, shown.keys)}{what}")] for key, what in shown.keys]
    return lines


def help_text(language: str) -> str:
    return "\n".join("".join(text for _, text in line) for line in help_lines(language))


def _padding(first: str, rows: tuple[tuple[str, str], ...]) -> str:
    return " " * (max(columns(f) for f, _ in rows) + 2 - columns(first))


def _marked(line: str, style: str) -> Fragments:
    """A line of answer text with its citation numbers marked."""
    return [("cite" if _MARK.fullmatch(part) else style, part) for part in _MARK.split(line) if part]
