"""Admins keep the knowledge current: hot reload, broken edits that change nothing, rollback, uploads, gaps."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import shutil
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import admin as admin_module
from bot.admin import UPLOAD_MAX_BYTES, Admin
from bot.bootstrap import build_app
from bot.core.types import Question
from bot.errors import KnowledgeError
from bot.knowledge.loader import check_knowledge, load_knowledge
from bot.service import Citebot
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
NEW_FACT = "When did Jan Leike join Anthropic?"
LATER = """\
sources:
  - id: test-later-source
    title: A later report
    publisher: Test Press
    language: en
    published: "2024-05-28"
    verbatim: ["Report. Leike joined Anthropic to continue the superalignment mission."]
events:
  - id: leike-joins-anthropic-2024-05-28
    date: "2024-05-28"
    title: {en: Jan Leike joins Anthropic, zh: 扬·莱克加入 Anthropic}
    text:
      en: Jan Leike said he was joining Anthropic to continue the superalignment mission.
      zh: 扬·莱克(Jan Leike)宣布加入 Anthropic,继续超级对齐的使命。
    people: [jan-leike]
    keywords: {en: [Anthropic, join, joined], zh: [Anthropic, 加入]}
    citations:
      - source: test-later-source
        quote: Leike joined Anthropic to continue the superalignment mission.
"""
EXTRA = """\
sources:
  - id: test-extra-source
    title: An extra report
    publisher: Test Press
    language: en
    published: "2024-06-01"
    verbatim: ["Only version 2 has this event."]
events:
  - id: extra-event-2024-06-01
    date: "2024-06-01"
    title: {en: An event only version 2 has, zh: 只有版本 2 才有的事}
    text: {en: Only version 2 has this event., zh: 只有版本 2 才有这件事。}
    people: [jan-leike]
    citations:
      - source: test-extra-source
        quote: Only version 2 has this event.
"""


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Citebot]:
    knowledge = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("README.md"))
    settings = Settings(knowledge_dir=knowledge, data_dir=tmp_path / "data", database_url="")
    citebot = await build_app(settings, author="test")
    try:
        yield citebot
    finally:
        await citebot.close()


async def ask(app: Citebot, text: str):
    return await app.ask(Question(text))


async def test_a_new_fact_on_disk_is_answerable_within_two_seconds_without_a_restart(app):
    app.live.start(watch=True, poll_seconds=60)
    await asyncio.sleep(0.3)  # let the watcher start before the edit
    assert not (await ask(app, NEW_FACT)).answered
    app.live.swapped.clear()
    written = time.monotonic()
    (app.settings.knowledge_dir / "later.yaml").write_text(LATER, encoding="utf-8")
    await asyncio.wait_for(app.live.swapped.wait(), timeout=2.0)
    assert time.monotonic() - written < 2.0
    answer = await ask(app, NEW_FACT)
    assert answer.answered and "May 28, 2024" in answer.text
    assert app.live.loaded_by == "file watcher"
    [latest, _] = await app.side.store.history(2)
    assert latest.author == "file watcher" and latest.diff["added"] == [
        "leike-joins-anthropic-2024-05-28", "test-later-source"]


async def test_a_broken_edit_keeps_the_old_answers_and_reports_file_and_line(app):
    before = await ask(app, "Who is Greg Brockman?")
    broken = LATER.replace('"2024-05-28"\n    title', '"2024-05-99"\n    title')
    (app.settings.knowledge_dir / "later.yaml").write_text(broken, encoding="utf-8")
    result = await app.live.reload("admin alice")
    assert not result.ok and not result.changed
    assert any("later.yaml:" in str(p) and "date" in str(p) for p in result.problems)
    after = await ask(app, "Who is Greg Brockman?")
    assert after.answered and after.text == before.text and after.kb_version == before.kb_version
    status = await Admin(app).status("admin alice")
    assert "Last failed reload" in status and "later.yaml" in status



async def test_a_reload_that_goes_live_is_info_and_one_refused_is_a_warning(app, caplog):
    caplog.set_level(logging.INFO, "bot.live")
    (app.settings.knowledge_dir / "later.yaml").write_text(LATER, encoding="utf-8")
    assert (await app.live.reload("admin alice")).changed
    [live] = [r for r in caplog.records if r.name == "bot.live"]
    assert live.levelno == logging.INFO and "is live, by admin alice" in live.getMessage()
    caplog.clear()
    (app.settings.knowledge_dir / "later.yaml").write_text(LATER.replace("2024-05-28", "2024-05-99"), encoding="utf-8")
    assert not (await app.live.reload("admin alice")).ok
    refused = [r for r in caplog.records if r.name == "bot.live"]
    assert refused and all(r.levelno == logging.WARNING and "refused" in r.getMessage() for r in refused)

async def test_every_answer_during_a_reload_comes_from_exactly_one_version(app):
    old = app.version
    (app.settings.knowledge_dir / "later.yaml").write_text(LATER, encoding="utf-8")
    questions = [NEW_FACT, "Who is Jan Leike?", "When was GPT-4o announced?", "What happened in May 2024?"] * 60
    reload = asyncio.create_task(app.live.reload("admin"))
    answers = await asyncio.gather(*(ask(app, q) for q in questions))
    assert (await reload).changed
    new = app.version
    kbs = {}
    for answer in answers:
        assert answer.kb_version in (old, new)
        kbs.setdefault(answer.kb_version, set())
        kbs[answer.kb_version].update(answer.entry_ids)
    if new in kbs:
        assert all(app.live.kb.get(i) is not None for i in kbs[new])
    for answer in answers:  # the new fact is never cited from the old version
        if answer.kb_version == old:
            assert "leike-joins-anthropic-2024-05-28" not in answer.entry_ids


async def test_rollback_brings_back_the_earlier_answers_and_files(app):
    (app.settings.knowledge_dir / "later.yaml").write_text(LATER, encoding="utf-8")
    assert (await app.live.reload("admin")).changed
    assert (await ask(app, NEW_FACT)).answered
    message = await Admin(app).rollback("admin", 1)
    assert message.startswith("Rolled back to version 1") and message.endswith("Files: deleted later.yaml.")
    assert not (await ask(app, NEW_FACT)).answered
    assert not (app.settings.knowledge_dir / "later.yaml").exists()
    [latest, *_] = await app.side.store.history(3)
    assert latest.note == "rollback to version 1" and "leike-joins-anthropic-2024-05-28" in latest.diff["removed"]
    history = await Admin(app).history("admin")
    assert "rollback to version 1" in history


async def test_a_chat_rollback_to_the_live_version_that_matches_the_files_does_nothing(app):
    assert await Admin(app).rollback("admin", 1) == "version 1 is already live and matches the files; nothing to do"
    assert [v.id for v in await app.side.store.history()] == [1]


async def test_a_chat_rollback_with_a_broken_file_in_place_brings_the_files_back(app):
    events = app.settings.knowledge_dir / "events.yaml"
    good = events.read_bytes()
    events.write_text(events.read_text(encoding="utf-8").replace('date: "2024-05-13"', 'date: "2024-05-32"', 1),
                      encoding="utf-8")
    (app.settings.knowledge_dir / "later.yaml").write_text("events: [\n", encoding="utf-8")
    assert not (await app.live.reload("admin")).ok
    message = await Admin(app).rollback("admin", 1)
    assert message.splitlines()[-1] == "Files: overwrote events.yaml; deleted later.yaml."
    assert events.read_bytes() == good and not (app.settings.knowledge_dir / "later.yaml").exists()
    assert (await app.live.reload("admin")).ok and [v.id for v in await app.side.store.history()] == [1]


async def test_a_rollback_deleting_a_file_nobody_agreed_to_delete_writes_nothing(app):
    """The command line asks about the files it will delete; one that appeared after the question is not deleted."""
    (app.settings.knowledge_dir / "later.yaml").write_text("events: [\n", encoding="utf-8")
    before = {p.name: p.read_bytes() for p in app.settings.knowledge_dir.glob("*.yaml")}
    with pytest.raises(KnowledgeError, match=r"folder changed meanwhile: the rollback would also delete later\.yaml"):
        await Admin(app).rollback("cli", 1, may_delete=(), errors_as_reply=False)
    assert {p.name: p.read_bytes() for p in app.settings.knowledge_dir.glob("*.yaml")} == before


@pytest.mark.parametrize(("name", "size", "problem"), [
    ("../evil.yaml", 10, "not a plain file name"),
    ("..\\evil.yaml", 10, "not a plain file name"),
    ("sub/evil.yaml", 10, "not a plain file name"),
    ("later.txt", 10, "not a .yaml file"),
    ("huge.yaml", UPLOAD_MAX_BYTES + 1, "limit"),
])
async def test_unsafe_or_oversized_uploads_are_refused(app, name, size, problem):
    before = sorted(p.name for p in app.settings.knowledge_dir.iterdir())
    message = await Admin(app).upload("admin", name, b"x" * size)
    assert message.startswith("Upload refused") and problem in message
    assert sorted(p.name for p in app.settings.knowledge_dir.iterdir()) == before
    assert not (app.settings.knowledge_dir.parent / "evil.yaml").exists()


async def test_an_upload_is_validated_with_the_rest_then_made_live(app):
    broken = await Admin(app).upload("admin", "later.yaml", LATER.replace("jan-leike]", "nobody]").encode())
    assert "Upload refused" in broken and "unknown people id 'nobody'" in broken
    assert not (app.settings.knowledge_dir / "later.yaml").exists()
    done = await Admin(app).upload("admin", "later.yaml", LATER.encode())
    assert done.startswith("Uploaded later.yaml") and (await ask(app, NEW_FACT)).answered
    audit = await app.side.store.audit_log(5)
    assert [(a.action, a.outcome) for a in audit[:2]] == [("upload", "ok"), ("upload", "refused")]


def knowledge_names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != ".citebot.lock")


def one_won_one_lost(messages: list[str]) -> tuple[str, str]:
    [won] = [m for m in messages if m.startswith("Uploaded")]
    [lost] = [m for m in messages if m.startswith("Upload refused")]
    assert "is live" in won and "duplicate id 'leike-joins-anthropic-2024-05-28'" in lost
    return won, lost


async def test_of_two_uploads_that_clash_one_goes_live_and_the_other_is_refused_leaving_nothing(app):
    """Each file alone is valid; together they define the same id twice, which no reload would accept."""
    folder = app.settings.knowledge_dir
    before = knowledge_names(folder)
    won, _ = one_won_one_lost(await asyncio.gather(Admin(app).upload("alice", "later-a.yaml", LATER.encode()),
                                                      Admin(app).upload("bob", "later-b.yaml", LATER.encode())))
    winner, loser = ("later-a.yaml", "later-b.yaml") if won.startswith("Uploaded later-a") else (
        "later-b.yaml", "later-a.yaml")
    assert knowledge_names(folder) == sorted([*before, winner])  # nothing of the loser, not even a temporary file
    assert not any(loser in name for name in knowledge_names(folder))
    result = await app.live.reload("admin")
    assert result.ok and (await ask(app, NEW_FACT)).answered


async def test_two_bots_on_one_folder_take_turns_to_upload(app, tmp_path):
    """The lock is a file lock in the folder too: a second process (here a second bot) waits its turn."""
    other = await build_app(app.settings.model_copy(update={"data_dir": tmp_path / "data2"}), author="other")
    try:
        one_won_one_lost(await asyncio.gather(Admin(app).upload("alice", "later-a.yaml", LATER.encode()),
                                              Admin(other).upload("bob", "later-b.yaml", LATER.encode())))
    finally:
        await other.close()
    assert (await app.live.reload("admin")).ok


async def test_an_upload_is_checked_against_the_files_the_loader_reads(app):
    """A hidden file (an editor's backup, its lock link) is not knowledge: neither the check nor the reload reads it."""
    folder = app.settings.knowledge_dir
    (folder / ".later.yaml").write_text(LATER, encoding="utf-8")
    (folder / ".#later.yaml").symlink_to("alice@laptop.4242:1716400000")
    message = await Admin(app).upload("admin", "later.yaml", LATER.encode())
    assert message.startswith("Uploaded later.yaml") and "is live" in message, message
    assert (await ask(app, NEW_FACT)).answered


async def test_a_fifo_in_the_folder_is_reported_and_a_later_valid_edit_still_goes_live(app):
    folder = app.settings.knowledge_dir
    fifo = folder / "pipe.yaml"
    app.live.start(watch=True, poll_seconds=60)
    await asyncio.sleep(0.3)  # let the watcher start
    try:
        os.mkfifo(fifo)  # nobody writes to it: a blocking open would hold the reload lock for ever
        result = await asyncio.wait_for(app.live.reload("admin"), timeout=5)
        assert not result.ok and any("pipe.yaml: is a FIFO (named pipe)" in str(p) for p in result.problems)
        fifo.unlink()
        app.live.swapped.clear()
        (folder / "later.yaml").write_text(LATER, encoding="utf-8")
        await asyncio.wait_for(app.live.swapped.wait(), timeout=5)
        assert (await ask(app, NEW_FACT)).answered
    finally:
        with contextlib.suppress(OSError):  # the code before the fix: let the reader stuck in open() go
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def outside_the_folder(app: Citebot, name: str) -> Path:
    """A valid knowledge file beside the knowledge folder, not in it: loading it through a link would be a leak."""
    outside = app.settings.knowledge_dir.parent / "outside" / name
    outside.parent.mkdir(exist_ok=True)
    outside.write_text(LATER.replace("Jan Leike joins Anthropic", "Planted outside the folder"), encoding="utf-8")
    return outside


async def test_an_upload_beside_a_fifo_and_a_link_out_of_the_folder_is_refused_at_once_naming_both(app):
    folder = app.settings.knowledge_dir
    outside = outside_the_folder(app, "planted.yaml")
    planted = outside.read_bytes()
    os.mkfifo(folder / "pipe.yaml")  # nobody writes to it: a blocking open would hold the lock for ever
    (folder / "planted.yaml").symlink_to(outside)
    before = knowledge_names(folder)
    try:
        message = await asyncio.wait_for(Admin(app).upload("admin", "later.yaml", LATER.encode()), timeout=5)
        assert message.startswith("Upload refused; nothing changed")
        assert "pipe.yaml: is a FIFO (named pipe)" in message
        assert f"planted.yaml: is a link to {outside}, outside the knowledge folder" in message
        assert knowledge_names(folder) == before and (folder / "planted.yaml").is_symlink()
        assert outside.read_bytes() == planted and not (await ask(app, NEW_FACT)).answered
        reload = await asyncio.wait_for(app.live.reload("admin"), timeout=5)  # the loader reads the same folder
        assert not reload.ok
        assert sorted(str(p) for p in reload.problems if p.severity == "error") == sorted(
            message.splitlines()[1:])
    finally:
        with contextlib.suppress(OSError):  # a reader stuck in a blocking open() before the fix: let it go
            os.close(os.open(folder / "pipe.yaml", os.O_WRONLY | os.O_NONBLOCK))


async def test_an_upload_over_a_link_out_of_the_folder_replaces_the_link_not_the_file_it_leads_to(app):
    """The upload is checked in the link's place (the link is never read) and written as a regular file there:
    the bot never writes outside the knowledge folder, whatever a link in it leads to."""
    folder = app.settings.knowledge_dir
    outside = outside_the_folder(app, "later.yaml")
    planted = outside.read_bytes()
    (folder / "later.yaml").symlink_to(outside)
    os.mkfifo(folder / ".later.yaml.swp")  # hidden: not knowledge, never opened
    message = await asyncio.wait_for(Admin(app).upload("admin", "later.yaml", LATER.encode()), timeout=5)
    assert message.startswith("Uploaded later.yaml") and "is live" in message, message
    written = folder / "later.yaml"
    assert not written.is_symlink() and written.read_bytes() == LATER.encode()
    assert outside.read_bytes() == planted
    answer = await ask(app, NEW_FACT)
    assert answer.answered and "Planted" not in answer.text
    assert app.live.kb.content_hash == load_knowledge(folder).content_hash
    assert not (await app.live.reload("admin")).changed


async def test_an_upload_never_writes_through_a_link_planted_at_its_temporary_name(app, monkeypatch):
    """The new bytes go to a hidden file created afresh; a link waiting under the name it would take (here the
    names are made predictable) is left alone, and the write takes another name."""
    folder = app.settings.knowledge_dir
    victim = outside_the_folder(app, "victim.yaml")
    planted = victim.read_bytes()
    made_by_a_follower = victim.parent / "made-by-the-bot.yaml"
    (folder / ".later.yaml.planted.tmp").symlink_to(victim)
    (folder / ".later.yaml.dangling.tmp").symlink_to(made_by_a_follower)
    monkeypatch.setattr(tempfile, "_get_candidate_names", lambda: iter(["planted", "dangling", "fresh"]))
    message = await Admin(app).upload("admin", "later.yaml", LATER.encode())
    assert message.startswith("Uploaded later.yaml") and "is live" in message, message
    assert victim.read_bytes() == planted and not made_by_a_follower.exists()
    assert (folder / ".later.yaml.planted.tmp").is_symlink() and (folder / ".later.yaml.dangling.tmp").is_symlink()
    assert (folder / "later.yaml").read_bytes() == LATER.encode() and (await ask(app, NEW_FACT)).answered


async def test_an_upload_that_cannot_be_written_is_refused_and_changes_nothing(app):
    """A folder already bears the name (or the knowledge folder is read-only): a refusal, not an error."""
    folder = app.settings.knowledge_dir
    (folder / "later.yaml").mkdir()
    before = knowledge_names(folder)
    message = await Admin(app).upload("admin", "later.yaml", LATER.encode())
    assert message.startswith("Upload refused; nothing changed") and "later.yaml" in message, message
    assert knowledge_names(folder) == before and not (await ask(app, NEW_FACT)).answered
    [audit, *_] = await app.side.store.audit_log(1)
    assert (audit.action, audit.outcome) == ("upload", "refused")


async def until_the_folder_is_locked(folder: Path) -> None:
    """Return once someone holds the folder's write lock (``.citebot.lock``), as another process would see it."""
    fd = os.open(folder / ".citebot.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    deadline = time.monotonic() + 5.0
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return
            fcntl.flock(fd, fcntl.LOCK_UN)
            assert time.monotonic() < deadline, "nobody took the folder's write lock"
            await asyncio.sleep(0.001)
    finally:
        os.close(fd)


@pytest.mark.parametrize("first", ["upload", "rollback"])
async def test_a_rollback_racing_an_upload_applies_one_then_the_other_whole(app, first, monkeypatch):
    """The second starts while the first is under way (the upload still checking, say). Both hold the folder's
    write lock from their check to their reload, so the second waits: the first is applied whole, then the second,
    never a mix (an upload checked against version 2 but written onto version 1, a rollback missing a file)."""

    def slowly(*args: object, **kwargs: object) -> object:  # a big folder takes a while to check
        time.sleep(0.3)
        return check_knowledge(*args, **kwargs)

    monkeypatch.setattr(admin_module, "check_knowledge", slowly)
    folder = app.settings.knowledge_dir
    version_1 = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix == ".yaml"}
    (folder / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    assert (await app.live.reload("admin")).changed  # version 2: what the rollback takes away
    admin = Admin(app)
    jobs = {"upload": lambda: admin.upload("alice", "later.yaml", LATER.encode()),
            "rollback": lambda: admin.rollback("bob", 1)}
    under_way = asyncio.create_task(jobs[first]())
    await until_the_folder_is_locked(folder)
    second = "rollback" if first == "upload" else "upload"
    messages = dict(zip([first, second], await asyncio.gather(under_way, jobs[second]()), strict=True))
    assert messages["upload"].startswith("Uploaded later.yaml") and "is live" in messages["upload"], messages
    assert messages["rollback"].startswith("Rolled back to version 1"), messages
    [latest, previous, *_] = await app.side.store.history(3)
    assert [previous.author, latest.author] == [{"upload": "alice", "rollback": "bob"}[job] for job in (first, second)]
    uploaded = latest if second == "upload" else previous
    assert "leike-joins-anthropic-2024-05-28" in uploaded.diff["added"]
    on_disk = {p.name: p.read_bytes() for p in folder.iterdir() if p.suffix == ".yaml"}
    if second == "upload":
        assert on_disk == {**version_1, "later.yaml": LATER.encode()} and (await ask(app, NEW_FACT)).answered
    else:  # the rollback took the upload away again
        assert latest.note == "rollback to version 1" and "leike-joins-anthropic-2024-05-28" in latest.diff["removed"]
        assert on_disk == version_1 and not (await ask(app, NEW_FACT)).answered
    assert app.live.kb.content_hash == load_knowledge(folder).content_hash
    later = await app.live.reload("admin")
    assert later.ok and not later.changed


async def test_gaps_list_declined_questions_to_curate_next(app):
    for text in ("When did Jan Leike join Anthropic?", "when did jan leike join anthropic", "Who is Greg Brockman?"):
        await ask(app, text)
    gaps = await Admin(app).gaps("admin")
    assert "2× When did Jan Leike join Anthropic" in gaps or "2× when did jan leike join anthropic" in gaps


@pytest.fixture
async def shared_database(postgres_url: str) -> AsyncIterator[str]:
    """A throwaway database on the test server, for two processes' worth of citebots."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from bot.store import normalize_database_url

    name = f"citebot_conv_{int(time.time() * 1000) % 10**9}"
    admin = create_async_engine(normalize_database_url(postgres_url), isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield postgres_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()


@pytest.mark.postgres
async def test_two_processes_on_postgresql_converge_after_a_sync_by_one(tmp_path, shared_database):
    def settings(n: int) -> Settings:
        knowledge = tmp_path / f"knowledge{n}"
        shutil.copytree(ROOT / "knowledge", knowledge, ignore=shutil.ignore_patterns("README.md"))
        return Settings(knowledge_dir=knowledge, data_dir=tmp_path / f"data{n}", database_url=shared_database)

    one, two = await build_app(settings(1), author="one"), await build_app(settings(2), author="two")
    try:
        two.live.start(watch=False, poll_seconds=30)  # NOTIFY, not the poll, must carry the news
        await asyncio.sleep(0.2)
        two.live.swapped.clear()
        (one.settings.knowledge_dir / "later.yaml").write_text(LATER, encoding="utf-8")
        result = await one.live.reload("admin on one")
        assert result.changed
        await asyncio.wait_for(two.live.swapped.wait(), timeout=3.0)
        assert two.version == one.version and two.live.version_id == result.version_id
        assert (await two.ask(Question(NEW_FACT))).answered
    finally:
        await one.close()
        await two.close()
