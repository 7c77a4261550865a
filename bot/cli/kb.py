"""`citebot kb check | sync | stats` and `citebot timeline [--png FILE]`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot import failed_reloads
from bot.bootstrap import read_knowledge
from bot.cli.author import cli_author
from bot.cli.render import render_picture_note, render_timeline
from bot.core.answerer import prepare
from bot.core.timeline import build_timeline
from bot.errors import CitebotError
from bot.knowledge.loader import KnowledgeInvalid, check_knowledge
from bot.live import read_files
from bot.settings import Settings
from bot.store import Store


async def check(settings: Settings) -> int:
    report = await asyncio.to_thread(check_knowledge, settings.knowledge_dir, settings.source_copies)
    for problem in report.problems:
        print(problem)
    errors, warnings = len(report.errors), len(report.warnings)
    if report.kb is not None:
        counts = ", ".join(f"{n} {section}" for section, n in report.kb.counts.items())
        print(f"ok: {counts}; {warnings} warning(s); content hash {report.kb.version}")
        return 0
    print(f"{errors} error(s), {warnings} warning(s) in {settings.knowledge_dir}")
    return 1


async def sync(settings: Settings, author: str | None = None) -> int:
    """`citebot kb sync [--author NAME]`: the version is recorded as by NAME, else the OS user."""
    by = cli_author(author)
    try:
        kb = await read_knowledge(settings)
    except KnowledgeInvalid as err:  # kept for `kb status`, as a bot's failed reload is
        await failed_reloads.keep_in(settings, failed_reloads.failure_of(failed_reloads.CLI_SYNC, by, err.problems))
        raise
    files = await asyncio.to_thread(read_files, settings.knowledge_dir)
    store = await Store.connect(settings.effective_database_url)
    try:
        result = await store.sync(kb, author=by, files=files)
    finally:
        await store.close()
    version = result.version
    if result.created:
        print(f"synced: version {version.id} is live ({version.content_hash[:12]}, {version.entry_count} entries)")
    else:
        print(f"already current: version {version.id} ({version.content_hash[:12]}) matches the files")
    return 0


async def stats(settings: Settings) -> int:
    kb = await read_knowledge(settings)
    store = await Store.connect(settings.effective_database_url)
    try:
        live = await store.live_version()
    finally:
        await store.close()
    print(f"knowledge files in {settings.knowledge_dir} (hash {kb.version}):")
    for section, n in kb.counts.items():
        print(f"  {section:<8} {n}")
    if live is None:
        print(f"store {store.url}: no version synced yet (run 'citebot kb sync')")
    else:
        state = "matches the files" if live.content_hash == kb.content_hash else "differs from the files"
        print(
            f"store {store.url}: live version {live.id} ({live.content_hash[:12]}), synced "
            f"{live.created_at:%Y-%m-%d %H:%M} UTC by {live.author}; {state}"
        )
    return 0


async def timeline(settings: Settings, person: str | None, since: str | None, until: str | None, language: str,
                   png: Path | None = None) -> int:
    kb = await read_knowledge(settings)
    if png is None:
        print(render_timeline(build_timeline(prepare(kb), person=person, since=since, until=until, language=language)))
        return 0
    from bot.picture import draw_timeline

    picture = await draw_timeline(prepare(kb), person=person, since=since, until=until, language=language)
    try:
        await asyncio.to_thread(png.write_bytes, picture.png)
    except OSError as err:
        raise CitebotError(f"cannot write {png}: {err.strerror or err}") from None
    print(render_picture_note(picture, str(png)))
    return 0


async def admin(settings: Settings, action: str, version: int | None = None, author: str | None = None) -> int:
    """`citebot kb status | history | rollback N | gaps`: the admin commands, audited as ``--author`` or the OS user."""
    from bot.admin import Admin
    from bot.bootstrap import build_app

    actor = cli_author(author)
    app = await build_app(settings, author=actor)
    try:
        operations = Admin(app)
        if action == "status":
            print(await operations.status(actor))
        elif action == "history":
            print(await operations.history(actor))
        elif action == "gaps":
            print(await operations.gaps(actor))
        else:
            assert version is not None
            if await app.side.store.version(version) is None:
                raise CitebotError(f"there is no knowledge version {version} (see 'citebot kb history')")
            print(await operations.rollback(actor, version))
    finally:
        await app.close()
    return 0
