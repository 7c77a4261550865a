"""`citebot kb check | sync | stats | status | history | gaps | rollback N` and `citebot timeline [--png FILE]`.

All but `check` and `sync` (which are about the files) answer from the store's live version when the
files do not validate, and say so in one line on stderr.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot import failed_reloads
from bot.bootstrap import knowledge_or_stored, read_knowledge
from bot.cli.author import cli_author
from bot.cli.render import print_note, render_picture_note, render_timeline
from bot.core.answerer import prepare
from bot.core.timeline import build_timeline
from bot.errors import CitebotError
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.loader import KnowledgeInvalid, check_knowledge
from bot.live import read_files
from bot.settings import Settings
from bot.store import Store

if TYPE_CHECKING:
    from bot.admin import Admin
    from bot.rollback_plan import RollbackPlan
    from bot.service import Citebot


async def check(settings: Settings) -> int:
    report = await asyncio.to_thread(check_knowledge, settings.knowledge_dir)
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
    kb, fallback = await knowledge_or_stored(settings)
    if fallback is not None:
        print_note(fallback.note)
    store = await Store.connect(settings.effective_database_url)
    try:
        live = await store.live_version()
    finally:
        await store.close()
    if fallback is None:
        print(f"knowledge files in {settings.knowledge_dir} (hash {kb.version}):")
    else:
        print(f"stored version {fallback.version.id} (hash {kb.version}); the files in {settings.knowledge_dir} "
              "do not validate:")
    for section, n in kb.counts.items():
        print(f"  {section:<8} {n}")
    if live is None:
        print(f"store {store.url}: no version synced yet (run 'citebot kb sync')")
    else:
        state = ("the files do not validate" if fallback is not None
                 else "matches the files" if live.content_hash == kb.content_hash else "differs from the files")
        print(
            f"store {store.url}: live version {live.id} ({live.content_hash[:12]}), synced "
            f"{live.created_at:%Y-%m-%d %H:%M} UTC by {live.author}; {state}"
        )
    return 0


async def timeline(settings: Settings, person: str | None, since: str | None, until: str | None, language: str,
                   png: Path | None = None) -> int:
    kb = await _knowledge(settings)
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


async def admin(settings: Settings, action: str, version: int | None = None, author: str | None = None, *,
                dry_run: bool = False, yes: bool = False) -> int:
    """`citebot kb status | history | rollback N | gaps`: the admin commands, audited as ``--author`` or the OS user."""
    from bot.admin import Admin
    from bot.bootstrap import build_app

    actor = cli_author(author)
    app = await build_app(settings, author=actor, on_fallback=print_note)
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
            return await _rollback(app, operations, actor, version, dry_run=dry_run, yes=yes)
    finally:
        await app.close()
    return 0


async def _rollback(app: Citebot, operations: Admin, actor: str, version: int, *, dry_run: bool, yes: bool) -> int:
    """Show the plan; ask before deleting a file the version did not have (unless ``yes``); then roll back."""
    if await app.side.store.version(version) is None:  # type: ignore[union-attr]  # build_app opened the store
        raise CitebotError(f"there is no knowledge version {version} (see 'citebot kb history')")
    plan = await app.live.rollback_plan(version)
    if dry_run:
        print(plan.listing())
        print("dry run: nothing written")
        return 0
    if plan.nothing_to_do:
        print(await operations.rollback(actor, version, errors_as_reply=False))
        return 0
    print(plan.listing(), flush=True)
    if plan.delete and not yes and not await _agreed_to_delete(plan):
        print("rollback cancelled; nothing written")
        return 1
    print(await operations.rollback(actor, version, may_delete=plan.delete, errors_as_reply=False))
    return 0


async def _agreed_to_delete(plan: RollbackPlan) -> bool:
    """A yes from the person at the terminal; with no terminal, a one-line refusal (there is no one to ask)."""
    names = ", ".join(plan.delete)
    if not sys.stdin.isatty():
        raise CitebotError(f"the rollback would delete {names} (version {plan.version_id} did not have it) and "
                           "there is no terminal to ask; nothing written (--yes deletes, --dry-run shows the plan)")
    print(f"Delete {names}, which version {plan.version_id} did not have? [y/N] ", end="", flush=True)
    answer = await asyncio.to_thread(sys.stdin.readline)
    return answer.strip().lower() in ("y", "yes")


async def _knowledge(settings: Settings) -> KnowledgeBase:
    kb, fallback = await knowledge_or_stored(settings)
    if fallback is not None:
        print_note(fallback.note)
    return kb
