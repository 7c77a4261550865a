"""Score the bot on a question set through its real contract: `citebot ask --json -`, then the shared scorer.

usage: python bench/eval.py [QUESTIONS] [--shared DIR] [--verbose] [--answers FILE]
QUESTIONS is a question set's file, or the name of one in the shared folder's eval/ ("dev", the default,
or "dev-natural"). The shared folder (eval/score.py, eval/*.yaml, seed/article-zh.txt) is --shared DIR,
else $CITEBOT_SHARED_DIR, else ../shared beside the checkout; when something is missing it says so in one
line. Each item's `context` (earlier questions of a follow-up) is asked first in the same conversation, as
the shared run.py does; only the answer to the item's own question is scored. Prints the scorer's report,
then the score per category (the id's prefix) and the wrong answers.
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


def _option(args: list[str], name: str) -> str | None:
    if name not in args:
        return None
    at = args.index(name)
    if at + 1 >= len(args):
        raise SystemExit(f"bench/eval.py: {name} needs a value")
    value = args[at + 1]
    del args[at:at + 2]
    return value


def locate(args: list[str]) -> tuple[Path, Path]:
    """(the question set, the shared folder), or a one-line SystemExit naming what is missing and how to point."""
    shared = Path(_option(args, "--shared") or os.environ.get("CITEBOT_SHARED_DIR") or ROOT.parent / "shared")
    named = next((a for a in args if not a.startswith("--")), "dev")
    questions = Path(named)
    if not questions.suffix and not questions.exists():
        questions = shared / "eval" / f"{named}.yaml"
    hint = "(give --shared DIR or set CITEBOT_SHARED_DIR to the folder holding eval/ and seed/)"
    if not questions.is_file():
        raise SystemExit(f"bench/eval.py: no question set at {questions} {hint}")
    for needed in (shared / "eval" / "score.py", shared / "seed" / "article-zh.txt"):
        if not needed.is_file():
            raise SystemExit(f"bench/eval.py: the scorer needs {needed}, which is missing {hint}")
    return questions.resolve(), shared.resolve()


def main() -> int:
    args = sys.argv[1:]
    verbose = "--verbose" in args
    answers_file = _option(args, "--answers")
    questions, shared = locate([a for a in args if a != "--verbose"])
    items = yaml.safe_load(questions.read_text(encoding="utf-8"))
    with tempfile.TemporaryDirectory() as data:
        answers = ask_all(items, data)
        path = Path(answers_file) if answers_file else Path(data) / "a.jsonl"
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
