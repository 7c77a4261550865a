"""The encoder the settings ask for: in-process (default), a remote embedding server, or none."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from bot.semantic.embeddings import Embeddings, embeddings_off
from bot.semantic.encoder import Encoder, EncoderUnavailable

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)


async def embeddings_from_settings(settings: Settings) -> Embeddings:
    if settings.encoder == "off":
        return embeddings_off("turned off in the settings (encoder = \"off\")", turned_off=True)
    encoder: Encoder
    if settings.encoder == "remote":
        from bot.semantic.remote import RemoteEmbeddings

        key = settings.encoder_api_key.get_secret_value() if settings.encoder_api_key else None
        encoder = RemoteEmbeddings(settings.encoder_url, settings.encoder_model, api_key=key,
                                   query_prefix=settings.encoder_query_prefix,
                                   passage_prefix=settings.encoder_passage_prefix)
    else:
        from bot.semantic.local import LocalE5

        try:
            local = LocalE5(nice=settings.encoder_nice)
            await local.load()
        except EncoderUnavailable as err:
            return embeddings_off(str(err))
        encoder = local
    return Embeddings(encoder, settings.embedding_cache_dir or settings.data_dir)
