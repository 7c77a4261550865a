"""Ordinary English: which words are dictionary words (never "corrected" into another), and which are
conversation (greetings, hedges, fillers) rather than what a question is about.

The dictionary is the ``english-words`` package's Webster's Second and GCIDE lists (public-domain word
lists, shipped in its wheel), read on the first spelling correction only (about 80 ms).
"""

from __future__ import annotations

from functools import cache

from bot.core.text import stem

# Words that carry the conversation, not its subject: "is it true that…", "what's the deal with…",
# "quick question", "actually", "I was wondering". They never count as something the knowledge lacks.
FILLER_WORDS = frozenset(
    """
hey hi hello hiya yo ok okay yeah yep yes nope lol haha hmm um uh please pls plz thanks thank sorry
bot citebot guys folks buddy mate dude
actually really basically literally honestly seriously just even ever still anyway anyways like kinda sorta
quick question questions query curious wondering wonder wondered asking ask asked
true right correct wrong sure indeed certain certainly definitely probably maybe perhaps
deal thing things stuff bit lot lots kind sort part way matter fact along alongside together
think thought guess suppose mean means meant heard hear read saw seen see told
someone anyone anybody somebody everyone everybody something anything everything
whole entire real actual exact specific particular overall general
context background nailed settle settled figure figured explain describe tell say
word words own up more anymore further
""".split()
)
FILLER_STEMS = frozenset(stem(w) for w in FILLER_WORDS)

_SUFFIXES = (("ies", "y"), ("ied", "y"), ("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""),
             ("s", ""), ("er", ""), ("er", "e"), ("est", ""), ("est", "e"), ("iest", "y"), ("ly", ""), ("'s", ""))


@cache
def _dictionary() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2", "gcide"], alpha=True, lower=True))


def is_english_word(word: str) -> bool:
    """Whether ``word`` (or the word it inflects: "sources", "resigned") is in the dictionary."""
    word = word.lower()
    words = _dictionary()
    if word in words:
        return True
    return any(word.endswith(end) and len(word) - len(end) >= 3 and word[: len(word) - len(end)] + add in words
               for end, add in _SUFFIXES)
