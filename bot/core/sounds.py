"""Chinese renderings of foreign names the aliases lack ("苏茨凯弗" for 苏茨克维, "布羅克曼" after conversion),
matched by how they sound: pinyin, compared with rapidfuzz against the pinyin of each person's Chinese names.

Only runs of characters used to transliterate foreign names are tried (the common 译名 characters), so
ordinary words are never taken for names. A match is taken only with a clear margin over every other
person; a close call becomes a "did you mean" instead of a silent substitution. pypinyin (its dictionary
is in the wheel) is imported on the first Chinese question that needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from rapidfuzz import fuzz

from bot.knowledge.base import KnowledgeBase

# Characters of the standard transliteration tables for foreign names (新华社译名用字), the ones in use.
_TRANSLITERATION = frozenset(
    "阿埃艾爱安昂奥敖巴拜班邦保鲍贝本比彼毕宾波伯博布查达戴丹道德登迪蒂丁东杜敦多厄恩尔法凡范菲费芬丰"
    "冯弗福富盖甘冈高戈格根贡古瓜圭哈海汉豪赫黑亨洪侯胡华怀惠霍基吉加贾简杰捷金居卡凯坎康考科克肯孔库夸"
    "奎昆拉莱兰朗劳勒雷蕾里理利丽莉连林琳隆卢鲁伦罗洛马玛迈麦曼芒梅门蒙米敏明莫默姆穆纳娜奈南瑙内尼涅宁"
    "纽努诺欧帕派潘庞佩彭皮珀普奇齐恰乔切钦琼丘萨塞赛桑瑟森沙尚舍申施舒斯松苏索塔泰坦汤唐陶特滕提图托"
    "瓦万旺威韦维温沃乌伍西希锡夏谢辛欣休雅亚扬耶伊因英尤约泽扎詹赞兹佐茨弗霍帕雅库霍伊兹迈洛夫申伦纳"
)
ACCEPT = 80.0  # pinyin similarity (0-100) at which a run is taken for a person's name ...
MARGIN = 12.0  # ... when no other person comes this close
GUESS = 65.0  # from here up, a "did you mean" is offered instead


@dataclass(frozen=True)
class Heard:
    person_id: str
    text: str
    span: tuple[int, int]
    sure: bool  # False: only a guess, offered as "did you mean"


class SoundsLike:
    def __init__(self, kb: KnowledgeBase) -> None:
        self._names: list[tuple[str, str]] = []  # (person id, a Chinese name of theirs without separators)
        for person in kb.people:
            for name in (person.name.zh, *person.aliases):
                squeezed = re.sub(r"[·•・.\s]", "", name)
                if len(squeezed) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in squeezed):
                    self._names.append((person.id, squeezed))
        self._known = frozenset(name for _, name in self._names)

    @cached_property
    def _keys(self) -> list[tuple[str, list[str], int]]:
        return [(person, _syllables(name), len(name)) for person, name in self._names]

    def hear(self, text: str, taken: list[tuple[int, int]]) -> list[Heard]:
        """Runs of transliteration characters in ``text`` (outside the ``taken`` spans) that sound like a name."""
        heard = []
        for match in re.finditer(f"[{''.join(sorted(_TRANSLITERATION))}]{{3,6}}", text):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken) or match.group(0) in self._known:
                continue
            best = self._closest(match.group(0))
            if best is not None:
                heard.append(Heard(best[0], match.group(0), span, best[1]))
        return heard

    def _closest(self, run: str) -> tuple[str, bool] | None:
        sound = _syllables(run)
        scores: dict[str, float] = {}
        starts: dict[str, bool] = {}  # the run begins with a character of one of the person's Chinese names
        for (person, key, length), (_, name) in zip(self._keys, self._names, strict=True):
            if abs(length - len(run)) <= 1:
                scores[person] = max(scores.get(person, 0.0), similarity(sound, key))
                starts[person] = starts.get(person, False) or (name[0] == run[0] and len(name) == len(run))
        if not scores:
            return None
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        top, score = ranked[0]
        second = ranked[1][1] if len(ranked) > 1 else 0.0
        if score >= ACCEPT and score - second >= MARGIN:
            return top, True
        # a guess only where a name as long starts the same way ("苏茨凯弗"), not any word that sounds near (利比亚)
        return (top, False) if score >= GUESS and starts[top] else None


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL)


# Initials that render the same foreign sound in different transliterations ("ver": 弗 fu / 维 wei / 沃 wo;
# "ts": 茨 ci / 斯 si / 奇 qi): compared as one class.
_CLASSES = {"b": "B", "p": "B", "d": "D", "t": "D", "g": "G", "k": "G", "h": "H", "f": "F", "w": "F",
            "m": "M", "n": "N", "l": "L", "r": "L", "z": "S", "c": "S", "s": "S", "j": "S", "q": "S", "x": "S",
            "y": "Y"}


def _skeleton(syllables: list[str]) -> str:
    """Each syllable's initial as its class ("sucikaifu" -> "SSGF"); a syllable with no initial is "_"."""
    out = []
    for syllable in syllables:
        initial = syllable[:2] if syllable[:2] in ("zh", "ch", "sh") else syllable[:1]
        out.append("S" if initial in ("zh", "ch", "sh") else _CLASSES.get(initial, "_"))
    return "".join(out)


def similarity(a: list[str], b: list[str]) -> float:
    """0-100: half how alike the consonant skeletons are, half how alike the whole pinyin is."""
    return 0.5 * fuzz.ratio(_skeleton(a), _skeleton(b)) + 0.5 * fuzz.ratio("".join(a), "".join(b))
