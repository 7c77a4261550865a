"""`kb check`'s promises: every problem at once, each with file, line and field; nothing half-loaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import KnowledgeError
from bot.knowledge.loader import KnowledgeInvalid, check_knowledge, load_knowledge
from tests.knowledge.samples import GOOD_EVENT, SOURCES, write


def lines(report) -> list[str]:
    return [str(p) for p in report.problems]


def test_a_valid_folder_loads_with_its_precision(folder: Path):
    write(folder, "events.yaml", GOOD_EVENT)
    kb = load_knowledge(folder)
    assert [e.date.human("en") for e in kb.events] == ["May 2024"]
    assert kb.counts["events"] == 1 and kb.counts["sources"] == 1


def test_every_problem_is_reported_at_once_with_file_line_and_field(folder: Path):
    write(
        folder,
        "events.yaml",
        """\
    events:
      - id: one
        date: "2024-13-01"
        title: {en: One, zh: 一}
        text: {en: One.}
        people: [nobody]
        citations:
          - source: src-a
            quote: This sentence is not in the copy.
      - id: one
        date: "2024-05"
        colour: blue
        title: {en: Two, zh: 二}
        text: {en: Two., zh: 二。}
        citations:
          - source: no-such-source
            quote: Anything.
    """,
    )
    report = check_knowledge(folder)
    assert report.kb is None
    got = lines(report)
    assert "knowledge/events.yaml:3: events[0].date: malformed date '2024-13-01': month 13 is not 1-12" in got[0]
    expected = [
        "events.yaml:5: events[0].text.zh: missing required field",
        "events.yaml:6: events[0].people[0]: unknown people id 'nobody'",
        "events.yaml:9: events[0].citations[0].quote: quote is not in source 'src-a' (checked against its verbatim",
        "events.yaml:10: events[1].id: duplicate id 'one' (first defined at",
        "events.yaml:12: events[1].colour: unknown field",
        "events.yaml:16: events[1].citations[0].source: unknown source id 'no-such-source'",
    ]
    for fragment in expected:
        assert any(fragment in line for line in got), (fragment, got)


def test_bad_yaml_names_the_line(folder: Path):
    write(folder, "broken.yaml", "events:\n  - id: x\n    title: {en: [unclosed\n")
    report = check_knowledge(folder)
    [problem] = report.errors
    assert problem.file.endswith("broken.yaml") and problem.line == 4
    assert "invalid YAML" in problem.message


def test_an_unknown_section_and_a_non_list_are_errors(folder: Path):
    write(folder, "odd.yaml", "evnts: []\nclaims: {id: x}\n")
    got = lines(check_knowledge(folder))
    assert any("odd.yaml:1: evnts: unknown section" in line for line in got)
    assert any("odd.yaml:2: claims: must be a list" in line for line in got)


def test_a_cited_source_that_cannot_be_verified_is_an_error_not_a_warning(folder: Path):
    """A source with neither verbatim passages nor a fingerprint: its quotes could say anything."""
    write(folder, "sources.yaml", SOURCES.replace('    verbatim: ["Intro. The thing   launched in May. Outro."]\n', ""))
    write(folder, "events.yaml", GOOD_EVENT)
    report = check_knowledge(folder)
    assert report.kb is None and not report.warnings
    [error] = report.errors
    assert error.file.endswith("sources.yaml") and error.line == 2 and error.field == "sources[0].id"
    assert "cited 1 time(s) but its quotes cannot be verified" in error.message
    assert "citebot kb fingerprint src-a FILE" in error.message


def test_an_uncited_source_needs_nothing_to_verify(folder: Path):
    write(folder, "sources.yaml", SOURCES.replace('    verbatim: ["Intro. The thing   launched in May. Outro."]\n', "")
          + "  - id: src-b\n    title: B\n    publisher: B Press\n    language: en\n"
          + '    verbatim: ["The thing launched in May."]\n')
    write(folder, "events.yaml", GOOD_EVENT.replace("source: src-a", "source: src-b"))
    assert check_knowledge(folder).kb is not None


@pytest.mark.parametrize("quote, expected", [
    ("launched in May", "quote is 3 word(s); quote a clause that stands alone (at least 5 words"),
    ("thing launched", "quote is 2 word(s)"),
])
def test_a_quote_too_short_to_stand_alone_is_refused(folder: Path, quote: str, expected: str):
    write(folder, "events.yaml", GOOD_EVENT.replace("The thing launched in May.", quote))
    assert any(f"events[0].citations[0].quote: {expected}" in line for line in lines(check_knowledge(folder)))


def test_a_whole_short_sentence_or_a_whole_passage_stands_alone(folder: Path):
    write(folder, "sources.yaml", SOURCES.replace('["Intro. The thing   launched in May. Outro."]',
                                                  '["Intro. The thing   launched in May. Outro.", "I resigned"]'))
    write(folder, "events.yaml", GOOD_EVENT.replace("The thing launched in May.", "Outro."))
    assert any("quote is 1 word(s)" in line for line in lines(check_knowledge(folder)))  # one word is no clause
    write(folder, "events.yaml", GOOD_EVENT + GOOD_EVENT.replace("id: launch", "id: resigned").replace(
        "The thing launched in May.", "I resigned").replace("events:\n", ""))
    assert check_knowledge(folder).kb is not None  # a whole post of two words


def test_the_copy_field_is_gone(folder: Path):
    """Quotes were once checked against a copy found beside the checkout, and skipped when it was missing."""
    write(folder, "sources.yaml", SOURCES + "    copy: a.txt\n")
    assert any("sources[0].copy: unknown field" in line for line in lines(check_knowledge(folder)))


def test_quotes_longer_than_one_sentence_are_refused(folder: Path):
    write(folder, "events.yaml", GOOD_EVENT.replace("The thing launched in May.", "Intro. The thing launched in May."))
    got = lines(check_knowledge(folder))
    assert any("citations[0].quote: quote holds more than one sentence" in line for line in got)


def test_yaml_aliases_are_refused_so_bombs_cannot_expand(folder: Path):
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nevents: [*c]\n'
    write(folder, "bomb.yaml", bomb)
    [problem] = check_knowledge(folder).errors
    assert "anchors and aliases" in problem.message


def test_binary_and_oversized_files_are_refused(folder: Path):
    (folder / "junk.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (folder / "huge.yaml").write_text("# " + "x" * (3 * 1024 * 1024), encoding="utf-8")
    got = lines(check_knowledge(folder))
    assert any("junk.yaml" in line and ("not UTF-8" in line or "binary" in line) for line in got)
    assert any("huge.yaml" in line and "limit" in line for line in got)


def test_load_raises_a_one_line_error_that_points_to_kb_check(folder: Path):
    write(folder, "events.yaml", GOOD_EVENT.replace('"2024-05"', '"May"'))
    with pytest.raises(KnowledgeInvalid) as caught:
        load_knowledge(folder)
    message = str(caught.value)
    assert "\n" not in message and "events.yaml:3" in message and "malformed date" in message


def test_a_missing_folder_is_a_clear_error(tmp_path: Path):
    with pytest.raises(KnowledgeError, match="no knowledge folder"):
        check_knowledge(tmp_path / "nope")


def test_the_content_hash_ignores_file_layout(folder: Path, tmp_path: Path):
    write(folder, "events.yaml", GOOD_EVENT)
    other = tmp_path / "other"
    other.mkdir()
    write(other, "all.yaml", SOURCES + GOOD_EVENT)
    assert load_knowledge(folder).content_hash == load_knowledge(other).content_hash


def test_a_reload_re_reads_only_the_files_that_changed(folder: Path, monkeypatch):
    import bot.knowledge.loader as loader

    write(folder, "events.yaml", GOOD_EVENT)
    read: list[str] = []
    real = loader._parse_file
    monkeypatch.setattr(loader, "_parse_file", lambda data, name, problems: read.append(Path(name).name) or real(
        data, name, problems))
    first = check_knowledge(folder)
    write(folder, "events.yaml", GOOD_EVENT.replace("The launch", "The big launch"))
    second = check_knowledge(folder)
    assert read.count("sources.yaml") <= 1 and read.count("events.yaml") >= 1
    assert second.kb is not None and [e.title.en for e in second.kb.events] == ["The big launch"]
    assert first.kb is not None and [e.title.en for e in first.kb.events] == ["The launch"]
