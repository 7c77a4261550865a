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
# "no" and "without" deny the noun they come before ("no evidence", "no clear evidence"), not what follows it:
# "no evidence of the leak" does not say there was no leak.
_DETERMINER = re.compile(r"^(?:no|without)$", re.I)
DETERMINER_REACH = 2
# Said of someone, not plainly: "for allegedly leaking information" is neither a yes nor a no.
_HEDGE = re.compile(r"^(?:(?i:allegedly|alleged|reportedly|supposedly|purportedly|accused|suspected|rumou?red|"
                    r"speculates?|speculated|speculating|suggests?|suggested|perhaps|possibly)|may|might)$")  # not May
_WORD = re.compile(r"[A-Za-z’']+")
REACH = 4  # a negation governs a word at most this many words after it ("had not known", "refusing to sign")


def is_yes_no(text: str, language: str) -> bool:
    return bool((_ZH_ASKS if language == "zh" else _EN_ASKS).search(text)) or (
        language == "zh" and bool(_EN_ASKS.search(text)))


def polarity(entry_text: str, predicate_words: set[str]) -> bool | None:
    """Whether ``entry_text`` affirms (True) or denies (False) what the predicate words say: denied where a
    negation stands just before one of them ("refused to sign", "had not known", "no evidence"); None when
    the text holds none of them (then no "yes" or "no" is given), says both, or says it unsure: in a
    sentence that speculates or reports an allegation, in scare quotes ("label it a "leak""), beyond the
    noun a "no" denies ("no evidence of the leak")."""
    denied = set()
    for sentence in _SENTENCE.split(_SCARE_QUOTED.sub(" ", entry_text)):
        words = _WORD.findall(sentence)
        found = [i for i, w in enumerate(words) if any(w.lower().startswith(p) for p in predicate_words)]
        if found and any(_HEDGE.match(w) for w in words):
            return None
        for i in found:
            before = words[max(0, i - REACH):i]
            far = before[:-DETERMINER_REACH] if len(before) > DETERMINER_REACH else []
            if any(_DETERMINER.match(w) for w in far):
                return None
            denied.add(any(_NEGATION.search(w) for w in before))
    if not denied:
        return None
    return None if len(denied) > 1 else not denied.pop()


_SCARE_QUOTED = re.compile(r"\"[^\"\s]{1,20}\"|“[^”\s]{1,20}”")  # a word or two in quotes: as someone calls it
_SENTENCE = re.compile(r"(?<=[.;!?])\s+")


# Verbs of having or giving: "Did OpenAI show any evidence …?" asks whether there was any.
_GIVING = re.compile(r"^(?:produc|show|provid|giv|gave|offer|present|had|has|have|find|found|shar|releas|publish)",
                     re.I)
def none_given(predicate: str, nouns: set[str], entry_text: str, subject: set[str]) -> bool:
    """Whether ``entry_text`` says the subject (one of its names) gave or had none of what ``nouns`` name, as a
    question with a verb of giving asks ("Did OpenAI produce proof …?" — "OpenAI provided no evidence …")."""
    if not _GIVING.match(predicate) or not nouns or not subject:
        return False
    for sentence in _SENTENCE.split(entry_text):
        words = _WORD.findall(sentence)
        for i, word in enumerate(words):
            if not any(word.lower().startswith(n) for n in nouns):
                continue
            for j in range(max(1, i - DETERMINER_REACH), i):  # "provided no (clear) evidence"
                if _DETERMINER.match(words[j]) and _GIVING.match(words[j - 1]):
                    said_of = " ".join(words[: j - 1]).lower()
                    if any(re.search(rf"\b{re.escape(name.lower())}\b", said_of) for name in subject):
                        return True
    return False


# Chinese verbs of giving: "OpenAI 拿出证据了吗" asks whether there was any, like "did OpenAI produce proof".
ZH_GIVING = re.compile(r"拿出|拿得出|提供|出示|给出|公布|展示")
