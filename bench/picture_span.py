"""What one timeline picture costs when the knowledge holds an event dated in the year 0001 (the loader allows it).

usage: python bench/picture_span.py [--year 1]
Draws the whole timeline of the curated knowledge, then of the same knowledge plus one event dated ``--year``,
each in a fresh process; prints the months the time axis lays out, the drawing's wall time and the process's
peak memory (ru_maxrss) beside a process that only loaded the knowledge.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.core.answerer import Prepared, prepare  # noqa: E402
from bot.knowledge.base import KnowledgeBase  # noqa: E402
from bot.knowledge.loader import load_knowledge  # noqa: E402
from bot.picture import draw_timeline  # noqa: E402
from bot.picture.scale import MonthScale  # noqa: E402
from bot.settings import load_settings  # noqa: E402


def knowledge(year: int | None) -> Prepared:
    settings = load_settings()
    kb = load_knowledge(settings.knowledge_dir)
    if year is None:
        return prepare(kb)
    records = list(kb.records())
    section, _, data = next(r for r in records if r[0] == "events")
    ancient = {**data, "id": "an-ancient-event", "date": f"{year:04d}"}
    ancient.pop("end", None)
    return prepare(KnowledgeBase.from_records([*records, (section, "an-ancient-event", ancient)]))


async def child(mode: str, year: int) -> None:
    prepared = knowledge(None if mode == "plain" else year)
    if mode == "load":
        print(f"- - {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")
        return
    await draw_timeline(prepared, person="Leike")  # matplotlib and the fonts loaded, so the next one is the cost
    started = time.perf_counter()
    picture = await draw_timeline(prepared)
    took = time.perf_counter() - started
    months = len(MonthScale.of(picture.chart.marks).months)
    print(f"{months} {took:.2f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--year", type=int, default=1)
    parser.add_argument("--child", choices=("load", "plain", "ancient"))
    args = parser.parse_args()
    if args.child:
        asyncio.run(child(args.child, args.year))
        return
    runs = {}
    for mode in ("load", "plain", "ancient"):
        out = subprocess.run([sys.executable, __file__, "--child", mode, "--year", str(args.year)], check=True,
                             capture_output=True, text=True).stdout.split()
        runs[mode] = out
    base = int(runs["load"][2])
    for mode, label in (("plain", "curated knowledge"), ("ancient", f"plus one event dated {args.year:04d}")):
        months, took, rss = runs[mode]
        print(f"{label}: {months} months on the axis, drawn in {float(took):.2f} s, "
              f"peak memory {int(rss) / 1024:.0f} MB ({(int(rss) - base) / 1024:+.0f} MB over loading the knowledge)")


if __name__ == "__main__":
    main()
