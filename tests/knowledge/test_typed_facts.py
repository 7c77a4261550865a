"""The typed facts of people (posts held, how they left, whom they succeeded): validated with file:line: field,
and what the bot says from them."""

from __future__ import annotations

from pathlib import Path

from bot.knowledge.loader import check_knowledge
from tests.knowledge.samples import GOOD_EVENT, write

PERSON = """\
people:
  - id: ann
    name: {{en: Ann Example, zh: 安}}
    role: {{en: A researcher, zh: 研究员}}
    summary: {{en: Ann did things., zh: 安做了事。}}
{extra}
    citations:
      - source: src-a
        quote: The thing launched in May.
  - id: bob
    name: {{en: Bob Example, zh: 鲍勃}}
    role: {{en: A lead, zh: 负责人}}
    summary: {{en: Bob led., zh: 鲍勃领导。}}
    citations:
      - source: src-a
        quote: The thing launched in May.
"""


def check(folder: Path, extra: str):
    write(folder, "events.yaml", GOOD_EVENT)
    write(folder, "people.yaml", PERSON.format(extra=extra))
    return check_knowledge(folder)


def test_typed_facts_that_refer_to_real_entries_load(folder: Path):
    report = check(folder, """\
    titles:
      - {en: chief scientist, zh: 首席科学家}
    left: {how: resigned, event: launch}
    succeeded:
      - {person: bob, role: {en: lead, zh: 负责人}, event: launch}""")
    assert report.kb is not None, [str(p) for p in report.problems]
    ann = report.kb.person("ann")
    assert ann is not None and ann.left is not None and ann.left.how == "resigned"
    assert ann.titles[0].zh == "首席科学家" and ann.succeeded[0].person == "bob"


def test_a_departure_naming_an_unknown_event_is_a_file_line_field_error(folder: Path):
    report = check(folder, "    left: {how: resigned, event: no-such-event}")
    errors = [str(p) for p in report.problems if p.severity == "error"]
    assert report.kb is None
    assert any("people.yaml:6:" in e and "left.event" in e and "unknown event id 'no-such-event'" in e
               for e in errors), errors


def test_how_someone_left_is_one_of_the_known_ways(folder: Path):
    report = check(folder, "    left: {how: vanished, event: launch}")
    errors = [str(p) for p in report.problems if p.severity == "error"]
    assert report.kb is None and any("left.how" in e and "people.yaml:6" in e for e in errors), errors


def test_a_succession_needs_a_person_and_an_event_that_exist(folder: Path):
    report = check(folder, """\
    succeeded:
      - {person: carol, role: {en: lead, zh: 负责人}, event: launch}""")
    errors = [str(p) for p in report.problems if p.severity == "error"]
    assert any("succeeded[0].person" in e and "unknown people id 'carol'" in e for e in errors), errors


def test_an_ally_is_a_person_that_exists(folder: Path):
    report = check(folder, "    ally_of: [bob]")
    assert report.kb is not None and report.kb.person("ann").ally_of == ["bob"]  # type: ignore[union-attr]
    report = check(folder, "    ally_of: [carol]")
    errors = [str(p) for p in report.problems if p.severity == "error"]
    assert any("people.yaml:6:" in e and "ally_of[0]" in e and "unknown people id 'carol'" in e for e in errors), errors
