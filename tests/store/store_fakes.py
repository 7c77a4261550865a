"""A stand-in for the loaded knowledge base: just what ``Store.sync`` needs."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

Row = tuple[str, str, dict[str, Any]]


def entry(section: str, entry_id: str, text: str = "text") -> Row:
    return (section, entry_id, {"id": entry_id, "text": {"en": text, "zh": f"{text}（中文）"}})


@dataclass
class FakeKnowledge:
    rows: list[Row]
    counts: dict[str, int] = field(default_factory=dict)
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.counts:
            for section, _, _ in self.rows:
                self.counts[section] = self.counts.get(section, 0) + 1
        if not self.content_hash:
            blob = json.dumps(self.rows, sort_keys=True, ensure_ascii=False, default=repr)
            self.content_hash = hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def records(self) -> Iterator[Row]:
        yield from self.rows


SAMPLE = FakeKnowledge(
    [
        entry("people", "jan-leike", "Jan Leike co-led the superalignment team."),
        entry("people", "ilya-sutskever", "Ilya Sutskever co-led the superalignment team."),
        entry("events", "leike-resigns", "Jan Leike resigned in May 2024."),
        entry("claims", "compute-promise", "OpenAI promised 20% of its compute."),
    ]
)
