"""Chinese scripts: Traditional questions are read in Simplified, and answered in Traditional.

The knowledge is written in Simplified Chinese. A question in Traditional characters (or with Taiwan
wording: 軟體, 運算, 沙烏地阿拉伯) is converted with OpenCC's ``tw2sp`` before it is read, so it
matches the same words; its answer is converted back with ``s2twp`` (Taiwan characters and phrasing).
Quoted words inside an answer (“…”, 「…」) are left as written: they are someone's own words.
OpenCC's wheel bundles its dictionaries; nothing is downloaded.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_QUOTED = re.compile(r"(“[^”]*”|「[^」]*」|『[^』]*』)")


@cache
def _converter(config: str) -> Any:
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """``text`` in Simplified characters and mainland wording (Latin text and digits untouched)."""
    return _converter("tw2sp").convert(text)


def is_traditional(text: str) -> bool:
    """Whether ``text`` is written in Traditional characters: more of them than of Simplified ones."""
    han = [ch for ch in text if "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"]
    traditional_chars = sum(1 for ch in han if _char(ch, "t2s") != ch)
    if traditional_chars == 0:
        return False
    return traditional_chars > sum(1 for ch in han if _char(ch, "s2t") != ch)


@cache
def _char(char: str, config: str) -> str:
    return str(_converter(config).convert(char))


def to_traditional(text: str, *, keep_quotes: bool = True) -> str:
    """An answer in Traditional characters with Taiwan phrasing; quoted words (someone's own) kept as they are,
    unless ``keep_quotes`` is False (the bot's own sentences, which quote only themselves)."""
    convert = _converter("s2twp").convert
    if not keep_quotes:
        return str(convert(text))
    return "".join(part if _QUOTED.fullmatch(part) else convert(part) for part in _QUOTED.split(text))
