"""Parsed knowledge files remembered by content, least recently used first out, within a byte budget.

Parsing YAML with line numbers and validating is most of a reload's cost, so a reload parses again
only the files that changed. What a parse keeps (the raw mapping, the path -> line table, the
models) is mostly per YAML node: 400-570 bytes a node measured with tracemalloc (10-32 times the
file's size, depending on how small its entries are), so ``parsed_size`` charges each entry
``BYTES_PER_NODE`` a node plus ``BYTES_PER_SOURCE_BYTE`` for its text, a little more than measured.
Each file's latest parse is kept; the earlier versions never hold more than ``budget`` however many
versions of a file it has seen (the default holds the curated folder a dozen times over, or one 2 MB
file of long texts). Reloads and upload checks run in worker threads, hence the lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

Value = TypeVar("Value")

BYTES_PER_NODE = 600
BYTES_PER_SOURCE_BYTE = 4
DEFAULT_BUDGET = 64 * 1024 * 1024


def parsed_size(source_bytes: int, nodes: int) -> int:
    """The memory a parse of ``source_bytes`` with ``nodes`` YAML nodes is charged."""
    return source_bytes * BYTES_PER_SOURCE_BYTE + nodes * BYTES_PER_NODE


class ParseCache(Generic[Value]):
    """The latest parse of each file is always kept (a reload must not parse an unchanged file again: at
    10,000 entries that is most of a reload's time), bounded by the folder itself; ``budget`` bounds the
    earlier versions, which only help when an edit is undone."""

    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.used = 0  # the estimated bytes held
        self._items: OrderedDict[tuple[str, str], tuple[Value, int]] = OrderedDict()
        self._latest: dict[str, tuple[str, str]] = {}  # per file name, the key of its latest parse
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    @property
    def earlier(self) -> int:
        """The estimated bytes held by parses that are not a file's latest."""
        latest = set(self._latest.values())
        return sum(cost for key, (_, cost) in self._items.items() if key not in latest)

    def get(self, key: tuple[str, str]) -> Value | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            self._latest[key[0]] = key
            return found[0]

    def put(self, key: tuple[str, str], value: Value, cost: int) -> None:
        """Remember ``value`` (``cost`` bytes) as its file's latest parse, then drop the least recently used
        earlier versions until they fit the budget."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.used -= old[1]
            self._items[key] = (value, cost)
            self.used += cost
            self._latest[key[0]] = key
            latest = set(self._latest.values())
            earlier = sum(c for k, (_, c) in self._items.items() if k not in latest)
            for older in [k for k in self._items if k not in latest]:
                if earlier <= self.budget:
                    break
                _, dropped = self._items.pop(older)
                self.used -= dropped
                earlier -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._latest.clear()
            self.used = 0
