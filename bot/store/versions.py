"""Knowledge versions: each sync of changed knowledge stores a new version with all its entries.

The newest version (highest id) is live. A sync writes the version row, every entry, its diff
against the previous version and the raw files in one transaction, so a failed sync leaves no
trace and the previous version stays live. On PostgreSQL the new version is announced with NOTIFY
(delivered on commit) so other citebot processes can reload.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import Row, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from bot.errors import CitebotError, StoreError
from bot.store import notify as _notify
from bot.store.engine import error_reason, json_serializer
from bot.store.models import (
    AUTHOR_LENGTH,
    ENTRY_ID_LENGTH,
    FILE_NAME_LENGTH,
    NOTE_LENGTH,
    SECTION_LENGTH,
    KbEntryRow,
    KbVersionFileRow,
    KbVersionRow,
)

log = logging.getLogger(__name__)

# Entries are sent to the database in executemany batches of this size.
INSERT_BATCH_SIZE = 2000

Record = tuple[str, str, dict[str, Any]]  # (section, entry_id, JSON-able data)
DIFF_KEYS = ("added", "changed", "removed")


def _empty_diff() -> dict[str, list[str]]:
    return {key: [] for key in DIFF_KEYS}


class SyncableKnowledge(Protocol):
    """What :meth:`bot.store.Store.sync` needs from a loaded knowledge base."""

    @property
    def content_hash(self) -> str: ...

    @property
    def counts(self) -> Mapping[str, int]: ...

    def records(self) -> Iterable[Record]: ...


@dataclass(frozen=True, slots=True)
class KbVersion:
    id: int
    content_hash: str
    created_at: datetime  # timezone-aware, UTC
    author: str
    counts: dict[str, int]  # section → number of entries
    entry_count: int
    # Entry ids against the previous version: {"added": [...], "changed": [...], "removed": [...]}, sorted.
    diff: dict[str, list[str]] = field(default_factory=_empty_diff)
    note: str | None = None  # e.g. "rollback to version 3"


@dataclass(frozen=True, slots=True)
class SyncResult:
    version: KbVersion  # the live version after the sync
    created: bool  # False when the knowledge was unchanged


_VERSION_COLUMNS = (
    KbVersionRow.id,
    KbVersionRow.content_hash,
    KbVersionRow.created_at,
    KbVersionRow.author,
    KbVersionRow.counts,
    KbVersionRow.entry_count,
    KbVersionRow.diff,
    KbVersionRow.note,
)


def _to_version(row: Row[Any]) -> KbVersion:
    diff = row.diff or {}
    return KbVersion(
        id=row.id,
        content_hash=row.content_hash,
        created_at=row.created_at,
        author=row.author,
        counts=dict(row.counts),
        entry_count=row.entry_count,
        diff={key: list(diff.get(key, [])) for key in DIFF_KEYS},
        note=row.note,
    )


async def live_version(conn: AsyncConnection) -> KbVersion | None:
    """The newest version, or ``None`` before the first sync."""
    query = select(*_VERSION_COLUMNS).order_by(KbVersionRow.id.desc()).limit(1)
    row = (await conn.execute(query)).first()
    return None if row is None else _to_version(row)


async def version(conn: AsyncConnection, version_id: int) -> KbVersion | None:
    row = (await conn.execute(select(*_VERSION_COLUMNS).where(KbVersionRow.id == version_id))).first()
    return None if row is None else _to_version(row)


async def history(conn: AsyncConnection, limit: int) -> list[KbVersion]:
    """The newest ``limit`` versions, newest first."""
    query = select(*_VERSION_COLUMNS).order_by(KbVersionRow.id.desc()).limit(limit)
    return [_to_version(row) for row in (await conn.execute(query)).all()]


async def version_files(conn: AsyncConnection, version_id: int) -> dict[str, str]:
    """The raw files stored with a version, by name; empty when none were stored."""
    query = (
        select(KbVersionFileRow.name, KbVersionFileRow.text)
        .where(KbVersionFileRow.version_id == version_id)
        .order_by(KbVersionFileRow.name)
    )
    return {row.name: row.text for row in (await conn.execute(query)).all()}


async def version_records(conn: AsyncConnection, version_id: int) -> list[Record]:
    """Every entry of a version as (section, entry_id, data), ordered by section then id."""
    query = (
        select(KbEntryRow.section, KbEntryRow.entry_id, KbEntryRow.data)
        .where(KbEntryRow.version_id == version_id)
        .order_by(KbEntryRow.section, KbEntryRow.entry_id)
    )
    rows = (await conn.execute(query)).all()
    if not rows:
        exists = await conn.scalar(select(KbVersionRow.id).where(KbVersionRow.id == version_id))
        if exists is None:
            raise StoreError(f"there is no knowledge version {version_id}")
    return [(row.section, row.entry_id, row.data) for row in rows]


async def sync(
    engine: AsyncEngine,
    kb: SyncableKnowledge,
    *,
    author: str,
    note: str | None = None,
    files: Mapping[str, str] | None = None,
) -> SyncResult:
    """Store ``kb`` as a new live version unless the live version already has its content hash."""
    content_hash = kb.content_hash
    if not 0 < len(author) <= AUTHOR_LENGTH:
        raise StoreError(f"the sync author must be 1 to {AUTHOR_LENGTH} characters")
    if note is not None and len(note) > NOTE_LENGTH:
        raise StoreError(f"the sync note must be at most {NOTE_LENGTH} characters")
    live: KbVersion | None = None
    try:
        async with engine.begin() as conn:
            live = await live_version(conn)
            if live is not None and live.content_hash == content_hash:
                log.info("knowledge unchanged (hash %s); version %d stays live", content_hash[:12], live.id)
                return SyncResult(version=live, created=False)
            version = await _insert_version(
                conn, kb, content_hash=content_hash, author=author, note=note, previous=live
            )
            if files:
                await _insert_files(conn, version.id, files)
            await _notify.notify_version(conn, version.id)  # delivered when the transaction commits
    except CitebotError:
        raise
    except Exception as exc:
        kept = f"version {live.id} stays live" if live is not None else "no version is live"
        raise StoreError(f"knowledge sync failed and saved nothing ({kept}): {error_reason(exc)}") from exc
    log.info(
        "created knowledge version %d by %s: %d entries, hash %s",
        version.id,
        author,
        version.entry_count,
        content_hash[:12],
    )
    return SyncResult(version=version, created=True)


async def _insert_version(
    conn: AsyncConnection,
    kb: SyncableKnowledge,
    *,
    content_hash: str,
    author: str,
    note: str | None,
    previous: KbVersion | None,
) -> KbVersion:
    created_at = datetime.now(UTC)
    counts = {str(section): int(count) for section, count in kb.counts.items()}
    # Highest id + 1 (not a sequence, which would leave gaps after failed syncs). Two syncs racing
    # for the same id collide on the primary key: one fails cleanly and can be retried.
    version_id = int(await conn.scalar(select(func.coalesce(func.max(KbVersionRow.id), 0) + 1)))
    await conn.execute(
        insert(KbVersionRow).values(
            id=version_id,
            content_hash=content_hash,
            created_at=created_at,
            author=author,
            counts=counts,
            entry_count=0,
            diff=_empty_diff(),
            note=note,
        )
    )

    before = {} if previous is None else await _entry_data(conn, previous.id)
    added: list[str] = []
    changed: list[str] = []
    seen: set[str] = set()
    batch: list[dict[str, Any]] = []
    for section, entry_id, data in kb.records():
        if entry_id in seen:
            raise ValueError(f"entry id {entry_id!r} appears more than once")
        if not 0 < len(entry_id) <= ENTRY_ID_LENGTH:
            raise ValueError(
                f"entry id {entry_id[:40]!r} has {len(entry_id)} characters; the limit is {ENTRY_ID_LENGTH}"
            )
        if not 0 < len(section) <= SECTION_LENGTH:
            raise ValueError(f"entry {entry_id!r} has a section name that is not 1 to {SECTION_LENGTH} characters")
        if not isinstance(data, Mapping):
            raise ValueError(f"entry {entry_id!r} has {type(data).__name__} data, not a mapping")
        seen.add(entry_id)
        if entry_id not in before:
            added.append(entry_id)
        elif not _same_data(before[entry_id], data):
            changed.append(entry_id)
        batch.append({"version_id": version_id, "entry_id": entry_id, "section": section, "data": data})
        if len(batch) >= INSERT_BATCH_SIZE:
            await _insert_entries(conn, batch)
            batch = []
    if batch:
        await _insert_entries(conn, batch)

    entry_count = len(seen)
    diff = {"added": sorted(added), "changed": sorted(changed), "removed": sorted(before.keys() - seen)}
    await conn.execute(
        update(KbVersionRow).where(KbVersionRow.id == version_id).values(entry_count=entry_count, diff=diff)
    )
    return KbVersion(
        id=version_id,
        content_hash=content_hash,
        created_at=created_at,
        author=author,
        counts=counts,
        entry_count=entry_count,
        diff=diff,
        note=note,
    )


async def _entry_data(conn: AsyncConnection, version_id: int) -> dict[str, Any]:
    query = select(KbEntryRow.entry_id, KbEntryRow.data).where(KbEntryRow.version_id == version_id)
    return {row.entry_id: row.data for row in (await conn.execute(query))}


def _same_data(stored: Any, given: Any) -> bool:
    """Whether ``given`` equals ``stored`` once it has been through JSON (tuples become lists, and so on)."""
    if stored == given:
        return True
    try:
        return bool(stored == json.loads(json_serializer(given)))
    except (TypeError, ValueError):
        return False  # not JSON: the insert refuses it with a clear message


async def _insert_files(conn: AsyncConnection, version_id: int, files: Mapping[str, str]) -> None:
    rows = []
    for name, text in files.items():
        if not isinstance(name, str) or not 0 < len(name) <= FILE_NAME_LENGTH:
            raise ValueError(f"knowledge file name {str(name)[:40]!r} is not 1 to {FILE_NAME_LENGTH} characters")
        if not isinstance(text, str):
            raise ValueError(f"knowledge file {name!r} has {type(text).__name__} content, not text")
        rows.append({"version_id": version_id, "name": name, "text": text})
    await conn.execute(insert(KbVersionFileRow), rows)


async def _insert_entries(conn: AsyncConnection, batch: list[dict[str, Any]]) -> None:
    """One executemany INSERT; on failure, name the entry whose data is not JSON if there is one."""
    try:
        await conn.execute(insert(KbEntryRow), batch)
    except Exception as exc:
        for row in batch:
            try:
                json.dumps(row["data"], allow_nan=False)
            except (TypeError, ValueError) as json_exc:
                raise ValueError(
                    f"entry {row['entry_id']!r} ({row['section']}) cannot be stored as JSON: {json_exc}"
                ) from exc
        raise
