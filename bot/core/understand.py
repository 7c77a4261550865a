"""Read a question: its language, intent, the people and dates it names, and the terms left to search for."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process

from bot.core.conversation import Turn
from bot.core.focus import question_focus
from bot.core.index import SearchIndex
from bot.core.intent import Intent, detect_intent
from bot.core.lexicon import FILLER_STEMS, is_english_word
from bot.core.names import NameResolver
from bot.core.premises import Premises, find_premises, successor_asked
from bot.core.quantity import Quantity, asked_quantity
from bot.core.question_dates import Period, find_dates, period_of
from bot.core.reading import Reading, read
from bot.core.scope import Kind, message_kind
from bot.core.shapes import TwoEvents, two_events
from bot.core.synonyms import concept
from bot.core.text import EN_STOPWORDS, clean, has_han, stem, strip_zh_question, tokens, words
from bot.core.yes_no import PREDICATE_VERBS, ZH_PREDICATE_MEANS, is_yes_no
from bot.knowledge.base import KnowledgeBase

# Words that say what kind of answer is wanted, not what it is about.
_INTENT_TERMS = frozenset(
    [
        stem(w)
        for w in """happen happened took place occur occurred events event reason reasons cause caused timeline
        chronology history date day month year time percent percentage share much many exactly precisely
        first earlier later before after then afterwards afterward subsequently eventually""".split()
    ]
    + "发生 原因 理由 时间 间线 时间线 大事 事记 日期 比例 事情".split()
)
_EN_PRONOUN = re.compile(r"\b(he|him|his|she|her|hers|they|them|their)\b", re.I)
_SAYS = re.compile(
    r"\b(?:what|how)\b(?:(?!\bwhere\b|\bwhen\b).)*?\b(?P<verb>say|said|says|write|wrote|writes|tweet|tweeted|post|posted|"
    r"think|thought|tell|told|claim|claimed|argue|argued|reply|replied|respond|responded|react|reacted|describe|"
    r"described|put it|call|called|explain|explained)\b|"
    r"\bin (?:his|her|their) own words\b|"
    r"\b(?:what|how) was (?:\w+'s )?(?:response|reaction|reply|statement|comment|view)\b|"
    r"说了?什么|怎么说|如何说|怎么形容|如何形容|怎么回应|如何回应|怎么评价|写了?什么|写道|发了什么|"
    r"表示了?什么|怎么看|有什么看法|什么反应", re.I)
_ONE_PERSON = re.compile(r"\b(?:he|him|his|she|her|hers|himself|herself)\b|(?<!其)[他她](?!们)", re.I)
_OTHER = re.compile(r"\b(?:other|others|else|besides|apart from|along with|alongside|together with)\b|其他|其余|"
                    r"另外|还有谁|还有哪些|除了|一起|一同|之外", re.I)
_MODEL_NAME = re.compile(r"([A-Za-z]{2,})[- ]?(\d[\w.]*)")
_NEGATIONS = frozenset("not never no none nobody nothing neither nor".split())
_IT = re.compile(r"\b(it|its|this|that)\b|它", re.I)
_THING = re.compile(r"\b(it|that|this|those|these)\b(?!\s+(?:is|was)\s+(?:true|right))"
                    r"|它|这件事|此事|那件事|这事|那事", re.I)
_ZH_ASK_END = re.compile(r"(?:了吗|过吗|吗|了没有|没有|了没|呢|了)?[?？!！。.\s]*$")
_ZH_PRONOUN = re.compile(r"(?<!其)[他她](们)?")
_FOLLOW_UP = re.compile(r"^\s*(and\s+|so\s+|then\s+)?(what|how)\s+about\b|呢\s*[?？]?\s*$|^\s*那", re.I)
_POSSESSIVE = re.compile(r"['’]s$", re.I)
_SENTENCE_START = re.compile(r"(^|[.!?。！？]\s*)$")


@dataclass(frozen=True)
class Understanding:
    text: str
    language: str
    intent: Intent
    people: tuple[str, ...]
    period: Period | None
    terms: tuple[str, ...]
    unknown_names: tuple[str, ...]
    follow_up: bool = False  # people or terms were carried over from the conversation's last turn
    traditional: bool = False  # asked in Traditional Chinese: read in Simplified, answered in Traditional
    kind: Kind = Kind.QUESTION  # a task request or small talk is declined, not searched
    single_word: bool = False  # one word that names nothing the knowledge knows ("sources", "x")
    quantity: Quantity | None = None  # what a how-much / how-many / how-long question wants stated
    pair: TwoEvents | None = None  # a which-first / how-long-between question, and its two parts as read
    parts: tuple[Understanding, ...] = ()
    context: tuple[str, ...] = ()  # entries of the last answer that "that" / "it" / 这件事 may refer to
    context_terms: tuple[str, ...] = ()  # the last question's words "it" stands for: they help, not required
    speaker: str | None = None  # "what did X say / write / think about …": X's own words are the answer
    premises: Premises = field(default_factory=Premises)  # what it takes for granted (checked against typed facts)
    successor_of: str | None = None  # "who replaced X?": X
    guesses: tuple[str, ...] = ()  # people a name in the question may mean, too unsure to assume ("did you mean")
    yes_no: bool = False  # "Did Altman know …?": answered "Yes —" / "No —" where the entry plainly says
    predicate: str | None = None  # a yes/no question's verb as typed: the first word asked after its subject
    variants: tuple[tuple[str, str], ...] = ()  # (an unknown model name as typed, the entry of the known one)
    unresolved: bool = False  # "he" / "他" with nobody to refer to (no one named, no earlier turn)
    asks_other: bool = False  # "which other …", "who else", "along with X": someone the question does not name

    @property
    def searches(self) -> bool:
        """Whether answering needs the knowledge searched (not for a task, small talk, or one bare word)."""
        return self.kind is Kind.QUESTION and not self.single_word and bool(self.terms or self.people)

    def turn(self, entry_ids: tuple[str, ...], subject: tuple[str, ...] = ()) -> Turn:
        return Turn(self.intent.value, self.people, self.terms, entry_ids, subject or self.people)


class Reader:
    def __init__(self, kb: KnowledgeBase, index: SearchIndex) -> None:
        self.kb = kb
        self.index = index
        self.names = NameResolver(kb)
        self._vocabulary = frozenset(index.surface_words)
        self._years = sorted({e.date.year for e in kb.events})
        self._persons = {p.id for p in kb.people if p.kind == "person"}
        # Model names the knowledge knows ("GPT-4o"), by their letters: "GPT-5" is a variant of one of them.
        self._models: dict[str, str] = {}
        for entry in (*kb.topics, *kb.people):
            for name in (entry.name.en, *entry.aliases):
                found = _MODEL_NAME.fullmatch(name.strip())
                if found:
                    self._models.setdefault(found.group(1).lower(), entry.id)
        self._titles = sorted({t for p in kb.people for title in p.titles for t in (title.en, title.zh)},
                              key=len, reverse=True)

    def read(self, raw: str, hint: str | None = None, last: Turn | None = None) -> Understanding:
        """Both first stages at once: the text read, then understood (``understand``)."""
        return self.understand(read(raw, hint), last)

    def understand(self, reading: Reading, last: Turn | None = None) -> Understanding:
        """What a read question asks: its shape, subject, constraints and premises, and (for "which came
        first?") its two parts, each understood alone."""
        und = self._understand(reading, last)
        pair = two_events(und.text, und.language) if und.kind is Kind.QUESTION else None
        if pair is None:
            return und
        first, second = (self._understand(read(part, und.language)) for part in (pair.first, pair.second))
        shared = self._understand(read(pair.shared, und.language)) if pair.shared else None
        first, second = (_complete(first, second, shared, self._persons),
                         _complete(second, first, shared, self._persons))
        if pair.asks and not _two_persons(first, second, self._persons):
            return und  # "did Altman know before Vox reported it?" asks what he knew, not an order of two people
        return replace(und, pair=pair, parts=(first, second))

    def _understand(self, reading: Reading, last: Turn | None = None) -> Understanding:
        whole, language, traditional = reading.text, reading.language, reading.traditional
        text = question_focus(whole)  # the words that ask; a preamble may still name who it is about
        dates = find_dates(text)
        period = period_of(text, dates, self._years)
        rest = _mask(text, [d.span for d in dates])
        guesses: list[str] = []
        mentions = self.names.find(rest, self._vocabulary, guesses=guesses)
        people = tuple(dict.fromkeys(m.person_id for m in mentions))
        pronoun = (_ZH_PRONOUN if language == "zh" else _EN_PRONOUN).search(_mask(text, [m.span for m in mentions]))
        persons_named = [p for p in people if p in self._persons]
        if text != whole and (not people or (pronoun and not persons_named)):  # named in the preamble
            earlier = [m.person_id for m in self.names.find(whole[: max(0, whole.find(text))] or whole,
                                                              self._vocabulary)]
            if pronoun:
                earlier = [p for p in earlier if p in self._persons] or earlier
            people = tuple(dict.fromkeys((*earlier, *people)))
        rest = _mask(rest, [m.span for m in mentions])
        unknown = self._unknown_names(rest)
        unknown_terms = {t for name in unknown for t in tokens(name)}
        terms = tuple(t for t in self._terms(rest, language) if t not in unknown_terms)
        yes_no = is_yes_no(text, language)
        predicate = None
        if yes_no and language == "en":  # "did Altman know …": the verb the stop list drops is what is asked
            terms += tuple(dict.fromkeys(stem(w) for w in words(rest) if w in PREDICATE_VERBS))
            after = rest[mentions[0].span[1]:] if mentions else rest
            asked = [w for w in words(after) if (w not in EN_STOPWORDS or w in PREDICATE_VERBS)
                     and stem(w) not in FILLER_STEMS and w not in _NEGATIONS]
            predicate = asked[0] if asked else None
        elif yes_no:  # "苏茨克维离开 OpenAI 了吗？": the verb the question ends on (names aside) is what it asks
            tail = _ZH_ASK_END.sub("", re.sub(r"\s+", "", _mask(text, [m.span for m in mentions])))
            verbs = [t for t in terms if has_han(t) and set(concept(t)) & ZH_PREDICATE_MEANS and tail.endswith(t)]
            predicate = verbs[-1] if verbs else None  # "签了离职协议吗" ends on 协议: nothing sure to say yes or no to
        intent = detect_intent(text, language, period is not None)

        follow_up, context, context_terms = False, (), ()
        if last is not None:
            person = (_ZH_PRONOUN if language == "zh" else _EN_PRONOUN).search(rest)
            thing = _THING.search(rest)
            bare = not terms and period is None
            if not people and (person or bare or thing):
                people, follow_up = (last.subject or last.people) if person else last.people, True
                if person and _ONE_PERSON.search(person.group(0)):  # "he" is one of them, a person if any is
                    people = tuple(p for p in people if p in self._persons) or people
            if thing or bare:
                context, follow_up = last.entry_ids, True
            if thing and not bare:
                context_terms = tuple(t for t in last.terms if t not in terms)
            profile = person and intent in (Intent.WHO, Intent.WHAT)  # "who is he?": complete once "he" is known
            if bare and (not mentions or _FOLLOW_UP.search(text)) and not profile:
                terms, follow_up = last.terms, True
                if _FOLLOW_UP.search(text) and intent is Intent.WHAT:
                    intent = Intent(last.intent)
        one = _ONE_PERSON.search(_mask(text, [m.span for m in mentions]))  # "they" may be anyone: not asked back
        unresolved = bool(one) and last is None and not any(p in self._persons for p in people)
        speaker = None
        says = _SAYS.search(text) if intent in (Intent.WHAT, Intent.WHY) else None
        if says is not None:
            at = says.start("verb") if says.group("verb") else says.start()
            before = [m.person_id for m in mentions if m.span[1] <= at
                      and self.kb.person(m.person_id) is not None]
            speaker = before[-1] if before else None
            if speaker is None and people and (follow_up or pronoun):  # "in his own words" of someone before
                speaker = next((p for p in people if p in self._persons), None)
        premises = find_premises(text, mentions, self._persons, self._titles)
        successor_of = (successor_asked(text, mentions, self._persons)
                        if intent in (Intent.WHO, Intent.WHAT) and premises.succession is None else None)
        kind = message_kind(text, language, bool(people))
        if kind is Kind.QUESTION and text != whole:  # "thanks, that's all!" is small talk though "thanks" is cut
            kind = message_kind(whole, language, bool(people))
        single = len(re.findall(r"[A-Za-z0-9']+|[\u4e00-\u9fff]{1,4}", text)) <= 1 and not people and period is None
        return Understanding(text, language, intent, people, period, terms, unknown, follow_up, traditional,
                             kind, single and not self._names_a_topic(text), asked_quantity(text, language),
                             context=context, context_terms=context_terms, speaker=speaker, premises=premises,
                             successor_of=successor_of,
                             guesses=tuple(dict.fromkeys(g for g in guesses if g not in people)), yes_no=yes_no,
                             predicate=predicate, variants=self._variants(unknown),
                             asks_other=_OTHER.search(text) is not None, unresolved=unresolved)

    def _variants(self, unknown: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
        """Unknown model names that vary a known one's version ("GPT-5" beside the known "GPT-4o")."""
        found = []
        for name in unknown:
            match = _MODEL_NAME.fullmatch(name)
            if match and match.group(1).lower() in self._models:
                found.append((name, self._models[match.group(1).lower()]))
        return tuple(found)

    def _names_a_topic(self, text: str) -> bool:
        key = clean(text).lower().strip(" ?？!！.。")
        return any(key in (t.name.en.lower(), t.name.zh, *(a.lower() for a in t.aliases)) for t in self.kb.topics)

    def _terms(self, rest: str, language: str) -> tuple[str, ...]:
        if language == "zh" or re.search(r"[\u4e00-\u9fff]", rest):
            rest = strip_zh_question(rest)
        ordinary = {stem(w) for w in words(rest) if len(w) >= 5 and stem(w) not in self.index and is_english_word(w)}
        out = []
        for token in drop_junctions(tokens(rest), self.index):
            if token in _INTENT_TERMS or token in FILLER_STEMS or (len(token) == 1 and has_han(token)):
                continue  # a lone Chinese character ("人" of 两个人) is too ambiguous to search for
            out.append(token if token in self.index or token in ordinary else self._corrected(token))
        return tuple(dict.fromkeys(out))

    def _corrected(self, token: str) -> str:
        """A near miss of a known word ("superalignmnet") becomes that word; anything else stays unknown.
        A dictionary word ("weather") is never corrected into another ("whether")."""
        if len(token) < 5 or not token.isalpha() or not token.isascii():
            return token
        best = process.extractOne(token, self.index.surface_words, scorer=fuzz.ratio, score_cutoff=85)
        return stem(best[0]) if best else token

    def _unknown_names(self, rest: str) -> tuple[str, ...]:
        """Capitalised words the knowledge base has never seen: names of things it knows nothing about."""
        names: list[str] = []
        current: list[str] = []
        for match in re.finditer(r"[A-Za-z0-9][A-Za-z0-9'\-]*|[^\sA-Za-z0-9]+", rest):
            word = _POSSESSIVE.sub("", match.group(0)).rstrip("'-")  # "GPT-4o's" is GPT-4o
            lowered = word.lower()
            model_name = bool(re.search(r"[a-z]", lowered) and re.search(r"\d", lowered))  # GPT-5, Claude3
            capitalised = word[:1].isupper() and not _SENTENCE_START.search(rest[: match.start()])
            if model_name:
                known = lowered in self.index.forms
            else:
                known = lowered in EN_STOPWORDS or all(t in self.index for t in tokens(word))
            if (capitalised or model_name) and not known and len(word) > 1:
                current.append(word)
                continue
            if current:
                names.append(" ".join(current))
                current = []
        if current:
            names.append(" ".join(current))
        return tuple(names)


# Characters that mostly glue words together (positions, directions, light verbs): an unknown bigram holding
# one ("上出" of 沟通上出了) is taken for boundary noise, not a word the knowledge lacks.
_GLUE = frozenset("上下出入来去到说会要能有没让给对向从为以而并将已被把所如若则即使用")


def drop_junctions(grams: list[str], index: SearchIndex) -> list[str]:
    """Drop unknown Chinese bigrams that straddle a known word's edge ("论坛上发帖": 坛上, 上发).

    Bigrams of unsegmented text include pairs across word boundaries; where a character already
    belongs to a known bigram, an unknown bigram using it is boundary noise, not an unknown word.
    """
    explained = {char for gram in grams if len(gram) == 2 and has_han(gram) and gram in index for char in gram}
    return [g for g in grams  # a word meaning one the index has ("回来": 回归, 复职) is no noise
            if not (len(g) == 2 and has_han(g) and not any(m in index for m in concept(g))
                    and (set(g) & explained or set(g) & _GLUE))]


def _mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _two_persons(first: Understanding, second: Understanding, persons: set[str]) -> bool:
    """Each part names a person, and not the same one ("did Saunders resign before Leike did?")."""
    one, two = ([p for p in part.people if p in persons] for part in (first, second))
    return bool(one and two) and one[0] != two[0]


def _complete(part: Understanding, other: Understanding, shared: Understanding | None, persons: set[str]
              ) -> Understanding:
    """A part that names only who ("Saunders" in "who left first, Saunders or Kokotajlo?") takes what happened
    from the words both share, or from the other part ("Leike announced … before or after Sutskever"); a part
    that says "it" or "he" ("… before it was disbanded") is about what the other part names."""
    terms, people = part.terms, part.people
    if _IT.search(part.text):  # "… before it was disbanded": what the other part names, and what it says
        people = people or other.people
        terms = tuple(dict.fromkeys(terms + other.terms))
    elif not people and (_EN_PRONOUN.search(part.text) or _ZH_PRONOUN.search(part.text)):  # "his tweet": who
        people = tuple(p for p in other.people if p in persons) or other.people
    if not part.terms:
        terms = shared.terms if shared is not None and shared.terms else other.terms
    return replace(part, terms=terms, people=people)
