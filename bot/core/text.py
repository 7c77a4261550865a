"""Text analysis shared by the index and the question reader: language, normalisation, tokens.

English words are lower-cased and Snowball-stemmed (PyStemmer). Chinese has no spaces, so a run
of Han characters becomes overlapping character bigrams, the scheme Lucene's CJK analyzer uses:
no dictionary to load, and it matches names and terms a word segmenter does not know.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_stemmer = Stemmer.Stemmer("english")

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{HAN}]")
_TOKEN_RE = re.compile(rf"[{HAN}]+|[a-z0-9]+(?:['’][a-z]+)?|[a-z0-9]+")
_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
# Invisible characters pasted in with a question (chat apps, terminals, right-to-left text): control
# characters that are not white space (C0, DEL, C1) and every format character (Unicode Cf: zero-width
# spaces and joiners, bidi marks, embeddings and isolates, soft hyphen, BOM, tags), and lone surrogates (no
# UTF-8 form: no database, HTTP response or terminal takes one). They are dropped, so they never split a
# word; white-space controls (\t \n \r \v \f \x1c-\x1f \x85) become one space.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)

EN_STOPWORDS = frozenset(
    """
a about all also am an and any are as at be been being but by
can could did didn't do does doesn't doing don't done each for from get give got
had has have having he her here him his how i if in into is isn't
it it's its just know let like may me might must my no nor not of
on one ones only onto or our over own please s said same say shall she
should so some t tell than that the their them then there these they this those
to too under us very was wasn't we were weren't what when where which who whom
whose why will with would you your supposed meant exactly
wouldn't couldn't shouldn't won't can't cannot hasn't haven't hadn't aren't ain't mustn't needn't
""".split()
)

# Chinese characters that carry grammar, not meaning: a run of Han text is split at them.
ZH_STOP_CHARS = frozenset("的了吗呢啊吧么是在和与及或把被也都就还又这那个着过地得之其它")
# Phrases removed before a Chinese question is tokenised (longest first): question words, and the
# discourse, time and modal words around them ("当初", "到底", "能拿到"), which say how something is asked,
# not what about. Only words of two or more characters: a single character may be part of a word (功能).
ZH_QUESTION_PHRASES = tuple(
    sorted(
        """
什么时候 什么时间 为什么 是什么 什么人 哪些人 哪一天 哪一年 怎么样 告诉我 有没有 为何 是谁 什么
哪位 哪个 哪些 哪天 哪年 多少 几个 几位 几名 怎么 如何 请问 一下 知道 谁
哪两个 哪两位 哪两 哪几个 哪几位 哪几 两个人 几个人 由哪 是否 是不是 知不知道 有没有 到底 究竟 其实
当初 当时 原本 本来 后来 如今 目前 现在 曾经 已经 一直 真的 具体 大概 能够 可以 可能 应该 打算
拿到 得到 想问 问一下 说一下 讲讲 那条 这条 那篇 这篇 那件 这件 那位 这位 那个 这个 那些 这些
多大 多久 多长 怎样 一起 一同 共同 相关 有关 关于 由谁 是由 自己
""".split(),
        key=len,
        reverse=True,
    )
)


def clean(text: str) -> str:
    """No invisible (control or format) characters, NFKC, one kind of apostrophe, single spaces."""
    text = unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))
    text = text.replace("’", "'").replace("‘", "'")
    return re.sub(r"\s+", " ", text).strip()


def has_han(text: str) -> bool:
    return _HAN_RE.search(text) is not None


def detect_language(text: str, hint: str | None = None) -> str:
    """'zh' or 'en': the language a person wrote in, names aside.

    A question mixing scripts ("Ilya Sutskever 是谁？") is Chinese unless its Latin part holds
    English function words ("Who is 奥特曼?"): names are not function words and do not count.
    """
    han = len(_HAN_RE.findall(text))
    if han == 0:
        if re.search(r"[A-Za-z]", text):
            return "en"
        return hint if hint in ("en", "zh") else "en"
    english_words = sum(1 for w in re.findall(r"[A-Za-z']+", text) if w.lower() in EN_STOPWORDS)
    return "en" if english_words >= 2 and english_words > han / 2 else "zh"


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _stemmer.stemWord(word)


def han_grams(run: str) -> list[str]:
    """Bigrams of a Han run (a lone character stands as itself)."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def split_han(run: str) -> list[str]:
    """A Han run cut at grammar characters."""
    return [part for part in re.split(f"[{''.join(ZH_STOP_CHARS)}]", run) if part]


def tokens(text: str, *, drop_stopwords: bool = True) -> list[str]:
    """Index/query tokens: stemmed English words and Chinese bigrams."""
    return tokens_of_clean(clean(text).lower(), drop_stopwords=drop_stopwords)


_CO = re.compile(r"\bco-(?=[a-z])")


def tokens_of_clean(lowered: str, *, drop_stopwords: bool = True) -> list[str]:
    """``tokens`` of text already cleaned and lower-cased (the indexer cleans once for several analyses).
    "co-led" is one word ("coled"), so its "co" does not match every "co-founder"."""
    out: list[str] = []
    lowered = _CO.sub("co", lowered)
    for raw in _TOKEN_RE.findall(lowered):
        if _HAN_RE.match(raw):
            for part in split_han(raw):
                out.extend(han_grams(part))
        else:
            word = raw.replace("'s", "") if raw.endswith("'s") else raw
            if drop_stopwords and word in EN_STOPWORDS:
                continue
            out.append(stem(word.replace("'", "")))
    return out


def words(text: str) -> list[str]:
    """Lower-cased Latin words as written (for spelling correction against the vocabulary)."""
    return words_of_clean(clean(text).lower())


def words_of_clean(lowered: str) -> list[str]:
    return _WORD_RE.findall(lowered)


# Someone not knowing is what is asked about ("奥特曼对自己不知道股权条款是怎么说的"), unlike the asker's
# "我不知道…" or "你知道…吗": kept, as 不知情, before the question words (知道 among them) are dropped.
_NOT_KNOWING = re.compile(r"(?<![我你您])(?:并|根本|确实)?不知道")


def strip_zh_question(text: str) -> str:
    text = _NOT_KNOWING.sub(" 不知情 ", text)
    for phrase in ZH_QUESTION_PHRASES:
        text = text.replace(phrase, " ")
    return text
