"""Read and validate a knowledge folder: every problem at once, each with file, line and field.

Which files count and how they are read is ``bot/knowledge/files.py``'s business: hidden files are
skipped; only regular files are read, at most 2 MB each, never with a blocking open (a FIFO, a
device, a folder named ``x.yaml`` is a one-line error); a link is followed only to a regular file
inside the knowledge folder (a ConfigMap mount), and one leading out of it is refused, naming it.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from bot.errors import KnowledgeError
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.files import FileRefused, is_knowledge_name, knowledge_files, read_regular
from bot.knowledge.fingerprint import Print, normalize_quote
from bot.knowledge.models import SECTIONS, Entry, Fingerprint, Source
from bot.knowledge.parse_cache import ParseCache, parsed_size
from bot.knowledge.quotes import QuoteVerifier
from bot.knowledge.yaml_lines import ParsedYaml, YamlProblem, parse_yaml

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 2 * 1024 * 1024
MIN_QUOTE_WORDS = 5  # a quote stands alone: a clause ("this is on me and …"), not "a breaking point"
MIN_QUOTE_HAN = 8
MIN_SENTENCE_WORDS, MIN_SENTENCE_HAN = 2, 4  # a whole sentence may be shorter
_SENTENCE_END = re.compile(r"[.!?。！？][\"'”’」』)）]*\s*$")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.field}:" if self.field else ""
        tag = "warning: " if self.severity == "warning" else ""
        return f"{where}:{field} {tag}{self.message}"


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[Problem, ...]
    kb: KnowledgeBase | None  # None when there is any error

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "warning")


class KnowledgeInvalid(KnowledgeError):
    def __init__(self, directory: Path, problems: Sequence[Problem]) -> None:
        errors = [p for p in problems if p.severity == "error"]
        first = str(errors[0]) if errors else "unknown problem"
        more = f" (and {len(errors) - 1} more; run 'citebot kb check')" if len(errors) > 1 else ""
        super().__init__(f"knowledge in {directory} is invalid: {first}{more}")
        self.problems = tuple(problems)


@dataclass(frozen=True)
class _Located:
    """One entry as written: its raw mapping, where it is, and its model when it validated."""

    raw: dict
    section: str
    item: Entry | Source | Fingerprint | None
    file: str
    parsed: ParsedYaml
    path: tuple[str | int, ...]

    def line(self, *sub: str | int) -> int | None:
        return self.parsed.line_of((*self.path, *sub))

    def where(self, *sub: str | int) -> str:
        return _with_index(".".join([f"{self.path[0]}[{self.path[1]}]", *(str(s) for s in sub)]))


def check_knowledge(directory: Path, *, replacing: Mapping[str, bytes] | None = None) -> CheckReport:
    """Validate every knowledge file (``*.yaml``, not hidden) in ``directory``; build the KnowledgeBase
    when there is no error. ``replacing`` checks the folder as it would be with those files written."""
    if not directory.is_dir():
        raise KnowledgeError(f"no knowledge folder at {directory}")
    replacing = {name: data for name, data in (replacing or {}).items() if is_knowledge_name(name)}
    files = sorted({*knowledge_files(directory), *(directory / name for name in replacing)})
    if not files:
        raise KnowledgeError(f"no knowledge files (*.yaml) in {directory}")
    problems: list[Problem] = []
    located: list[_Located] = []
    for path in files:
        name = _display(path)
        try:
            data = replacing.get(path.name)
            if data is None:
                data = read_regular(path, MAX_FILE_BYTES, within=directory)
            elif len(data) > MAX_FILE_BYTES:
                raise FileRefused(f"file is {len(data)} bytes; the limit is {MAX_FILE_BYTES}")
        except FileRefused as err:
            problems.append(Problem(name, None, "", str(err)))
            continue
        located.extend(_read_file(data, name, problems))
    _check_ids_and_references(located, problems)
    _check_quotes(located, problems)
    problems.sort(key=lambda p: (p.file, p.line or 0))
    has_errors = any(p.severity == "error" for p in problems)
    kb = None if has_errors else KnowledgeBase.from_entries([loc.item for loc in located if loc.item is not None])
    return CheckReport(tuple(problems), kb)


def load_knowledge(directory: Path) -> KnowledgeBase:
    """The validated KnowledgeBase, or KnowledgeInvalid listing every problem."""
    report = check_knowledge(directory)
    for warning in report.warnings:  # `citebot kb check` shows them; a running bot only notes them
        log.info("%s", warning)
    if report.kb is None:
        raise KnowledgeInvalid(directory, report.problems)
    return report.kb


def _display(path: Path) -> str:
    """The file's own name (relative to the working folder where it can be): a link is named, not its target."""
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


_FILE_CACHE: ParseCache[tuple[list[_Located], list[Problem]]] = ParseCache()


def _read_file(data: bytes, name: str, problems: list[Problem]) -> list[_Located]:
    """A file's entries, remembered by name and content: a reload parses again only the files that changed.

    A file with errors is not remembered (it is parsed again until it is fixed).
    """
    key = (name, hashlib.sha256(data).hexdigest())
    cached = _FILE_CACHE.get(key)
    if cached is None:
        own: list[Problem] = []
        try:
            cached = (_parse_file(data, name, own), own)
        except (MemoryError, RecursionError):
            problems.append(Problem(name, None, "", "file is too large or too deeply nested to read"))
            return []
        if not any(p.severity == "error" for p in own):
            nodes = len(cached[0][0].parsed.lines) if cached[0] else 0
            _FILE_CACHE.put(key, cached, parsed_size(len(data), nodes))
    problems.extend(cached[1])
    return list(cached[0])


def _parse_file(data: bytes, name: str, problems: list[Problem]) -> list[_Located]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        problems.append(Problem(name, None, "", f"not UTF-8 text (byte {err.start})"))
        return []
    if "\x00" in text:
        problems.append(Problem(name, None, "", "binary content (NUL bytes) is not a knowledge file"))
        return []
    try:
        parsed = parse_yaml(text)
    except YamlProblem as err:
        problems.append(Problem(name, err.line, "", str(err)))
        return []
    if parsed.data is None:
        problems.append(Problem(name, None, "", "file is empty", "warning"))
        return []
    if not isinstance(parsed.data, dict):
        problems.append(Problem(name, 1, "", f"top level must be a mapping of sections ({', '.join(SECTIONS)})"))
        return []
    found: list[_Located] = []
    for section, items in parsed.data.items():
        model = SECTIONS.get(str(section))
        if model is None:
            problems.append(
                Problem(
                    name,
                    parsed.line_of((section,)),
                    str(section),
                    f"unknown section; expected one of {', '.join(SECTIONS)}",
                )
            )
            continue
        if not isinstance(items, list):
            problems.append(Problem(name, parsed.line_of((section,)), str(section), "must be a list of entries"))
            continue
        for index, raw in enumerate(items):
            item_path = (section, index)
            item = None
            try:
                item = model.model_validate(raw)
            except ValidationError as err:
                for detail in err.errors():
                    loc = tuple(detail["loc"])
                    field = _with_index(".".join([f"{section}[{index}]", *(str(p) for p in loc)]))
                    problems.append(Problem(name, parsed.line_of((*item_path, *loc)), field, _message(detail)))
            found.append(_Located(raw if isinstance(raw, dict) else {}, section, item, name, parsed, item_path))  # type: ignore[arg-type]
    return found


def _with_index(field: str) -> str:
    # pydantic puts list indexes as separate loc parts: citations.0.quote -> citations[0].quote
    return re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", field)


def _message(detail: dict) -> str:
    kind = detail.get("type")
    if kind == "missing":
        return "missing required field"
    if kind == "extra_forbidden":
        return "unknown field (see knowledge/README.md for the fields of this section)"
    message = str(detail.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


def _strings(value: object) -> list[tuple[int, str]]:
    return [(n, v) for n, v in enumerate(value) if isinstance(v, str)] if isinstance(value, list) else []


def _items(value: object) -> list:
    """A list as written, or nothing: a mistyped value (``citations: 5``) is the schema check's to report."""
    return value if isinstance(value, list) else []


def _check_ids_and_references(located: list[_Located], problems: list[Problem]) -> None:
    """Duplicate and unknown ids, checked on what was written, so entries that failed schema checks count too."""
    first: dict[str, _Located] = {}
    for loc in located:
        entry_id = loc.raw.get("id")
        if not isinstance(entry_id, str):
            continue
        seen = first.get(entry_id)
        if seen is not None:
            problems.append(
                Problem(
                    loc.file,
                    loc.line("id"),
                    loc.where("id"),
                    f"duplicate id '{entry_id}' (first defined at {seen.file}:{seen.line('id')})",
                )
            )
        else:
            first[entry_id] = loc
    sources = {i for i, loc in first.items() if loc.section == "sources"}
    people = {i for i, loc in first.items() if loc.section == "people"}
    events = {i for i, loc in first.items() if loc.section == "events"}
    entries = {i for i, loc in first.items() if loc.section not in ("sources", "fingerprints")}

    def need(loc: _Located, ids: set[str], value: str, kind: str, *sub: str | int) -> None:
        if value not in ids:
            problems.append(Problem(loc.file, loc.line(*sub), loc.where(*sub), f"unknown {kind} id '{value}'"))

    for loc in located:
        raw = loc.raw
        if loc.section in ("sources", "fingerprints"):
            continue
        for n, citation in enumerate(_items(raw.get("citations"))):
            if isinstance(citation, dict) and isinstance(citation.get("source"), str):
                need(loc, sources, citation["source"], "source", "citations", n, "source")
        if loc.section == "events":
            for n, person in _strings(raw.get("people")):
                need(loc, people, person, "people", "people", n)
        if loc.section == "claims" and isinstance(raw.get("by"), str):
            need(loc, people, raw["by"], "people", "by")
        if loc.section == "people":
            left = raw.get("left")
            if isinstance(left, dict) and isinstance(left.get("event"), str):
                need(loc, events, left["event"], "event", "left", "event")
            for n, succession in enumerate(_items(raw.get("succeeded"))):
                if not isinstance(succession, dict):
                    continue
                if isinstance(succession.get("person"), str):
                    need(loc, people, succession["person"], "people", "succeeded", n, "person")
                if isinstance(succession.get("event"), str):
                    need(loc, events, succession["event"], "event", "succeeded", n, "event")
            for n, ally in _strings(raw.get("ally_of")):
                need(loc, people, ally, "people", "ally_of", n)
        for n, target in _strings(raw.get("about")):
            need(loc, entries, target, "entry", "about", n)
            if target == raw.get("id"):
                problems.append(
                    Problem(loc.file, loc.line("about", n), loc.where("about", n), "an entry cannot be about itself")
                )


def _check_quotes(located: list[_Located], problems: list[Problem]) -> None:
    """Every citation's quote is checked against its source's verbatim passages or fingerprint; a cited
    source with neither is an error, and so is a quote too short to stand alone."""
    sources = {loc.item.id: loc for loc in located if isinstance(loc.item, Source)}
    verifier = QuoteVerifier.of_sources([loc.item for loc in sources.values() if isinstance(loc.item, Source)],
                                        _fingerprints(located, sources, problems))
    unverifiable: dict[str, int] = {}
    for loc in located:
        if loc.section in ("sources", "fingerprints"):
            continue
        for n, citation in enumerate(_items(loc.raw.get("citations"))):
            if not isinstance(citation, dict) or not isinstance(citation.get("quote"), str):
                continue
            source_loc = sources.get(str(citation.get("source")))
            if source_loc is None:
                continue  # an unknown source: reported with the references
            source = source_loc.item
            assert isinstance(source, Source)
            if not verifier.can_verify(source.id):
                unverifiable[source.id] = unverifiable.get(source.id, 0) + 1
                continue
            problem = _quote_problem(citation["quote"], source, verifier)
            if problem:
                problems.append(Problem(loc.file, loc.line("citations", n, "quote"),
                                        loc.where("citations", n, "quote"), problem))
    for source_id, cited in unverifiable.items():
        loc = sources[source_id]
        problems.append(Problem(
            loc.file, loc.line("id"), loc.where("id"),
            f"source '{source_id}' is cited {cited} time(s) but its quotes cannot be verified: give it "
            f"'verbatim' passages or a fingerprint (citebot kb fingerprint {source_id} FILE)"))


def _fingerprints(located: list[_Located], sources: Mapping[str, _Located],
                  problems: list[Problem]) -> dict[str, Print]:
    prints: dict[str, Print] = {}
    for loc in located:
        if not isinstance(loc.item, Fingerprint):
            continue
        source_id = loc.item.source
        if source_id not in sources:
            problems.append(Problem(loc.file, loc.line("source"), loc.where("source"),
                                    f"unknown source id '{source_id}'"))
        elif source_id in prints:
            problems.append(Problem(loc.file, loc.line("source"), loc.where("source"),
                                    f"source '{source_id}' has a fingerprint already; keep one"))
        else:
            prints[source_id] = loc.item.print()
    return prints


def _quote_problem(quote: str, source: Source, verifier: QuoteVerifier) -> str | None:
    if verifier.is_whole_passage(source.id, quote):
        return None  # the whole of a post ("I resigned") stands alone
    if not verifier.verifies(source.id, quote):
        fingerprint = verifier.prints.get(source.id)
        passages = verifier.passages.get(source.id)
        against = " and ".join(
            what for what, has in (("verbatim passages", passages), ("fingerprint", fingerprint)) if has)
        if fingerprint and not passages and len(normalize_quote(quote)) < fingerprint.ngram:
            return (f"quote is too short to check against the fingerprint of source '{source.id}' "
                    f"({len(normalize_quote(quote))} characters; quote a clause)")
        return f"quote is not in source '{source.id}' (checked against its {against})"
    sentence = bool(_SENTENCE_END.search(quote))  # a whole sentence stands alone, however short ("恐怕没戏。")
    if source.language == "zh":
        chars = len(_HAN.findall(quote)) + sum(len(w) for w in _WORD.findall(quote))
        if chars < (MIN_SENTENCE_HAN if sentence else MIN_QUOTE_HAN):
            return (f"quote is {chars} characters; quote a clause that stands alone (at least {MIN_QUOTE_HAN} "
                    f"characters, or a whole sentence)")
    else:
        words = len(_WORD.findall(quote))
        if words < (MIN_SENTENCE_WORDS if sentence else MIN_QUOTE_WORDS):
            return (f"quote is {words} word(s); quote a clause that stands alone (at least {MIN_QUOTE_WORDS} "
                    f"words, or a whole sentence)")
    return None
