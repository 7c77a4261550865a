"""A fake OpenAI-compatible ``/v1/embeddings`` server on 127.0.0.1 for tests of ``RemoteEmbeddings``.

It answers each input with a deterministic vector (from the SHA-256 of the text: the same text, the same vector),
unit length times ``scale``, and lists the items in reverse order (so a client must sort them by ``index``). It
records every request's JSON body and headers. ``mode`` makes it fail: "error" answers HTTP 500, "drop" closes the
connection without an answer, "slow" waits ``delay`` seconds first.
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from aiohttp import web

DIMENSION = 8


def vector_for(text: str, dimension: int = DIMENSION) -> np.ndarray:
    """The fake's unit vector for ``text``."""
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:8], "big")
    raw = np.random.default_rng(seed).standard_normal(dimension).astype(np.float32)
    return raw / np.linalg.norm(raw)


@dataclass
class Received:
    body: Any
    headers: dict[str, str]


@dataclass
class FakeEmbeddingServer:
    mode: str = "ok"  # "ok" | "error" | "drop" | "slow"
    scale: float = 1.0  # vectors are unit length times this (a client must normalise them)
    delay: float = 1.0  # seconds, in "slow" mode
    dimension: int = DIMENSION
    requests: list[Received] = field(default_factory=list)
    _runner: web.AppRunner | None = None
    _port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    async def __aenter__(self) -> FakeEmbeddingServer:
        app = web.Application()
        app.router.add_post("/v1/embeddings", self._embeddings)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self._port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _embeddings(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(Received(body, dict(request.headers)))
        if self.mode == "error":
            return web.json_response({"error": {"message": "model overloaded"}}, status=500)
        if self.mode == "drop":
            assert request.transport is not None
            request.transport.close()  # no status line, no body: the client sees the connection go
            return web.Response()
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        data = [{"object": "embedding", "index": i,
                 "embedding": (self.scale * vector_for(text, self.dimension)).tolist()}
                for i, text in enumerate(inputs)]
        return web.json_response({"object": "list", "model": body.get("model"), "data": data[::-1]})
