"""`citebot kb fingerprint SOURCE FILE`: let a source's quotes be verified without committing its text."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

from bot.errors import CitebotError
from bot.knowledge.fingerprint import Print
from bot.knowledge.fingerprints_file import FILE_NAME, fingerprint_entry, read_source_copy, source_ids, with_fingerprint
from bot.knowledge.loader import check_knowledge
from bot.live import write_atomically
from bot.settings import Settings


async def fingerprint(settings: Settings, source_id: str, copy: Path, force: bool = False) -> int:
    """Build the fingerprint of ``source_id`` from ``copy``; write it only when the source's quotes verify."""
    folder = settings.knowledge_dir
    if not folder.is_dir():
        raise CitebotError(f"no knowledge folder at {folder}")
    if source_id not in await asyncio.to_thread(source_ids, folder):
        raise CitebotError(f"no source '{source_id}' in {folder} (the ids are in sources.yaml)")
    text = await asyncio.to_thread(read_source_copy, copy)
    built = await asyncio.to_thread(Print.build, source_id, text)
    if built.chars < built.ngram:
        raise CitebotError(f"{copy}: {built.chars} characters is too little text to fingerprint")
    data = with_fingerprint(folder, fingerprint_entry(source_id, built, dt.datetime.now(dt.UTC).date()))
    report = await asyncio.to_thread(check_knowledge, folder, replacing={FILE_NAME: data})
    own = [p for p in report.errors if f"source '{source_id}'" in p.message]
    for problem in own:
        print(problem)
    summary = (f"{source_id}: fingerprint of {built.chars} characters ({built.bits} bits, "
               f"{built.fill:.0%} set), copy sha256 {built.sha256[:12]}")
    if own and not force:
        print(f"{summary}: {len(own)} quote(s) above are not in this copy; {folder / FILE_NAME} is unchanged "
              f"(--force writes it anyway)")
        return 1
    await asyncio.to_thread(write_atomically, folder / FILE_NAME, data)
    others = len(report.errors) - len(own)
    print(f"{summary}: written to {folder / FILE_NAME}"
          + (f"; the folder has {others} other error(s) (citebot kb check)" if others else ""))
    return 0
