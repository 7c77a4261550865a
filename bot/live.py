"""The live knowledge version: validated reloads, swaps, rollbacks, and following other processes.

A reload validates everything first; only a valid knowledge base is swapped in (``Answerer.swap``:
every answer comes wholly from one version) and recorded in the store. A broken edit changes
nothing: the bot keeps answering from the last good version and the problems (file:line: field)
go to the log, to whoever asked and to the store (``bot.failed_reloads``, for ``kb status``).
Other processes sharing the database follow new versions by PostgreSQL LISTEN/NOTIFY where
available, and by polling always.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import os
import tempfile
from collections.abc import Awaitable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from bot import failed_reloads
from bot.core.answerer import Answerer, Prepared, prepare_all
from bot.errors import KnowledgeError
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.files import FileRefused, is_knowledge_name, knowledge_files, read_regular
from bot.knowledge.folder_lock import FolderLock
from bot.knowledge.loader import MAX_FILE_BYTES, Problem, check_knowledge
from bot.rollback_plan import RollbackPlan, plan_rollback
from bot.store.reload_failures import ReloadFailure

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store import KbVersion, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    changed: bool  # a new version went live
    version_id: int | None
    version: str  # short content hash now live
    problems: tuple[Problem, ...] = ()
    diff: dict[str, list[str]] = field(default_factory=dict)

    def summary(self) -> str:
        if not self.ok:
            errors = [p for p in self.problems if p.severity == "error"]
            first = f": {errors[0]}" if errors else ""
            return f"reload refused ({len(errors)} error(s)); still serving {self.version}{first}"
        if not self.changed:
            return f"no change: version {self.version_id} ({self.version}) is live"
        counts = ", ".join(f"{len(v)} {k}" for k, v in self.diff.items() if v) or "no entry changes"
        return f"version {self.version_id} ({self.version}) is live: {counts}"


def read_files(directory: Path) -> dict[str, str]:
    """The raw knowledge files (kept with each version so a rollback restores them exactly): the files the
    loader reads, read as it reads them (a file it refuses is not kept)."""
    files = {}
    for path in knowledge_files(directory):
        try:
            files[path.name] = read_regular(path, MAX_FILE_BYTES, within=directory).decode("utf-8", errors="replace")
        except FileRefused as err:
            log.warning("not keeping %s with the version: %s", path.name, err)
    return files


class LiveKnowledge:
    def __init__(self, settings: Settings, answerer: Answerer, store: Store | None) -> None:
        self.settings = settings
        self.answerer = answerer
        self.store = store
        self.version_id: int | None = None
        self.loaded_at = dt.datetime.now(dt.UTC)
        self.loaded_by = "start-up"
        self.last_failure: ReloadFailure | None = None  # this process's; the store keeps every process's
        self.failures = 0  # reloads refused since start (exported as a metric)
        self._lock = asyncio.Lock()  # one reload or swap at a time
        self._writes = FolderLock()
        self._tasks: list[asyncio.Task[None]] = []
        self._stop = asyncio.Event()
        self.swapped = asyncio.Event()  # set whenever a new version goes live (tests and admins wait on it)

    @property
    def kb(self) -> KnowledgeBase:
        return self.answerer.prepared.kb

    def writing(self) -> contextlib.AbstractAsyncContextManager[None]:
        """Held by every admin write to the knowledge folder (uploads, rollbacks), across processes too."""
        return self._writes.held(self.settings.knowledge_dir)

    # --- reload from the files ------------------------------------------------------------------
    async def reload(self, author: str | None, trigger: str = failed_reloads.CHAT_RELOAD) -> ReloadResult:
        """Validate the knowledge folder; if valid and different, make it live and record the version.

        ``author`` is who asked (the new version is theirs); ``None`` when nobody did (the file watcher). A
        refused reload is kept in the store with its trigger, author and problems, for ``kb status``."""
        async with self._lock:
            directory = self.settings.knowledge_dir
            try:
                report = await asyncio.to_thread(check_knowledge, directory)
            except Exception as err:  # a missing folder, say
                report = None
                problems: tuple[Problem, ...] = (Problem(str(directory), None, "", str(err)),)
            else:
                problems = report.problems
            if report is None or report.kb is None:
                self.last_failure = failed_reloads.failure_of(trigger, author, problems)
                self.failures += 1
                for problem in problems:
                    log.warning("reload by %s refused: %s", author or trigger, problem)
                await failed_reloads.keep(self.store, self.last_failure)  # a store failure is only logged
                return ReloadResult(False, False, self.version_id, self.answerer.prepared.version, problems)
            kb = report.kb
            if kb.content_hash == self.kb.content_hash:
                return ReloadResult(True, False, self.version_id, self.answerer.prepared.version, problems)
            files = await asyncio.to_thread(read_files, directory)
            return await self._go_live(kb, author or failed_reloads.WATCHER, files=files, problems=problems)

    async def _go_live(self, kb: KnowledgeBase, author: str, *, files: dict[str, str] | None = None,
                       note: str | None = None, problems: tuple[Problem, ...] = ()) -> ReloadResult:
        prepared = await prepare_all(kb, self.answerer.embeddings)
        version_id, diff = None, {}
        if self.store is not None:
            synced = await self.store.sync(kb, author=author, note=note, files=files)
            version_id, diff = synced.version.id, synced.version.diff
        self._swap_in(prepared, version_id, author)
        log.info("knowledge version %s (%s) is live, by %s", version_id, prepared.version, author)
        return ReloadResult(True, True, version_id, prepared.version, problems, diff)

    def _swap_in(self, prepared: Prepared, version_id: int | None, author: str) -> None:
        """Make ``prepared`` live and say so: the one place a version goes live."""
        self.answerer.swap(prepared)
        self.version_id, self.loaded_at, self.loaded_by = version_id, dt.datetime.now(dt.UTC), author
        self.swapped.set()

    # --- rollback --------------------------------------------------------------------------------
    async def rollback_plan(self, version_id: int) -> RollbackPlan:
        """What rolling back to ``version_id`` would write and delete; nothing is written."""
        version, files = await self._stored(version_id)
        return await self._plan(version_id, version.content_hash, files)

    async def rollback(self, version_id: int, author: str, *,
                       may_delete: Collection[str] | None = None) -> tuple[RollbackPlan, ReloadResult]:
        """Bring back version ``version_id``: its files are written back to the knowledge folder (the
        files stay the source of truth) and it goes live as a new version noting the rollback, unless its
        knowledge is live already. Works whether or not the files in the folder validate.

        ``may_delete``: the files the admin agreed to delete; a plan deleting any other (the folder changed
        since it was shown) is refused, writing nothing. None deletes whatever the version did not have."""
        version, files = await self._stored(version_id)
        async with self.writing(), self._lock:
            plan = await self._plan(version_id, version.content_hash, files)
            unconfirmed = sorted(set(plan.delete) - set(may_delete)) if may_delete is not None else []
            if unconfirmed:
                raise KnowledgeError(f"the folder changed meanwhile: the rollback would also delete "
                                     f"{', '.join(unconfirmed)}; nothing written")
            kb = None
            if plan.live_version_id is None:  # else its knowledge is live: at most the files come back
                assert self.store is not None  # _stored checked
                kb = KnowledgeBase.from_records(await self.store.version_records(version_id))
            if plan.changes_files:
                await asyncio.to_thread(_apply, self.settings.knowledge_dir, plan, files)
            if kb is None:
                return plan, ReloadResult(True, False, self.version_id, self.answerer.prepared.version)
            return plan, await self._go_live(kb, author, files=files or None, note=f"rollback to version {version_id}")

    async def _stored(self, version_id: int) -> tuple[KbVersion, dict[str, str]]:
        if self.store is None:
            raise RuntimeError("rollback needs the store")
        version = await self.store.version(version_id)
        if version is None:
            raise LookupError(f"there is no knowledge version {version_id}")
        return version, await self.store.version_files(version_id)

    async def _plan(self, version_id: int, content_hash: str, files: dict[str, str]) -> RollbackPlan:
        directory = self.settings.knowledge_dir
        present = await asyncio.to_thread(_present, directory)
        current = await asyncio.to_thread(read_files, directory)
        live_id = self.version_id if content_hash == self.kb.content_hash else None
        return plan_rollback(version_id, files, present, current, live_version_id=live_id)

    # --- follow other processes ------------------------------------------------------------------
    async def follow_store(self) -> ReloadResult | None:
        """Swap in the store's live version when another process made a different one live."""
        if self.store is None:
            return None
        live = await self.store.live_version()
        if live is None or live.content_hash == self.kb.content_hash:
            if live is not None:
                self.version_id = live.id
            return None
        async with self._lock:
            kb = KnowledgeBase.from_records(await self.store.version_records(live.id))
            prepared = await prepare_all(kb, self.answerer.embeddings)
            self._swap_in(prepared, live.id, live.author)
            log.info("followed knowledge version %s (%s) from the store", live.id, prepared.version)
            return ReloadResult(True, True, live.id, prepared.version, (), live.diff)

    async def _poll(self, interval: float) -> None:
        while not self._stop.is_set():
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._stop.wait(), timeout=interval)
            if self._stop.is_set():
                return
            try:
                await self.follow_store()
            except Exception:
                log.exception("following the store's knowledge version failed")

    async def _listen(self) -> None:
        """Follow NOTIFY; when the listening connection is lost (or cannot be opened), listen again with
        backoff, catching up with the store each time (polling covers the gap meanwhile)."""
        assert self.store is not None
        delay = 0.5
        while not self._stop.is_set():
            woken, lost = asyncio.Event(), asyncio.Event()
            try:
                async with self.store.listen_versions(lambda _version_id, w=woken: w.set(), lost=lost.set):
                    delay = 0.5
                    woken.set()  # anything synced while we were not listening
                    while not (self._stop.is_set() or lost.is_set()):
                        await _first_of(woken.wait(), lost.wait(), self._stop.wait())
                        if woken.is_set():
                            woken.clear()
                            try:
                                await self.follow_store()
                            except Exception:
                                log.exception("following a notified knowledge version failed")
            except Exception as err:
                log.warning("cannot listen for knowledge versions (%s); trying again in %.0f s", err, delay)
            if not self._stop.is_set():
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=delay)
                delay = min(delay * 2, 30.0)

    async def _watch(self) -> None:
        from watchfiles import awatch

        directory = self.settings.knowledge_dir
        async for changes in awatch(directory, stop_event=self._stop, debounce=200, step=50,
                                    watch_filter=lambda _change, path: is_knowledge_name(Path(path).name)):
            log.info("knowledge files changed: %s", sorted(Path(p).name for _, p in changes))
            result = await self.reload(None, failed_reloads.WATCHER)
            if not result.ok:
                log.warning("%s", result.summary())

    def start(self, *, watch: bool = True, poll_seconds: float = 5.0) -> None:
        """Background tasks: watch the folder, follow the store (NOTIFY where the database has it, polling always)."""
        if watch:
            self._tasks.append(asyncio.create_task(self._watch(), name="knowledge-watch"))
        if self.store is not None:
            self._tasks.append(asyncio.create_task(self._poll(poll_seconds), name="knowledge-poll"))
            if self.store.supports_notify:
                self._tasks.append(asyncio.create_task(self._listen(), name="knowledge-listen"))

    async def stop(self) -> None:
        self._stop.set()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()


def _present(directory: Path) -> list[str]:
    """The knowledge files a rollback may overwrite or delete (a folder named like one is left alone)."""
    return [path.name for path in knowledge_files(directory) if not (path.is_dir() and not path.is_symlink())]


def _apply(directory: Path, plan: RollbackPlan, files: dict[str, str]) -> None:
    """Write the plan's files into ``directory`` (atomically each) and delete the ones it deletes."""
    for name in (*plan.overwrite, *plan.create):
        if Path(name).name != name or not is_knowledge_name(name):
            raise ValueError(f"refusing to write {name!r}: not a plain knowledge file name")
    for name in plan.delete:
        with contextlib.suppress(FileNotFoundError):
            (directory / name).unlink()
    for name in (*plan.overwrite, *plan.create):
        write_atomically(directory / name, files[name].encode("utf-8"))


def write_atomically(path: Path, data: bytes) -> None:
    """Readers (the file watcher, other processes) see the old file or the new one, never half of one.

    The new bytes go to a fresh hidden file (created exclusively: a link planted under its name is not
    followed) that is then renamed over ``path``; the rename replaces a link at ``path``, never its target.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), 0o644)
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


async def _first_of(*waits: Awaitable[object]) -> None:
    """Return when the first of ``waits`` is done; cancel the rest."""
    tasks = [asyncio.ensure_future(w) for w in waits]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
