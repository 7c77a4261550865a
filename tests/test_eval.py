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


def score(questions: Path, shared_dir: Path) -> tuple[int, int, int, int, str]:
    run = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "eval.py"), str(questions), "--verbose"],
        capture_output=True, text=True, cwd=ROOT, check=False,
        env={**os.environ, "CITEBOT_SHARED_DIR": str(shared_dir)},
    )
    assert run.returncode == 0, run.stderr
    match = re.search(r"score: (\d+)/(\d+) .*citations valid (\d+)/(\d+)", run.stdout)
    assert match, run.stdout + run.stderr
    right, total, valid, cited = map(int, match.groups())
    return right, total, valid, cited, run.stdout


@pytest.mark.parametrize(("questions", "at_least"), [("dev", 26 / 28), ("paraphrases", 0.9)])
def test_question_sets_score_and_every_citation_is_valid(shared_dir: Path, questions: str, at_least: float):
    path = shared_dir / "eval" / "dev.yaml" if questions == "dev" else ROOT / "tests" / "eval" / "paraphrases.yaml"
    right, total, valid, cited, report = score(path, shared_dir)
    assert right / total >= at_least, report
    assert valid == cited and cited > 0, report
