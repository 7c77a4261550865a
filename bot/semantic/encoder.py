"""What an encoder is to the rest of the bot: texts in, unit vectors out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, Protocol

import numpy as np

Kind = Literal["query", "passage"]  # E5-style models embed the two differently


class EncoderUnavailable(Exception):
    """The encoder cannot be loaded or reached; the message says why (no secrets in it)."""


class Encoder(Protocol):
    name: str  # names the model and its settings: vectors cached under one name are only reused by it

    async def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        """One L2-normalised float32 row per text, in order."""
        ...


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        vectors = vectors[None, :]
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)
