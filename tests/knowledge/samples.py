"""A minimal knowledge folder for the loader's tests: one source, one event, and a helper to write files."""

from __future__ import annotations

import textwrap
from pathlib import Path

SOURCES = """\
sources:
  - id: src-a
    title: A story
    publisher: Example Press
    language: en
    verbatim: ["Intro. The thing   launched in May. Outro."]
"""
GOOD_EVENT = """\
events:
  - id: launch
    date: "2024-05"
    title: {en: The launch, zh: 发布}
    text: {en: Something launched in May., zh: 五月发布了某物。}
    citations:
      - source: src-a
        quote: The thing launched in May.
"""


def write(folder: Path, name: str, body: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path
