"""Answer latency, in-process and from process start: the numbers issue 2's bar names.

usage: python bench/answer.py [--rounds N]
Prints p50 / p99 of Answerer.ask over the development questions (and our paraphrases), then the
wall time of `citebot ask` from process start to printed answer (first run on a fresh data dir,
which syncs the store, and warm runs).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from bot.core.answerer import Answerer, prepare_all
from bot.core.types import Question
from bot.knowledge.loader import load_knowledge
from bot.semantic.loading import embeddings_from_settings
from bot.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def questions() -> list[str]:
    shared = Path(os.environ.get("CITEBOT_SHARED_DIR", ROOT.parent / "shared"))
    found = []
    for path in (shared / "eval" / "dev.yaml", shared / "eval" / "dev-natural.yaml",
                 ROOT / "tests" / "eval" / "paraphrases.yaml"):
        if path.is_file():
            found += [item["q"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))]
    return found


async def in_process(rounds: int) -> None:
    settings = load_settings()
    started = time.perf_counter()
    embeddings = await embeddings_from_settings(settings)
    prepared = await prepare_all(load_knowledge(settings.knowledge_dir), embeddings)
    print(f"load + validate + index the knowledge base, entry vectors from the cache: "
          f"{(time.perf_counter() - started) * 1000:.0f} ms ({sum(prepared.kb.counts.values())} entries; "
          f"semantic retrieval {embeddings.status})")
    answerer = Answerer(prepared, embeddings=embeddings)
    asked = questions()
    for text in asked:  # warm caches (stemmer, fuzzy matcher)
        await answerer.ask(Question(text))
    timings = []
    for _ in range(rounds):
        for text in asked:
            started = time.perf_counter()
            await answerer.ask(Question(text))
            timings.append((time.perf_counter() - started) * 1000)
    print(f"in-process answer latency over {len(asked)} questions x {rounds} rounds: "
          f"p50 {percentile(timings, 0.5):.2f} ms, p99 {percentile(timings, 0.99):.2f} ms, "
          f"max {max(timings):.2f} ms")


def process_start(runs: int) -> None:
    """Time from exec to the answer on stdout (the answer is printed in one write), and to process exit."""
    citebot = Path(sys.executable).with_name("citebot")
    answered, finished = [], []
    with tempfile.TemporaryDirectory() as data:
        # a fresh data dir each time, but the entry vectors' cache kept (a machine embeds its knowledge once)
        env = {**os.environ, "CITEBOT_DATA_DIR": data,
               "CITEBOT_EMBEDDING_CACHE_DIR": os.environ.get("CITEBOT_EMBEDDING_CACHE_DIR", str(ROOT / "data"))}
        for _ in range(runs):
            started = time.perf_counter()
            child = subprocess.Popen([str(citebot), "ask", "When did Jan Leike announce his departure?"], env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
            assert child.stdout is not None
            first = child.stdout.read(1)
            answered.append(time.perf_counter() - started)
            rest = child.stdout.read()
            child.wait()
            finished.append(time.perf_counter() - started)
            assert child.returncode == 0 and b"May 14, 2024" in first + rest
    print(f"`citebot ask` from process start to printed answer: first run (fresh data dir) {answered[0]:.2f} s; "
          f"then median {statistics.median(answered[1:]):.2f} s, max {max(answered[1:]):.2f} s")
    print(f"  process exit, after syncing the store and logging the question: first run {finished[0]:.2f} s; "
          f"then median {statistics.median(finished[1:]):.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    os.chdir(ROOT)
    asyncio.run(in_process(args.rounds))
    process_start(args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
