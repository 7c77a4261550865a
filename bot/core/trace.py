"""What each stage of answering did with a question: kept on the answer, printed by ``bench/explain.py``.

A stage records its time and a few facts that explain its outcome (the intent read, the entries ranked
first, the shape decided, what the check found), so an engineer can see why an answer came out as it did.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

STAGES = ("read", "understand", "retrieve", "decide", "compose", "check")


@dataclass
class Stage:
    name: str
    ms: float = 0.0
    facts: dict[str, str] = field(default_factory=dict)

    def note(self, **facts: object) -> None:
        self.facts.update({key: _short(value) for key, value in facts.items() if value not in (None, "", (), [])})

    def line(self) -> str:
        said = "; ".join(f"{key}={value}" for key, value in self.facts.items())
        return f"{self.name:<10} {self.ms:7.2f} ms  {said}"


@dataclass
class Trace:
    stages: list[Stage] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str) -> Iterator[Stage]:
        record = Stage(name)
        self.stages.append(record)
        started = time.perf_counter()
        try:
            yield record
        finally:
            record.ms = (time.perf_counter() - started) * 1000

    def get(self, name: str) -> Stage:
        """The stage's record (an empty one if it did not run)."""
        return next((s for s in self.stages if s.name == name), Stage(name))

    def lines(self) -> list[str]:
        return [s.line() for s in self.stages]


def _short(value: object, limit: int = 160) -> str:
    if isinstance(value, list | tuple):
        value = ", ".join(map(str, value))
    text = str(value).replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"
