"""Quotes are verified in any clone: against a source's fingerprint or its verbatim passages, never skipped.

These tests need nothing beside the checkout: the curated sources carry what verifies their quotes.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from bot.admin import Admin
from bot.bootstrap import build_app
from bot.knowledge.fingerprint import NGRAM, Print
from bot.knowledge.loader import check_knowledge
from bot.settings import Settings
from tests.cli.running import citebot as run_citebot
from tests.cli.running import isolated_env

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = ("On Tuesday the two leaders of the team said they would leave. Nobody said goodbye warmly. "
           "The company's safety researchers had lost trust in its chief executive, people familiar said. ") * 3


def citebot(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """A command run in ``cwd`` (where its knowledge/ is), with its data there too."""
    return run_citebot(*args, env=isolated_env(cwd), stdin=stdin, cwd=cwd, timeout=120)


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """The curated knowledge folder in a place with no shared folder anywhere near it."""
    shutil.copytree(ROOT / "knowledge", tmp_path / "knowledge")
    return tmp_path


def test_a_fingerprint_verifies_every_part_of_its_text_and_refuses_a_changed_character():
    built = Print.build("src", ARTICLE)
    sentences = [s.strip() + "." for s in ARTICLE.split(".") if len(s.strip()) >= NGRAM]
    assert sentences and all(built.verifies(s) for s in sentences)
    assert built.verifies("the two leaders of the team said they would leave")
    assert not built.verifies("the two leaders of the team said they would stay")
    assert not built.verifies("the two leaders of the tean said they would leave")  # one letter
    assert not built.verifies("leave.")  # shorter than a run: cannot be checked, so it does not pass
    assert Print.build("a", ARTICLE).data != Print.build("b", ARTICLE).data  # salted by the source's id


def test_a_fingerprint_does_not_hold_the_text():
    built = Print.build("src", ARTICLE)
    encoded = built.encoded()
    assert "leaders" not in encoded and built.fill < 0.15
    assert Print.decode(encoded, built.bits) == built.data


def test_every_curated_citation_verifies_without_a_shared_folder(clone: Path):
    done = citebot("kb", "check", cwd=clone)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "warning" not in done.stderr.lower() and "0 warning(s)" in done.stdout


def _citations(folder: Path) -> list[tuple[str, int, str, str]]:
    """(file name, line of the quote, source id, quote) for every citation in the curated files."""
    found = []
    for path in sorted(folder.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines[1:], start=2):
            quote = re.match(r'\s+quote: "(.*)"$', line)
            source = re.match(r"\s+- source: (\S+)$", lines[n - 2])
            if quote and source:
                found.append((path.name, n, source.group(1), quote.group(1)))
    return found


def test_a_made_up_quote_from_any_source_is_refused_by_kb_check(clone: Path):
    """One made-up quote per cited source, each at a time: exit 1 and file:line: field."""
    folder = clone / "knowledge"
    first_of_each = {}
    for citation in _citations(folder):
        first_of_each.setdefault(citation[2], citation)
    assert len(first_of_each) >= 10, first_of_each.keys()
    for name, line, source, quote in first_of_each.values():
        path = folder / name
        original = path.read_text(encoding="utf-8")
        made_up = quote[: len(quote) // 2] + "never" + quote[len(quote) // 2:]
        lines = original.splitlines(keepends=True)
        lines[line - 1] = lines[line - 1].replace(quote, made_up)
        path.write_text("".join(lines), encoding="utf-8")
        try:
            done = citebot("kb", "check", cwd=clone)
        finally:
            path.write_text(original, encoding="utf-8")
        assert done.returncode == 1, (source, done.stdout)
        assert re.search(rf"knowledge/{re.escape(name)}:{line}: \S+\.citations\[\d+\]\.quote: quote is not in "
                         rf"source '{re.escape(source)}'", done.stdout), (source, done.stdout)


def paper_folder(tmp_path: Path) -> Path:
    """A knowledge folder citing one source, ``paper``, that has nothing yet to verify its quote."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    (folder / "k.yaml").write_text("""\
sources:
  - {id: paper, title: A paper, publisher: P, language: en}
events:
  - id: leaving
    date: "2024-05"
    title: {en: Leaving, zh: 离开}
    text: {en: The leaders left., zh: 负责人离开了。}
    citations:
      - {source: paper, quote: "the two leaders of the team said they would leave"}
""", encoding="utf-8")
    return folder


def test_kb_fingerprint_writes_a_fingerprint_that_then_verifies_the_quotes(tmp_path: Path):
    folder = paper_folder(tmp_path)
    before = citebot("kb", "check", cwd=tmp_path)
    assert before.returncode == 1 and "k.yaml:2: sources[0].id: source 'paper' is cited 1 time(s)" in before.stdout
    (tmp_path / "copy.txt").write_text(ARTICLE, encoding="utf-8")
    done = citebot("kb", "fingerprint", "paper", "copy.txt", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "written to knowledge/fingerprints.yaml" in done.stdout
    assert "leaders" not in (folder / "fingerprints.yaml").read_text(encoding="utf-8")
    assert citebot("kb", "check", cwd=tmp_path).returncode == 0
    text = (folder / "k.yaml").read_text(encoding="utf-8")
    (folder / "k.yaml").write_text(text.replace("would leave", "would stay"), encoding="utf-8")
    after = citebot("kb", "check", cwd=tmp_path)
    assert after.returncode == 1
    assert "k.yaml:9: events[0].citations[0].quote: quote is not in source 'paper' (checked against its " \
           "fingerprint)" in after.stdout


def test_kb_fingerprint_refuses_a_copy_its_quotes_are_not_in(tmp_path: Path):
    """A different edition of the source: the fingerprint would break the folder, so it is not written."""
    folder = paper_folder(tmp_path)
    (tmp_path / "other.txt").write_text("A different text altogether, with none of the quoted words.", encoding="utf-8")
    done = citebot("kb", "fingerprint", "paper", "other.txt", cwd=tmp_path)
    assert done.returncode == 1 and "quote is not in source 'paper'" in done.stdout
    assert "unchanged" in done.stdout and not (folder / "fingerprints.yaml").exists()
    missing = citebot("kb", "fingerprint", "nope", "other.txt", cwd=tmp_path)
    assert missing.returncode == 1 and "no source 'nope'" in missing.stderr and "Traceback" not in missing.stderr
    forced = citebot("kb", "fingerprint", "paper", "other.txt", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and (folder / "fingerprints.yaml").exists()


def test_a_damaged_fingerprint_is_an_error_naming_its_field(clone: Path):
    path = clone / "knowledge" / "fingerprints.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["fingerprints"][0]["bitset"] = "bm90IHpsaWI=\n"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    done = citebot("kb", "check", cwd=clone)
    assert done.returncode == 1
    assert re.search(r"fingerprints\.yaml:\d+: fingerprints\[0\]: bitset is not base64 zlib data", done.stdout), \
        done.stdout


def _made_up(folder: Path) -> tuple[str, bytes]:
    """claims.yaml with its first InfoQ quote changed by a word."""
    text = (folder / "claims.yaml").read_text(encoding="utf-8")
    quote = next(c[3] for c in _citations(folder) if c[0] == "claims.yaml" and c[2] == "infoq-2024-05")
    return "claims.yaml", text.replace(quote, quote.replace("OpenAI", "Google", 1) if "OpenAI" in quote
                                       else "据说" + quote, 1).encode("utf-8")


async def test_a_made_up_quote_is_refused_by_a_running_bots_reload_and_by_an_upload(clone: Path):
    folder = clone / "knowledge"
    app = await build_app(Settings(knowledge_dir=folder, data_dir=clone / "data", database_url=""), author="test")
    try:
        live_before = app.live.kb.version
        name, data = _made_up(folder)
        reply = await Admin(app).upload("admin alice", name, data)
        assert reply.startswith("Upload refused; nothing changed") and "quote is not in source 'infoq-2024-05'" in reply
        assert (folder / name).read_bytes() != data
        (folder / name).write_bytes(data)
        result = await app.live.reload("admin alice")
        assert not result.ok and any("quote is not in source 'infoq-2024-05'" in str(p) for p in result.problems)
        assert app.live.kb.version == live_before
    finally:
        await app.close()


def test_the_docker_image_verifies_quotes_the_same_way(tmp_path: Path):
    """The files the Dockerfile copies, and nothing else, make a folder whose every quote verifies."""
    image = tmp_path / "app"
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        copied = re.match(r"COPY\s+(?!--from)(?:--\S+\s+)*(\S+)\s+(\S+)\s*$", line)
        if copied and copied.group(1) == "knowledge":
            shutil.copytree(ROOT / "knowledge", image / "knowledge")
    assert (image / "knowledge" / "fingerprints.yaml").is_file(), "the Dockerfile copies the knowledge folder"
    report = check_knowledge(image / "knowledge")
    assert report.kb is not None and not report.problems, [str(p) for p in report.problems]
