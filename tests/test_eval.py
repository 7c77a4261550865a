"""The bar: the development questions and our own paraphrases, through `citebot ask --json -`, scored by
the shared scorer. A regression in understanding, retrieval, composition or a knowledge edit shows here."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def score(questions: Path, shared_dir: Path) -> tuple[int, int, int, int, int, str]:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "eval.py"), str(questions), "--verbose"],
        capture_output=True, text=True, cwd=ROOT, check=False,
        env={**os.environ, "CITEBOT_SHARED_DIR": str(shared_dir)},
    )
    assert run.returncode == 0, run.stderr
    match = re.search(r"score: (\d+)/(\d+) .*citations valid (\d+)/(\d+); wrong answers (\d+)", run.stdout)
    assert match, run.stdout + run.stderr
    right, total, valid, cited, wrong = map(int, match.groups())
    return right, total, valid, cited, wrong, run.stdout


# Floors: a change that answers fewer of these, or answers more of them wrongly, fails CI. The natural set
# (follow-ups replayed in one conversation) is the one people's own wording is measured by.
SETS = {
    "dev": ("eval/dev.yaml", 28, 0),
    "natural": ("eval/dev-natural.yaml", 110, 2),
    "paraphrases": (None, 82, 0),
}


@pytest.mark.parametrize("name", list(SETS))
def test_question_sets_score_and_every_citation_is_valid(shared_dir: Path, name: str):
    relative, at_least, most_wrong = SETS[name]
    path = shared_dir / relative if relative else ROOT / "tests" / "eval" / "paraphrases.yaml"
    right, _, valid, cited, wrong, report = score(path, shared_dir)
    assert right >= at_least, report
    assert wrong <= most_wrong, report
    assert valid == cited and cited > 0, report
