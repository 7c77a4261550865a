"""/readyz shows whether semantic retrieval is on, off (the settings) or unavailable (the encoder failed): the
state only, never the error's text."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.adapters.http import add_routes
from bot.core.answerer import Answerer
from bot.semantic.embeddings import Embeddings, embeddings_off
from bot.service import Citebot
from bot.settings import Settings
from tests.fakes.encoder import FakeEncoder
from tests.fakes.network_guard import loopback_only  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("loopback_only")
ROOT = Path(__file__).resolve().parents[2]


async def _readyz(tmp_path: Path, prepared, embeddings) -> dict:
    settings = Settings(knowledge_dir=ROOT / "knowledge", data_dir=tmp_path / "data", database_url="")
    citebot = Citebot(settings, Answerer(prepared, embeddings=embeddings))
    try:
        app = add_routes(web.Application(), citebot, "token")
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            response = await client.get("/readyz")
            assert response.status == 200
            return await response.json()
    finally:
        await citebot.close()


@pytest.fixture
def readyz(tmp_path, prepared):
    async def get(embeddings) -> dict:
        return await _readyz(tmp_path, prepared, embeddings)
    return get


async def test_readiness_shows_semantic_on_with_the_in_process_encoder(readyz, embeddings):
    body = await readyz(embeddings)
    assert body["ready"] and body["semantic"] == "on" and body["degraded"] == []


async def test_readiness_shows_semantic_unavailable_as_a_degradation_without_the_error(readyz, tmp_path):
    failing = Embeddings(FakeEncoder(), tmp_path)
    failing._failed("connection refused by http://embed.internal:8080 (password hunter2)")
    body = await readyz(failing)
    assert body["ready"] and body["semantic"] == "unavailable"
    assert body["degraded"] == ["semantic: unavailable (answering from the lexical index alone)"]
    assert "hunter2" not in str(body) and "embed.internal" not in str(body)


async def test_readiness_shows_semantic_off_when_the_settings_turn_it_off(readyz):
    body = await readyz(embeddings_off("turned off in the settings", turned_off=True))
    assert body["semantic"] == "off" and body["degraded"] == []


async def test_readiness_without_an_encoder_object_has_no_semantic_line(readyz):
    body = await readyz(None)
    assert "semantic" not in body and body["ready"]
