"""Entry vectors are cached by content hash: read back as written, only changed passages re-embedded, and a file
that cannot be read is an empty cache, never a crash."""

from __future__ import annotations

import dataclasses
import logging
from types import SimpleNamespace

import numpy as np
import pytest

from bot.knowledge.models import Bilingual
from bot.semantic.cache import EmbeddingCache, text_key
from bot.semantic.index import build_semantic_index
from bot.semantic.passages import passage_text
from tests.fakes.encoder import FakeEncoder


def _cache_file(tmp_path, name="fake/encoder"):
    return EmbeddingCache(tmp_path, name).path


def test_vectors_are_written_and_read_back_by_content_hash(tmp_path):
    cache = EmbeddingCache(tmp_path, "fake/encoder")
    keys = [text_key("fake/encoder", "passage", t) for t in ("Jan Leike resigned.", "扬·莱克辞职了。")]
    vectors = np.array([[1, 0, 0], [0, 0.6, 0.8]], dtype=np.float32)
    cache.put_many(keys, vectors)
    cache.save()
    again = EmbeddingCache(tmp_path, "fake/encoder")
    assert len(again) == 2
    assert np.array_equal(again.get(keys[0]), vectors[0]) and np.array_equal(again.get(keys[1]), vectors[1])
    assert again.get(text_key("fake/encoder", "passage", "Jan Leike resigned!")) is None


def test_a_key_names_the_encoder_the_kind_and_the_text():
    key = text_key("e5", "passage", "text")
    assert key == text_key("e5", "passage", "text")
    assert len({key, text_key("e5", "query", "text"), text_key("other", "passage", "text"),
                text_key("e5", "passage", "text ")}) == 4


def test_each_encoder_has_its_own_file(tmp_path):
    assert EmbeddingCache(tmp_path, "a").path != EmbeddingCache(tmp_path, "b").path


def test_nothing_is_written_when_nothing_was_added(tmp_path):
    cache = EmbeddingCache(tmp_path, "fake/encoder")
    cache.save()
    assert not cache.path.exists()


def _entries_with_safe_keys(kb, index, name: str, count: int) -> SimpleNamespace:
    """An index of ``count`` entries whose cache keys do not end in a NUL byte (see the xfail below): the
    re-embedding logic on its own."""
    def safe(entry_id: str) -> bool:
        return all(not text_key(name, "passage", passage_text(kb.get(entry_id), lang)).endswith(b"\0")
                   for lang in ("en", "zh"))
    ids = [i for i in index.ids if safe(i)]
    chosen = [i for i in ids if i == "gpt-4o-announced-2024-05-13"] + [i for i in ids[:count]
                                                                     if i != "gpt-4o-announced-2024-05-13"]
    return SimpleNamespace(ids=tuple(chosen))


async def test_only_changed_passages_are_embedded_again(tmp_path, curated_kb, prepared):
    index = _entries_with_safe_keys(curated_kb, prepared.index, "fake/encoder", 30)
    encoder = FakeEncoder()
    first = await build_semantic_index(curated_kb, index, encoder, EmbeddingCache(tmp_path, encoder.name))
    every = {passage_text(curated_kb.get(i), lang) for i in index.ids for lang in ("en", "zh")}
    assert set(encoder.embedded) == every and len(encoder.embedded) == len(every), "each passage once"

    unchanged = FakeEncoder()  # a restart: a fresh cache object reads the file
    again = await build_semantic_index(curated_kb, index, unchanged, EmbeddingCache(tmp_path, unchanged.name))
    assert unchanged.calls == [], "nothing embedded when nothing changed"
    assert np.array_equal(first.vectors, again.vectors)

    event = curated_kb.get("gpt-4o-announced-2024-05-13")
    edited = event.model_copy(update={"text": Bilingual(en="OpenAI announced GPT-4o on May 13, 2024.",
                                                        zh=event.text.zh)})
    kb = dataclasses.replace(curated_kb, events=tuple(edited if e.id == event.id else e for e in curated_kb.events))
    changed = FakeEncoder()
    await build_semantic_index(kb, index, changed, EmbeddingCache(tmp_path, changed.name))
    assert changed.embedded == [passage_text(edited, "en")], "the changed English passage only"


def test_a_key_ending_in_a_zero_byte_is_read_back(tmp_path):
    key = bytes(range(1, 32)) + b"\0"
    cache = EmbeddingCache(tmp_path, "fake/encoder")
    cache.put_many([key], np.ones((1, 4), np.float32))
    cache.save()
    assert EmbeddingCache(tmp_path, "fake/encoder").get(key) is not None


@pytest.mark.parametrize("content", [
    b"not a numpy file at all",
    pytest.param(b""),
])
def test_an_unreadable_cache_file_is_an_empty_cache(tmp_path, caplog, content):
    path = _cache_file(tmp_path)
    path.write_bytes(content)
    with caplog.at_level(logging.WARNING, logger="bot.semantic.cache"):
        cache = EmbeddingCache(tmp_path, "fake/encoder")
    assert len(cache) == 0
    assert "unreadable" in caplog.text


def test_a_truncated_cache_file_is_an_empty_cache(tmp_path):
    cache = EmbeddingCache(tmp_path, "fake/encoder")
    cache.put_many([text_key("fake/encoder", "passage", "x")], np.ones((1, 4), np.float32))
    cache.save()
    data = cache.path.read_bytes()
    cache.path.write_bytes(data[: len(data) // 2])
    assert len(EmbeddingCache(tmp_path, "fake/encoder")) == 0


def test_a_cache_that_cannot_be_written_costs_only_the_file(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    cache = EmbeddingCache(blocker, "fake/encoder")
    cache.put_many([text_key("fake/encoder", "passage", "x")], np.ones((1, 4), np.float32))
    with caplog.at_level(logging.WARNING, logger="bot.semantic.cache"):
        cache.save()
    assert "could not write" in caplog.text and cache.get(text_key("fake/encoder", "passage", "x")) is not None
