"""`citebot kb status` tells the truth about the running bots: a reload refused in another process (here a bot's
file watcher in the test process) is shown from the shared SQLite store, and versions made on the command line are
recorded as by the OS user or `--author`."""

from __future__ import annotations

import functools
import getpass
import shutil
from pathlib import Path

from bot.cli import author as author_module
from bot.cli.author import cli_author
from bot.core.answerer import Answerer
from bot.live import LiveKnowledge
from bot.settings import Settings
from bot.store import Store
from tests.cli.running import ROOT
from tests.cli.running import citebot as run_citebot

LATER = """\
events:
  - id: later-event
    date: "2024-05-28"
    title: {{en: {title}, zh: 后来的事件}}
    text: {{en: {title}., zh: 后来的事件。}}
    people: [{person}]
    citations:
      - source: infoq-2024-05
        quote: "Ilya Sutskever 与 Jan Leike 上周二宣布将离开 OpenAI。"
"""


def later(title: str = "A later event", person: str = "jan-leike") -> str:
    return LATER.format(title=title, person=person)


citebot = functools.partial(run_citebot, timeout=120)  # each starts a whole bot on a fresh data folder


def folder_with(tmp_path: Path, name: str, later_text: str) -> Path:
    folder = tmp_path / name
    shutil.copytree(ROOT / "knowledge", folder)
    (folder / "later.yaml").write_text(later_text, encoding="utf-8")
    return folder


async def test_a_reload_refused_in_a_running_bot_shows_in_kb_status_until_a_cli_version_supersedes_it(
        env, tmp_path, prepared):
    me = f"cli:{getpass.getuser()}"
    good = folder_with(tmp_path, "good", later())
    assert citebot("kb", "sync", "--knowledge", str(good), env=env).returncode == 0
    working = folder_with(tmp_path, "knowledge", later(person="nobody"))  # the admin's broken edit

    settings = Settings(knowledge_dir=working, data_dir=tmp_path / "data",
                        database_url="")
    store = await Store.connect(settings.effective_database_url)
    try:  # a running bot's watcher sees the edit and refuses it
        bot = LiveKnowledge(settings, Answerer(prepared), store)
        assert not (await bot.reload(None, "file watcher")).ok
    finally:
        await store.close()

    status = citebot("kb", "status", "--knowledge", str(good), env=env)
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("Live knowledge version 1 ") and f"by {me}." in status.stdout
    assert ", file watcher: " in status.stdout and "unknown people id 'nobody'" in status.stdout
    assert "Version 1 kept serving" in status.stdout and "Loaded" not in status.stdout

    refused = citebot("kb", "sync", "--knowledge", str(working), env=env)
    assert refused.returncode == 1 and "nobody" in refused.stderr
    status = citebot("kb", "status", "--knowledge", str(good), env=env)
    assert f", citebot kb sync by {me}: " in status.stdout and "later.yaml:" in status.stdout

    (working / "later.yaml").write_text(later(title="A corrected later event"), encoding="utf-8")
    synced = citebot("kb", "sync", "--author", "Ada Admin", "--knowledge", str(working), env=env)
    assert "version 2 is live" in synced.stdout, synced.stderr
    status = citebot("kb", "status", "--knowledge", str(working), env=env)
    assert status.stdout.startswith("Live knowledge version 2 ") and "by Ada Admin." in status.stdout
    assert "Superseded: version 2 went live after it" in status.stdout

    rolled = citebot("kb", "rollback", "1", "--author", "Bob Ops", "--knowledge", str(working), env=env)
    assert rolled.returncode == 0, rolled.stderr
    store = await Store.connect(settings.effective_database_url)
    try:
        assert [(v.id, v.author) for v in await store.history(3)] == [(3, "Bob Ops"), (2, "Ada Admin"), (1, me)]
        assert (await store.audit_log(1))[0].actor == "Bob Ops"
    finally:
        await store.close()


def test_the_cli_author_is_the_os_user_or_the_given_name_or_cli_when_the_os_cannot_say(monkeypatch):
    assert cli_author() == f"cli:{getpass.getuser()}"
    assert cli_author("  Ada Admin ") == "Ada Admin"

    def no_user() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(author_module.getpass, "getuser", no_user)
    assert cli_author() == "cli"
