"""Parsed knowledge files remembered by content, least recently used first out, within a byte budget.

Parsing YAML with line numbers and validating is most of a reload's cost, so a reload parses again
only the files that changed. What a parse keeps (the raw mapping, the path -> line table, the
models) is mostly per YAML node: 400-570 bytes a node measured with tracemalloc (10-32 times the
file's size, depending on how small its entries are), so ``parsed_size`` charges each entry
``BYTES_PER_NODE`` a node plus ``BYTES_PER_SOURCE_BYTE`` for its text, a little more than measured.
The cache never holds more than ``budget`` however many versions of a file it has seen (the
default holds the curated folder a dozen times over, or one 2 MB file of long texts); a parse
bigger than the budget is not kept. Reloads and upload checks run in worker threads, hence the lock.
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
    def __init__(self, budget: int = DEFAULT_BUDGET) -> None:
        self.budget = budget
        self.used = 0  # the estimated bytes held
        self._items: OrderedDict[tuple[str, str], tuple[Value, int]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: tuple[str, str]) -> Value | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            self._items.move_to_end(key)
            return found[0]

    def put(self, key: tuple[str, str], value: Value, cost: int) -> None:
        """Remember ``value`` (``cost`` bytes), dropping the least recently used until it fits; one bigger
        than the whole budget is not kept."""
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.used -= old[1]
            if cost > self.budget:
                return
            while self._items and self.used + cost > self.budget:
                _, (_, dropped) = self._items.popitem(last=False)
                self.used -= dropped
            self._items[key] = (value, cost)
            self.used += cost

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.used = 0
