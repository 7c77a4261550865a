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
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for edit in range(16):  # 16 versions: about 24 MB of parses if every one were kept
            write(folder, "events.yaml", f"# edit {edit}\n{body}")
            assert check_knowledge(folder).kb is not None
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    latest = loader._FILE_CACHE.used - loader._FILE_CACHE.earlier  # the file as it is now, kept for reloads
    assert held < budget + latest, f"{held / 2**20:.1f} MB held for a {budget / 2**20:.0f} MB budget"
    assert loader._FILE_CACHE.earlier <= budget and latest < budget / 2


def test_a_failed_parse_is_not_cached_and_the_fix_is_read(folder: Path, monkeypatch):
    parsed: list[str] = []
    real = loader._parse_file
    monkeypatch.setattr(loader, "_parse_file", lambda data, name, problems: parsed.append(Path(name).name) or real(
        data, name, problems))
    broken = GOOD_EVENT.replace('"2024-05"', '"2024-13"')
    write(folder, "events.yaml", broken)
    for _ in range(3):
        assert check_knowledge(folder).kb is None
    assert parsed.count("events.yaml") == 3  # parsed each time: a failure is never remembered
    write(folder, "events.yaml", GOOD_EVENT)
    assert check_knowledge(folder).kb is not None
    assert check_knowledge(folder).kb is not None
    assert parsed.count("events.yaml") == 4  # the good version is remembered


def test_the_budget_drops_the_least_recently_used_earlier_versions_first():
    cache: ParseCache[str] = ParseCache(budget=200)
    for version in "1234":  # four versions of file a, each replaced by the next
        cache.put(("a", version), f"A{version}", 100)
    assert cache.get(("a", "4")) == "A4"  # the latest is kept
    assert cache.get(("a", "1")) is None and len(cache) == 3 and cache.earlier == 200  # two earlier ones fit
    cache.put(("a", "2"), "A2", 100)  # an edit undone: version 2 is the latest again, 3 and 4 are earlier
    assert cache.get(("a", "3")) == "A3" and cache.get(("a", "4")) == "A4"


def test_every_files_latest_parse_is_kept_whatever_the_budget():
    """A big knowledge folder: a reload after editing one file must not parse the others again."""
    cache: ParseCache[str] = ParseCache(budget=300)
    for name in "abcdef":
        cache.put((name, "1"), name.upper(), 1000)  # each bigger than the whole budget
    assert all(cache.get((name, "1")) == name.upper() for name in "abcdef")
    cache.put(("a", "2"), "A2", 1000)  # a is edited: its earlier version is over the budget, dropped
    assert cache.get(("a", "1")) is None and cache.get(("a", "2")) == "A2" and cache.earlier == 0
