"""The last touch of composing: each person named in full once, and Chinese written with Chinese punctuation.

Quoted words (“…”, 「…」, "…") are left exactly as their source wrote them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from bot.knowledge.models import Person

QUOTED = re.compile(r"“[^”]*”|「[^」]*」|\"[^\"]*\"")  # quoted words, left as their source wrote them
# ASCII punctuation inside Chinese text, and what Chinese typesetting writes instead.
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_ZH_MARK = re.compile(r"""
      (?<!\d),|,(?!\d)              # a comma, not a thousands separator (1,000)
    | (?<!\d):(?!//)|:(?!\d|//)      # a colon, not a time (4:00) or a URL's (https://)
    | ;
    | (?<=[\u3400-\u9fff）])[?!]    # a question or exclamation mark after Chinese
    | [()]                          # brackets (what they hold may be Latin: a name in the original)
""", re.X)
_SPACE_BY_MARK = re.compile(r"\s*([，：；？！（）。、])\s*")


class Typography:
    """The finishing touches for one knowledge version: who may be named by surname alone (a surname no one
    else has, so the shortened name cannot be taken for someone else's)."""

    def __init__(self, people: Iterable[Person]) -> None:
        self.people = [p for p in people if p.kind == "person"]
        taken: dict[tuple[str, str], set[str]] = {}
        for person in self.people:
            for language in ("en", "zh"):
                for form in {_short(person, language), *person.aliases}:
                    taken.setdefault((language, form), set()).add(person.id)
        self._unique = {key for key, ids in taken.items() if len(ids) == 1}

    def polish(self, text: str, language: str) -> str:
        """``text`` as composed, with later mentions of a person shortened and (in Chinese) Chinese punctuation."""
        named = [p for p in self.people if p.name.get(language) in text]
        text = name_once(text, language, named, lambda p, lang: (lang, _short(p, lang)) in self._unique)
        return chinese_punctuation(text) if language == "zh" else text


def _short(person: Person, language: str) -> str:
    return person.name.zh.split("·")[-1] if language == "zh" else person.name.en.split()[-1]


def name_once(text: str, language: str, people: Iterable[Person],
              may_shorten: Callable[[Person, str], bool] = lambda p, lang: True) -> str:
    """A person is named in full (in Chinese with the original in brackets) the first time; after that by
    surname: "Ilya Sutskever — … Sutskever, OpenAI's …", "伊利亚·苏茨克维(Ilya Sutskever)…苏茨克维是…"; by the
    full name (without the brackets) where the surname alone could be someone else's."""
    for person in people:
        if person.kind != "person":
            continue
        if language == "zh":
            full = re.escape(person.name.zh) + r"(?:[(（]" + re.escape(person.name.en) + r"[)）])?"
        else:
            full = r"\b" + re.escape(person.name.en) + r"\b"
        short = _short(person, language) if may_shorten(person, language) else person.name.get(language)
        text = _outside_quotes(text, lambda part, seen, f=full, s=short: _shorten(part, f, s, seen))
    return text


def chinese_punctuation(text: str) -> str:
    """ASCII punctuation of Chinese text as Chinese punctuation, with no space around it; quotes untouched."""

    def convert(part: str, _seen: list[bool]) -> str:
        part = _ZH_MARK.sub(lambda m: _FULL_WIDTH[m.group(0)], part)
        return _SPACE_BY_MARK.sub(r"\1", part)

    return _outside_quotes(text, convert)


def _shorten(part: str, full: str, short: str, seen: list[bool]) -> str:
    def replace(match: re.Match[str]) -> str:
        if not seen[0]:
            seen[0] = True
            return match.group(0)
        return short

    return re.sub(full, replace, part)


def _outside_quotes(text: str, change: Callable[[str, list[bool]], str]) -> str:
    """``change(part, seen)`` applied to each stretch of ``text`` outside quotes, in order (``seen`` is state
    shared across the stretches)."""
    seen = [False]
    out, at = [], 0
    for quoted in QUOTED.finditer(text):
        out.append(change(text[at:quoted.start()], seen))
        out.append(quoted.group(0))
        at = quoted.end()
    out.append(change(text[at:], seen))
    return "".join(out)
