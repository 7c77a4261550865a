"""Score the bot on a question set through its real contract: `citebot ask --json -` then score.py.

usage: python bench/eval.py QUESTIONS.yaml [--verbose]
score.py and the seed article come from the shared folder: $CITEBOT_SHARED_DIR, else ../shared.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml


def main() -> int:
    questions = Path(sys.argv[1]).resolve()
    verbose = "--verbose" in sys.argv
    shared = Path(os.environ.get("CITEBOT_SHARED_DIR", "../shared")).resolve()
    items = yaml.safe_load(questions.read_text(encoding="utf-8"))
    stdin = "".join(item["q"].replace("\n", " ") + "\n" for item in items)
    citebot = Path(sys.executable).with_name("citebot")
    with tempfile.TemporaryDirectory() as data:
        answers = Path(data) / "answers.jsonl"
        env_data = {"CITEBOT_DATA_DIR": data}
        run = subprocess.run(
            [str(citebot), "ask", "--json", "-"],
            input=stdin,
            capture_output=True,
            text=True,
            env={**__import__("os").environ, **env_data},
            check=False,
        )
        if run.returncode != 0:
            print(run.stderr, file=sys.stderr)
            return run.returncode
        answers.write_text(run.stdout, encoding="utf-8")
        score = [
            sys.executable,
            str(shared / "eval" / "score.py"),
            str(questions),
            str(answers),
            str(shared / "seed" / "article-zh.txt"),
        ] + (["--verbose"] if verbose else [])
        return subprocess.run(score, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
