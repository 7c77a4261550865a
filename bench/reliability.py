"""What `confidence` means: answers bucketed by the confidence the bot gave them, and the share right in each.

usage: python bench/reliability.py [QUESTIONS.yaml ...]   (default: the shared dev sets and our paraphrases)
An answer counts right when the shared scorer passes it; declines are counted apart (their confidence is
how close the best candidate came).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script (python bench/reliability.py), bench/ is not a package

from bench.eval import ask_all  # noqa: E402

BUCKETS = [(0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01)]


def main() -> int:
    shared = Path(os.environ.get("CITEBOT_SHARED_DIR", ROOT.parent / "shared")).resolve()
    sets = [Path(p) for p in sys.argv[1:]] or [shared / "eval" / "dev.yaml", shared / "eval" / "dev-natural.yaml",
                                               ROOT / "tests" / "eval" / "paraphrases.yaml"]
    rows: list[tuple[float, bool]] = []
    declined = 0
    for questions in sets:
        items = yaml.safe_load(questions.read_text(encoding="utf-8"))
        with tempfile.TemporaryDirectory() as data:
            answers = ask_all(items, data)
            path = Path(data) / "a.jsonl"
            path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers), encoding="utf-8")
            report = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(questions), str(path),
                                     str(shared / "seed" / "article-zh.txt"), "--verbose"],
                                    capture_output=True, text=True, check=False).stdout
        failed = set(re.findall(r"^FAIL (\S+):", report, re.M))
        for item, answer in zip(items, answers, strict=True):
            if answer["answered"]:
                rows.append((answer["confidence"], item.get("id") not in failed))
            else:
                declined += 1
    print("| confidence | answers | right | share right |")
    print("|---|---|---|---|")
    for low, high in BUCKETS:
        inside = [ok for c, ok in rows if low <= c < high]
        share = f"{sum(inside) / len(inside):.0%}" if inside else "–"
        print(f"| {low:.1f}–{min(high, 1.0):.1f} | {len(inside)} | {sum(inside)} | {share} |")
    sure = [ok for c, ok in rows if c >= 0.5]
    print(f"\nanswers at confidence >= 0.5: {len(sure)}, right {sum(sure)} ({sum(sure) / max(1, len(sure)):.1%}); "
          f"declined: {declined}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
