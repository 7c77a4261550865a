"""How answering and reloading grow with the knowledge base: synthetic bases of 1k / 10k / 100k entries.

usage: python bench/scale.py [--sizes 1000,10000,100000] [--questions 300] [--semantic]
Prints, per size: time to build (validate + index), resident memory, and in-process answer latency
p50 / p99 over a mix of English and Chinese who / when / why / what questions about the synthetic
entries (and some the base cannot answer). With --semantic the in-process encoder is used as the bot
uses it by default: the first embedding of every entry is timed, then answers and reloads run with
the entry vectors' cache (a reload re-embeds only the entries an edit changed).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import random
import resource
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from bot.bootstrap import settle_heap
from bot.core.answerer import Answerer, prepare, prepare_all
from bot.core.types import Question
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.models import SECTIONS
from bot.semantic.embeddings import Embeddings

SYLLABLES = "ka lo mi ren tu sa vel dor pin qua zet bri mon fal gur hes jin kor lum nax".split()
HAN = "安北长东方高国海华江金京开利林龙明南平清山上石天文西新阳永中州"


def word(rng: random.Random, n: int = 3) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n))


def han(rng: random.Random, n: int = 4) -> str:
    return "".join(rng.choice(HAN) for _ in range(n))


def synthetic(size: int, seed: int = 7) -> list[tuple[str, dict]]:
    """``size`` entries: 5% people, 45% events, 40% claims, 10% topics, all citing one source."""
    rng = random.Random(seed)
    cite = [{"source": "synthetic", "quote": "A synthetic sentence."}]
    out: list[tuple[str, dict]] = [("sources", {"id": "synthetic", "title": "Synthetic", "publisher": "Bench",
                                                "language": "en"})]
    people = [f"p{n}" for n in range(max(10, size // 20))]
    for pid in people:
        first, last = word(rng, 2).title(), word(rng, 3).title()
        out.append(("people", {"id": pid, "name": {"en": f"{first} {last}", "zh": han(rng, 3)},
                               "aliases": [last], "role": {"en": f"{word(rng)} researcher", "zh": han(rng)},
                               "summary": {"en": f"{first} {last} worked on {word(rng)} and left in 2024.",
                                           "zh": f"{han(rng)}研究{han(rng)}。"}, "citations": cite}))
    n = 0
    while len(out) < size + 1:
        n += 1
        kind = rng.random()
        person = rng.choice(people)
        text = {"en": f"{word(rng)} {word(rng)} {word(rng)} announced the {word(rng)} {word(rng)} project.",
                "zh": f"{han(rng)}宣布了{han(rng)}{han(rng)}项目。"}
        if kind < 0.5:
            month = rng.randint(1, 12)
            out.append(("events", {"id": f"e{n}", "date": f"{rng.randint(2015, 2025)}-{month:02d}",
                                   "title": {"en": f"{word(rng)} {word(rng)}", "zh": han(rng)}, "text": text,
                                   "people": [person], "citations": cite}))
        elif kind < 0.9:
            out.append(("claims", {"id": f"c{n}", "kind": "reason", "by": person, "about": [person],
                                   "text": text, "citations": cite}))
        else:
            out.append(("topics", {"id": f"t{n}", "name": {"en": f"{word(rng)} {word(rng)}", "zh": han(rng)},
                                   "text": text, "citations": cite}))
    return out


def build(records: list[tuple[str, dict]]) -> KnowledgeBase:
    return KnowledgeBase.from_entries([SECTIONS[section].model_validate(data) for section, data in records])


def questions(kb: KnowledgeBase, count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    asked = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.25:
            asked.append(f"Who is {rng.choice(kb.people).name.en}?")
        elif roll < 0.45:
            event = rng.choice(kb.events)
            asked.append(f"When did {event.title.en} happen?")
        elif roll < 0.6:
            asked.append(f"Why did {rng.choice(kb.people).name.en} leave?")
        elif roll < 0.75:
            asked.append(f"{rng.choice(kb.people).name.zh}是谁？")
        elif roll < 0.9:
            asked.append(f"What is {rng.choice(kb.topics).name.en}?" if kb.topics else "What is it?")
        else:
            asked.append("What is the price of Bitcoin today?")
    return asked


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def measure(size: int, count: int, embeddings: Embeddings | None = None) -> None:
    records = synthetic(size)
    gc.collect()
    started = time.perf_counter()
    kb = build(records)
    validated = time.perf_counter()
    prepared = prepare(kb)
    built = time.perf_counter()
    if embeddings is not None:
        embedding = time.perf_counter()
        prepared = await prepare_all(kb, embeddings)
        print(f"{size:>7} entries: first embedding of every entry {time.perf_counter() - embedding:.1f} s "
              f"(once per machine: cached by content)", flush=True)
        embedding = time.perf_counter()
        prepared = await prepare_all(kb, embeddings)
        print(f"{'':>7}          prepare again with every vector cached {time.perf_counter() - embedding:.2f} s",
              flush=True)
    answerer = Answerer(prepared, embeddings=embeddings)
    settle_heap()  # as `citebot serve` does after start-up: what start-up built is out of the collector's sight
    asked = questions(kb, count)
    for text in asked[:20]:
        await answerer.ask(Question(text))
    timings = []
    for text in asked:
        t0 = time.perf_counter()
        await answerer.ask(Question(text))
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * (len(timings) - 1)))]
    print(f"{size:>7} entries: validate {validated - started:6.2f} s, index {built - validated:6.2f} s, "
          f"peak RSS {rss_mb():7.0f} MB; answer p50 {statistics.median(timings):6.2f} ms, p99 {p99:6.2f} ms",
          flush=True)
    if size <= 20_000:
        cold, warm = await reload_from_files(records, answerer, embeddings)
        print(f"{'':>7}          reload from YAML files (parse + validate + index{' + vectors' if embeddings else ''}"
              f" + swap): first {cold:.2f} s, after an edit to one entry {warm:.2f} s", flush=True)


async def reload_from_files(records: list[tuple[str, dict]], answerer: Answerer, embeddings: Embeddings | None
                            ) -> tuple[float, float]:
    """What a reload does: read and validate the YAML files with line numbers, index, swap."""
    from bot.knowledge.loader import check_knowledge

    with tempfile.TemporaryDirectory() as folder:
        write_files(Path(folder), records)
        times = []
        for _ in range(2):
            started = time.perf_counter()
            report = check_knowledge(Path(folder))
            assert report.kb is not None, report.problems[:3]
            answerer.swap(await prepare_all(report.kb, embeddings) if embeddings else prepare(report.kb))
            times.append(time.perf_counter() - started)
            edit_one_entry(Path(folder))
        return times[0], times[1]


def write_files(folder: Path, records: list[tuple[str, dict]]) -> None:
    by_section: dict[str, list[dict]] = {}
    for section, data in records:
        by_section.setdefault(section, []).append(data)
    for section, items in by_section.items():
        plain = json.loads(json.dumps({section: items}))  # no shared objects: YAML would alias them
        (folder / f"{section}.yaml").write_text(yaml.safe_dump(plain, allow_unicode=True), encoding="utf-8")


def edit_one_entry(folder: Path) -> None:
    """An admin edits one entry of one file: the next reload re-reads only that file, re-embeds that entry."""
    topics = folder / "topics.yaml"
    topics.write_text(topics.read_text(encoding="utf-8").replace(" project.", " project, edited.", 1),
                      encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--semantic", action="store_true", help="with the in-process encoder and its cache")
    parser.add_argument("--cache-dir", type=Path, help="keep the entry vectors here between runs (default: a temp dir)")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        asyncio.run(run(size, args.questions, args.semantic, args.cache_dir))


async def run(size: int, count: int, semantic: bool, cache_dir: Path | None) -> None:
    if not semantic:
        await measure(size, count)
        return
    from bot.semantic.local import LocalE5

    encoder = LocalE5()
    await encoder.load()
    with tempfile.TemporaryDirectory() as cache:
        await measure(size, count, Embeddings(encoder, cache_dir or Path(cache)))


if __name__ == "__main__":
    main()
