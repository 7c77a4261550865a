"""Yes / no questions ("Did OpenAI show any evidence of the leak?", "Was Ilya on the board?"): found as
such, and answered "No —" or "Yes —" only when the chosen entry plainly says so about what was asked."""

from __future__ import annotations

import re

_EN_ASKS = re.compile(r"^\s*(?:(?:so|and|but|ok|okay|wait)[, ]+)?(?:did|does|do|is|was|were|are|has|have|had|can|"
                      r"could|will|would|should)\b(?!\s+(?:you|u)\s+(?:know|think|mean|remember)\b)|"
                      r"^\s*is it true\b|^\s*(?:true|really)\s*[,:]", re.I)
_ZH_ASKS = re.compile(r"吗\s*[?？]?\s*$|是否|有没有|是不是|知不知道|有无|对不对|对吗|是真的")
# Verbs the stop list drops that are what a yes/no question asks: "did Altman know …?"
PREDICATE_VERBS = frozenset("know knew known say said tell told give gave mean meant".split())
# English verbs a Chinese yes/no question's predicate may mean (through its synonym group): the last term of
# the question that means one of them is what it asks ("布罗克曼在奥特曼被罢免时辞职了吗": 辞职, not 罢免).
ZH_PREDICATE_MEANS = frozenset("""leave left quit resign resigned depart fire fired dismiss dismissed oust ousted
remove removed announce announced release released launch launched join joined hire hired tweet tweeted post
posted criticize disparage know knew known aware leak leaked delete deleted describe described return returned
agree agreed replace replaced succeed succeeded lead led disband disbanded dissolve invest cost forfeit sign
signed refuse refused say said""".split())
_NEGATION = re.compile(r"\b(?:not|no|never|none|without|nobody|nothing|neither|nor)\b|n't|n’t|"
                       r"\b(?:refus|declin|deni|fail|reject)\w*(?:\s+to)?\b", re.I)
_WORD = re.compile(r"[A-Za-z’']+")
REACH = 4  # a negation governs a word at most this many words after it ("had not known", "refusing to sign")


def is_yes_no(text: str, language: str) -> bool:
    return bool((_ZH_ASKS if language == "zh" else _EN_ASKS).search(text)) or (
        language == "zh" and bool(_EN_ASKS.search(text)))


def polarity(entry_text: str, predicate_words: set[str]) -> bool | None:
    """Whether ``entry_text`` affirms (True) or denies (False) what the predicate words say: denied where a
    negation stands just before one of them ("refused to sign", "had not known", "no evidence"); None when
    the text holds none of them (then no "yes" or "no" is given) or says both."""
    words = _WORD.findall(entry_text)
    found = [i for i, w in enumerate(words) if any(w.lower().startswith(p) for p in predicate_words)]
    if not found:
        return None
    denied = {any(_NEGATION.search(words[j]) for j in range(max(0, i - REACH), i)) for i in found}
    return None if len(denied) > 1 else not denied.pop()

