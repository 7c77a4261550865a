"""The knowledge tests' folder: ``knowledge/sources.yaml`` its one source with its verbatim text."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.knowledge.samples import SOURCES, write


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    write(knowledge, "sources.yaml", SOURCES)
    return knowledge
