"""Score the bot on a question set through its real contract: `citebot ask --json -`, then the shared scorer.

usage: python bench/eval.py QUESTIONS.yaml [--verbose] [--answers FILE]
Each item's `context` (earlier questions of a follow-up) is asked first in the same conversation, as the
shared run.py does; only the answer to the item's own question is scored. Prints the scorer's report,
then the score per category (the id's prefix) and the wrong answers. score.py and the seed article come
from the shared folder: $CITEBOT_SHARED_DIR, else ../shared.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def ask_all(items: list[dict], data_dir: str) -> list[dict]:
    """Every item's answer (its context asked first, in one conversation), in order."""
    lines, keep = [], []
    for n, item in enumerate(items):
        conversation = f"eval-{n}-{item.get('id', n)}"
        for earlier in item.get("context") or []:
            lines.append(json.dumps({"question": earlier, "conversation_id": conversation}, ensure_ascii=False))
            keep.append(False)
        lines.append(json.dumps({"question": item["q"], "conversation_id": conversation}, ensure_ascii=False))
        keep.append(True)
    citebot = Path(sys.executable).with_name("citebot")
    run = subprocess.run([str(citebot), "ask", "--json", "-"], input="\n".join(lines) + "\n", capture_output=True,
                         text=True, env={**os.environ, "CITEBOT_DATA_DIR": data_dir}, check=False)
    if run.returncode != 0:
        raise SystemExit(f"citebot ask --json - failed ({run.returncode}): {run.stderr.strip()[-2000:]}")
    answers = [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    if len(answers) != len(lines):
        raise SystemExit(f"got {len(answers)} answers for {len(lines)} questions")
    return [a for a, k in zip(answers, keep, strict=True) if k]


def main() -> int:
    questions = Path(sys.argv[1]).resolve()
    verbose = "--verbose" in sys.argv
    shared = Path(os.environ.get("CITEBOT_SHARED_DIR", ROOT.parent / "shared")).resolve()
    items = yaml.safe_load(questions.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as data:
        answers = ask_all(items, data)
        path = Path(sys.argv[sys.argv.index("--answers") + 1]) if "--answers" in sys.argv else Path(data) / "a.jsonl"
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in answers), encoding="utf-8")
        run = subprocess.run([sys.executable, str(shared / "eval" / "score.py"), str(questions), str(path),
                              str(shared / "seed" / "article-zh.txt"), "--verbose"],
                             capture_output=True, text=True, check=False)
    report = run.stdout
    failed = set(re.findall(r"^FAIL (\S+):", report, re.M))
    wrong = {i for i, why in re.findall(r"^FAIL (\S+): .*?: (.*)$", report, re.M) if "did not answer" not in why}
    right, total = Counter(), Counter()
    for item in items:
        kind = str(item.get("id", "?")).split("-")[0]
        total[kind] += 1
        right[kind] += item.get("id") not in failed
    print(report if verbose else report.strip().splitlines()[-1])
    print("by category: " + ", ".join(f"{k} {right[k]}/{total[k]}" for k in total))
    print("wrong answers: " + (", ".join(sorted(wrong)) or "none"))
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
