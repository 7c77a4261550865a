"""Entry vectors cached by content hash in one file per encoder, so only changed entries are embedded.

The file (``embeddings-<hash of the encoder name>.npz`` in the cache folder, ``data_dir`` by default)
holds the keys (SHA-256 of encoder name, kind and text) and a float32 matrix. It is read once and
rewritten atomically after new vectors were added; a missing or unreadable file is an empty cache.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MAX_ROWS = 200_000  # a bound on the file: beyond it the least recently written rows are dropped


def text_key(encoder_name: str, kind: str, text: str) -> bytes:
    return hashlib.sha256(f"{encoder_name}\0{kind}\0{text}".encode("utf-8", "surrogatepass")).digest()


class EmbeddingCache:
    def __init__(self, folder: Path | None, encoder_name: str) -> None:
        slug = hashlib.sha256(encoder_name.encode()).hexdigest()[:12]
        self.path = folder / f"embeddings-{slug}.npz" if folder is not None else None
        self.encoder_name = encoder_name
        self._rows: dict[bytes, np.ndarray] = {}
        self._dirty = False
        self._read()

    def _read(self) -> None:
        if self.path is None or not self.path.is_file():
            return
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
            if keys.ndim != 2 or keys.shape[1] != 32 or len(keys) != len(vectors):
                raise ValueError("keys and vectors do not match")
            self._rows = {k.tobytes(): v for k, v in zip(keys, vectors, strict=True)}
        except Exception as err:  # empty, truncated, from another version: an empty cache, never a failed start
            log.warning("embedding cache %s unreadable (%s); starting empty", self.path, type(err).__name__)
            self._rows = {}

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, key: bytes) -> np.ndarray | None:
        return self._rows.get(key)

    def put_many(self, keys: Sequence[bytes], vectors: np.ndarray) -> None:
        for key, vector in zip(keys, vectors, strict=True):
            self._rows.pop(key, None)
            self._rows[key] = vector  # newest last: the bound drops the oldest first
        while len(self._rows) > MAX_ROWS:
            del self._rows[next(iter(self._rows))]
        self._dirty = bool(len(keys)) or self._dirty

    def save(self) -> None:
        """Write the file if anything was added (atomically: a reader never sees half a file)."""
        if not self._dirty or self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # raw digests as a (rows, 32) byte matrix: numpy's "S32" strings would drop trailing zero bytes
            keys = np.frombuffer(b"".join(self._rows), dtype=np.uint8).reshape(-1, 32)
            vectors = np.vstack(list(self._rows.values())).astype(np.float32)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".embeddings-", suffix=".npz")
            with os.fdopen(fd, "wb") as out:
                np.savez(out, keys=keys, vectors=vectors)
            os.replace(tmp, self.path)
            self._dirty = False
        except OSError as err:  # a read-only data folder costs start-up time, not the answers
            log.warning("could not write the embedding cache %s: %s", self.path, err)
