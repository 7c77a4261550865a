"""The event a question means when it names one person and only their leaving or their taking up a post
("who left first, Saunders or Kokotajlo?", "when did he hand in his resignation?", "when was he given the
job?"): the person's typed ``left`` or ``succeeded`` fact dates it, whatever else a search would rank first."""

from __future__ import annotations

from bot.core.synonyms import concept
from bot.core.text import stem, tokens
from bot.core.understand import Understanding
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import Event, Person

_LEAVING = frozenset(concept(stem("resign")))  # leave, quit, resign, depart, 离开, 辞职, 离职: said of any leaving
_FIRED = frozenset(concept(stem("fire")))  # said only of someone who was fired
# Words that go with a resignation without saying more of it: "hand in", "submit", "tender" it.
_HANDING = frozenset(stem(w) for w in "hand submit tender turn officially formally".split())
# Words of taking up a post: "when was he given the job", "when did he become chief scientist", "他是哪天上任的".
_TAKING_UP = frozenset([stem(w) for w in """job post position role appointed named promoted became become took
take start started given give gave got get offered""".split()]
                       + [t for w in ("replace", "succeed", "takeover") for t in concept(stem(w))]
                       + "上任 接任 任命 担任 出任 职位 职务 接替 继任 就任 获任".split())


def _one_person(und: Understanding, kb: KnowledgeBase, everywhere: frozenset[str]) -> Person | None:
    """The one person ``und`` names, when it names nothing else but who is named everywhere (OpenAI): "when
    did Ilya leave the board?" names the board, and is not asked of his leaving OpenAI."""
    named = [p for p in (kb.person(i) for i in und.people if i not in everywhere) if p is not None]
    return named[0] if len(named) == 1 and named[0].kind == "person" and und.terms else None


def _event(kb: KnowledgeBase, event_id: str) -> Event | None:
    event = kb.get(event_id)
    return event if isinstance(event, Event) else None


def departure_of(und: Understanding, kb: KnowledgeBase, everywhere: frozenset[str] = frozenset()) -> Event | None:
    """The event of the one person ``und`` names leaving OpenAI, when leaving is all it asks about them."""
    person = _one_person(und, kb, everywhere)
    if person is None or person.left is None:
        return None
    said = _LEAVING | (_FIRED if person.left.how == "fired" else frozenset())
    if not set(und.terms) & said or any(t not in said | _HANDING for t in und.terms):
        return None
    return _event(kb, person.left.event)


def appointment_of(und: Understanding, kb: KnowledgeBase, everywhere: frozenset[str] = frozenset()) -> Event | None:
    """The event of the one person ``und`` names taking up their post, when that is all it asks about them
    (the post's own words may be named: "when did Pachocki become chief scientist?")."""
    person = _one_person(und, kb, everywhere)
    if person is None or len(person.succeeded) != 1:
        return None
    succession = person.succeeded[0]
    role = set(tokens(f"{succession.role.en} {succession.role.zh}"))
    if not set(und.terms) & _TAKING_UP or any(t not in _TAKING_UP | role for t in und.terms):
        return None
    return _event(kb, succession.event)


def dated_by_facts(und: Understanding, kb: KnowledgeBase, everywhere: frozenset[str] = frozenset()) -> Event | None:
    """A when-question's event, where a typed fact of the one person it names answers it (``everywhere``: who
    is named nearly everywhere, OpenAI, and so says nothing more)."""
    return departure_of(und, kb, everywhere) or appointment_of(und, kb, everywhere)
