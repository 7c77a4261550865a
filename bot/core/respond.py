"""Decide the answer to an understood question: which entries answer it, or an honest "I don't know"."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from bot.core.compare import Dated, between_text, order_text, written_first
from bot.core.compose import CitationBook, date_phrase, display_name, entry_text, entry_title
from bot.core.corrections import Corrected, correct, successors, took_over
from bot.core.intent import Intent
from bot.core.life_events import dated_by_facts, departure_of
from bot.core.names import NameResolver
from bot.core.own_words import own_words
from bot.core.premises import Premises
from bot.core.quantity import PEOPLE_NOUNS, Quantity, counted_noun, counts_noun, states_quantity
from bot.core.relations import Relations
from bot.core.retrieve import Candidate, Ranking, Retrieval, Retriever, kinds_for
from bot.core.scope import Kind
from bot.core.shapes import Pair
from bot.core.suggest import starters, suggestions
from bot.core.synonyms import concept
from bot.core.text import has_han, stem, tokens
from bot.core.trace import Stage
from bot.core.types import Answer
from bot.core.understand import Understanding
from bot.core.yes_no import ZH_GIVING, ZH_PREDICATE_MEANS, none_given, polarity
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Claim, Entry, Event, Figure, Person, Source

ANSWER_THRESHOLD = 0.5  # coverage below this is declined (calibrated on the development questions)
STRONG_SHARE = 0.6  # candidates scoring at least this share of the best compete on coverage
EVERYWHERE_SHARE = 0.3  # named in more than this share of the entries: too common to tell entries apart
COVERAGE_TIE = 0.1
COVERAGE_TIE = 0.1  # candidates covering this close to the best are chosen among by their fused rank
DATE_PREMISE_MARGIN = 0.2  # an event outside the asked period corrects it only if nothing inside comes this close
SECOND_ENTRY_RATIO = 0.8  # a why-answer adds a second reason when it scores this close to the first
MAX_LISTED_EVENTS = 12
# Words that, beside a person's name, still just ask who the person is.
_PROFILE_TERMS = frozenset(
    [
        stem(w)
        for w in ["role", "background", "profile", "person", "about", "bio", "biography", "job", "position", "title"]
    ]
    + ["背景", "身份", "角色", "介绍", "简介", "职位", "一下"]
)

# Words that ask for someone's post: their profile answers whatever else the question names ("在公司").
_POST_TERMS = frozenset([stem(w) for w in ["position", "title", "job"]] + ["职位", "职务", "头衔", "岗位"])

_TEXTS = {
    "en": {
        "unknown": "I don't know: my sources don't cover that.",
        "unknown_names": "I don't know: my sources say nothing about {names}.",
        "no_events": "My sources have no events dated {period}.",
        "empty": "Ask me who, when or why about the 2024 breakup of OpenAI's superalignment team.",
        "who_meant": "Who do you mean? Ask again with the person's name.",
        "task": "I only answer questions about the 2024 breakup of OpenAI's superalignment team, from my sources; "
                "I can't write, translate or make things.",
        "small_talk": "I'm a bot that answers questions about the 2024 breakup of OpenAI's superalignment team, "
                      "with citations. Ask me who, when or why.",
        "timeline": "Timeline{of}:",
        "more": "…and {n} more; narrow it with a person or a period.",
    },
    "zh": {
        "unknown": "我不知道:我的资料没有涉及这个问题。",
        "unknown_names": "我不知道:我的资料里没有关于 {names} 的内容。",
        "no_events": "我的资料里没有 {period} 的事件。",
        "empty": "可以问我关于 2024 年 OpenAI 超级对齐团队解散的“谁”“何时”“为什么”。",
        "who_meant": "你指的是谁？请带上名字再问一次。",
        "task": "我只根据资料回答关于 2024 年 OpenAI 超级对齐团队解散的问题,不能写作、翻译或做别的事。",
        "small_talk": "我是回答 2024 年 OpenAI 超级对齐团队解散相关问题的机器人,答案附有出处。"
                      "可以问我“谁”“何时”“为什么”。",
        "timeline": "时间线{of}:",
        "more": "……还有 {n} 条;可以按人物或时间段缩小范围。",
    },
}


class Responder:
    def __init__(self, kb: KnowledgeBase, retriever: Retriever, version: str) -> None:
        self.kb = kb
        self.retriever = retriever
        self.version = version
        self._confidences: dict[str, float] = {}
        self._names = NameResolver(kb)
        self._mentions: dict[str, list[str]] = {}
        # who is named nearly everywhere (OpenAI): naming them does not make an entry about someone else
        self._everywhere = frozenset(p.id for p in kb.people
                                     if len(retriever.related_ids(p.id)) > EVERYWHERE_SHARE * len(kb.entries))
        self._relations = Relations(kb, retriever, self._everywhere)

    def respond(self, und: Understanding, retrieval: Retrieval | None = None, why: Stage | None = None) -> Answer:
        """Decide how ``und`` is answered (which shape, which entries) or declined, and say it.

        ``retrieval`` is what the retrieve stage found (entry similarities, the ranking); ``why`` records the
        decision for the answer's trace."""
        why = why or Stage("decide")
        retrieval = retrieval or Retrieval()
        if und.kind is not Kind.QUESTION:
            why.note(shape="decline", because=f"not a question ({und.kind.value})")
            return self._decline(und, [], _TEXTS[und.language][und.kind.value])
        if und.single_word:
            why.note(shape="decline", because="one word that names nothing known")
            return self._decline(und, [], _TEXTS[und.language]["empty"])
        if und.unresolved:  # "why did he quit?" with nobody named before: ask, never guess who
            why.note(shape="ask back", because="a pronoun with no one to refer to")
            return self._decline(und, [], _TEXTS[und.language]["who_meant"])
        if und.pair is not None:
            answer = self._two_events(und, retrieval.parts)
            if answer is not None:
                why.note(shape=und.pair.pair.value, entries=answer.entry_ids)
                return answer
            why.note(pair="not both parts found as dated events: answered as one question")
        book = CitationBook(self.kb, und.language)
        corrected = correct(und.premises, self.kb, book, und.language)
        if corrected is not None and corrected.replaces_answer:
            why.note(shape="false premise", entries=[e.id for e in corrected.entries])
            return self._facts(und, corrected.text, corrected.entries, book)
        if und.variants:  # "GPT-5": the sources know GPT-4o
            why.note(shape="unknown variant", variant=und.variants[0])
            return self._variant(und, book)

        if und.successor_of is not None:
            found = self._successors(und, book)
            if found is not None:
                why.note(shape="successors", of=und.successor_of, entries=found.entry_ids)
                return found
        related = self._relations.answer(und, book)
        if related is not None:  # "who co-led it with Leike?", "who else left in April?", "how many were fired?"
            why.note(shape=related.shape, entries=[e.id for e in related.entries])
            lead = corrected.text + ("" if und.language == "zh" else " ") if corrected else ""  # "he was not fired"
            answer = self._facts(und, lead + related.text, (*(corrected.entries if corrected else ()),
                                                            *related.entries), book)
            return replace(answer, subject=related.subject)
        if corrected is None and und.period is not None and und.intent not in (Intent.ON_DATE, Intent.TIMELINE):
            corrected = self._date_premise(und, book)  # "Why did the board fire Altman in May 2024?"
        if corrected is not None:  # "Why was Leike fired?": he resigned; then why he left
            why.note(premise="corrected", by=[e.id for e in corrected.entries])
            answer = self._respond(_as_corrected(und, corrected), Retrieval(retrieval.similarities), book, why)
            if not answer.answered:
                why.note(shape="false premise", then="nothing more answers the corrected question")
                return self._facts(und, corrected.text, corrected.entries, book)
            lead = corrected.text + ("" if und.language == "zh" else " ")
            return replace(answer, text=lead + answer.text, entry_ids=(*(e.id for e in corrected.entries),
                                                                        *answer.entry_ids))
        return self._respond(und, retrieval, book, why)

    @staticmethod
    def _is_profile(und: Understanding) -> bool:
        return bool(und.people and und.intent in (Intent.WHO, Intent.WHAT) and not und.unknown_names
                    and und.period is None
                    and (not (set(und.terms) - _PROFILE_TERMS) or set(und.terms) & _POST_TERMS))

    def needs_similarities(self, und: Understanding) -> bool:
        """Whether deciding may rank entries with the encoder's help: not for a plain profile, timeline or
        day's events (no premise to correct, no two events), which are decided without a ranking; the
        retrieve stage then spares the query embedding (most of an answer's time)."""
        premises = und.premises
        if und.pair or und.variants or und.successor_of or premises.departures or premises.titles \
                or premises.succession:
            return True
        return not (und.intent is Intent.TIMELINE or (und.intent is Intent.ON_DATE and und.period is not None)
                    or self._is_profile(und))

    def _respond(self, und: Understanding, retrieval: Retrieval | None, book: CitationBook, why: Stage) -> Answer:
        """The question's own shape: a timeline, a day's events, a profile, or the best-ranked entry."""
        if und.intent is Intent.TIMELINE:
            why.note(shape="timeline")
            return self._timeline(und)
        if und.intent is Intent.ON_DATE and und.period is not None:
            why.note(shape="on date")
            return self._on_date(und)
        if not und.terms and not und.people and und.period is None:
            why.note(shape="decline", because="nothing to search for")
            return self._decline(und, [], _TEXTS[und.language]["empty"])
        if self._is_profile(und):  # "Who is X?", and "What is X's position (at the company)?": their profile
            people = [p for p in (self.kb.person(i) for i in und.people[:2]) if p is not None]
            why.note(shape="profile", entries=[p.id for p in people])
            return self._answer(und, people, 1.0, book)
        typed = dated_by_facts(und, self.kb, self._everywhere) if und.intent is Intent.WHEN else None
        if typed is not None:  # "when did he resign?", "when was he given the job?": a typed left / succeeded fact
            why.note(shape="typed date", entries=[typed.id])
            return self._answer(und, [typed], 1.0, book)
        if retrieval is not None and retrieval.ranking is not None:
            ranking = retrieval.ranking
        else:  # the question as corrected: ranked again
            ranking = self.retriever.rank(und, kinds=kinds_for(und),
                                          similarities=retrieval.similarities if retrieval else None)
        candidates = ranking.candidates
        if und.intent is Intent.WHEN:
            candidates = [c for c in candidates if self.retriever.dated(c.entry)]
        subjects = [p for p in und.people if (person := self.kb.person(p)) is not None and person.kind == "person"]
        if subjects:  # an answer about someone else is no answer ("Sutskever's net worth" is not Kokotajlo's)
            candidates = [c for c in candidates if any(self.retriever.relates(c.entry, p) for p in subjects)]
        if und.quantity is not None and (und.intent is Intent.HOW_MUCH or und.quantity is Quantity.DURATION
                                         or (und.quantity is Quantity.MONEY and _AMOUNT.search(und.text))):
            # "in dollars" is not answered by a percentage, "how many GPUs" not by a share of compute
            candidates = [c for c in candidates if states_quantity(_all_text(c.entry), und.quantity)]
            noun = counted_noun(und.text) if und.quantity is Quantity.COUNT else None
            if noun is not None and noun not in PEOPLE_NOUNS:  # "how many GPUs": a number of GPUs, not of people
                forms = {noun, noun.rstrip("s"), *(t for t in concept(stem(noun)))}
                candidates = [c for c in candidates if counts_noun(_all_text(c.entry), forms)]
            elif noun is not None:  # people: a number of them, or (for plain "people") an event's participants
                candidates = [c for c in candidates if counts_noun(_all_text(c.entry), set(PEOPLE_NOUNS) | {noun})
                              or (noun in _PLAIN_PEOPLE and isinstance(c.entry, Event)
                                  and len(_people_of(c.entry, self.kb)) >= 2)]
        if und.context:  # a follow-up asks something new: not the last answer again, when another answers
            fresh = [c for c in candidates if c.entry.id not in und.context
                     and ranking.confidence(c) >= ANSWER_THRESHOLD]
            candidates = fresh or candidates
        if und.speaker is not None:  # "what did X say about …": X's own words, where there are any
            own = [c for c in candidates if _speaker(c.entry) == und.speaker]
            if own and max(ranking.confidence(c) for c in own) >= ANSWER_THRESHOLD:
                candidates = own
        if und.yes_no and und.predicate is not None:  # "did Altman know …": an entry that says whether he knew
            verb = {w for w in concept(stem(und.predicate)) if w.isascii() and len(w) >= 3}
            saying = [c for c in candidates if ranking.confidence(c) >= ANSWER_THRESHOLD
                      and polarity(entry_text(c.entry, "en"), verb) is not None]
            own = [c for c in saying if _speaker(c.entry) in und.people[:1]
                   and self._asked_of_subject(und)]  # "was Altman aware": what he says of himself
            candidates = own or saying or candidates
        if und.intent is Intent.WHO and subjects and set(und.terms) - _PROFILE_TERMS:
            # "who replaced Leike?", "who co-led with Leike?": the answer is someone else, named by the entry;
            # asked as "which other …" / "who else", only such an entry answers
            named = [p for p in und.people if self.kb.person(p) is not None]
            others = [c for c in candidates if self._names_someone_else(c.entry, named)
                      and ranking.confidence(c) >= ANSWER_THRESHOLD]
            candidates = others if others or und.asks_other else candidates
        if und.intent is Intent.WHY:  # a reason is a claim or an event, not someone's profile
            candidates = [c for c in candidates if not isinstance(c.entry, Person)] or candidates
        top = self._best(candidates, ranking)
        if top is not None and any(self.retriever.relates(top.entry, g) for g in und.guesses):
            why.note(shape="decline", because=f"{top.entry.id} is about a name only guessed", guesses=und.guesses)
            return self._decline(und, candidates)  # a name only sounding like someone's: ask, never substitute
        if top is None or ranking.confidence(top) < ANSWER_THRESHOLD:
            confidence = ranking.confidence(top) if top else 0.0
            why.note(shape="decline", because=(f"best {top.entry.id} at {confidence:.2f} < {ANSWER_THRESHOLD}"
                                               if top else f"no candidate left of {len(ranking.candidates)}"))
            return self._decline(und, candidates, confidence=confidence)
        chosen = [top.entry]
        if und.intent is Intent.WHY:
            chosen += self._second_reason(top, [c for c in candidates if c is not top])
        speaker = self.kb.person(und.speaker) if und.speaker and _speaker(top.entry) == und.speaker else None
        said = own_words(top.entry, speaker, self.kb, self._names, book, und.language) if speaker else None
        why.note(shape="own words" if said else "yes/no" if und.yes_no else "ranked", entries=[e.id for e in chosen],
                 confidence=f"{ranking.confidence(top):.2f}", speaker=und.speaker)
        return self._answer(und, chosen, ranking.confidence(top), book, first=said)

    @staticmethod
    def _best(candidates: Sequence[Candidate], ranking: Ranking) -> Candidate | None:
        """The candidate covering most of the question; among those covering about as much, the best ranked
        (by fusion when the encoder ranked them, else among the strong lexical ones, by score)."""
        if not candidates:
            return None
        if any(c.fused for c in candidates):
            best = max(ranking.confidence(c) for c in candidates)
            close = [c for c in candidates if ranking.confidence(c) >= best - COVERAGE_TIE]
            return max(close, key=lambda c: c.fused)
        floor = STRONG_SHARE * max(c.score for c in candidates)
        strong = [c for c in candidates if c.score >= floor]
        return max(strong, key=lambda c: (round(ranking.confidence(c), 2), c.score))

    # --- kinds of answers ----------------------------------------------------------------------
    def _two_events(self, und: Understanding, similarities: Sequence[np.ndarray | None]) -> Answer | None:
        """Which came first / how long between: both parts found as dated events, or no such answer."""
        assert und.pair is not None
        sims = list(similarities) + [None] * (2 - len(similarities))
        one, two = und.parts
        first = self._part_event(one, two, sims[0], earliest=und.pair.from_start)
        second = self._part_event(two, one, sims[1])
        if first is None or second is None or first.entry.id == second.entry.id:
            return None
        lang = und.language
        book = CitationBook(self.kb, lang)
        between = und.pair.pair is Pair.BETWEEN
        later_named_first = written_first(first.entry.date, second.entry.date, between)  # type: ignore[union-attr]
        cited = (second, first) if later_named_first else (first, second)
        marks = {c.entry.id: book.cite(c.entry, most=1) for c in cited}  # numbered in the order the text names them
        a, b = (Dated(c.entry, marks[c.entry.id]) for c in (first, second))  # type: ignore[arg-type]
        text = between_text(a, b, lang) if between else order_text(a, b, lang, und.pair.asks)
        confidence = min(self._part_confidence(first), self._part_confidence(second))
        return Answer(text=text, language=lang, intent=und.pair.pair.value, answered=True, confidence=confidence,
                      citations=tuple(book.citations), entry_ids=(a.event.id, b.event.id), kb_version=self.version,
                      suggestions=suggestions([a.event, b.event], self.kb, lang))

    def _part_event(self, part: Understanding, other: Understanding, similarities: np.ndarray | None, *,
                    earliest: bool = False) -> Candidate | None:
        """A part's event: a person's typed departure, else the best found; a part naming no one ("复职正式生效"
        of "奥特曼被罢免和复职正式生效…") is, failing that, about the person the other part names."""
        typed = departure_of(part, self.kb, self._everywhere)
        if typed is not None:
            self._confidences[typed.id] = 1.0
            return Candidate(typed, 1.0, 1.0)
        found = self._event_for(part, similarities, earliest=earliest)
        persons = tuple(p for p in other.people if (x := self.kb.person(p)) is not None and x.kind == "person")
        if found is None and not part.people and persons:
            found = self._event_for(replace(part, people=persons), similarities, earliest=earliest)
        return found

    def _event_for(self, part: Understanding, similarities: np.ndarray | None, *, earliest: bool = False
                   ) -> Candidate | None:
        ranking = self.retriever.rank(part, kinds={"events"}, similarities=similarities, limit=12)
        candidates = ranking.candidates
        subjects = [p for p in part.people if (person := self.kb.person(p)) is not None and person.kind == "person"]
        if subjects:
            candidates = [c for c in candidates if any(self.retriever.relates(c.entry, p) for p in subjects)]
        candidates = [c for c in candidates if ranking.confidence(c) >= ANSWER_THRESHOLD]
        if earliest and candidates:
            return min(candidates, key=lambda c: c.entry.date.first_day)  # type: ignore[union-attr]
        top = self._best(candidates, ranking)
        if top is not None:
            self._confidences[top.entry.id] = ranking.confidence(top)
        return top

    def _part_confidence(self, candidate: Candidate) -> float:
        return self._confidences.pop(candidate.entry.id, ANSWER_THRESHOLD)

    def _second_reason(self, top: Candidate, rest: Sequence[Candidate]) -> list[Entry]:
        for other in rest[:3]:
            if (
                isinstance(other.entry, Claim)
                and other.coverage >= SECOND_ENTRY_RATIO * top.coverage
                and other.score >= SECOND_ENTRY_RATIO * top.score
            ):
                return [other.entry]
        return []

    def _facts(self, und: Understanding, text: str, entries: Sequence[Entry], book: CitationBook) -> Answer:
        """An answer the typed facts give whole (a corrected premise, a successor): sure, and cited."""
        return Answer(text=text, language=und.language, intent=und.intent.value, answered=True, confidence=1.0,
                      citations=tuple(book.citations), entry_ids=tuple(dict.fromkeys(e.id for e in entries)),
                      kb_version=self.version, suggestions=suggestions(list(entries), self.kb, und.language),
                      subject=tuple(e.id for e in entries if isinstance(e, Person) and e.kind == "person")[:1]
                      or und.people)

    def _date_premise(self, und: Understanding, book: CitationBook) -> Corrected | None:
        """The event asked about happened, but not in the period the question gives it: say when it did."""
        assert und.period is not None
        if not und.people or not und.terms:
            return None
        undated = replace(und, period=None)
        ranking = self.retriever.rank(undated, kinds={"events"}, limit=12)
        subjects = [p for p in und.people if (person := self.kb.person(p)) is not None and person.kind == "person"]
        found = [c for c in ranking.candidates if ranking.confidence(c) >= ANSWER_THRESHOLD
                 and (not subjects or any(self.retriever.relates(c.entry, p) for p in subjects))
                 and self.retriever.matches_all(c.entry, und.terms)]
        event = self._best(found, ranking)
        if event is None or und.period.contains(event.entry.date):  # type: ignore[union-attr]
            return None
        inside = [ranking.confidence(c) for c in found if und.period.contains(c.entry.date)]  # type: ignore[union-attr]
        if inside and max(inside) >= ranking.confidence(event) - DATE_PREMISE_MARGIN:
            return None  # something like it did happen then
        assert isinstance(event.entry, Event)
        asked = und.period.label_start or und.period.label_end
        when = asked.human(und.language) if asked else ""
        lang, marks = und.language, book.cite(event.entry, most=1)
        title = event.entry.title.get(lang)
        text = (f"{title}发生在{date_phrase(event.entry, lang)},而不是{when}{marks}。" if lang == "zh"
                else f"{title}: that was {date_phrase(event.entry, lang)}, not {when} {marks}.")
        return Corrected(text, (event.entry,), replaces_answer=False, undated=True)

    def _variant(self, und: Understanding, book: CitationBook) -> Answer:
        """A model name the sources don't know, beside one they do: say so, and what they say of that one."""
        typed, entry_id = und.variants[0]
        entry = self.kb.get(entry_id)
        assert entry is not None and not isinstance(entry, Source)
        lang = und.language
        if not (set(und.people) - {entry_id}) or len(und.terms) < 2:  # asked about it alone: decline, offer the one
            meant = entry_title(entry, lang)
            text = (f"我不知道:我的资料没有提到 {typed}。你是指 {meant} 吗？" if lang == "zh"
                    else f"I don't know: my sources say nothing about {typed}. Did you mean {meant}?")
            return self._decline(und, [], text, [entry])
        known = entry_title(entry, lang)
        body = self._with_markers(entry_text(entry, lang), book.cite(entry), lang)
        lead = (f"我的资料没有提到 {typed},提到的是 {known}:" if lang == "zh"
                else f"My sources say nothing about {typed}; the model they mention is {known}: ")
        answer = self._facts(und, lead + body, [entry], book)
        return replace(answer, confidence=0.6)

    def _successors(self, und: Understanding, book: CitationBook) -> Answer | None:
        """"Who replaced Ilya as chief scientist?": from the people's typed successions."""
        assert und.successor_of is not None
        found = successors(und.successor_of, self.kb)
        asked = set(und.terms)
        in_role = [(p, s) for p, s in found if asked & set(tokens(f"{s.role.en} {s.role.zh}"))]
        found = in_role or found
        if not found:
            return None
        sentences = [took_over(p, s, self.kb, book, und.language) for p, s in found]
        text = ("" if und.language == "zh" else " ").join(t for t, _ in sentences)
        answer = self._facts(und, text, [e for _, e in sentences], book)
        return replace(answer, subject=(found[0][0].id,))

    def _answer(self, und: Understanding, entries: Sequence[Entry], confidence: float,
                book: CitationBook | None = None, first: str | None = None) -> Answer:
        """The entries' statements, cited; ``first`` (the speaker's own words, quoted) stands for the first."""
        lang = und.language
        book = book or CitationBook(self.kb, lang)
        dated_note = und.intent is Intent.WHEN and isinstance(entries[0], Event) and entries[0].date_note is not None
        parts = [first if first and e is entries[0] else self._with_markers(entry_text(e, lang), book.cite(
                     e, every_source=e.note is not None or (dated_note and e is entries[0])), lang)
                 for e in entries]  # a shown note may credit any of the entry's sources: each is cited
        if und.intent is Intent.WHEN and isinstance(entries[0], Event) and entries[0].date_note:
            parts.append(f"({entries[0].date_note.get(lang)})")
        related = [x for e in entries for x in self._related(e)]
        text = ("" if lang == "zh" else " ").join(parts)
        if und.yes_no:
            answer_word = _yes_or_no if lang == "en" else _zh_yes_or_no
            text = answer_word(und, entries[0], self.kb) + text
        return Answer(
            text=text,
            language=lang,
            intent=und.intent.value,
            answered=True,
            confidence=min(1.0, confidence),
            citations=tuple(book.citations),
            suggestions=suggestions(related, self.kb, lang, exclude=[]),
            entry_ids=tuple(e.id for e in entries),
            kb_version=self.version,
            notes=tuple(e.note.get(lang) for e in entries if e.note is not None),
            subject=self._subject(und, entries[0]),
        )

    def _asked_of_subject(self, und: Understanding) -> bool:
        """Whether a yes/no question's verb is said of its first person, no one else named between them ("was
        Altman aware", not "was Ilya on the board that fired Altman")."""
        assert und.predicate is not None
        mentions = self._names.find(und.text)
        first = next((m for m in mentions if m.person_id == und.people[0]), None)
        verb = re.search(rf"\b{re.escape(und.predicate)}\b", und.text[first.span[1]:], re.I) if first else None
        return verb is not None and not any(
            first.span[1] <= m.span[0] < first.span[1] + verb.start() for m in mentions)  # type: ignore[union-attr]

    def _names_someone_else(self, entry: Entry, subjects: Sequence[str]) -> bool:
        if isinstance(entry, Person):
            return entry.id not in subjects and entry.id not in self._everywhere
        return any(p not in subjects and p not in self._everywhere for p in self._mentioned(entry, persons=False))

    def _mentioned(self, entry: Entry, *, persons: bool = True) -> list[str]:
        """Who an entry is about or names in its text, its actor first: persons only, or groups and
        organisations too."""
        found = self._mentions.get(entry.id)
        if found is None:
            named = [m.person_id for m in self._names.find(entry_text(entry, "en"))]
            found = [p for p in dict.fromkeys(_people_of(entry, self.kb, persons=False) + named)
                     if self.kb.person(p) is not None]
            self._mentions[entry.id] = found
        return [p for p in found if not persons or self.kb.person(p).kind == "person"]  # type: ignore[union-attr]

    def _subject(self, und: Understanding, entry: Entry) -> tuple[str, ...]:
        """Whom the answer is about: the person a who-question is answered with, else the question's people."""
        if isinstance(entry, Person) and entry.kind == "person":
            return (entry.id,)
        if und.intent is Intent.WHO:
            named = [p for p in self._mentioned(entry) if p not in und.people]
            if named:
                return (named[0],)
        return und.people

    def _listing(
        self,
        und: Understanding,
        header: str,
        events: Sequence[Event],
        full: bool,
        extra: tuple[str, Sequence[Event]] | None = None,
    ) -> Answer:
        """Events as bullet lines (their full text when few), each with its citation; ``extra`` is a
        second, labelled group (events known only to a coarser date)."""
        lang = und.language
        book = CitationBook(self.kb, lang)
        sep = "——" if lang == "zh" else " — "
        shown = list(events[:MAX_LISTED_EVENTS])
        lines = [header] if header else []
        groups: list[tuple[str, Sequence[Event]]] = [("", shown)]
        if extra is not None:
            groups.append((extra[0], extra[1][: max(3, MAX_LISTED_EVENTS - len(shown))]))
        for label, group in groups:
            if label:
                lines.append(label)
            for event in group:
                body = event.text.get(lang) if full else entry_title(event, lang)
                noted = full and event.note is not None
                marked = self._with_markers(body, book.cite(event, most=1, every_source=noted), lang)
                lines.append(f"• {date_phrase(event, lang)}{sep}{marked}")
        if len(events) > len(shown):
            lines.append(_TEXTS[lang]["more"].format(n=len(events) - len(shown)))
        listed = [e for _, group in groups for e in group]
        people = [p for p in (self.kb.person(i) for i in und.people) if p is not None]
        return Answer(
            text="\n".join(lines),
            language=lang,
            intent=und.intent.value,
            answered=True,
            confidence=1.0,
            citations=tuple(book.citations),
            entry_ids=tuple(e.id for e in listed),
            kb_version=self.version,
            suggestions=suggestions(people, self.kb, lang),
            notes=tuple(e.note.get(lang) for e in listed if e.note is not None and full),
        )

    def _on_date(self, und: Understanding) -> Answer:
        assert und.period is not None
        events = [e for e in self.kb.timeline if und.period.contains(e.date) or (e.end and und.period.contains(e.end))]
        if und.people:
            events = [e for e in events if set(e.people) & set(und.people)] or events
        if not events:
            label = und.period.label_start or und.period.label_end
            period = label.human(und.language) if label else ("那一天" if und.language == "zh" else "that day")
            nearest = sorted(
                self.kb.events,
                key=lambda e: abs((e.date.first_day - und.period.start).days) if und.period.start.year > 1 else 0,
            )
            return self._decline(und, [], _TEXTS[und.language]["no_events"].format(period=period), nearest[:3])
        asked = und.period.label_start if und.period.label_start == und.period.label_end else None
        if asked is not None and asked.day is not None:
            # A day was asked: events known only to the month are set apart, not passed off as that day.
            exact = [e for e in events if e.date.day is not None]
            vaguer = [e for e in events if e.date.day is None]
            if vaguer:
                lang = und.language
                month = vaguer[0].date.human(lang)
                note = (f"{asked.human(lang)}没有确切日期的事件;{month}:" if not exact and lang == "zh"
                        else f"No event is dated exactly {asked.human(lang)}; in {month}:" if not exact
                        else f"同在{month}(具体日期不详):" if lang == "zh"
                        else f"Also in {month} (day not known):")
                return self._listing(und, "", exact, full=len(exact) <= 3, extra=(note, vaguer))
        return self._listing(und, "", events, full=len(events) <= 3)

    def _timeline(self, und: Understanding) -> Answer:
        events = list(self.kb.timeline)
        if und.people:
            events = [e for e in events if set(e.people) & set(und.people)]
        if und.period is not None:
            events = [e for e in events if und.period.contains(e.date)]
        if und.terms and not und.people:
            ranking = self.retriever.rank(und, kinds={"events"}, limit=40)
            wanted = {c.entry.id for c in ranking.candidates if ranking.confidence(c) >= ANSWER_THRESHOLD}
            events = [e for e in events if e.id in wanted] or events
        if not events:
            return self._decline(und, [])
        names = [p.name.get(und.language) for p in (self.kb.person(i) for i in und.people) if p]
        of = (f"{'、'.join(names)}的" if und.language == "zh" else f" of {', '.join(names)}") if names else ""
        header = f"{of}时间线:" if und.language == "zh" and of else _TEXTS[und.language]["timeline"].format(of=of)
        return self._listing(und, header, events, full=False)

    def decline(self, und: Understanding) -> Answer:
        """"I don't know", with suggestions near what was asked."""
        return self._decline(und, [])

    def _decline(
        self,
        und: Understanding,
        candidates: Sequence[Candidate],
        text: str | None = None,
        nearby: Sequence[Entry] = (),
        confidence: float = 0.0,
    ) -> Answer:
        lang = und.language
        if text is None:
            names = ", ".join(f"“{n}”" for n in und.unknown_names)
            text = _TEXTS[lang]["unknown_names"].format(names=names) if names else _TEXTS[lang]["unknown"]
        near = list(nearby) + [c.entry for c in candidates]
        offered = suggestions(near, self.kb, lang) or self._starters(lang)
        meant = [p for p in (self.kb.person(g) for g in und.guesses) if p is not None]
        if meant:  # a name heard but not sure whose: ask, never substitute
            names = "、".join(display_name(p, lang) for p in meant) if lang == "zh" else " or ".join(
                p.name.en for p in meant)
            text += f"你是指{names}吗？" if lang == "zh" else f" Did you mean {names}?"
            offered = tuple(dict.fromkeys([*suggestions(meant, self.kb, lang), *offered]))[:3]
        return Answer(
            text=text,
            language=lang,
            intent=und.intent.value,
            answered=False,
            confidence=round(confidence, 3),
            suggestions=offered,
            kb_version=self.version,
        )

    # --- helpers -------------------------------------------------------------------------------
    @functools.cache  # noqa: B019  (one Responder per knowledge version; two languages)
    def _starters(self, language: str) -> tuple[str, ...]:
        """First questions to offer when nothing near was found: computed once per version and language."""
        return starters(self.kb, language)

    def _related(self, entry: Entry) -> list[Entry]:
        ids = list(getattr(entry, "about", ())) + list(getattr(entry, "people", ()))
        if isinstance(entry, Person):
            ids = [e.id for e in self.kb.events_of(entry.id)][-2:]
        ids += list(self.kb.links.get(entry.id, ()))
        found = (self.kb.get(i) for i in dict.fromkeys(ids) if i != entry.id)
        return [e for e in found if e is not None and not isinstance(e, Source)]

    @staticmethod
    def _with_markers(text: str, markers: str, language: str) -> str:
        text = text.rstrip()
        if language == "zh":
            return f"{text}{markers}"
        return f"{text} {markers}"


def _all_text(entry: Entry) -> str:
    """What an entry states, in both languages (a figure's value included)."""
    value = entry.value if isinstance(entry, Figure) else ""
    return " ".join([value, entry_text(entry, "en"), entry_text(entry, "zh")])


def _people_of(entry: Entry, kb: KnowledgeBase, *, persons: bool = True) -> list[str]:
    """Who an entry is about, its actor first: persons only, or groups and organisations too."""
    ids = [getattr(entry, "by", None), *getattr(entry, "people", ()), *getattr(entry, "about", ())]
    return [i for i in dict.fromkeys(ids)
            if i and (p := kb.person(i)) is not None and (p.kind == "person" or not persons)]


_SAID = re.compile(r"\b(?:said|says|wrote|writes|posted|posts|tweeted|announced|announces|stated|replied|told|"
                   r"explained|explains)\b", re.I)


def _speaker(entry: Entry) -> str | None:
    """Whose words an entry reports: a claim's speaker, or the one who wrote or said what an event reports
    (its first person, when the event is a post or a statement)."""
    if isinstance(entry, Claim):
        return entry.by
    if isinstance(entry, Event) and entry.people and _SAID.search(f"{entry.title.en} {entry.text.en}"):
        return entry.people[0]
    return None


_PLAIN_PEOPLE = frozenset({"people", "persons", "others"})
# Asking an amount of money whatever the question word ("What is Altman's salary?"), unlike "raise money".
_AMOUNT = re.compile(r"\b(?:salary|salaries|paid|pay|income|earns?|earnings|net worth|worth in|in dollars|"
                     r"dollars?)\b|\$|美元|薪水|薪资|工资|年薪|收入|身家", re.I)
_LEAVING = frozenset(concept("fire")) | frozenset(concept("resign")) | frozenset(concept("leave"))


def _as_corrected(und: Understanding, corrected: Corrected) -> Understanding:
    """The question as it should have been asked: "why was Leike fired" -> why he resigned."""
    how = {"resigned": "resign", "fired": "fire"}
    terms = [t for t in und.terms if t not in _LEAVING] + [stem(how[h]) for _, h in corrected.departures]
    return replace(und, terms=tuple(dict.fromkeys(terms)), premises=Premises(), yes_no=False,
                   period=None if corrected.undated else und.period)


def _yes_or_no(und: Understanding, entry: Entry, kb: KnowledgeBase) -> str:
    """"No — Sam Altman did not know. " / "Yes — " when the entry plainly affirms or denies the question's verb
    ("did Altman know"): denied where a negation governs it there ("had not known", "refused to sign"),
    affirmed where it stands bare; nothing when the entry does not use it. A question asked in the negative
    ("is it true they never …") is answered "Yes" by a denial."""
    if und.predicate is None:
        return ""
    verb = {w for w in concept(stem(und.predicate)) if w.isascii() and len(w) >= 3}
    said = polarity(entry_text(entry, "en"), verb)
    if said is None:  # "Did OpenAI produce proof …?": "OpenAI provided no evidence …"
        nouns = {w for t in und.terms if t != stem(und.predicate) for w in concept(t) if w.isascii() and len(w) >= 3}
        names = {n for p in und.people[:1] if (who := kb.person(p)) for n in (who.name.en, *who.aliases)}
        return "No — " if none_given(und.predicate, nouns, entry_text(entry, "en"), names) else ""
    asked_in_negative = polarity(und.text, verb) is False
    yes = said != asked_in_negative
    subject = kb.person(und.people[0]) if und.people else None
    if subject is None or not re.match(r"\s*(?:did|does|do)\b", und.text, re.I) or asked_in_negative:
        return "Yes — " if yes else "No — "
    return f"Yes — {subject.name.en} did. " if yes else f"No — {subject.name.en} did not {und.predicate.lower()}. "


_ZH_IS = re.compile(r"是否|是不是|是.{0,12}[的吗]\s*[?？]?\s*$")


def _zh_yes_or_no(und: Understanding, entry: Entry, kb: KnowledgeBase) -> str:
    """"是的：" / "没有：" (or "不是：" for an is-question) before the entry, when its English statement
    plainly affirms or denies what the Chinese question asks: every verb of the question (through its
    synonym group) that the entry uses is affirmed, or every one denied. Mixed, or none used: no lead
    ("科科塔伊洛签了离职协议吗": he resigned, but refused the agreement — no lead, never a wrong "是的")."""
    if und.predicate is None:
        return ""
    verbs = {w for t in und.terms if has_han(t) and set(concept(t)) & ZH_PREDICATE_MEANS
             for w in concept(t) if w.isascii() and len(w) >= 3}
    said = polarity(entry_text(entry, "en"), verbs)
    if said is None and ZH_GIVING.search(und.text):  # "OpenAI 拿出证据了吗": "OpenAI provided no evidence"
        nouns = {w for t in und.terms if has_han(t) for w in concept(t) if w.isascii() and len(w) >= 3} - verbs
        names = {n for p in und.people[:1] if (who := kb.person(p)) for n in (who.name.en, *who.aliases)}
        return "没有：" if none_given("provide", nouns, entry_text(entry, "en"), names) else ""
    if said is None:
        return ""
    return "是的：" if said else ("不是：" if _ZH_IS.search(und.text) else "没有：")
