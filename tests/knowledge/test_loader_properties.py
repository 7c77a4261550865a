"""The loader under abuse (hypothesis): whatever a knowledge file holds, `kb check` answers with problems
that name the file (and, for a bad entry, the line and the field); it never raises, and a running bot
refuses the whole broken folder while it keeps serving the last good version.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import re
import types
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from bot.core.answerer import Answerer, prepare
from bot.core.types import Question
from bot.knowledge.dates import PartialDate
from bot.knowledge.loader import CheckReport, KnowledgeInvalid, check_knowledge, load_knowledge
from bot.knowledge.models import SECTIONS
from bot.live import LiveKnowledge

SLOW_OK = [HealthCheck.too_slow]

QUOTES = {
    "launch": "The thing launched in May.",
    "ada": "Ada Example led the team.",
    "why": "Ada said the launch was rushed.",
}
COPY_TEXT = "Intro. " + " ".join(QUOTES.values()) + " Outro.\n"

# One valid entry per section (a dict, dumped as YAML the way an admin would write it).
BASE: dict[str, dict] = {
    "sources": {
        "id": "src-a", "title": "A story", "publisher": "Example Press", "language": "en",
        "published": "2024-05-20", "verbatim": [COPY_TEXT],
    },
    "people": {
        "id": "ada-example", "name": {"en": "Ada Example", "zh": "艾达"}, "aliases": ["Ada"],
        "role": {"en": "Team lead.", "zh": "团队负责人。"},
        "summary": {"en": "Ada led the team.", "zh": "艾达领导团队。"},
        "citations": [{"source": "src-a", "quote": QUOTES["ada"]}],
    },
    "events": {
        "id": "launch", "date": "2024-05", "title": {"en": "The launch", "zh": "发布"},
        "text": {"en": "Something launched in May.", "zh": "五月发布了某物。"}, "people": ["ada-example"],
        "keywords": {"en": ["release"], "zh": ["上线"]},
        "citations": [{"source": "src-a", "quote": QUOTES["launch"]}],
    },
    "claims": {
        "id": "rushed", "kind": "statement", "by": "ada-example", "about": ["launch"], "date": "2024-05-21",
        "text": {"en": "Ada said the launch was rushed.", "zh": "艾达说发布太仓促。"},
        "citations": [{"source": "src-a", "quote": QUOTES["why"]}],
    },
}
REQUIRED = {
    "people": ["id", "name", "role", "summary", "citations"],
    "events": ["id", "date", "title", "text", "citations"],
    "claims": ["id", "kind", "about", "text", "citations"],  # "by" has "by_label" as its alternative
}


def dump(section: str, entries: list[object]) -> str:
    return yaml.safe_dump({section: entries}, allow_unicode=True, sort_keys=False, width=1000)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A minimal valid knowledge folder; each example changes one file and puts it back."""
    root = tmp_path_factory.mktemp("kb")
    knowledge = root / "knowledge"
    knowledge.mkdir()
    for section, entry in BASE.items():
        (knowledge / f"{section}.yaml").write_text(dump(section, [entry]), encoding="utf-8")
    report = check(knowledge)
    assert report.kb is not None and not report.problems, [str(p) for p in report.problems]
    return knowledge


def check(knowledge: Path) -> CheckReport:
    return check_knowledge(knowledge)


@contextlib.contextmanager
def written(knowledge: Path, name: str, data: bytes | str) -> Iterator[Path]:
    """``name`` holds ``data`` for the duration; the folder is as it was afterwards."""
    path = knowledge / name
    before = path.read_bytes() if path.exists() else None
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    try:
        yield path
    finally:
        if before is None:
            path.unlink()
        else:
            path.write_bytes(before)


YAML_LINE_BREAK = re.compile("\r\n|[\n\r\x85\u2028\u2029]")  # what YAML counts as a new line


def assert_well_formed(report: CheckReport, name: str, text_lines: int | None) -> None:
    """Errors and a knowledge base never both; every problem is printable and points into a real file."""
    assert (report.kb is None) == bool(report.errors)
    for problem in report.problems:
        assert problem.file and problem.message and str(problem)
        assert problem.severity in ("error", "warning")
        if problem.line is not None and Path(problem.file).name == name and text_lines is not None:
            assert 1 <= problem.line <= text_lines + 1, problem


def key_lines(text: str) -> dict[str, tuple[int, int]]:
    """For each key of the (single) entry in a dumped file: the lines its key and value span (1-based)."""
    starts = [(m.group(1), text.count("\n", 0, m.start()) + 1)
              for m in re.finditer(r"^(?:- |  )([A-Za-z_]+):", text, re.M)]
    total = text.count("\n") + 1
    return {key: (line, (starts[n + 1][1] - 1) if n + 1 < len(starts) else total)
            for n, (key, line) in enumerate(starts)}


# --- junk of every kind: problems naming the file, never an exception ----------------------------

YAML_BITS = [
    ":", "-", "- ", "[", "]", "{", "}", ",", "?", "&a", "*a", "&b ", "*b", "<<: ", "!!binary ", "!!set ",
    "!!python/object/apply:os.system ", "!!timestamp ", "!!omap ", "|", ">", "'", '"', "#", "%YAML 1.1", "---",
    "...", "~", " ", "  ", "\n", "\n  ", "\n- ", "\t", "\r\n", "\x00", "\ufeff", "\u2028", "\x85",
    "events", "sources", "people", "claims", "figures", "topics", "id", "date", "citations", "quote", "source",
    "title", "text", "en", "zh", "about", "by", "kind", "2024-05-17", "2024-13-45", "0000", "1e999", ".nan", "yes",
    "null", "src-a", "launch", "超级对齐", "😀", "x" * 300,
]
yaml_junk = st.lists(st.sampled_from(YAML_BITS), max_size=60).map("".join)

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=30),
    st.sampled_from(["2024-05", "2024-02-30", "src-a", "launch", "ada-example", "statement", "en"]),
    st.dates(), st.datetimes(), st.binary(max_size=8),
)
FIELD_NAMES = sorted({k for entry in BASE.values() for k in entry} | {"source", "quote", "en", "zh", "by_label", "end"})
keys = st.one_of(st.sampled_from(FIELD_NAMES), st.text(max_size=8), st.integers(-3, 3), st.booleans())
structures = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=5), max_leaves=25
)
# Mostly-shaped knowledge: known sections holding lists of mappings of known fields with anything in them.
shaped = st.dictionaries(
    st.one_of(st.sampled_from(list(SECTIONS)), keys),
    st.one_of(st.lists(st.dictionaries(st.sampled_from(FIELD_NAMES), structures, max_size=8), max_size=3),
              structures),
    max_size=3,
).map(lambda data: yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


@settings(max_examples=200, deadline=None, suppress_health_check=SLOW_OK)
@given(data=st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400),
    yaml_junk,
    shaped,
    structures.map(lambda data: yaml.safe_dump(data, allow_unicode=True)),
))
@example(data=b"\x89PNG\r\n\x1a\n\x00\x00")
@example(data=b"\xff\xfe" + "events: []".encode("utf-16-le"))
@example(data="events:\n  - id: x1\n    citations: 5\n")
@example(data="claims:\n  - id: c1\n    citations: 7\n    about: 3\n    by: 5\n")
@example(data="events:\n  - citations: [{source: src-a, quote: 5}, 3, [1]]\n    people: {a: 1}\n")
@example(data="events: !!set {a, b}\n")
@example(data="? [a, b]\n: c\n")
@example(data="events: " + "[" * 999 + "]" * 999 + "\n")
@example(data="events: " + "{a: " * 999 + "1" + "}" * 999 + "\n")
@example(data="events:\n" + "- " * 3000 + "x\n")
@example(data='a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nevents: [*c]\n')
@example(data="sources:\n  - {id: src-a, title: T, publisher: P, language: en}\n")
@example(data="events:\n  - id: launch\n    date: 0000\n")
@example(data="events:\n  - id: launch\n    date: 2024-02-30\n")
@example(data="!!timestamp")
@example(data="a: !!bool maybe\nb: !!int 0x\n")
@example(data="&a { *a : 1 }")
def test_any_junk_file_is_answered_with_problems_naming_it(folder, data):
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text_lines = len(YAML_LINE_BREAK.split(text))
    with written(folder, "junk.yaml", data):
        report = check(folder)
    assert_well_formed(report, "junk.yaml", text_lines)
    if report.errors:  # the rest of the folder is valid: whatever is wrong is the junk file's doing, and says so
        # (a duplicate id is reported where it is defined second, "first defined at junk.yaml:N")
        assert all("junk.yaml" in str(p) for p in report.errors), [str(p) for p in report.errors]
    if isinstance(data, bytes) and (b"\x00" in data or not _is_utf8(data)):
        assert report.kb is None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def test_a_valid_folder_with_one_junk_file_is_refused_as_a_whole(folder):
    with written(folder, "junk.yaml", b"\x00\x01binary\xff"):
        report = check(folder)
        [problem] = report.errors
        assert report.kb is None and Path(problem.file).name == "junk.yaml"
        with pytest.raises(KnowledgeInvalid, match=r"junk\.yaml"):
            load_knowledge(folder)
    assert check(folder).kb is not None


# --- a valid entry, broken one way: a problem with its line and field, never an exception ----------

wrong_values = st.one_of(
    st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
    st.lists(st.integers(), min_size=1, max_size=3),
    st.dictionaries(st.sampled_from(["x", "y"]), st.integers(), min_size=1, max_size=2),
)


def _acceptable(section: str, key: str, value: object) -> bool:
    """Values of another type that are nonetheless right: a year written as a number, an optional field left empty."""
    if key in ("date", "published") and type(value) is int and 1000 <= value <= 9999:
        return True
    # ("by" left empty: then the missing speaker is reported on the entry, not on "by")
    return value is None and (section, key) in {("sources", "published"), ("claims", "date"),
                                                ("claims", "by")}


def _field_problems(report: CheckReport, name: str, section: str, key: str) -> list:
    field = re.compile(rf"^{section}\[0\]\.{key}(?:$|[.\[])")
    return [p for p in report.errors if Path(p.file).name == name and field.match(p.field)]


@settings(max_examples=60, deadline=None, suppress_health_check=SLOW_OK)
@given(section=st.sampled_from(list(REQUIRED)), data=st.data())
def test_an_entry_missing_a_required_field_names_the_entry_line_and_the_field(folder, section, data):
    key = data.draw(st.sampled_from(REQUIRED[section]), label="deleted")
    entry = copy.deepcopy(BASE[section])
    del entry[key]
    text = dump(section, [entry])
    with written(folder, f"{section}.yaml", text):
        report = check(folder)
    assert_well_formed(report, f"{section}.yaml", text.count("\n") + 1)
    entry_line = text.splitlines().index(next(line for line in text.splitlines() if line.startswith("- "))) + 1
    [problem] = _field_problems(report, f"{section}.yaml", section, key)
    assert problem.message == "missing required field" and problem.line == entry_line, str(problem)


@settings(max_examples=120, deadline=None, suppress_health_check=SLOW_OK)
@given(case=st.sampled_from(list(BASE)).flatmap(
    lambda section: st.tuples(st.just(section), st.sampled_from(sorted(BASE[section])), wrong_values)))
@example(case=("events", "citations", 5))
@example(case=("claims", "citations", 7.5))
@example(case=("people", "citations", True))
@example(case=("events", "people", 3))
@example(case=("claims", "about", 3))
@example(case=("events", "date", [2024, 5]))
def test_a_value_of_the_wrong_type_names_its_line_and_field(folder, case):
    section, key, value = case
    assume(not _acceptable(section, key, value))
    entry = copy.deepcopy(BASE[section])
    entry[key] = value
    text = dump(section, [entry])
    with written(folder, f"{section}.yaml", text):
        report = check(folder)
    assert_well_formed(report, f"{section}.yaml", text.count("\n") + 1)
    first, last = key_lines(text)[key]
    problems = _field_problems(report, f"{section}.yaml", section, key)
    assert problems, (key, value, [str(p) for p in report.problems])
    assert all(p.line is not None and first <= p.line <= last for p in problems), [str(p) for p in problems]


invalid_dates = st.one_of(
    st.sampled_from(["2024-13", "2024-02-30", "2023-02-29", "2024-00-10", "0000", "0000-01", "May 2024", "2024-5-1",
                     "24-05-14", "", " ", "2024-05-17T10:00", "2024/05/17", "17.05.2024", "2024-05-", "二〇二四年"]),
    st.from_regex(r"\A-?\d{1,6}(-\d{1,3}){0,3}\Z"),
    st.text(max_size=20),
)


@settings(max_examples=80, deadline=None, suppress_health_check=SLOW_OK)
@given(section=st.sampled_from(["events", "claims", "sources"]), value=invalid_dates)
def test_an_invalid_date_names_its_line_and_field(folder, section, value):
    try:
        PartialDate.parse(value)
    except ValueError:
        pass
    else:
        assume(False)
    key = "published" if section == "sources" else "date"
    entry = copy.deepcopy(BASE[section])
    entry[key] = value
    text = dump(section, [entry])
    with written(folder, f"{section}.yaml", text):
        report = check(folder)
    assert_well_formed(report, f"{section}.yaml", text.count("\n") + 1)
    first, _ = key_lines(text)[key]
    [problem] = _field_problems(report, f"{section}.yaml", section, key)
    assert problem.line == first and "malformed date" in problem.message, str(problem)


Q = QUOTES["launch"]
@pytest.mark.parametrize("value", ["2024-02-30", "2023-02-29", "2024-13-01", "2024-05-17 25:00:00", "2024-1-1 9:99:00"])
def test_an_unquoted_impossible_date_names_its_line(folder, value):
    """YAML reads an unquoted 2024-02-30 as a timestamp and PyYAML raises a plain ValueError on it."""
    text = re.sub(r"(?m)^  date: .*$", f"  date: {value}", dump("events", [BASE["events"]]))
    line = text.count("\n", 0, text.index(value)) + 1
    with written(folder, "events.yaml", text):
        report = check(folder)
    problem = next(p for p in report.errors if Path(p.file).name == "events.yaml")
    assert problem.line == line and repr(value) in problem.message and "quote it" in problem.message, str(problem)


ALIAS_CASES = {  # one anchor (&A) and one alias (*A) in an otherwise valid event
    "title-as-text": f"""\
events:
  - id: launch
    date: "2024-05"
    title: &A {{en: The launch, zh: 发布}}
    text: *A
    citations:
      - {{source: src-a, quote: {Q}}}
""",
    "id-in-keywords": f"""\
events:
  - id: &A launch
    date: "2024-05"
    title: {{en: The launch, zh: 发布}}
    text: {{en: Something launched in May., zh: 五月发布了某物。}}
    keywords: {{en: [*A]}}
    citations:
      - {{source: src-a, quote: {Q}}}
""",
    "date-as-end": f"""\
events:
  - id: launch
    date: &A "2024-05"
    end: *A
    title: {{en: The launch, zh: 发布}}
    text: {{en: Something launched in May., zh: 五月发布了某物。}}
    citations:
      - {{source: src-a, quote: {Q}}}
""",
    "merge-key": f"""\
events:
  - id: launch
    date: "2024-05"
    title: &A {{en: The launch, zh: 发布}}
    text: {{<<: *A}}
    citations:
      - {{source: src-a, quote: {Q}}}
""",
    "citation-twice": f"""\
events:
  - id: launch
    date: "2024-05"
    title: {{en: The launch, zh: 发布}}
    text: {{en: Something launched in May., zh: 五月发布了某物。}}
    citations:
      - &A {{source: src-a, quote: {Q}}}
      - *A
""",
    "whole-entry": f"""\
events:
  - &A
    id: launch
    date: "2024-05"
    title: {{en: The launch, zh: 发布}}
    text: {{en: Something launched in May., zh: 五月发布了某物。}}
    citations:
      - {{source: src-a, quote: {Q}}}
claims:
  - *A
""",
}


@settings(max_examples=30, deadline=None, suppress_health_check=SLOW_OK)
@given(case=st.sampled_from(sorted(ALIAS_CASES)), anchor=st.from_regex(r"\A[A-Za-z][A-Za-z0-9_-]{0,10}\Z"))
def test_a_yaml_alias_is_refused_with_its_line(folder, case, anchor):
    text = ALIAS_CASES[case].replace("&A", f"&{anchor}").replace("*A", f"*{anchor}")
    anchor_line = text.count("\n", 0, text.index(f"&{anchor}")) + 1
    alias_line = text.count("\n", 0, text.index(f"*{anchor}")) + 1
    with written(folder, "events.yaml", text):
        report = check(folder)
    assert_well_formed(report, "events.yaml", text.count("\n") + 1)
    # the file is refused whole; what refers to its entries elsewhere is unknown now
    [problem] = [p for p in report.errors if Path(p.file).name == "events.yaml"]
    assert all("unknown entry id 'launch'" in p.message for p in report.errors if p is not problem)
    assert "anchors and aliases" in problem.message
    assert problem.line in (anchor_line, alias_line), (str(problem), text)


# --- a running bot refuses a broken folder and keeps serving the last good version ------------------


@pytest.mark.parametrize("junk", [
    b"\x89PNG\r\n\x1a\n\x00\x00",
    b"events:\n  - id: [unclosed\n",
    dump("events", [{**BASE["events"], "id": "later", "citations": 5}]).encode(),
    b'a: &a ["x","x"]\nb: &b [*a,*a]\nevents: [*b]\n',
])
async def test_a_reload_with_a_junk_file_changes_nothing(folder, junk):
    kb = load_knowledge(folder)
    answerer = Answerer(prepare(kb))
    settings_ = types.SimpleNamespace(knowledge_dir=folder)
    live = LiveKnowledge(settings_, answerer, None)  # type: ignore[arg-type]
    before = await answerer.ask(Question("Who is Ada Example?"))
    assert before.answered
    with written(folder, "junk.yaml", junk):
        result = await live.reload("test")
        assert not result.ok and not result.changed and result.version == kb.version
        assert any(Path(p.file).name == "junk.yaml" for p in result.problems if p.severity == "error")
        assert live.kb is kb and live.failures == 1 and "reload refused" in result.summary()
        after = await answerer.ask(Question("Who is Ada Example?"))
        assert after.answered and after.kb_version == kb.version and after.entry_ids == before.entry_ids
    assert (await live.reload("test")).ok


def test_dates_written_as_yaml_dates_or_numbers_still_load(folder):
    """The loader's own leniency the properties rely on: a bare year and an unquoted YAML date are fine."""
    entry = {**BASE["events"], "date": dt.date(2024, 5, 17)}
    with written(folder, "events.yaml", dump("events", [entry]).replace("'2024-05-17'", "2024-05-17")):
        assert check(folder).kb is not None
    with written(folder, "events.yaml", dump("events", [{**BASE["events"], "date": 2024}])):
        assert check(folder).kb is not None
