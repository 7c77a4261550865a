"""Answers that relate people to whom a question names, decided from the typed facts of people (knowledge/README.md):
who shared a post with them ("Who co-led the team with Leike?"), whose ally someone was, who left with them or
besides them ("Who else left OpenAI in April 2024?"), and how many were fired or resigned. Each sentence cites the
entry its fact comes from; a question these facts do not answer whole is left to the ranked entries."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.compose import CitationBook, date_phrase, display_name, entry_text
from bot.core.corrections import correct
from bot.core.intent import Intent
from bot.core.premises import Premises, leaving_words, ways_of_leaving
from bot.core.quantity import PEOPLE_NOUNS, Quantity, counted_noun
from bot.core.retrieve import Retriever
from bot.core.synonyms import concept
from bot.core.text import stem, tokens
from bot.core.understand import Understanding
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.dates import PartialDate
from bot.knowledge.models import Entry, Event, Label, Person, Topic

_WITH = re.compile(r"\b(?:with|along|alongside|together|jointly|share|shared|same (?:day|month|time) as)\b|一起|一同|"
                   r"同时|共同|同为|一道|联合|同一(?:天|个月|时间)|同(?:日|月)", re.I)
_ELSE = re.compile(r"\b(?:else|other|others|besides|apart from|aside from|except)\b|除了|还有|其他|其余|另外|之外|以外",
                   re.I)
_LEFT = re.compile(r"\b(?:left|leave|leaves|leaving|departed|departing|departures?|exited|gone)\b|离开|离职|出走|走了|"
                   r"走人", re.I)
# "Who left first?", "… after the team was disbanded?": an order or a time the typed facts do not settle
_RELATIVE = re.compile(r"\b(?:first|last|earliest|latest|before|after|prior|following|until|since)\b|最早|最先|最后|"
                       r"第一|之前|以前|之后|以后|后来", re.I)
_ZH_PEOPLE_COUNT = re.compile(r"(?:几|多少)\s*(?:个|位|名)?\s*(?:人|员工|雇员|研究员|成员)|几位|几名")
_ALLY = frozenset(concept("alli"))
_LEAVING = frozenset(t for w in ("leave", "fire", "resign", "remove") for t in concept(stem(w)))
_NOT_REASONS = frozenset([stem(n) for n in PEOPLE_NOUNS] + ["因为", "由于", "为了"])
_NUMBERS = {"en": "zero one two three four five six seven eight nine ten eleven twelve".split(),
            "zh": list("零一两三四五六七八九十")}
_LEFT_HOW = {"en": {None: "left OpenAI", "fired": "were fired by OpenAI", "resigned": "resigned from OpenAI"},
             "zh": {None: "离开 OpenAI", "fired": "被 OpenAI 开除", "resigned": "从 OpenAI 辞职"}}
_VERB = {"en": {"resigned": ("resigned", "resigned"), "fired": ("was fired", "were fired"), "left": ("left", "left")},
         "zh": {"resigned": "辞职", "fired": "被开除", "left": "离开"}}


@dataclass(frozen=True)
class Related:
    shape: str  # its name in the decide stage's trace
    text: str
    entries: tuple[Entry, ...]  # what the sentences cite
    subject: tuple[str, ...]  # whom the answer names: a follow-up's "he"


class Relations:
    def __init__(self, kb: KnowledgeBase, retriever: Retriever, everywhere: frozenset[str]) -> None:
        self.kb = kb
        self.retriever = retriever
        self.everywhere = everywhere  # named nearly everywhere (OpenAI): naming them narrows nothing
        leavers = [p for p in kb.people if p.left is not None and isinstance(kb.get(p.left.event), Event)]
        self._leavers = sorted(leavers, key=lambda p: self._event(p).date.first_day)

    def answer(self, und: Understanding, book: CitationBook) -> Related | None:
        """The relation ``und`` asks for, answered from the typed facts, or None."""
        if und.yes_no or und.speaker is not None:
            return None
        named = [p for p in (self.kb.person(i) for i in und.people) if p is not None]
        persons = [p for p in named if p.kind == "person"]
        one = persons[0] if len(persons) == 1 else None
        text, hows = und.text, ways_of_leaving(und.text)
        # who left OpenAI: not asked where the board or Microsoft is named ("who was fired by the board?")
        leaving = ((bool(hows) or _LEFT.search(text) is not None)
                   and not any(p.kind != "person" and p.id not in self.everywhere for p in named))
        if und.intent is Intent.WHO:
            if leaving and one is not None and _WITH.search(text):
                return self._left_with(one, und, hows, book)
            if leaving and (not persons or _ELSE.search(text)) and not _RELATIVE.search(text):
                return self._others_left(und, persons, hows, book)
            if one is not None and (_WITH.search(text) or _ELSE.search(text)):
                return self._co_holders(one, und, book)
            if one is not None and set(und.terms) & _ALLY:
                return self._allies(one, und.language, book)
        elif (und.intent is Intent.HOW_MUCH and und.quantity is Quantity.COUNT and leaving
              and not _RELATIVE.search(text) and self._counts_people(und)):
            return self._count(und, persons, hows, book)
        return None

    # --- the relations ----------------------------------------------------------------------------------------
    def _left_with(self, person: Person, und: Understanding, hows: frozenset[str], book: CitationBook
                   ) -> Related | None:
        """"Who was fired together with Izmailov?": who left by the same event; then who left the same day or month.
        Asked as if they left another way than they did ("fired along with Leike"), that is corrected first, and
        whoever left with them is named, however they left."""
        if person.left is None:
            return None
        lang, sentences = und.language, []
        if hows and person.left.how not in hows | {"left"}:
            if len(hows) == 1 and person.id not in {p for p, _ in und.premises.departures}:  # not corrected yet
                corrected = correct(Premises(departures=((person.id, next(iter(hows))),)), self.kb, book, lang)
                sentences += [corrected.text] if corrected is not None else []
            hows = frozenset()
        mine = self._event(person)
        others = [p for p in self._leavers if p.id != person.id and (not hows or p.left.how in hows)]  # type: ignore[union-attr]
        together = [p for p in others if p.left.event == person.left.event]  # type: ignore[union-attr]
        same = [p for p in others if p not in together and self._event(p).date == mine.date]
        if not together and not same and not sentences:
            return None
        zh, name = lang == "zh", display_name(person, lang)
        if together:
            names, verb, marks = _names(together, lang), _verb(together, lang), book.cite(mine, most=1)
            sentences.append(f"{names}与{name}一起{verb}({date_phrase(mine, lang)}){marks}。" if zh
                             else f"{names} {verb} together with {name}, {_when(mine, lang)} {marks}.")
        if same:
            items = [self._item(group, lang, book, mine.date) for group in self._groups(same)]
            his, marks = _verb([person], lang), book.cite(mine, most=1)
            if zh:
                sentences.append(f"{'，'.join(items)}，与{name}{his}同在{date_phrase(mine, lang)}{marks}。")
            else:
                unit = "day" if mine.date.day else "month" if mine.date.month else "year"
                sentences.append(f"{_and(items)} {_when(mine, lang)}, the same {unit} {name} {his} {marks}.")
        return Related("left together", ("" if zh else " ").join(sentences), (mine, *self._events(together + same)),
                       tuple(p.id for p in together + same))

    def _others_left(self, und: Understanding, persons: Sequence[Person], hows: frozenset[str], book: CitationBook
                     ) -> Related | None:
        """"Besides Kokotajlo, who else left OpenAI in April 2024?": everyone else who left then, and how."""
        lang, period = und.language, _period(und)
        pool = [p for p in self._leavers if p not in persons and (not hows or p.left.how in hows)]  # type: ignore[union-attr]
        if und.period is not None:
            pool = [p for p in pool if und.period.contains(self._event(p).date)]
        if not pool or self._for_reason(pool, und) != pool:
            return None  # nobody, or a reason asked ("over safety concerns") that not all of them are known for
        how = next(iter(hows)) if len(hows) == 1 else None
        items = [self._item(group, lang, book, period, verb=how is None) for group in self._groups(pool)]
        names = [display_name(p, lang) for p in persons]
        when = period.human(lang) if period is not None else ""
        if lang == "zh":
            besides = f"除了{'、'.join(names)}，" if names else ""
            lead = f"{besides}{when}{_LEFT_HOW['zh'][how]}的{'还' if names else ''}有："
            text = lead + "；".join(items) + "。"
        else:
            lead = (f"Besides {_and(names)}, these" if names else "These") + f" people {_LEFT_HOW['en'][how]}"
            text = f"{lead}{_in(period)}: " + "; ".join(items) + "."
        return Related("others who left", text, tuple(self._events(pool)), tuple(p.id for p in pool))

    def _count(self, und: Understanding, persons: Sequence[Person], hows: frozenset[str], book: CitationBook
               ) -> Related | None:
        """"How many were fired over the leak?": the number of people who left that way (then), named."""
        if len(hows) > 1 or (not hows and und.period is None):
            return None  # "quit or were pushed out": the sources' own count answers that
        how = next(iter(hows), None)
        lang, period = und.language, _period(und)
        scope = [p for p in self._leavers if p not in persons
                 and (und.period is None or und.period.contains(self._event(p).date))]
        counted = [p for p in scope if how is None or p.left.how == how]  # type: ignore[union-attr]
        unknown = [p for p in scope if how is not None and p.left.how == "left"]  # type: ignore[union-attr]
        if not counted or self._for_reason(counted, und) != counted or len(counted) >= len(_NUMBERS["en"]):
            return None  # nobody, or a reason asked that not all of them are known for: no sure number
        unknown = self._for_reason(unknown, und)
        groups = self._groups(counted)
        items = [self._item(group, lang, book, period, verb=how is None) for group in groups]
        n, when = len(counted), period.human(lang) if period is not None else ""
        if lang == "zh":
            sentences = [f"{when}共有{_NUMBERS['zh'][n]}人{_LEFT_HOW['zh'][how]}：" + "；".join(items) + "。"]
        else:
            verb = "was fired by OpenAI" if n == 1 and how == "fired" else _LEFT_HOW["en"][how]
            number = _NUMBERS["en"][n].capitalize()
            sentences = [f"{number} {'person' if n == 1 else 'people'} {verb}{_in(period)}: "
                         + "; ".join(items) + "."]
        if len(groups) == 1:  # one event: what it says (why they left) follows
            event = self._event(groups[0][0])
            sentences.append(_marked(event.text.get(lang), book.cite(event, most=1), lang))
        for group in self._groups(unknown):
            event, names = self._event(group[0]), _names(group, lang)
            shown = "" if period is not None and event.date == period else _when(event, lang)
            marks = book.cite(event, most=1)
            sentences.append(f"{names}也{'于' + date_phrase(event, lang) if shown else ''}离开了 OpenAI，资料未说明方式"
                             f"{marks}。" if lang == "zh"
                             else f"{names} also left OpenAI{' ' + shown if shown else ''}; my sources don't say how "
                                  f"{marks}.")
        return Related("count of who left", ("" if lang == "zh" else " ").join(sentences),
                       tuple(self._events(counted + unknown)), tuple(p.id for p in counted))

    def _co_holders(self, person: Person, und: Understanding, book: CitationBook) -> Related | None:
        """"Who co-led the superalignment team with Leike?": who else held the post the question names."""
        asked = set(und.terms)

        def named(title: Label) -> int:
            words = set(tokens(title.en)) | set(tokens(title.zh))
            return sum(1 for t in asked if set(concept(t)) & words)

        titles = sorted((t for t in person.titles if _asks_post(t, asked)), key=named, reverse=True)
        if not titles:
            return None  # the post itself is not asked ("who else was on the superalignment team?")
        title = titles[0]
        holders = [p for p in self.kb.people if p.id != person.id and any(t.en == title.en for t in p.titles)
                   and not _succession(p, person, title)]
        if not holders:
            return None
        lang = und.language
        evidence = self._evidence([*holders, person], title)
        marks = "".join(book.cite(e, most=1) for e in evidence)
        names, name = _names(holders, lang), display_name(person, lang)
        text = (f"{names}与{name}同为{title.zh}{marks}。" if lang == "zh"
                else f"{names} shared the post of {title.en} with {name} {marks}.")
        return Related("co-holders", text, tuple(evidence), tuple(p.id for p in holders))

    def _allies(self, person: Person, lang: str, book: CitationBook) -> Related | None:
        """"Who was Altman's closest ally?": whom the sources call his ally (``ally_of``), and who they are."""
        allies = [p for p in self.kb.people if person.id in p.ally_of]
        if not allies:
            return None
        parts = []
        for ally in allies:
            profile = _marked(entry_text(ally, lang), book.cite(ally), lang)
            if not set(tokens(ally.role.get(lang))) & _ALLY:  # the profile does not say so: the typed fact first
                name, of = display_name(ally, lang), display_name(person, lang)
                profile = (f"{name}是{of}的盟友。" if lang == "zh" else f"{name} was {of}'s ally. ") + profile
            parts.append(profile)
        return Related("ally", ("" if lang == "zh" else " ").join(parts), tuple(allies), tuple(p.id for p in allies))

    # --- helpers ----------------------------------------------------------------------------------------------
    def _event(self, person: Person) -> Event:
        event = self.kb.get(person.left.event)  # type: ignore[union-attr]
        assert isinstance(event, Event)
        return event

    def _events(self, people: Sequence[Person]) -> list[Event]:
        return list({e.id: e for e in (self._event(p) for p in people)}.values())

    @staticmethod
    def _groups(people: Sequence[Person]) -> list[list[Person]]:
        """People who left by one event in one way, in the order they left."""
        groups: dict[tuple[str, str], list[Person]] = {}
        for p in people:
            groups.setdefault((p.left.event, p.left.how), []).append(p)  # type: ignore[union-attr]
        return list(groups.values())

    def _item(self, people: list[Person], lang: str, book: CitationBook, period: PartialDate | None, *,
              verb: bool = True) -> str:
        """"Leopold Aschenbrenner and Pavel Izmailov were fired in April 2024 [1]" / "…于2024年4月被开除[1]"; the
        date is left out where it is the question's period, the verb where the sentence has said it."""
        event, names = self._event(people[0]), _names(people, lang)
        shown, marks = period is None or event.date != period, book.cite(event, most=1)
        if lang == "zh":
            if verb:
                return f"{names}{'于' + date_phrase(event, lang) if shown else ''}{_verb(people, lang)}{marks}"
            return f"{names}{'，' + date_phrase(event, lang) if shown else ''}{marks}"
        said = f" {_verb(people, lang)}" if verb else ""
        when = f"{'' if verb else ','} {_when(event, lang)}" if shown else ""
        return f"{names}{said}{when} {marks}"

    def _for_reason(self, people: list[Person], und: Understanding) -> list[Person]:
        """Those of ``people`` whose profile or departure says everything else the question asks ("over the
        alleged leak"): the typed facts hold no reasons, so only a question they all answer is answered here."""
        asking = " ".join(m.group(0) for pattern in (_WITH, _ELSE, _LEFT) for m in pattern.finditer(und.text))
        said = set(tokens(f"{leaving_words(und.text)} {asking}")) | _NOT_REASONS
        for p in (self.kb.person(i) for i in und.people):
            if p is not None:
                said |= {t for name in (p.name.en, p.name.zh, *p.aliases) for t in tokens(name)}
        reasons = [t for t in und.terms if t not in said and not set(concept(t)) & _LEAVING]
        if any(not any(m in self.retriever.index for m in concept(t)) for t in reasons):
            return []  # "in protest": something the knowledge does not know of, so none of them is known for it
        return [p for p in people if all(self.retriever.matches_all(p, (t,))
                                         or self.retriever.matches_all(self._event(p), (t,)) for t in reasons)]

    def _evidence(self, people: Sequence[Person], title: Label) -> list[Entry]:
        """The entry that says they held the post together (a topic, a profile, an event), or their profiles."""
        words = tuple(tokens(title.en))
        for kind in (Topic, Person, Event):
            for entry in self.kb.entries:
                if (isinstance(entry, kind) and self.retriever.matches_all(entry, words)
                        and all(p.id == entry.id or self.retriever.relates(entry, p.id) for p in people)):
                    return [entry]
        return list(people)

    @staticmethod
    def _counts_people(und: Understanding) -> bool:
        if und.language == "zh":
            return _ZH_PEOPLE_COUNT.search(und.text) is not None
        noun = counted_noun(und.text)
        return noun is None or noun in PEOPLE_NOUNS


def _period(und: Understanding) -> PartialDate | None:
    """The question's period as one date ("April 2024"), or None."""
    period = und.period
    if period is None or period.label_start is None or period.label_start != period.label_end:
        return None
    return period.label_start


def _in(period: PartialDate | None) -> str:
    """" in April 2024", " on May 14, 2024", or nothing."""
    if period is None:
        return ""
    return f" {'on' if period.day is not None else 'in'} {period.human('en')}"


def _asks_post(title: Label, terms: set[str]) -> bool:
    """Whether the question names the post by its head word, as typed or meaning the same ("co-lead": co-led, led,
    leadership, 领导; "联合负责人": 负责, 领导), not only what it is of ("superalignment")."""
    heads = set(tokens(title.en.split()[-1]))
    heads |= {h[2:] for h in heads if h.startswith("co") and len(h) > 5}  # "colead" -> "lead"
    forms = {f for h in heads | set(tokens(title.zh[-3:])) for f in concept(h)}
    return any(set(concept(t)) & forms or any(t.startswith(h) for h in heads if len(h) >= 4) for t in terms)


def _succession(one: Person, other: Person, title: Label) -> bool:
    """One took over the post from the other: they held it one after the other, not together."""
    return any(s.person == b.id and s.role.en == title.en for a, b in ((one, other), (other, one)) for s in a.succeeded)


def _names(people: Sequence[Person], lang: str) -> str:
    names = [display_name(p, lang) for p in people]
    return "和".join(names) if lang == "zh" and len(names) == 2 else "、".join(names) if lang == "zh" else _and(names)


def _verb(people: Sequence[Person], lang: str) -> str:
    how = people[0].left.how  # type: ignore[union-attr]
    return _VERB["zh"][how] if lang == "zh" else _VERB["en"][how][len(people) > 1]


def _when(event: Event, lang: str) -> str:
    phrase = date_phrase(event, lang)
    if lang == "zh":
        return phrase
    return f"{'on' if event.date.day is not None and not event.approximate else 'in'} {phrase}"


def _marked(text: str, marks: str, lang: str) -> str:
    return f"{text.rstrip()}{marks}" if lang == "zh" else f"{text.rstrip()} {marks}"


def _and(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
