"""The knowledge tests' folder: ``knowledge/sources.yaml`` and a source copy beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.knowledge.samples import SOURCES, write


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "copies").mkdir()
    (tmp_path / "copies" / "a.txt").write_text("Intro. The thing   launched in May. Outro.", encoding="utf-8")
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    write(knowledge, "sources.yaml", SOURCES)
    return knowledge
