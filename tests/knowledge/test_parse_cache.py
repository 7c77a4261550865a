"""The parse cache: a reload re-parses only what changed, but a file edited many times does not pile up in memory."""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import bot.knowledge.loader as loader
from bot.knowledge.loader import check_knowledge
from bot.knowledge.parse_cache import ParseCache
from tests.knowledge.samples import GOOD_EVENT, write


def many_events(n: int) -> str:
    one = GOOD_EVENT.removeprefix("events:\n")
    return "events:\n" + "".join(one.replace("id: launch", f"id: launch-{i}") for i in range(n))


def test_many_edits_of_a_file_stay_within_the_cache_budget(folder: Path, monkeypatch):
    budget = 4 * 1024 * 1024
    monkeypatch.setattr(loader, "_FILE_CACHE", ParseCache(budget))
    body = many_events(200)
    assert 40_000 < len(body.encode()) < 60_000  # about the size of the curated events.yaml
    copies = [folder.parent / "copies"]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for edit in range(16):  # 16 versions: about 24 MB of parses if every one were kept
            write(folder, "events.yaml", f"# edit {edit}\n{body}")
            assert check_knowledge(folder, copies).kb is not None
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert held < budget, f"{held / 2**20:.1f} MB held for a {budget / 2**20:.0f} MB budget"
    assert loader._FILE_CACHE.used <= budget


def test_a_failed_parse_is_not_cached_and_the_fix_is_read(folder: Path, monkeypatch):
    parsed: list[str] = []
    real = loader._parse_file
    monkeypatch.setattr(loader, "_parse_file", lambda data, name, problems: parsed.append(Path(name).name) or real(
        data, name, problems))
    broken = GOOD_EVENT.replace('"2024-05"', '"2024-13"')
    copies = [folder.parent / "copies"]
    write(folder, "events.yaml", broken)
    for _ in range(3):
        assert check_knowledge(folder, copies).kb is None
    assert parsed.count("events.yaml") == 3  # parsed each time: a failure is never remembered
    write(folder, "events.yaml", GOOD_EVENT)
    assert check_knowledge(folder, copies).kb is not None
    assert check_knowledge(folder, copies).kb is not None
    assert parsed.count("events.yaml") == 4  # the good version is remembered


def test_the_budget_drops_the_least_recently_used_first():
    cache: ParseCache[str] = ParseCache(budget=300)
    cache.put(("a", "1"), "A", 100)
    cache.put(("b", "1"), "B", 100)
    cache.put(("c", "1"), "C", 100)
    assert cache.get(("a", "1")) == "A"  # a is now the most recently used
    cache.put(("d", "1"), "D", 100)
    assert cache.get(("b", "1")) is None and cache.get(("a", "1")) == "A" and len(cache) == 3
    cache.put(("huge", "1"), "H", 1000)  # bigger than the whole budget: not kept, nothing dropped for it
    assert cache.get(("huge", "1")) is None and len(cache) == 3
