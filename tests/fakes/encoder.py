"""A fake encoder for tests: deterministic unit vectors, every call counted, and a switch that makes
it fail as an unreachable encoder does."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.semantic.encoder import EncoderUnavailable, Kind
from tests.fakes.embedding_server import vector_for


class FakeEncoder:
    def __init__(self, name: str = "fake/encoder", *, down: bool = False) -> None:
        self.name = name
        self.down = down
        self.calls: list[tuple[Kind, list[str]]] = []

    async def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        self.calls.append((kind, list(texts)))
        if self.down:
            raise EncoderUnavailable("the fake encoder is down")
        return np.vstack([vector_for(f"{kind}:{t}") for t in texts]) if texts else np.zeros((0, 8), np.float32)

    @property
    def embedded(self) -> list[str]:
        """Every text it was asked to embed as a passage."""
        return [t for kind, texts in self.calls if kind == "passage" for t in texts]
