"""RemoteEmbeddings against a loopback OpenAI-compatible /v1/embeddings server: what it sends, what it gives back,
and that every failure of the server is EncoderUnavailable (which the answerer turns into lexical-only answers)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import numpy as np
import pytest

from bot.semantic.encoder import EncoderUnavailable
from bot.semantic.remote import RemoteEmbeddings
from tests.fakes.embedding_server import FakeEmbeddingServer, vector_for
from tests.fakes.network_guard import loopback_only  # noqa: F401  (fixture)

pytestmark = pytest.mark.usefixtures("loopback_only")


@pytest.fixture
async def server() -> AsyncIterator[FakeEmbeddingServer]:
    async with FakeEmbeddingServer() as fake:
        yield fake


@pytest.fixture
async def remote(server) -> AsyncIterator[RemoteEmbeddings]:
    encoder = RemoteEmbeddings(server.url, "e5-small", api_key="k-123", timeout=0.5, query_prefix="query: ",
                               passage_prefix="passage: ")
    yield encoder
    await encoder.close()


async def test_the_request_names_the_model_the_inputs_and_their_kind(server, remote):
    await remote.embed(["Who is Jan Leike?"], "query")
    await remote.embed(["Jan Leike resigned.", "扬·莱克辞职了。"], "passage")
    first, second = (r.body for r in server.requests)
    assert first == {"model": "e5-small", "input": ["query: Who is Jan Leike?"], "input_type": "query"}
    assert second == {"model": "e5-small", "input": ["passage: Jan Leike resigned.", "passage: 扬·莱克辞职了。"],
                      "input_type": "passage"}
    assert server.requests[0].headers["Authorization"] == "Bearer k-123"


async def test_vectors_come_back_in_the_order_of_the_inputs(server, remote):
    """The fake lists its items in reverse: they are put back in order by their index."""
    texts = ["Jan Leike", "Ilya Sutskever", "超级对齐团队"]
    vectors = await remote.embed(texts, "passage")
    expected = np.vstack([vector_for(f"passage: {t}") for t in texts])
    assert vectors.shape == (3, 8) and vectors.dtype == np.float32
    assert np.allclose(vectors, expected, atol=1e-6)


async def test_vectors_are_normalised(server, remote):
    server.scale = 7.5
    vectors = await remote.embed(["Jan Leike", "Sam Altman"], "query")
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-6)


async def test_many_inputs_are_sent_in_batches_and_joined_in_order(server, remote):
    texts = [f"passage number {i}" for i in range(70)]
    vectors = await remote.embed(texts, "passage")
    assert [len(r.body["input"]) for r in server.requests] == [64, 6]
    assert np.allclose(vectors[65], vector_for("passage: passage number 65"), atol=1e-6)


async def test_without_a_key_no_authorization_is_sent(server):
    encoder = RemoteEmbeddings(server.url + "/v1/embeddings", "m")
    try:
        await encoder.embed(["x"], "query")
    finally:
        await encoder.close()
    assert "Authorization" not in server.requests[0].headers
    assert server.requests[0].body["input"] == ["x"], "no prefix unless configured"


@pytest.mark.parametrize("mode", ["error", "drop", "slow"])
async def test_a_failing_server_is_encoder_unavailable(server, remote, mode):
    server.mode = mode
    with pytest.raises(EncoderUnavailable) as raised:
        await remote.embed(["Who is Jan Leike?"], "query")
    assert "k-123" not in str(raised.value), "no secret in the message"


async def test_an_unreachable_server_is_encoder_unavailable():
    async with FakeEmbeddingServer() as gone:
        url = gone.url
    encoder = RemoteEmbeddings(url, "m", timeout=0.5)
    try:
        with pytest.raises(EncoderUnavailable):
            await encoder.embed(["x"], "query")
    finally:
        await encoder.close()


async def test_the_server_being_back_means_vectors_again(server, remote):
    server.mode = "error"
    with pytest.raises(EncoderUnavailable):
        await remote.embed(["x"], "query")
    server.mode = "ok"
    assert (await remote.embed(["x"], "query")).shape == (1, 8)
